package research

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// NSTSNRs are the signal-to-noise ratios (dB) of the noise stress test.
var NSTSNRs = []float64{24, 18, 12, 6, 0, -6}

// Detector finds the beats of a signal (the app's QRS detector).
type Detector func(annotate.Signal) ([]annotate.Beat, error)

// NSTOptions say what the noise stress test runs.
type NSTOptions struct {
	Data    string   // folder holding mitdb/ (clean records) and noise/ (MIT-BIH NST noise records)
	Records []string // clean records, e.g. 118 and 119
	Noise   []string // noise records, e.g. bw, ma, em
	Detect  Detector
}

// NST runs the MIT-BIH noise stress test of the detector: each clean
// record with each noise added at each of NSTSNRs (clean for 5 minutes,
// then 2 minutes noisy, 2 minutes clean), scored beat by beat as EC57
// does, and writes a table row per record and a total per noise and SNR.
func NST(o NSTOptions, w io.Writer) error {
	fmt.Fprintf(w, "# NST: clean 5 min, then 2 min noisy / 2 min clean; S = (QRS p-p)^2/8, N = trimmed mean 1-s noise power; EC57 scoring\n")
	fmt.Fprintf(w, "%-6s %-5s %5s %7s %5s %5s %7s %7s\n", "Record", "Noise", "SNR", "TP", "FN", "FP", "Se", "+P")
	for _, kind := range o.Noise {
		noise, err := loadNSTNoise(filepath.Join(o.Data, "noise", kind))
		if err != nil {
			return err
		}
		for _, snr := range NSTSNRs {
			var tot []*eval.Result
			for _, r := range o.Records {
				res, err := nstOne(filepath.Join(o.Data, "mitdb", r), noise, snr, o.Detect)
				if err != nil {
					return err
				}
				tot = append(tot, res)
				printNST(w, r, kind, snr, res.Matrix.Detection())
			}
			printNST(w, "total", kind, snr, eval.Summarize(tot).Counts)
		}
	}
	return nil
}

// ReadAnnotations reads the WFDB annotation file PATH.EXT for scoring.
func ReadAnnotations(path, ext string) ([]eval.Annotation, error) {
	anns, _, err := ReadLabelled(path, ext, annotate.RecordInfo{})
	return anns, err
}

// ReadLabelled reads the annotation file PATH.EXT of the record info
// describes: its annotations for the beat-by-beat comparison, and its
// rhythm episodes as wfdb.ToLabels reads them.
func ReadLabelled(path, ext string, info annotate.RecordInfo) ([]eval.Annotation, []annotate.Episode, error) {
	anns, err := wfdb.ReadAnnotations(path + "." + ext)
	if err != nil {
		return nil, nil, err
	}
	out := make([]eval.Annotation, len(anns))
	for i, a := range anns {
		out[i] = eval.Annotation{Sample: a.Sample, Code: a.Code, Sub: a.Sub, Aux: a.Aux}
	}
	return out, wfdb.ToLabels(anns, info, annotate.Provenance{}).Episodes, nil
}

func printNST(w io.Writer, rec, kind string, snr float64, c eval.Counts) {
	fmt.Fprintf(w, "%-6s %-5s %5.0f %7d %5d %5d %7s %7s\n", rec, kind, snr, c.TP, c.FN, c.FP, pct(c.Se()), pct(c.PP()))
}

func pct(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

// nstNoise is a noise record in physical units (mV), per lead.
type nstNoise struct {
	fs float64
	mv [][]float64
}

func loadNSTNoise(path string) (*nstNoise, error) {
	mv, info, err := wfdb.ReadPhysical(path)
	if err != nil {
		return nil, err
	}
	return &nstNoise{fs: info.Fs, mv: mv}, nil
}

// errNSTRates is returned when the noise and the record differ in fs.
var errNSTRates = errors.New("noise and record sampling frequencies differ")

func nstOne(path string, noise *nstNoise, snr float64, detect Detector) (*eval.Result, error) {
	clean, info, err := wfdb.ReadAll(path)
	if err != nil {
		return nil, err
	}
	if noise.fs != info.Fs {
		return nil, fmt.Errorf("nst %s: %w (%g, %g Hz)", path, errNSTRates, noise.fs, info.Fs)
	}
	ref, err := ReadAnnotations(path, "atr")
	if err != nil {
		return nil, err
	}
	sig := &noisySignal{info: info, clean: clean, seg: int64(120 * info.Fs), from: int64(300 * info.Fs)}
	for i, l := range info.Leads {
		nz := noise.mv[i%len(noise.mv)]
		s := math.Pow(qrsPeakToPeak(clean[i], l, ref, info.Fs), 2) / 8
		a := math.Sqrt(s / (synth.NSTNoisePower(nz, info.Fs) * math.Pow(10, snr/10)))
		add := make([]int32, len(nz))
		for k, v := range nz {
			add[k] = int32(math.Round(a * v * l.Gain))
		}
		sig.add = append(sig.add, add)
	}
	beats, err := detect(sig)
	if err != nil {
		return nil, err
	}
	return eval.Compare(filepath.Base(info.Name), ref, eval.FromBeats(beats), eval.DefaultOptions(info.Fs, info.NSamples))
}

// qrsPeakToPeak returns the median peak-to-peak amplitude (mV) within 50 ms
// of the reference beats.
func qrsPeakToPeak(x []int32, l annotate.Lead, ref []eval.Annotation, fs float64) float64 {
	h := int64(0.05 * fs)
	var pp []float64
	for _, a := range ref {
		if !a.Code.IsBeat() || a.Sample-h < 0 || a.Sample+h >= int64(len(x)) {
			continue
		}
		lo, hi := x[a.Sample], x[a.Sample]
		for _, v := range x[a.Sample-h : a.Sample+h+1] {
			lo, hi = min(lo, v), max(hi, v)
		}
		pp = append(pp, float64(hi-lo)/l.Gain)
	}
	if len(pp) == 0 {
		return 0
	}
	sort.Float64s(pp)
	return pp[len(pp)/2]
}

// noisySignal is a clean record with scaled noise added in alternating
// two-minute stretches after the first five minutes.
type noisySignal struct {
	info      annotate.RecordInfo
	clean     [][]int32
	add       [][]int32
	seg, from int64
}

func (s *noisySignal) Info() annotate.RecordInfo { return s.info }

func (s *noisySignal) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start > int64(len(s.clean[0])) {
		return 0, annotate.ErrOutOfRange
	}
	n := 0
	for i := range dst {
		n = copy(dst[i], s.clean[i][start:])
		for k := range n {
			t := start + int64(k)
			if t >= s.from && ((t-s.from)/s.seg)%2 == 0 {
				dst[i][k] += s.add[i][t%int64(len(s.add[i]))]
			}
		}
	}
	return n, nil
}
