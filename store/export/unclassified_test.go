package export

import (
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestExportLeavesOutUnclassified exports a label set holding model
// suggestions, the detector's unclassified beats (as annotate stores them
// without ONNX Runtime) and a detector beat a reader confirmed: the
// unclassified beats are no class to train on, so they are left out and
// counted as such, never exported as N (or as Q).
func TestExportLeavesOutUnclassified(t *testing.T) {
	dir, db, path := edfFixture(t)
	detector := annotate.Provenance{Source: annotate.SourceDetector, Who: "qrs@1"}
	var ls annotate.LabelSet
	want := map[string]int64{}
	for i, s := 0, int64(300); s < 4600; i, s = i+1, s+200 {
		switch i % 3 {
		case 0:
			ls.Beats = append(ls.Beats, modelBeat(s, annotate.Normal))
			want["N"]++
		case 1:
			ls.Beats = append(ls.Beats, annotate.Beat{Sample: s, Code: annotate.Unclassified, Prov: detector})
			want[outUnclassified]++
		default:
			ls.Beats = append(ls.Beats, annotate.Beat{Sample: s, Code: annotate.Unclassified, Prov: detector, Review: annotate.Confirmed})
			want["Q"]++
		}
	}
	putLabels(t, db, path, "alice", ls)
	o := DefaultOptions()
	o.Formats = []string{"npz", "csv"}
	m, err := Export(db, filepath.Join(dir, "out"), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Records) != 1 {
		t.Fatalf("%d records exported", len(m.Records))
	}
	r := m.Records[0]
	if r.LeftOut[outUnclassified] != want[outUnclassified] || r.Beats["N"] != want["N"] || r.Beats["Q"] != want["Q"] {
		t.Errorf("candidates %v, left out %v; want N %d, Q %d (reader-confirmed), %d unclassified left out",
			r.Beats, r.LeftOut, want["N"], want["Q"], want[outUnclassified])
	}
}
