package export

import (
	"os"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/store"
)

// TestMergeShard merges a shard database's model layers: into a new
// database the record is registered from its file (hashed again) and the
// layer comes whole with its run, as from the bundle; with the file gone,
// the record is skipped and listed, never registered unchecked.
func TestMergeShard(t *testing.T) {
	fx := newFixture(t)
	want := fx.modelLayer(t)
	db := openDB(t, t.TempDir())
	res, skipped, err := MergeShard(db, fx.db, ImportOptions{From: "shard-0-of-1.db"})
	if err != nil || len(skipped) != 0 || len(res) != 1 || res[0].Added != 77 {
		t.Fatalf("merge: %v, skipped %v, %v; want alpha's 77 labels added", res, skipped, err)
	}
	checkModel(t, db, fx.alphaID, want, fixtureWho)
	if err := os.Rename(fx.alpha, fx.alpha+".moved"); err != nil {
		t.Fatal(err)
	}
	other := openDB(t, t.TempDir())
	res, skipped, err = MergeShard(other, fx.db, ImportOptions{From: "shard-0-of-1.db"})
	if err != nil || len(res) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Why, "not at "+fx.alpha) {
		t.Errorf("file gone: %v, skipped %v, %v; want alpha skipped", res, skipped, err)
	}
	if _, err := other.Record(fx.alphaID); err == nil {
		t.Errorf("alpha registered without its file")
	} else if !strings.Contains(err.Error(), store.ErrNoRecord.Error()) {
		t.Errorf("alpha: %v", err)
	}
}
