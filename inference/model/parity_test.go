package model

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/export"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// exportMargin is how many model samples the training export cuts beyond
// the model's window on each side (make models: --before 0.4 --after 0.6 at
// 180 Hz for a 50,76 model), which training crops away.
const exportMargin = 22

// parityRecord is a record file the parity test exports and serves.
type parityRecord struct {
	name, path string
}

// TestServedWindowsAreTrainingWindows checks that the windows a beat model
// is served (PrepareBeats, the app's path) are the windows `export` writes
// for training, cropped to the model's window and normalised as
// training/data.py does, bit for bit: both go through annotate/beatwin, and
// the z-score and the template median are the same float32 operations on the
// same values. It runs on synthetic records at 128, 250 and 360 Hz, and on
// MIT-BIH 100 (360 Hz) and SVDB 803 (128 Hz) when ECGDATA has them, for a
// model like the default one (180 Hz, 50+76 samples, z-score, templates of
// 16 beats on each side) and an mV model at 360 Hz. (normalize=none, raw ADC
// values, has no training export to compare with: export writes mV.)
// Beats whose window reaches past the record's ends are not exported, so
// every beat compared lies inside the record.
func TestServedWindowsAreTrainingWindows(t *testing.T) {
	recs := parityRecords(t)
	db := parityDB(t, recs)
	for _, mc := range []struct{ fs, window, normalize, template string }{
		{"180", "50,76", "zscore", "16"},
		{"360", "90,166", "mv", ""},
	} {
		m := parityModel(t, mc.fs, mc.window, mc.normalize, mc.template)
		for _, r := range recs {
			t.Run(fmt.Sprintf("%sHz-%s/%s", mc.fs, mc.normalize, r.name), func(t *testing.T) {
				dir, x, peaks := exportWindows(t, db, r, m.meta)
				b, n := checkServed(t, m, r, x, peaks)
				t.Logf("%d beats, %d window values equal", len(peaks), n)
				if m.meta.TemplateBeats > 0 && strings.HasPrefix(r.name, "synth") {
					checkDataPy(t, m.meta, dir, b)
				}
			})
		}
	}
}

// parityDB is a label database holding the reference beats of recs, as
// reader "ref", closed when the test ends.
func parityDB(t *testing.T, recs []parityRecord) *store.DB {
	db, err := store.OpenDB(filepath.Join(t.TempDir(), "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, r := range recs {
		if _, err := export.ImportAnnotations(db, r.path, "atr", "ref", time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// parityRecords writes synthetic records at 128, 250 and 360 Hz (with
// premature beats, so windows differ) into a temporary folder and adds
// MIT-BIH 100 and SVDB 803 when ECGDATA has them.
func parityRecords(t *testing.T) []parityRecord {
	dir := t.TempDir()
	var recs []parityRecord
	for _, fs := range []float64{128, 250, 360} {
		cfg := synth.Default()
		cfg.Fs, cfg.Duration, cfg.Seed = fs, 3*time.Minute, uint64(fs)
		cfg.PVC.PerHour, cfg.PAC.PerHour = 300, 300
		name := fmt.Sprintf("synth%.0f", fs)
		writeSynthWFDB(t, dir, name, cfg)
		recs = append(recs, parityRecord{name, filepath.Join(dir, name+".hea")})
	}
	if os.Getenv("ECGDATA") == "" || testing.Short() {
		t.Log("ECGDATA is not set, or -short: real records (MIT-BIH 100 at 360 Hz, SVDB 803 at 128 Hz) left out")
		return recs
	}
	for _, r := range []struct{ db, name string }{{"mitdb", "100"}, {"svdb", "803"}} {
		if d := ecgdataDir(t, r.db, r.name+".hea"); d != "" {
			recs = append(recs, parityRecord{r.db + r.name, filepath.Join(d, r.name+".hea")})
		}
	}
	return recs
}

// ecgdataDir returns ECGDATA's sub folder, or "" (logged) when it lacks probe.
func ecgdataDir(t *testing.T, sub, probe string) string {
	var dir string
	t.Run("find-"+sub, func(t *testing.T) { dir = ecgdata.Dir(t, sub, probe) })
	if dir == "" {
		t.Logf("ECGDATA has no %s/%s: left out", sub, probe)
	}
	return dir
}

// writeSynthWFDB writes the synthetic record cfg describes as dir/name.hea,
// .dat and .atr (its reference beats).
func writeSynthWFDB(t *testing.T, dir, name string, cfg synth.Config) {
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	info.Name = name
	w, err := wfdb.Create(dir, name, info, 16)
	if err == nil {
		err = w.Write(samples)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	anns := make([]wfdb.Annotation, len(ann.Beats))
	for i, b := range ann.Beats {
		anns[i] = wfdb.Annotation{Sample: b.Sample, Code: b.Code}
	}
	f, err := os.Create(filepath.Join(dir, name+".atr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := wfdb.WriteAnnotations(f, anns); err != nil {
		t.Fatal(err)
	}
}

// parityModel is a 2-lead beat model's metadata (no ONNX graph: only
// PrepareBeats runs).
func parityModel(t *testing.T, fs, window, normalize, template string) *Model {
	props := map[string]string{
		KeyTask: "beat", KeyFs: fs, KeyWindow: window, KeyLeads: "2", KeyClasses: "N,S,V,F,Q",
		KeyInputs: "x:waveform", KeyOutputs: "probs:probabilities", KeyNormalize: normalize, KeyVersion: "1",
	}
	if template != "" {
		props[KeyInputs] += ",tmpl:template"
		props[KeyTemplateBeats] = template
	}
	return metaModel(t, props)
}

// exportWindows exports record r at the model's rate with exportMargin
// samples more on each side, and returns the export's folder and the x rows
// and R peaks of its beats.
func exportWindows(t *testing.T, db *store.DB, r parityRecord, md *Meta) (string, []float32, []int64) {
	opt := export.DefaultOptions()
	opt.Records, opt.Reader, opt.Split = []string{r.path}, "ref", [3]float64{100, 0, 0}
	opt.Fs = md.Fs
	opt.Before = float64(md.Before+exportMargin) / md.Fs
	opt.After = float64(md.After+exportMargin) / md.Fs
	opt.Now = func() time.Time { return time.Unix(0, 0) }
	out := t.TempDir()
	if _, err := export.Export(db, out, opt); err != nil {
		t.Fatal(err)
	}
	z, err := npz.Open(filepath.Join(out, "beats.npz"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var x []float32
	var peaks []int64
	if err := z.Read("x.npy", &x); err != nil {
		t.Fatal(err)
	}
	if err := z.Read("sample.npy", &peaks); err != nil {
		t.Fatal(err)
	}
	if len(peaks) < 100 || !slices.IsSorted(peaks) {
		t.Fatalf("export of %s: %d beats (sorted: %v), want 100 or more in time order", r.name, len(peaks), slices.IsSorted(peaks))
	}
	return out, x, peaks
}

// checkServed prepares every exported beat of r as the app does and
// compares it with the training windows x; it returns the served batch and
// how many values were compared.
func checkServed(t *testing.T, m *Model, r parityRecord, x []float32, peaks []int64) (*Batch, int) {
	rec, err := store.Open(r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	index := make([]int, len(peaks))
	for i := range index {
		index[i] = i
	}
	b, err := m.PrepareBeats(rec.Signal, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	want := trainingWindows(m.meta, x, len(peaks))
	n := assertBitEqual(t, "waveform", b.Waveform, want)
	if k := m.meta.TemplateBeats; k > 0 {
		n += assertBitEqual(t, "template", b.Template, medianTemplates(want, len(peaks), m.rowLen(Waveform), k))
	}
	return b, n
}

// checkDataPy runs training/data.py itself on the export in dir (zscore of
// the cropped windows, beat_templates) and compares with the served batch
// b. Tolerance 1e-5: numpy takes the mean and standard deviation of a
// float32 window in float32 (pairwise sums), the app in float64, so the
// z-scored values (of size about 1 to 5) differ by a few float32 steps.
func checkDataPy(t *testing.T, md *Meta, dir string, b *Batch) {
	const py = "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Logf("%s lacks numpy: training/data.py not compared: %v\n%s", py, err, out)
		return
	}
	abs, err := filepath.Abs(filepath.Join(dir, "beats.npz"))
	if err != nil {
		t.Fatal(err)
	}
	out := runDataPy(t, py, map[string]any{"npz": abs, "margin": exportMargin, "length": md.WindowLen(), "k": md.TemplateBeats}, `
b = np.load(a["npz"])
x = data.zscore(b["x"][:, :2, a["margin"]:a["margin"] + a["length"]])
tm = data.beat_templates(b, a["margin"], a["length"], a["k"], 2)
print(json.dumps({"x": x.ravel().tolist(), "t": tm.ravel().tolist()}))`)
	var got struct{ X, T []float32 }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("training/data.py output: %v: %.200s", err, out)
	}
	assertClose(t, "waveform vs training/data.py", b.Waveform, got.X, 1e-5)
	assertClose(t, "template vs training/data.py", b.Template, got.T, 1e-5)
	t.Logf("training/data.py: largest difference %.2g (waveform), %.2g (template)", maxDiff(b.Waveform, got.X), maxDiff(b.Template, got.T))
}

func maxDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}

// trainingWindows crops the exported rows x (n beats, 2 leads, the model's
// window plus exportMargin on each side) to the model's window and
// normalises each lead's window as training/data.py does.
func trainingWindows(md *Meta, x []float32, n int) []float32 {
	w := md.WindowLen()
	we := w + 2*exportMargin
	out := make([]float32, 0, n*2*w)
	for i := range n {
		for l := range 2 {
			row := x[(i*2+l)*we+exportMargin:][:w]
			start := len(out)
			out = append(out, row...)
			if md.Normalize == NormZScore {
				beatwin.ZScore(out[start:])
			}
		}
	}
	return out
}

// medianTemplates is training/data.py's median_template on the windows
// (n rows of rl values, in time order): per value, the median of rows
// i-k ... i+k that exist, the mean of the middle two for an even count.
func medianTemplates(win []float32, n, rl, k int) []float32 {
	out := make([]float32, n*rl)
	col := make([]float32, 0, 2*k+1)
	for i := range n {
		lo, hi := max(i-k, 0), min(i+k+1, n)
		for s := range rl {
			col = col[:0]
			for r := lo; r < hi; r++ {
				col = append(col, win[r*rl+s])
			}
			slices.Sort(col)
			c := len(col)
			if c%2 == 1 {
				out[i*rl+s] = col[c/2]
			} else {
				out[i*rl+s] = (col[c/2-1] + col[c/2]) / 2
			}
		}
	}
	return out
}

// assertBitEqual fails unless got and want hold the same float32 bits
// (NaN never appears: the windows are finite); it returns the count.
func assertBitEqual(t *testing.T, what string, got, want []float32) int {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values served, %d from the export", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			if bad == 0 {
				t.Errorf("%s value %d: served %v, export %v (diff %g)", what, i, got[i], want[i], got[i]-want[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values differ", what, bad, len(got))
	}
	return len(got)
}
