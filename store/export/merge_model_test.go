package export

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// fixtureWho names the model run of the fixture's model layer.
const fixtureWho = "qrs@2+rules+beat@1.0.0"

// modelLayer gives the fixture's alpha record a complete model run: a
// model beat every 200 samples with probabilities, an episode and a noise
// stretch.
func (f *fixture) modelLayer(t testing.TB) annotate.ModelOutput {
	t.Helper()
	out := modelOut(75, 0)
	if err := f.db.SaveModelOutput(f.alphaID, out, fixtureWho); err != nil {
		t.Fatal(err)
	}
	return out
}

// modelOut is n model beats every 200 samples, the kth beat V, with an
// episode and a noise stretch.
func modelOut(n int, k int) annotate.ModelOutput {
	var out annotate.ModelOutput
	for i := range n {
		b := modelBeat(int64(100+200*i), annotate.Normal)
		if i == k {
			b.Code = annotate.PVC
		}
		b.Prov.Probs = []float32{0.9, 0.05, 0.03, 0.01, 0.01}
		out.Beats = append(out.Beats, b)
	}
	p := annotate.Provenance{Source: annotate.SourceModel, Who: "rhythm@1", Confidence: 0.75}
	out.Episodes = []annotate.Episode{{Start: 2500, End: 7500, Rhythm: "AFIB", Prov: p}}
	out.Noise = []annotate.Noise{{Start: 10000, End: 10500, Lead: -1, Reason: "noise", Prov: p}}
	return out
}

// TestBundleModelLayer writes a model layer to a version 2 bundle with the
// record's path and imports it: into a new database the record is
// registered from its path and the layer comes whole, with its model run;
// a second import changes nothing; into a database whose layer another run
// made it is a listed conflict and that layer is kept. A bundle without
// model layers stays version 1.
func TestBundleModelLayer(t *testing.T) {
	fx := newFixture(t)
	want := fx.modelLayer(t)
	var buf bytes.Buffer
	if _, err := WriteBundle(fx.db, &buf, BundleOptions{Now: testNow, Model: true, Paths: true}); err != nil {
		t.Fatal(err)
	}
	bundle := buf.Bytes()
	var v1 bytes.Buffer
	if _, err := WriteBundle(fx.db, &v1, BundleOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if head := bundleHead(t, v1.Bytes()); !strings.Contains(head, `"version":1`) {
		t.Errorf("bundle without model layers: header %s, want version 1", head)
	}
	if head := bundleHead(t, bundle); !strings.Contains(head, `"version":2`) {
		t.Errorf("bundle with model layers: header %s, want version 2", head)
	}
	db := openDB(t, t.TempDir())
	res := importAll(t, db, bundle)
	if got := res[store.ModelLayer]; got.Added != 77 || got.Record != fx.alphaID {
		t.Errorf("model layer import: %v, want 77 added on %s", got, fx.alphaID)
	}
	checkModel(t, db, fx.alphaID, want, fixtureWho)
	if got := importAll(t, db, bundle)[store.ModelLayer]; got.Unchanged != 77 || got.Added != 0 {
		t.Errorf("second import: %v, want 77 unchanged", got)
	}
	other := openDB(t, t.TempDir())
	if _, _, err := RegisterRecord(other, fx.alpha); err != nil {
		t.Fatal(err)
	}
	mine := modelOut(75, 3)
	if err := other.SaveModelOutput(fx.alphaID, mine, "qrs@2+rules+beat@2.0.0"); err != nil {
		t.Fatal(err)
	}
	got := importAll(t, other, bundle)[store.ModelLayer]
	if len(got.Conflicts) != 1 || !strings.Contains(got.Conflicts[0].String(), "here qrs@2+rules+beat@2.0.0 (75 beats, 1 episodes, 1 noise), incoming "+fixtureWho) {
		t.Errorf("import over another run: %v %v, want one conflict naming both runs", got, got.Conflicts)
	}
	checkModel(t, other, fx.alphaID, mine, "qrs@2+rules+beat@2.0.0")
}

// bundleHead returns the first line of a gzip bundle.
func bundleHead(t *testing.T, b []byte) string {
	t.Helper()
	head, _, _ := strings.Cut(string(bundleBody(t, b)), "\n")
	return head
}

// importAll imports a bundle into db and returns the results of the alpha
// record by reader (the beta record has no model layer, so no path, and
// is skipped where it is not registered).
func importAll(t *testing.T, db *store.DB, b []byte) map[annotate.ReaderID]MergeResult {
	t.Helper()
	res, _, err := ImportBundle(db, bytes.NewReader(b), ImportOptions{Now: testNow, From: "t.ecgb"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	out := map[annotate.ReaderID]MergeResult{}
	for _, r := range res {
		if r.Name == "alpha" {
			out[r.Reader] = r
		}
	}
	return out
}

// checkModel fails t unless rec's model layer in db is want, made by who.
func checkModel(t *testing.T, db *store.DB, rec annotate.RecordID, want annotate.ModelOutput, who string) {
	t.Helper()
	got, err := db.Model(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("model layer %s, want %s", describe(got), describe(want))
	}
	if w, err := db.LastModelRun(rec); err != nil || w != who {
		t.Errorf("model run %q, %v; want %q", w, err, who)
	}
}

func describe(m annotate.ModelOutput) string {
	return fmt.Sprintf("%d beats %+v..., episodes %+v, noise %+v", len(m.Beats), m.Beats[:min(2, len(m.Beats))], m.Episodes, m.Noise)
}

// TestBundleModelLayerLeads imports a batch shard's model layer (run on
// the default leads, which the bundle states) into a database where the
// record's model leads were chosen otherwise: a "model leads" conflict
// that keeps the local layer and says to rerun here. Once the choice is
// back to the default, the local layer is stale (no complete run on those
// leads) and the incoming run replaces it whole.
func TestBundleModelLayerLeads(t *testing.T) {
	fx := newFixture(t)
	want := fx.modelLayer(t)
	var buf bytes.Buffer
	if _, err := WriteBundle(fx.db, &buf, BundleOptions{Now: testNow, Model: true, Paths: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(bundleBody(t, buf.Bytes())), `"model_leads":[0,1]`) {
		t.Errorf("bundle's model set does not state the run's leads [0,1]")
	}
	db := openDB(t, t.TempDir())
	if _, _, err := RegisterRecord(db, fx.alpha); err != nil {
		t.Fatal(err)
	}
	mine := modelOut(75, 3)
	if err := db.SaveModelOutput(fx.alphaID, mine, "qrs@2+rules+beat@2.0.0"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name      string
		leads     []int
		conflicts int
		updated   int
		want      annotate.ModelOutput
		who       string
	}{
		{"V5 chosen here", []int{1}, 1, 0, mine, ""},
		{"back to the default: local layer stale", nil, 0, 77, want, fixtureWho},
	}
	for _, s := range steps {
		if err := db.UpdateRecordSettings(fx.alphaID, "alice", func(st *store.RecordSettings) { st.ModelLeads = s.leads }); err != nil {
			t.Fatal(err)
		}
		got := importAll(t, db, buf.Bytes())[store.ModelLayer]
		if len(got.Conflicts) != s.conflicts || got.Updated != s.updated {
			t.Errorf("%s: %v %v, want %d conflicts, %d updated", s.name, got, got.Conflicts, s.conflicts, s.updated)
		}
		if s.conflicts > 0 && !strings.Contains(got.Conflicts[0].String(), "ECG V5 (chosen here: rerun") {
			t.Errorf("%s: conflict %q does not name the chosen lead and what to do", s.name, got.Conflicts[0])
		}
		checkModel(t, db, fx.alphaID, s.want, s.who)
	}
}

// bundleBody returns a gzip bundle's text.
func bundleBody(t *testing.T, b []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBundleModelLayerReplace re-annotates with a newer model: without
// ReplaceModel the newer run is a conflict, with it the newer run replaces
// the older whole, and the reader's labels (imported by the first) stay as
// they were.
func TestBundleModelLayerReplace(t *testing.T) {
	fx := newFixture(t)
	fx.modelLayer(t)
	db := openDB(t, t.TempDir())
	if _, _, err := RegisterRecord(db, fx.alpha); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveModelOutput(fx.alphaID, modelOut(60, 3), "qrs@2+rules+beat@0.9.0"); err != nil {
		t.Fatal(err)
	}
	var aliceBefore annotate.LabelSet
	var buf bytes.Buffer
	if _, err := WriteBundle(fx.db, &buf, BundleOptions{Now: testNow, Model: true, Paths: true}); err != nil {
		t.Fatal(err)
	}
	for _, replace := range []bool{false, true} {
		res, _, err := ImportBundle(db, bytes.NewReader(buf.Bytes()), ImportOptions{Now: testNow, From: "t.ecgb", ReplaceModel: replace})
		if err != nil {
			t.Fatal(err)
		}
		got := resultOf(res, "alpha", store.ModelLayer)
		if replace && (got.Updated != 77 || len(got.Conflicts) != 0 || !strings.HasSuffix(got.String(), "; replaced the run qrs@2+rules+beat@0.9.0")) {
			t.Errorf("replace: %v %v, want 77 updated, no conflict", got, got.Conflicts)
		}
		if !replace && len(got.Conflicts) != 1 {
			t.Errorf("no replace: %v, want one conflict", got)
		}
		if !replace {
			if aliceBefore, _, err = db.Labels(fx.alphaID, "alice"); err != nil || len(aliceBefore.Beats) == 0 {
				t.Fatalf("alice's labels after the first import: %d beats, %v", len(aliceBefore.Beats), err)
			}
		}
	}
	checkModel(t, db, fx.alphaID, modelOut(75, 0), fixtureWho)
	if after, _, err := db.Labels(fx.alphaID, "alice"); err != nil || !reflect.DeepEqual(after, aliceBefore) {
		t.Errorf("alice's labels changed by a model layer import (%v)", err)
	}
}

// resultOf returns the result of record name's set of reader.
func resultOf(res []MergeResult, name string, reader annotate.ReaderID) MergeResult {
	for _, r := range res {
		if r.Name == name && r.Reader == reader {
			return r
		}
	}
	return MergeResult{}
}
