package model_test

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// Records of MIT-BIH DS1 (the default beat model trained on them; DS2 is
// kept for the final figures) with many S or V beats, and the agreement
// each variant of a record must keep with the labels of the record as
// recorded (360 Hz, both leads), over the beats of all of them: the share
// of reference beats given the same class.
var (
	rateLeadRecs = strings.Fields("106 119 201 208 209 223")
	rateLeadTol  = map[string]float64{"128 Hz": 0.97, "lead 1 alone": 0.93, "lead 2 alone": 0.85}
	variantNames = []string{"128 Hz", "lead 1 alone", "lead 2 alone"}
)

// TestRateAndLeads runs the default beat model on MIT-BIH records as they
// are and as a record of another kind would come: resampled to 128 Hz (the
// rate of the Supraventricular Arrhythmia Database and many Holters, by the
// project's one resampler, annotate/beatwin) and with only one of their two
// leads. The beats are the reference ones (their R peaks moved to the new
// rate), so only the model's input changes. Each variant must give the same
// class to at least rateLeadTol of the beats. It needs ECGDATA and ONNX
// Runtime (skips without them); BEAT_MODEL chooses another model file.
func TestRateAndLeads(t *testing.T) {
	dir := mitdbDir(t)
	env := newEnv(t)
	beat := loadModel(t, env, "BEAT_MODEL", "beat.onnx")
	agree := map[string][2]int{}
	calls := map[string]*classCounts{}
	var sb strings.Builder
	for _, name := range rateLeadRecs {
		rec := readWhole(t, filepath.Join(dir, name))
		peaks, ref := refBeats(t, filepath.Join(dir, name))
		base := classifyAll(t, beat, rec, peaks)
		countCalls(calls, "as recorded", beat, ref, base)
		fmt.Fprintf(&sb, "%s (%d beats):", name, len(peaks))
		for _, v := range rateLeadVariants(rec, peaks) {
			got := classifyAll(t, beat, v.sig, v.peaks)
			countCalls(calls, v.name, beat, ref, got)
			same := 0
			for i := range got {
				if got[i] == base[i] {
					same++
				}
			}
			a := agree[v.name]
			agree[v.name] = [2]int{a[0] + same, a[1] + len(got)}
			fmt.Fprintf(&sb, "  %s %.1f%%", v.name, 100*float64(same)/float64(len(got)))
		}
		sb.WriteString("\n")
	}
	for _, name := range variantNames {
		a, tol := agree[name], rateLeadTol[name]
		share := float64(a[0]) / float64(a[1])
		fmt.Fprintf(&sb, "%s: %d of %d beats keep their class (%.2f%%; at least %.0f%% asked)\n", name, a[0], a[1], 100*share, 100*tol)
		if share < tol {
			t.Errorf("%s: %.2f%% of the beats keep their class, want at least %.0f%%", name, 100*share, 100*tol)
		}
	}
	for _, name := range append([]string{"as recorded"}, variantNames...) {
		fmt.Fprintf(&sb, "%s against the reference: %s\n", name, calls[name])
	}
	t.Log("\n" + sb.String())
}

// classCounts is a confusion matrix of AAMI classes: [reference][called].
type classCounts [annotate.ClassQ + 1][annotate.ClassQ + 1]int

func countCalls(calls map[string]*classCounts, name string, m *model.Model, ref []annotate.Class, got []int) {
	c := calls[name]
	if c == nil {
		c = &classCounts{}
		calls[name] = c
	}
	for i, k := range got {
		c[ref[i]][m.Class(k)]++
	}
}

// add adds the counts of o.
func (c *classCounts) add(o *classCounts) {
	for r := range c {
		for k := range c[r] {
			c[r][k] += o[r][k]
		}
	}
}

// total is the number of reference beats of class k.
func (c *classCounts) total(k annotate.Class) int {
	n := 0
	for _, v := range c[k] {
		n += v
	}
	return n
}

// missed is the number of reference beats of class k called otherwise.
func (c *classCounts) missed(k annotate.Class) int { return c.total(k) - c[k][k] }

// falseCalls counts the beats called k that are not k, as EC57 counts
// them: a V call on an F or Q beat, or an S call on a Q beat, is no error
// (training/train_beat.py's scores, annotate/eval).
func (c *classCounts) falseCalls(k annotate.Class) int {
	n := 0
	for r := range c {
		rc := annotate.Class(r)
		if rc != k && !(k == annotate.ClassV && (rc == annotate.ClassF || rc == annotate.ClassQ)) &&
			!(k == annotate.ClassS && rc == annotate.ClassQ) {
			n += c[r][k]
		}
	}
	return n
}

// String gives S and V Se/+P (%).
func (c *classCounts) String() string {
	var sb strings.Builder
	for _, k := range []annotate.Class{annotate.ClassS, annotate.ClassV} {
		tp := float64(c[k][k])
		fmt.Fprintf(&sb, "%s Se %.1f +P %.1f  ", k, 100*tp/float64(max(c.total(k), 1)),
			100*tp/max(tp+float64(c.falseCalls(k)), 1))
	}
	return strings.TrimSpace(sb.String())
}

// rateVariant is a record as another recorder would give it, and its beats.
type rateVariant struct {
	name  string
	sig   *annotate.MemSignal
	peaks []int64
}

func rateLeadVariants(rec *annotate.MemSignal, peaks []int64) []rateVariant {
	const fs = 128.0
	low := resampleRecord(rec, fs)
	ratio := fs / rec.Meta.Fs
	lowPeaks := make([]int64, len(peaks))
	for i, p := range peaks {
		lowPeaks[i] = int64(math.Round(float64(p) * ratio))
	}
	return []rateVariant{
		{"128 Hz", low, lowPeaks},
		{"lead 1 alone", oneLead(rec, 0), peaks},
		{"lead 2 alone", oneLead(rec, 1), peaks},
	}
}

// oneLead is rec with lead l only.
func oneLead(rec *annotate.MemSignal, l int) *annotate.MemSignal {
	info := rec.Meta
	info.Leads = []annotate.Lead{info.Leads[l]}
	return &annotate.MemSignal{Meta: info, Samples: [][]int32{rec.Samples[l]}}
}

// resampleRecord converts every lead of rec to fs Hz with beatwin's filter:
// blocks of one second of output, each cut as a window whose "R peak" is
// the block's first sample, rounded back to the lead's digital units.
func resampleRecord(rec *annotate.MemSignal, fs float64) *annotate.MemSignal {
	in := rec.Meta.Fs
	block := int(fs)
	cut := beatwin.New(in, fs, 0, block)
	n := int(float64(rec.Meta.NSamples) * fs / in)
	info := rec.Meta
	info.Fs, info.NSamples = fs, int64(n)
	out := &annotate.MemSignal{Meta: info}
	buf := make([]float32, block)
	for _, lead := range rec.Samples {
		res := make([]int32, 0, n+block)
		src := make([]int32, cut.Hi()-cut.Lo()+1)
		for b := 0; b*block < n; b++ {
			r := int64(b) * int64(in) // block b starts b seconds in: an input sample
			for i := range src {
				src[i] = lead[min(max(r+int64(cut.Lo()+i), 0), int64(len(lead)-1))]
			}
			cut.Cut(buf, src, 0, 1)
			for _, v := range buf {
				res = append(res, int32(math.Round(float64(v))))
			}
		}
		out.Samples = append(out.Samples, res[:n])
	}
	return out
}

// readWhole reads a WFDB record into memory.
func readWhole(t *testing.T, path string) *annotate.MemSignal {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	info := rec.Info()
	s := &annotate.MemSignal{Meta: info, Samples: make([][]int32, len(info.Leads))}
	for i := range s.Samples {
		s.Samples[i] = make([]int32, info.NSamples)
	}
	if _, err := rec.Read(s.Samples, 0); err != nil {
		t.Fatal(err)
	}
	return s
}

// refBeats returns the samples and AAMI classes of the reference beats of
// a record's .atr.
func refBeats(t *testing.T, path string) ([]int64, []annotate.Class) {
	var peaks []int64
	var classes []annotate.Class
	for _, a := range readRef(t, path) {
		if a.Code.IsBeat() {
			peaks = append(peaks, a.Sample)
			classes = append(classes, a.Code.Class())
		}
	}
	return peaks, classes
}

// classifyAll classifies every beat of peaks as the pipeline would.
func classifyAll(t *testing.T, m *model.Model, sig *annotate.MemSignal, peaks []int64) []int {
	return classifyInChunks(t, m, sig, peaks, sig.Meta.Fs)
}
