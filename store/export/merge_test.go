package export

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

func readerEp(a, b int64, r string) annotate.EpisodeEntry {
	return annotate.EpisodeEntry{ID: 1, Episode: annotate.Episode{Start: a, End: b, Rhythm: r,
		Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}, Review: annotate.Changed}}
}

func modelEp(a, b int64, r string) annotate.EpisodeEntry {
	return annotate.EpisodeEntry{ID: 1, Episode: annotate.Episode{Start: a, End: b, Rhythm: r,
		Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "afnet@1"}}}
}

// TestMerge puts a local label set in, merges an incoming one, and checks
// the counts, the conflicts and that reader labels were never overwritten.
func TestMerge(t *testing.T) {
	cases := []struct {
		name                         string
		local, in                    annotate.LabelSet
		added, updated, deleted, unc int
		conflicts                    int
		wantCode                     map[int64]annotate.Code // beats after the merge
		wantEps                      []string                // live episode rhythms after
	}{
		{name: "into empty", in: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "bob")}},
			added: 1, wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "same labels", local: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}},
			in: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}}, unc: 1,
			wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "reader label replaces suggestion", local: annotate.LabelSet{Beats: []annotate.Beat{modelBeat(300, annotate.Normal)}},
			in: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}}, updated: 1,
			wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "suggestion never replaces reader label", local: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}},
			in:       annotate.LabelSet{Beats: []annotate.Beat{modelBeat(300, annotate.Normal)}},
			wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "both readers differ: conflict", local: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}},
			in: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.APC, "alice")}}, conflicts: 1,
			wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "incoming deletion of a suggestion", local: annotate.LabelSet{Beats: []annotate.Beat{modelBeat(300, annotate.Normal)}},
			in: annotate.LabelSet{Deleted: []annotate.Tomb{{Sample: 300, By: "alice"}}}, deleted: 1, wantCode: map[int64]annotate.Code{}},
		{name: "incoming deletion of a reader label: conflict", local: annotate.LabelSet{Beats: []annotate.Beat{readerBeat(300, annotate.PVC, "alice")}},
			in: annotate.LabelSet{Deleted: []annotate.Tomb{{Sample: 300, By: "alice"}}}, conflicts: 1,
			wantCode: map[int64]annotate.Code{300: annotate.PVC}},
		{name: "episode replaces overlapping suggestion", local: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{modelEp(0, 5000, "AFIB")}},
			in: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{readerEp(1000, 4000, "AFL")}}, added: 1, deleted: 1, wantEps: []string{"AFL"}},
		{name: "episode over a reader episode: conflict", local: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{readerEp(0, 5000, "AFIB")}},
			in: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{readerEp(1000, 4000, "AFL")}}, conflicts: 1, wantEps: []string{"AFIB"}},
		{name: "disjoint episodes both stay", local: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{readerEp(0, 500, "AFIB")}},
			in: annotate.LabelSet{Episodes: []annotate.EpisodeEntry{readerEp(1000, 4000, "VT")}}, added: 1, wantEps: []string{"AFIB", "VT"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, id, res := mergeOnto(t, 30, c.local, c.in)
			if res.Added != c.added || res.Updated != c.updated || res.Deleted != c.deleted || res.Unchanged != c.unc || len(res.Conflicts) != c.conflicts {
				t.Errorf("got %s, want %d added %d updated %d deleted %d unchanged %d conflicts", res, c.added, c.updated, c.deleted, c.unc, c.conflicts)
			}
			checkAfter(t, db, id, c.wantCode, c.wantEps)
		})
	}
}

// mergeOnto puts local in as alice's labels of a new record of secs
// seconds at 250 Hz, merges in onto them, and returns the database, the
// record and the result.
func mergeOnto(t *testing.T, secs int, local, in annotate.LabelSet) (*store.DB, annotate.RecordID, MergeResult) {
	t.Helper()
	dir := t.TempDir()
	db := openDB(t, dir)
	path := filepath.Join(dir, "r.edf")
	writeEDF(t, path, mergeFs, secs, "X X X X", "Startdate X X X X", testNow)
	id := putLabels(t, db, path, "alice", local)
	res, err := Merge(db, Incoming{Record: id, Name: "r", Reader: "alice", Labels: in, From: "test"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return db, id, res
}

func checkAfter(t *testing.T, db *store.DB, id annotate.RecordID, code map[int64]annotate.Code, eps []string) {
	t.Helper()
	ls, _, err := db.Labels(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if code != nil {
		if len(ls.Beats) != len(code) {
			t.Errorf("%d beats after, want %d", len(ls.Beats), len(code))
		}
		for _, b := range ls.Beats {
			if code[b.Sample] != b.Code {
				t.Errorf("beat %d is %s, want %s", b.Sample, b.Code, code[b.Sample])
			}
		}
	}
	var live []string
	for _, e := range ls.Episodes {
		if !e.Deleted {
			live = append(live, e.Rhythm)
		}
	}
	if len(live) != len(eps) || (len(eps) > 0 && live[len(live)-1] != eps[len(eps)-1]) {
		t.Errorf("live episodes %v, want %v", live, eps)
	}
}

// TestBundleRoundTrip moves label sets from one database to another
// through a bundle, then shows that a second import changes nothing and
// that a label both sides changed is listed, not overwritten.
func TestBundleRoundTrip(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	n, err := WriteBundle(f.db, &buf, BundleOptions{Now: testNow})
	if err != nil || n != 2 {
		t.Fatalf("bundle: %d sets, %v", n, err)
	}
	other := openDB(t, t.TempDir())
	res, skipped, err := ImportBundle(other, bytes.NewReader(buf.Bytes()), ImportOptions{SearchDirs: []string{f.dir}, Now: testNow, From: "b"})
	if err != nil || len(skipped) != 0 || len(res) != 2 {
		t.Fatalf("import: %v %v %v", res, skipped, err)
	}
	for _, id := range []annotate.RecordID{f.alphaID, f.betaID} {
		a, _, _ := f.db.Labels(id, "alice")
		b, _, _ := other.Labels(id, "alice")
		if len(a.Beats) != len(b.Beats) || len(a.Episodes) != len(b.Episodes) || len(a.Noise) != len(b.Noise) {
			t.Fatalf("%s: %d/%d/%d labels here, %d/%d/%d imported", id[:8], len(a.Beats), len(a.Episodes), len(a.Noise), len(b.Beats), len(b.Episodes), len(b.Noise))
		}
		for i := range a.Beats {
			if a.Beats[i].Sample != b.Beats[i].Sample || a.Beats[i].Code != b.Beats[i].Code || a.Beats[i].Review != b.Beats[i].Review || a.Beats[i].Prov.Who != b.Beats[i].Prov.Who {
				t.Fatalf("beat %d: %+v here, %+v imported", i, a.Beats[i], b.Beats[i])
			}
		}
	}
	again, _, err := ImportBundle(other, bytes.NewReader(buf.Bytes()), ImportOptions{Now: testNow, From: "b"})
	if err != nil || again[0].Rev != 0 || again[0].Added+again[0].Updated+len(again[0].Conflicts) != 0 {
		t.Errorf("second import changed something: %v %v", again, err)
	}
	// Both sides relabel beat 300 of alpha differently.
	for db, c := range map[*store.DB]annotate.Code{f.db: annotate.APC, other: annotate.Fusion} {
		s, err := annotate.Open(db, f.alphaID, annotate.Options{Reader: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Relabel([]int64{300}, c, "second look"); err != nil {
			t.Fatal(err)
		}
	}
	buf.Reset()
	if _, err := WriteBundle(f.db, &buf, BundleOptions{Now: testNow, Readers: []annotate.ReaderID{"alice"}}); err != nil {
		t.Fatal(err)
	}
	res, _, err = ImportBundle(other, &buf, ImportOptions{Now: testNow, From: "b"})
	if err != nil {
		t.Fatal(err)
	}
	var cs []Conflict
	for _, r := range res {
		cs = append(cs, r.Conflicts...)
	}
	if len(cs) != 1 || cs[0].Start != 300 {
		t.Fatalf("conflicts %v, want the beat at 300", cs)
	}
	if b, _ := beatAt(other, f.alphaID, 300); b.Code != annotate.Fusion {
		t.Errorf("local label overwritten: %s", b.Code)
	}
}

func beatAt(db *store.DB, id annotate.RecordID, s int64) (annotate.Beat, error) {
	for b, err := range db.Beats(id, "alice", s, s+1) {
		return b, err
	}
	return annotate.Beat{}, errors.New("no beat")
}
