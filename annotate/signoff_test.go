package annotate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// signedOff opens a session on 10 model beats and signs it off.
func signedOff(t *testing.T, repo Repository) *Session {
	t.Helper()
	s := openTest(t, repo, "ann", 10)
	if err := s.Relabel([]int64{1000}, PVC, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SignOff("reviewed"); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignedOffRefusesEdits(t *testing.T) {
	edits := []struct {
		name string
		c    Command
	}{
		{"relabel", Relabel{Samples: []int64{1300}, Code: PVC}},
		{"insert", Insert{Sample: 1150, Code: Normal}},
		{"delete", Delete{Samples: []int64{1300}}},
		{"move", Move{From: 1300, To: 1310}},
		{"confirm", Confirm{Samples: []int64{1600}}},
		{"episode", SetEpisode{Episode: Episode{Start: 1000, End: 2000, Rhythm: "AFIB"}}},
		{"noise", MarkNoise{Noise: Noise{Start: 0, End: 500, Lead: -1}}},
	}
	for _, tt := range edits {
		t.Run(tt.name, func(t *testing.T) {
			s := signedOff(t, &MemRepository{})
			before, rev := s.Labels(), s.Revision()
			if _, _, err := s.Run(tt.c); !errors.Is(err, ErrSignedOff) {
				t.Fatalf("edit on a signed-off set: err = %v, want ErrSignedOff", err)
			}
			if !reflect.DeepEqual(s.Labels(), before) || s.Revision() != rev {
				t.Fatal("a refused edit changed the label set")
			}
			if err := s.Reopen("late correction"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Run(tt.c); err != nil {
				t.Fatalf("edit after reopening: %v", err)
			}
			if st := s.Status(); st.State != StateInProgress {
				t.Errorf("status after reopen and edit = %+v", st)
			}
		})
	}
}

func TestReopenAudited(t *testing.T) {
	repo := &MemRepository{}
	s := signedOff(t, repo)
	signed := s.Status()
	if err := s.Reopen("missed a PVC"); err != nil {
		t.Fatal(err)
	}
	c := repo.log[len(repo.log)-1]
	if c.Kind != CommitDo || c.Edit.Action != ActReopen || c.Reader != "ann" || c.When.IsZero() ||
		c.Edit.Why != "missed a PVC" || c.Edit.Note == "" {
		t.Fatalf("reopen commit = %+v", c)
	}
	st := c.Diff.Status
	if st == nil || st.Before != signed || st.After.State != StateInProgress {
		t.Fatalf("reopen status change = %+v, want %v -> in progress", st, signed)
	}
	n := len(repo.log)
	if err := s.Reopen(""); err != nil || len(repo.log) != n {
		t.Errorf("reopen of an open set: err %v, %d new commits", err, len(repo.log)-n)
	}
}

// TestUndoReopen: undoing a reopening signs the set off again (the same
// sign-off) and locks it; redo reopens it.
func TestUndoReopen(t *testing.T) {
	s := signedOff(t, &MemRepository{})
	signed := s.Status()
	if err := s.Reopen(""); err != nil {
		t.Fatal(err)
	}
	if e, ok := s.CanUndo(); !ok || e.Action != ActReopen {
		t.Fatalf("undo offers %+v, %v", e, ok)
	}
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st != signed {
		t.Fatalf("status after undoing the reopen = %+v, want %+v", st, signed)
	}
	if err := s.Relabel([]int64{1300}, PVC, ""); !errors.Is(err, ErrSignedOff) {
		t.Fatalf("edit after undoing the reopen: %v", err)
	}
	if err := s.Redo(); err != nil {
		t.Fatal(err)
	}
	if err := s.Relabel([]int64{1300}, PVC, ""); err != nil {
		t.Fatalf("edit after redoing the reopen: %v", err)
	}
}

// TestUndoSignOff: undoing the sign-off itself stays allowed and opens the
// set again without a Reopen.
func TestUndoSignOff(t *testing.T) {
	s := signedOff(t, &MemRepository{})
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := s.Relabel([]int64{1300}, PVC, ""); err != nil {
		t.Fatalf("edit after undoing the sign-off: %v", err)
	}
}

// TestSignedOffRefusesModel checks that no model path changes a signed-off
// label set: a whole merge, a region merge (pipeline chunks,
// re-classification) and the per-record adapter each fail with
// ErrSignedOff and a message that says to reopen, leave the labels, the
// revision and the model layer as they were, and work again once the set
// is reopened.
func TestSignedOffRefusesModel(t *testing.T) {
	extra := ModelOutput{Beats: []Beat{{Sample: 1150, Code: PVC, Prov: Provenance{Source: SourceModel, Who: "beatnet@2", Confidence: 0.8}}}}
	paths := []struct {
		name string
		run  func(s *Session) (int, error)
	}{
		{"merge", func(s *Session) (int, error) { st, err := s.MergeModel(extra); return st.Added, err }},
		{"region merge", func(s *Session) (int, error) {
			st, err := s.MergeModelRegion(extra, ModelRegion{Start: 1100, End: 1200, Kinds: KindBeats})
			return st.Added, err
		}},
		{"adapter", func(s *Session) (int, error) {
			return s.Adapt([]Beat{{Sample: 1300, Code: PVC, Prov: Provenance{Who: "adapter@1", Confidence: 0.7}}})
		}},
	}
	for _, tt := range paths {
		t.Run(tt.name, func(t *testing.T) {
			repo := &MemRepository{}
			s := signedOff(t, repo)
			before, rev := s.Labels(), s.Revision()
			model, _ := repo.Model(testRec)
			n, err := tt.run(s)
			if !errors.Is(err, ErrSignedOff) || n != 0 {
				t.Fatalf("%s on a signed-off set: %d changed, err = %v, want ErrSignedOff", tt.name, n, err)
			}
			if msg := err.Error(); !strings.Contains(msg, "reopen") || !strings.Contains(msg, "ann") {
				t.Errorf("message %q does not say who signed off and to reopen", msg)
			}
			after, _ := repo.Model(testRec)
			if !reflect.DeepEqual(s.Labels(), before) || s.Revision() != rev || !reflect.DeepEqual(after, model) {
				t.Fatal("a refused model path changed the label set or the model layer")
			}
			if err := s.Reopen("model update"); err != nil {
				t.Fatal(err)
			}
			if n, err := tt.run(s); err != nil || n != 1 {
				t.Fatalf("%s after reopening: %d changed, err %v; want 1", tt.name, n, err)
			}
		})
	}
}

// TestOpenSignedOffTakesNoModel checks that opening a signed-off label set
// works and leaves it as signed off, with no model beat added, while the
// model layer has new suggestions (a later pre-annotation run).
func TestOpenSignedOffTakesNoModel(t *testing.T) {
	repo := &MemRepository{}
	s := signedOff(t, repo)
	before := s.Labels()
	other := openTest(t, repo, "bob", 0)
	if _, err := other.MergeModel(ModelOutput{Beats: append(modelBeats(10), Beat{Sample: 9999, Code: PVC, Prov: Provenance{Source: SourceModel, Who: "beatnet@2"}})}); err != nil {
		t.Fatal(err)
	}
	again, err := Open(repo, testRec, Options{Reader: "ann", Now: fixedNow()})
	if err != nil {
		t.Fatalf("open of a signed-off set: %v", err)
	}
	if again.Status().State != StateSignedOff || !reflect.DeepEqual(again.Labels(), before) {
		t.Errorf("open merged the model layer into the signed-off set: %+v", again.Labels().Beats)
	}
}
