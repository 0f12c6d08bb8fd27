package export

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

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
