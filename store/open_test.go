package store

import (
	"bytes"
	"errors"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/ishne"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// writeWFDB writes a 1-lead 100 Hz record of 500 samples with the given
// annotations as "atr" and returns the record path without ".hea".
func writeWFDB(t *testing.T, anns []wfdb.Annotation) string {
	t.Helper()
	dir := t.TempDir()
	info := annotate.RecordInfo{Name: "r", Fs: 100, Leads: []annotate.Lead{{Name: "II", Units: "mV", Gain: 200}}}
	w, err := wfdb.Create(dir, "r", info, 16)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([][]int32{make([]int32, 500)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := wfdb.WriteAnnotations(&buf, anns); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"atr", "qrs"} {
		if err := os.WriteFile(filepath.Join(dir, "r."+ext), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "r")
}

func TestOpenWFDBLabels(t *testing.T) {
	rec := writeWFDB(t, []wfdb.Annotation{
		{Sample: 0, Code: annotate.Rhythm, Aux: "(N"},
		{Sample: 50, Code: annotate.Normal},
		{Sample: 120, Code: annotate.PVC},
		{Sample: 200, Code: annotate.Rhythm, Aux: "(AFIB"},
		{Sample: 210, Code: annotate.NoiseAnn, Sub: 0x01},
		{Sample: 250, Code: annotate.Arfct},
		{Sample: 300, Code: annotate.NoiseAnn, Sub: 0},
		{Sample: 350, Code: annotate.Normal},
	})
	for _, path := range []string{rec, rec + ".hea"} {
		r, err := Open(path)
		if err != nil {
			t.Fatalf("Open(%s): %v", path, err)
		}
		defer r.Close()
		if r.Beats != nil {
			t.Fatal("Open read the labels; only LoadReference should")
		}
		if err := r.LoadReference(); err != nil {
			t.Fatal(err)
		}
		if r.RefExt != "atr" || len(r.AnnotationFiles) != 2 {
			t.Errorf("reference %q of %v, want atr of [atr qrs]", r.RefExt, r.AnnotationFiles)
		}
		wantEp := []annotate.Episode{{Start: 0, End: 200, Rhythm: "N"}, {Start: 200, End: 500, Rhythm: "AFIB"}}
		if len(r.Episodes) != 2 || r.Episodes[0].End != wantEp[0].End || r.Episodes[1].Rhythm != "AFIB" || r.Episodes[1].End != 500 {
			t.Errorf("episodes %+v, want %+v", r.Episodes, wantEp)
		}
		if len(r.Noise) != 1 || r.Noise[0].Start != 210 || r.Noise[0].End != 300 || r.Noise[0].Lead != 0 {
			t.Errorf("noise %+v, want one stretch 210..300 on lead 0", r.Noise)
		}
		codes := ""
		for _, b := range r.Beats {
			codes += b.Code.Symbol()
		}
		if codes != "NV|N" || r.Beats[0].Prov.Source != annotate.SourceReference {
			t.Errorf("beats %q (%+v), want NV|N from the reference", codes, r.Beats)
		}
	}
}

func TestOpenEDFPlus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.edf")
	spec := edf.Spec{Plus: true, Start: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), RecordDuration: 1, Records: 2,
		Signals: []edf.SignalSpec{{Label: "ECG II", Dimension: "uV", PhysMin: -3276.8, PhysMax: 3276.7, DigMin: -32768, DigMax: 32767, Samples: 100}}}
	recs := []edf.Record{
		{Onset: 0, Samples: [][]int32{make([]int32, 100)}, Annotations: []edf.Annotation{{Onset: 0.5, Text: "N"}}},
		{Onset: 1, Samples: [][]int32{make([]int32, 100)}, Annotations: []edf.Annotation{{Onset: 1.2, Duration: 0.5, Text: "(AFIB"}, {Onset: 1.3, Text: "V"}}},
	}
	if err := edf.WriteFile(path, spec, recs); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.LoadReference(); err != nil {
		t.Fatal(err)
	}
	if r.Signal.Info().Fs != 100 || r.RefExt != "edf+" {
		t.Errorf("fs %g ref %q, want 100 edf+", r.Signal.Info().Fs, r.RefExt)
	}
	if len(r.Beats) != 2 || r.Beats[0].Sample != 50 || r.Beats[1].Code != annotate.PVC || r.Beats[1].Sample != 130 {
		t.Errorf("beats %+v, want N@50 V@130", r.Beats)
	}
	if len(r.Episodes) != 1 || r.Episodes[0].Start != 120 || r.Episodes[0].End != 170 || r.Episodes[0].Rhythm != "AFIB" {
		t.Errorf("episodes %+v, want AFIB 120..170", r.Episodes)
	}
}

func TestOpenISHNE(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.ecg")
	h := ishne.Header{Fs: 200, Leads: []ishne.LeadInfo{{Spec: 0, Resolution: 2500}}}
	lead := []int32{1, 2, 3, 4}
	if err := ishne.WriteFile(path, h, ishne.Patient{}, [][]int32{lead}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	in := r.Signal.Info()
	if in.Format != "ISHNE" || in.NSamples != 4 || in.Fs != 200 {
		t.Errorf("info %+v, want ISHNE 4 samples at 200 Hz", in)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "x.edf")
	if err := os.WriteFile(junk, []byte("just some text, not an ECG"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		want       error
	}{
		{"unknown format", junk, ErrUnknownFormat},
		{"missing", filepath.Join(dir, "none"), os.ErrNotExist},
		{"missing header", filepath.Join(dir, "none.hea"), os.ErrNotExist},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Open(c.path)
			if err == nil {
				r.Close()
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Open(%s) = %v, want %v", c.path, err, c.want)
			}
		})
	}
}

// TestOpenMITDB opens every MIT-BIH record with its reference labels. The
// beat counts are those of the MIT-BIH Arrhythmia Database directory
// (PhysioNet, "Table 1" of the database's introduction) for records 100, 207
// and 232.
func TestOpenMITDB(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "")
	heads, _ := filepath.Glob(filepath.Join(dir, "*.hea"))
	if len(heads) == 0 {
		t.Skipf("no mitdb records under %s", dir)
	}
	want := map[string]int{"100": 2273, "207": 1860, "232": 1780}
	for _, h := range heads {
		r, err := Open(h)
		if err == nil {
			err = r.LoadReference()
		}
		if err != nil {
			t.Errorf("%s: %v", h, err)
			continue
		}
		name := r.Signal.Info().Name
		n := 0
		for _, b := range r.Beats {
			if b.Code.IsBeat() {
				n++
			}
		}
		if w, ok := want[name]; ok && n != w {
			t.Errorf("record %s: %d reference beats, want %d", name, n, w)
		}
		if r.RefExt != "atr" || len(r.Episodes) == 0 {
			t.Errorf("record %s: reference %q with %d episodes", name, r.RefExt, len(r.Episodes))
		}
		r.Close()
	}
}
