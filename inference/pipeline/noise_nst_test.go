package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// ds1 is the training half of MIT-BIH (de Chazal's DS1): the records the
// noise thresholds are tuned on; DS2 stays for testing.
var ds1 = strings.Fields("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230")

// TestNSTNoise makes noise stress test records of DS1 with the MIT-BIH NST
// muscle artefact record (ma) on the NST schedule (clean for 5 min, then 2
// min noisy and 2 min clean) at 6, 0 and -6 dB, runs the pipeline on them,
// and logs the share of each noisy stretch marked and the seconds marked
// per hour in the clean stretches after the first 5 min. At -6 dB the QRS
// complexes drown and most of the noise must be marked.
func TestNSTNoise(t *testing.T) {
	noiseDir, mitdb := ecgdata.Dir(t, "noise", "ma.hea"), ecgdata.Dir(t, "mitdb", "100.hea")
	if testing.Short() {
		t.Skip("short")
	}
	ma := readRecord(t, filepath.Join(noiseDir, "ma"))
	for _, snr := range []float64{6, 0, -6} {
		m := stressMarks(t, mitdb, ds1, ma, snr)
		t.Logf("ma at %+.0f dB: %.3f of the noisy stretches marked; %.1f s/h marked in the clean ones",
			snr, m.noisyShare(), m.cleanPerHour())
		if snr == -6 && m.noisyShare() < 0.5 {
			t.Errorf("ma at -6 dB: %.3f of the noise marked, want >= 0.5", m.noisyShare())
		}
	}
}

// TestNSTNoise118And119 is the noise stress protocol's own pair of
// records, 118 and 119, with each noise record of noise/ (ma: muscle, bw:
// baseline wander) at 24, 12, 6 and 0 dB. It logs how much of the noisy
// stretches and of the clean ones the pipeline marks, and checks that more
// noise is never marked less: the share marked does not fall as the SNR
// falls (by more than 0.02, a few seconds of the 20 noisy minutes).
func TestNSTNoise118And119(t *testing.T) {
	noiseDir, mitdb := ecgdata.Dir(t, "noise", "ma.hea"), ecgdata.Dir(t, "mitdb", "118.hea")
	if testing.Short() {
		t.Skip("short")
	}
	for _, kind := range []string{"ma", "bw"} {
		noise := readRecord(t, filepath.Join(noiseDir, kind))
		for _, rec := range []string{"118", "119"} {
			last := -1.0
			for _, snr := range []float64{24, 12, 6, 0} {
				m := stressMarks(t, mitdb, []string{rec}, noise, snr)
				t.Logf("%s + %s at %2.0f dB: %.3f of the noisy stretches marked; %.1f s/h marked in the clean ones",
					rec, kind, snr, m.noisyShare(), m.cleanPerHour())
				if m.noisyShare() < last-0.02 {
					t.Errorf("%s + %s at %.0f dB: %.3f marked, less than %.3f at a higher SNR", rec, kind, snr, m.noisyShare(), last)
				}
				last = m.noisyShare()
			}
		}
	}
}

// stressMarked is what the pipeline marks as noise on the records names of
// mitdb with noise added at snr dB on the NST schedule (stressMarks):
// samples marked in the noisy and in the clean stretches, and their lengths.
type stressMarked struct {
	noisy, marked, clean, cleanMarked int64
	fs                                float64
}

func stressMarks(t *testing.T, mitdb string, names []string, noise stressed, snr float64) stressMarked {
	t.Helper()
	var m stressMarked
	for _, name := range names {
		r := nstRecord(t, filepath.Join(mitdb, name), noise, snr)
		m.fs = r.info.Fs
		marks := union(runRecord(t, r).Output.Noise)
		for _, s := range r.segments(true) {
			m.noisy += s[1] - s[0]
			m.marked += total(intersect(marks, []iv{s}))
		}
		for _, s := range r.segments(false) {
			m.clean += s[1] - s[0]
			m.cleanMarked += total(intersect(marks, []iv{s}))
		}
	}
	return m
}

// noisyShare is the share of the noisy stretches marked.
func (m stressMarked) noisyShare() float64 { return ratio(m.marked, m.noisy) }

// cleanPerHour is the seconds marked per hour of the clean stretches.
func (m stressMarked) cleanPerHour() float64 {
	return float64(m.cleanMarked) / m.fs / (float64(m.clean) / m.fs / 3600)
}

// stressed is an NST record in memory.
type stressed struct {
	info annotate.RecordInfo
	data [][]int32
	seg  int64 // samples per noisy or clean stretch
	from int64 // the first noisy sample
}

// segments returns the noisy (or, after the start, clean) stretches.
func (r stressed) segments(noisy bool) [][2]int64 {
	var out [][2]int64
	for a, k := r.from, 0; a < r.info.NSamples; a, k = a+r.seg, k+1 {
		if (k%2 == 0) == noisy {
			out = append(out, [2]int64{a, min(a+r.seg, r.info.NSamples)})
		}
	}
	return out
}

func runRecord(t *testing.T, r stressed) *Result {
	t.Helper()
	p, err := New(Config{Signal: newView(r.info, r.data, 0), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// readRecord reads a whole record into memory.
func readRecord(t *testing.T, path string) stressed {
	t.Helper()
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	info := rec.Info()
	data := make([][]int32, len(info.Leads))
	for i := range data {
		data[i] = make([]int32, info.NSamples)
	}
	if _, err := rec.Read(data, 0); err != nil {
		t.Fatal(err)
	}
	return stressed{info: info, data: data}
}

// nstRecord adds noise to the record at path on the NST schedule at snr
// dB: signal power (median QRS peak-to-peak)^2/8, noise power
// synth.NSTNoisePower.
func nstRecord(t *testing.T, path string, noise stressed, snr float64) stressed {
	r := readRecord(t, path)
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	r.seg, r.from = int64(120*r.info.Fs), int64(300*r.info.Fs)
	for i, l := range r.info.Leads {
		nl := noise.info.Leads[i%len(noise.info.Leads)]
		nz := noise.data[i%len(noise.data)]
		mv := make([]float64, len(nz))
		for k, v := range nz {
			mv[k] = nl.Physical(v)
		}
		s := math.Pow(peakToPeak(r.data[i], anns, r.info.Fs)/l.Gain, 2) / 8
		a := math.Sqrt(s / (synth.NSTNoisePower(mv, noise.info.Fs) * math.Pow(10, snr/10)))
		for _, sp := range r.segments(true) {
			for k := sp[0]; k < sp[1] && k < int64(len(mv)); k++ {
				r.data[i][k] += int32(math.Round(a * mv[k] * l.Gain))
			}
		}
	}
	return r
}

// peakToPeak returns the median peak-to-peak amplitude (ADC units) of x
// within 50 ms of the reference beats.
func peakToPeak(x []int32, anns []wfdb.Annotation, fs float64) float64 {
	h := int64(0.05 * fs)
	var pp []float64
	for _, a := range anns {
		if !a.Code.IsBeat() || a.Sample < h || a.Sample+h >= int64(len(x)) {
			continue
		}
		w := x[a.Sample-h : a.Sample+h+1]
		pp = append(pp, float64(slices.Max(w)-slices.Min(w)))
	}
	if len(pp) == 0 {
		return 0
	}
	slices.Sort(pp)
	return pp[len(pp)/2]
}
