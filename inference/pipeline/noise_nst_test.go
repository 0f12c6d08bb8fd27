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
		var noisy, marked, cleanMarked, cleanLen int64
		var fs float64
		for _, name := range ds1 {
			r := nstRecord(t, filepath.Join(mitdb, name), ma, snr)
			fs = r.info.Fs
			res := runRecord(t, r)
			marks := union(res.Output.Noise)
			for _, s := range r.segments(true) {
				noisy += s[1] - s[0]
				marked += total(intersect(marks, []iv{s}))
			}
			for _, s := range r.segments(false) {
				cleanLen += s[1] - s[0]
				cleanMarked += total(intersect(marks, []iv{s}))
			}
		}
		t.Logf("ma at %+.0f dB: %.3f of the noisy stretches marked; %.1f s/h marked in the clean ones",
			snr, ratio(marked, noisy), float64(cleanMarked)/fs/(float64(cleanLen)/fs/3600))
		if snr == -6 && ratio(marked, noisy) < 0.5 {
			t.Errorf("ma at -6 dB: %.3f of the noise marked, want >= 0.5", ratio(marked, noisy))
		}
	}
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
