package annotate

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

const testRec RecordID = "0f0f"

// fixedNow is a clock for tests: one second per call from a fixed start.
func fixedNow() func() time.Time {
	t := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// modelBeats returns n model beats every 300 samples from 1000, all N.
func modelBeats(n int) []Beat {
	out := make([]Beat, n)
	for i := range out {
		out[i] = Beat{Sample: 1000 + int64(i)*300, Code: Normal,
			Prov: Provenance{Source: SourceModel, Who: "beatnet@1", Confidence: 0.9, Probs: []float32{0.9, 0.05, 0.05}}}
	}
	return out
}

// openTest opens a session for reader on a MemRepository whose model layer
// holds n beats.
func openTest(t *testing.T, repo Repository, reader ReaderID, n int) *Session {
	t.Helper()
	if n > 0 {
		seed, err := Open(repo, testRec, Options{Reader: "pipeline", Now: fixedNow()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.MergeModel(ModelOutput{Beats: modelBeats(n)}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(repo, testRec, Options{Reader: reader, Now: fixedNow()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name    string
		do      func(s *Session) error
		check   func(t *testing.T, s *Session)
		wantErr error
	}{
		{"relabel", func(s *Session) error { return s.Relabel([]int64{1300, 1600}, PVC, "wide") },
			func(t *testing.T, s *Session) {
				b, _ := s.Beat(1300)
				if b.Code != PVC || b.Review != Changed || b.Prov.Source != SourceReader || b.Prov.Who != "ann" {
					t.Errorf("beat = %+v", b)
				}
			}, nil},
		{"relabel same code confirms", func(s *Session) error { return s.Relabel([]int64{1300}, Normal, "") },
			func(t *testing.T, s *Session) {
				if b, _ := s.Beat(1300); b.Review != Confirmed || b.Prov.Source != SourceModel {
					t.Errorf("beat = %+v", b)
				}
			}, nil},
		{"relabel set", func(s *Session) error { return s.RelabelSet([]int64{1000, 1300, 1600}, APC, "cluster 3") },
			func(t *testing.T, s *Session) {
				if b, _ := s.Beat(1600); b.Code != APC || b.Prov.Source != SourcePropagated {
					t.Errorf("beat = %+v", b)
				}
			}, nil},
		{"relabel missing", func(s *Session) error { return s.Relabel([]int64{1301}, PVC, "") }, nil, ErrNoBeat},
		{"insert", func(s *Session) error { return s.Insert(1450, PVC, "missed") },
			func(t *testing.T, s *Session) {
				if s.NumBeats() != 11 {
					t.Errorf("NumBeats = %d", s.NumBeats())
				}
			}, nil},
		{"insert on beat", func(s *Session) error { return s.Insert(1300, PVC, "") }, nil, ErrBeatExists},
		{"insert negative", func(s *Session) error { return s.Insert(-1, PVC, "") }, nil, ErrBadSample},
		{"delete", func(s *Session) error { return s.Delete([]int64{1300}, "artifact") },
			func(t *testing.T, s *Session) {
				if _, ok := s.Beat(1300); ok || len(s.Labels().Deleted) != 1 {
					t.Errorf("beat still there or no tombstone: %+v", s.Labels().Deleted)
				}
			}, nil},
		{"move", func(s *Session) error { return s.Move(1300, 1310, "") },
			func(t *testing.T, s *Session) {
				if b, ok := s.Beat(1310); !ok || b.Code != Normal || b.Review != Changed {
					t.Errorf("moved beat = %+v %v", b, ok)
				}
			}, nil},
		{"move onto beat", func(s *Session) error { return s.Move(1300, 1600, "") }, nil, ErrBeatExists},
		{"confirm", func(s *Session) error { return s.Confirm([]int64{1000}, "") },
			func(t *testing.T, s *Session) {
				if b, _ := s.Beat(1000); b.Review != Confirmed {
					t.Errorf("beat = %+v", b)
				}
			}, nil},
		{"episode", func(s *Session) error {
			_, err := s.SetEpisode(Episode{Start: 1000, End: 3000, Rhythm: "AFIB"}, "")
			return err
		}, func(t *testing.T, s *Session) {
			if e := s.Episodes(); len(e) != 1 || e[0].Rhythm != "AFIB" {
				t.Errorf("episodes = %+v", e)
			}
		}, nil},
		{"episode bad span", func(s *Session) error {
			_, err := s.SetEpisode(Episode{Start: 3000, End: 3000, Rhythm: "AFIB"}, "")
			return err
		}, nil, ErrBadSpan},
		{"change missing episode", func(s *Session) error {
			return s.ChangeEpisode(9, Episode{Start: 1, End: 2, Rhythm: "VT"}, "")
		}, nil, ErrNoEpisode},
		{"noise", func(s *Session) error {
			_, err := s.MarkNoise(Noise{Start: 0, End: 500, Lead: -1, Reason: "lead off"}, "")
			return err
		}, func(t *testing.T, s *Session) {
			if n := s.Noise(); len(n) != 1 || n[0].Reason != "lead off" {
				t.Errorf("noise = %+v", n)
			}
		}, nil},
		{"clear missing noise", func(s *Session) error { return s.ClearNoise(4, "") }, nil, ErrNoNoise},
		{"sign off", func(s *Session) error { return s.SignOff("done") },
			func(t *testing.T, s *Session) {
				if st := s.Status(); st.State != StateSignedOff || st.By != "ann" || st.At.IsZero() {
					t.Errorf("status = %+v", st)
				}
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, &MemRepository{}, "ann", 10)
			before := s.Labels()
			err := tt.do(s)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if !reflect.DeepEqual(s.Labels(), before) {
					t.Fatal("failed command changed the label set")
				}
				return
			}
			tt.check(t, s)
			if err := s.Undo(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Labels(), before) {
				t.Fatalf("undo did not restore the label set:\n got %+v\nwant %+v", s.Labels(), before)
			}
			if err := s.Redo(); err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

// failingRepo fails every commit after the first ok ones.
type failingRepo struct {
	MemRepository
	ok int
}

var errDiskFull = errors.New("disk full")

func (f *failingRepo) Commit(c Commit) (uint64, error) {
	if f.ok == 0 {
		return 0, errDiskFull
	}
	f.ok--
	return f.MemRepository.Commit(c)
}

func TestFailedCommitChangesNothing(t *testing.T) {
	repo := &failingRepo{ok: 3}
	s := openTest(t, repo, "ann", 10)
	if err := s.Relabel([]int64{1000}, PVC, ""); err != nil {
		t.Fatal(err)
	}
	before := s.Labels()
	rev := s.Revision()
	steps := map[string]func() error{
		"relabel": func() error { return s.Relabel([]int64{1300}, PVC, "") },
		"delete":  func() error { return s.Delete([]int64{1300}, "") },
		"undo":    s.Undo,
		"signoff": func() error { return s.SignOff("") },
	}
	for name, step := range steps {
		if err := step(); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: err = %v, want disk full", name, err)
		}
		if !reflect.DeepEqual(s.Labels(), before) || s.Revision() != rev {
			t.Errorf("%s: failed commit changed the session", name)
		}
		if u, r := s.History(); u != 1 || r != 0 {
			t.Errorf("%s: history = %d/%d, want 1/0", name, u, r)
		}
	}
}

func TestReopenKeepsHistory(t *testing.T) {
	repo := &MemRepository{}
	s := openTest(t, repo, "ann", 10)
	for _, at := range []int64{1000, 1300, 1600} {
		if err := s.Relabel([]int64{at}, PVC, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(repo, testRec, Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.Labels(), s.Labels()) {
		t.Fatal("reopened label set differs")
	}
	if err := s2.Redo(); err != nil {
		t.Fatal(err)
	}
	if b, _ := s2.Beat(1600); b.Code != PVC {
		t.Errorf("redo after reopen: beat = %+v", b)
	}
	for range 3 {
		if err := s2.Undo(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s2.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("undo past the start: %v", err)
	}
}

func TestBlindedReaders(t *testing.T) {
	repo := &MemRepository{}
	a := openTest(t, repo, "ann", 10)
	if err := a.Relabel([]int64{1300}, PVC, ""); err != nil {
		t.Fatal(err)
	}
	b, err := Open(repo, testRec, Options{Reader: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Beat(1300); got.Code != Normal || got.Prov.Source != SourceModel {
		t.Errorf("blinded reader sees %+v", got)
	}
	c, err := Open(repo, testRec, Options{Reader: "cy", HideModel: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.NumBeats() != 0 {
		t.Errorf("HideModel reader sees %d model beats", c.NumBeats())
	}
	d, err := Open(repo, testRec, Options{Reader: "dee", Seed: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Beat(1300); got.Code != PVC {
		t.Errorf("unblinded reader seeded from ann sees %+v", got)
	}
}
