package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// TestAdaptedLabelsExport: a label set holding a reader's label, the
// adapter's labels and the population model's keeps them apart in
// beats.csv (source, who, confidence, and the population model's class in
// "population") and through a label bundle and its import into another
// database (source, who, confidence and the population probabilities, bit
// for bit).
func TestAdaptedLabelsExport(t *testing.T) {
	dir, db, path := edfFixture(t)
	id, _, err := RegisterRecord(db, path)
	if err != nil {
		t.Fatal(err)
	}
	var model annotate.ModelOutput
	for s := int64(300); s < 4600; s += 200 {
		b := modelBeat(s, annotate.Normal)
		b.Prov.Probs = []float32{0.75, 0.2, 0.03, 0.01, 0.01}
		model.Beats = append(model.Beats, b)
	}
	if err := db.SaveModelOutput(id, model, "beatnet@2"); err != nil {
		t.Fatal(err)
	}
	sess, err := annotate.Open(db, id, annotate.Options{Reader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Relabel([]int64{500}, annotate.PVC, ""); err != nil {
		t.Fatal(err)
	}
	who := annotate.AdaptedWho("adapt@1", 12)
	adapted := annotate.Beat{Sample: 700, Code: annotate.APC, Prov: annotate.Provenance{Who: who, Confidence: 0.875, Probs: model.Beats[2].Prov.Probs}}
	if _, err := sess.SetAdapted([]annotate.Beat{adapted}, ""); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Formats = []string{"npz", "csv"}
	if _, err := Export(db, filepath.Join(dir, "out"), o); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, "out", "beats.csv"))
	want := map[string][]string{ // sample: symbol, source, who, confidence, population
		"300": {"N", "model", "beatnet@2", "0.75", "N"},
		"500": {"V", "reader", "alice", "0", "N"},
		"700": {"A", "adapted", who, "0.875", "N"},
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[2]]; ok {
			if got := []string{r[4], r[8], r[9], r[10], r[15]}; !reflect.DeepEqual(got, w) {
				t.Errorf("beats.csv at %s: %v, want %v", r[2], got, w)
			}
			delete(want, r[2])
		}
	}
	if len(want) != 0 || rows[0][15] != "population" {
		t.Errorf("beats.csv: header %v, rows missing %v", rows[0], want)
	}
	checkBundleKeepsLayers(t, db, id, dir)
}

// checkBundleKeepsLayers bundles alice's labels and imports them into a
// new database: every beat comes back as it was, provenance included.
func checkBundleKeepsLayers(t *testing.T, src *store.DB, id annotate.RecordID, dir string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := WriteBundle(src, &buf, BundleOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	other := openDB(t, t.TempDir())
	if _, _, err := ImportBundle(other, bytes.NewReader(buf.Bytes()), ImportOptions{SearchDirs: []string{dir}, Now: testNow, From: "b"}); err != nil {
		t.Fatal(err)
	}
	a, _, _ := src.Labels(id, "alice")
	b, _, err := other.Labels(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Beats, b.Beats) {
		t.Fatalf("after bundle and import the beats differ:\n%+v\n%+v", a.Beats[:4], b.Beats[:4])
	}
	layers := map[annotate.Layer]int{}
	for _, x := range b.Beats {
		layers[annotate.LayerOf(x)]++
	}
	if layers[annotate.LayerReader] != 1 || layers[annotate.LayerDerived] != 1 || layers[annotate.LayerModel] == 0 {
		t.Errorf("layers after import: %v", layers)
	}
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
