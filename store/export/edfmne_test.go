package export

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// mneView is what testdata/mne_read.py reports of an EDF+ file.
type mneView struct {
	Sfreq        float64   `json:"sfreq"`
	ChNames      []string  `json:"ch_names"`
	NTimes       int64     `json:"n_times"`
	Onsets       []float64 `json:"onsets"`
	Durations    []float64 `json:"durations"`
	Descriptions []string  `json:"descriptions"`
}

// TestEDFReadByMNE exports MIT-BIH record 100 as EDF+ and reads it with MNE
// (Debian's python3-mne): every sample within half a quantisation step of
// our physical value (MNE gives volts), and every beat as an annotation
// with our long name at sample/fs seconds.
func TestEDFReadByMNE(t *testing.T) {
	py := mnePython()
	if py == "" {
		t.Skip("python3-mne is not installed (no python3 on PATH nor /usr/bin/python3 imports mne): apt-get install python3-mne, or make deps-test")
	}
	_, data, out := edfExport(t, "100")
	edfPath := filepath.Join(out, "100.edf")
	view, samples := readWithMNE(t, py, edfPath)
	got := openRec(t, edfPath)
	info := got.Signal.Info()
	if view.Sfreq != info.Fs || view.NTimes != info.NSamples || len(view.ChNames) != len(info.Leads) {
		t.Fatalf("MNE sees %d channels, %d samples at %g Hz; we wrote %d, %d at %g Hz",
			len(view.ChNames), view.NTimes, view.Sfreq, len(info.Leads), info.NSamples, info.Fs)
	}
	ours := readAll(t, got.Signal, info.NSamples)
	for l, ld := range info.Leads {
		tol := 0.5 / ld.Gain * 1e-3 // half a digital step, in volts
		for i := range info.NSamples {
			want := ld.Physical(ours[l][i]) * 1e-3
			if v := samples[int64(l)*info.NSamples+i]; math.Abs(v-want) > tol {
				t.Fatalf("lead %d sample %d: MNE reads %g V, we wrote %g V (step %g V)", l, i, v, want, 2*tol)
			}
		}
	}
	orig := openRec(t, filepath.Join(data, "100"))
	compareMNEBeats(t, view, orig.Beats, info.Fs)
}

// mnePython returns the first Python that imports mne: python3 on PATH,
// else Debian's /usr/bin/python3 (where python3-mne installs when PATH
// leads to another Python); "" when none does.
func mnePython() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import mne").Run() == nil {
			return py
		}
	}
	return ""
}

// readWithMNE runs testdata/mne_read.py with Python py on path.
func readWithMNE(t *testing.T, py, path string) (mneView, []float64) {
	t.Helper()
	dir := t.TempDir()
	bin, js := filepath.Join(dir, "x.f64"), filepath.Join(dir, "x.json")
	cmd := exec.Command(py, filepath.Join("testdata", "mne_read.py"), path, bin, js)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("MNE could not read our EDF+: %v\n%s", err, b)
	}
	var v mneView
	b, err := os.ReadFile(js)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	samples := make([]float64, len(raw)/8)
	for i := range samples {
		samples[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return v, samples
}

// compareMNEBeats checks that MNE's annotations are the reference beats,
// in order, with their long names, at sample/fs seconds (to the
// microsecond the TALs keep).
func compareMNEBeats(t *testing.T, v mneView, ref []annotate.Beat, fs float64) {
	t.Helper()
	k := 0
	for i, d := range v.Descriptions {
		c, ok := annotate.ParseDescription(d)
		if !ok || !c.IsBeat() {
			continue
		}
		for k < len(ref) && !ref[k].Code.IsBeat() {
			k++
		}
		if k == len(ref) {
			t.Fatalf("MNE annotation %d %q at %g s: more beats than the reference", i, d, v.Onsets[i])
		}
		if c != ref[k].Code || math.Abs(v.Onsets[i]-float64(ref[k].Sample)/fs) > 1e-6 {
			t.Fatalf("MNE annotation %d: %q at %g s; reference %v at %g s", i, d, v.Onsets[i], ref[k].Code, float64(ref[k].Sample)/fs)
		}
		k++
	}
	for k < len(ref) && !ref[k].Code.IsBeat() {
		k++
	}
	if k != len(ref) {
		t.Errorf("MNE read %d beats fewer than the reference", len(ref)-k)
	}
}
