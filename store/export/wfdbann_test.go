package export

import (
	"bytes"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

func ep(a, b int64, r string) annotate.Episode { return annotate.Episode{Start: a, End: b, Rhythm: r} }

func nz(a, b int64, lead int, why string) annotate.Noise {
	return annotate.Noise{Start: a, End: b, Lead: lead, Reason: why}
}

// TestWFDBRoundTrip writes label sets with ToWFDB and wfdb.WriteAnnotations,
// reads them back with wfdb.DecodeAnnotations and store.FromWFDB, and
// compares: what WFDB can hold comes back as it was.
func TestWFDBRoundTrip(t *testing.T) {
	const n = 100000
	cases := []struct {
		name     string
		beats    []annotate.Beat
		eps      []annotate.Episode
		noise    []annotate.Noise
		wantEps  []annotate.Episode // nil: eps
		wantAnns int
	}{
		{name: "beats only", beats: beatsAt(annotate.Normal, 10, 400, 900, 70000), wantAnns: 4},
		{name: "non-beat codes and leads", beats: []annotate.Beat{{Sample: 5, Code: annotate.Arfct, Chan: 1}, {Sample: 2000, Code: annotate.VFOn}, {Sample: 2500, Code: annotate.PVC, Chan: 1}}, wantAnns: 3},
		{name: "contiguous rhythms", beats: beatsAt(annotate.Normal, 100, 300), eps: []annotate.Episode{ep(0, 500, "N"), ep(500, 9000, "AFIB"), ep(9000, n, "N")}, wantAnns: 5},
		{name: "gap becomes sinus", eps: []annotate.Episode{ep(100, 500, "AFIB"), ep(800, n, "VT")},
			wantEps: []annotate.Episode{ep(100, 500, "AFIB"), ep(500, 800, "N"), ep(800, n, "VT")}, wantAnns: 3},
		{name: "noise on one lead then all", noise: []annotate.Noise{nz(100, 300, 1, "noise"), nz(1000, 1500, -1, "unreadable")}, wantAnns: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			anns := ToWFDB(c.beats, c.eps, c.noise, 2, n)
			var buf bytes.Buffer
			if err := wfdb.WriteAnnotations(&buf, anns); err != nil {
				t.Fatal(err)
			}
			back, err := wfdb.DecodeAnnotations(c.name, buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(back) != c.wantAnns {
				t.Errorf("%d annotations, want %d: %+v", len(back), c.wantAnns, back)
			}
			beats, eps, noise := store.FromWFDB(back, n, annotate.Provenance{})
			if !slices.EqualFunc(beats, c.beats, func(a, b annotate.Beat) bool { return a.Sample == b.Sample && a.Code == b.Code && a.Chan == b.Chan }) {
				t.Errorf("beats %+v, want %+v", beats, c.beats)
			}
			wantEps := c.wantEps
			if wantEps == nil {
				wantEps = c.eps
			}
			if !slices.EqualFunc(eps, wantEps, func(a, b annotate.Episode) bool { return a.Start == b.Start && a.End == b.End && a.Rhythm == b.Rhythm }) {
				t.Errorf("episodes %+v, want %+v", eps, wantEps)
			}
			wantNoise := c.noise
			if !slices.EqualFunc(noise, wantNoise, func(a, b annotate.Noise) bool {
				return a.Start == b.Start && a.End == b.End && a.Lead == b.Lead && a.Reason == b.Reason
			}) {
				t.Errorf("noise %+v, want %+v", noise, wantNoise)
			}
		})
	}
}

func beatsAt(c annotate.Code, at ...int64) []annotate.Beat {
	var out []annotate.Beat
	for _, s := range at {
		out = append(out, annotate.Beat{Sample: s, Code: c})
	}
	return out
}

// TestMITDBAnnotationRoundTrip imports MIT-BIH reference annotations with
// ImportAnnotations, exports them with --format wfdb, and reads both files
// with wfdb.ReadAnnotations: every beat, rhythm change (with its aux text)
// and signal quality change must be the same.
func TestMITDBAnnotationRoundTrip(t *testing.T) {
	data := ecgdata.Dir(t, "", "mitdb")
	recs := []string{"100", "105", "203", "207"}
	if testing.Short() {
		recs = recs[:1]
	}
	dir := t.TempDir()
	db := openDB(t, dir)
	for _, r := range recs {
		path := filepath.Join(data, "mitdb", r)
		if _, err := os.Stat(path + ".hea"); err != nil {
			t.Skipf("MIT-BIH record %s not under ECGDATA: %v", r, err)
		}
		if _, err := ImportAnnotations(db, path, "atr", "mitdb", testNow); err != nil {
			t.Fatal(err)
		}
	}
	o := DefaultOptions()
	o.Formats, o.AnnExt = []string{"wfdb"}, "out"
	out := filepath.Join(dir, "ds") // beside the database: an export never writes into a folder of other files
	if _, err := Export(db, out, o); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		orig, err := wfdb.ReadAnnotations(filepath.Join(data, "mitdb", r+".atr"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := wfdb.ReadAnnotations(filepath.Join(out, r+".out"))
		if err != nil {
			t.Fatal(err)
		}
		if a, b := annKeys(orig), annKeys(got); !slices.Equal(a, b) {
			t.Errorf("record %s: %d annotations read back, %d in the original; first difference %s", r, len(b), len(a), firstDiff(a, b))
		}
	}
}

// annKeys reduces annotations to what the label DB keeps: sample, code,
// lead, rhythm aux text, and the '~' subtype.
func annKeys(anns []wfdb.Annotation) []string {
	var out []string
	for _, a := range anns {
		k := strings.Join([]string{itoa(a.Sample), a.Code.Symbol(), itoa(int64(a.Chan))}, " ")
		switch a.Code {
		case annotate.Rhythm:
			k += " " + strings.TrimRight(a.Aux, "\x00 ")
		case annotate.NoiseAnn:
			k += " " + itoa(int64(a.Sub))
		}
		out = append(out, k)
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return "original " + a[i] + ", exported " + b[i]
		}
	}
	return "length"
}
