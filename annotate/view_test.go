package annotate

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"
)

// viewState is what a LabelView shows, or a session holds, for comparing.
type viewState struct {
	Beats    []Beat
	Episodes []EpisodeEntry
	Noise    []NoiseEntry
	Status   Status
}

func stateOfView(v *LabelView) viewState {
	return viewState{append([]Beat(nil), v.All()...), append([]EpisodeEntry(nil), v.Episodes()...),
		append([]NoiseEntry(nil), v.Noise()...), v.Status()}
}

func stateOfSession(s *Session) viewState {
	return viewState{s.BeatsIn(0, 1<<62), s.Episodes(), s.Noise(), s.Status()}
}

// sameState fails unless the view shows what the session holds.
func sameState(t *testing.T, what string, got, want viewState) {
	t.Helper()
	if len(got.Beats) == 0 {
		got.Beats = nil
	}
	if len(want.Beats) == 0 {
		want.Beats = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// viewSession opens a session of reader "ann" on 20 model beats (1000,
// 1300, ... 6700) with a model episode and noise stretch, and a view
// following it; post nil makes the view inline.
func viewSession(t *testing.T, post func(func())) (*Session, *LabelView) {
	t.Helper()
	repo := &MemRepository{}
	s := openTest(t, repo, "ann", 20)
	prov := Provenance{Source: SourceModel, Who: "rhythm@1"}
	if _, err := s.MergeModel(ModelOutput{Beats: modelBeats(20),
		Episodes: []Episode{{Start: 2000, End: 4000, Rhythm: "AFIB", Prov: prov}},
		Noise:    []Noise{{Start: 5000, End: 5500, Lead: -1, Reason: "noise", Prov: prov}}}); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s.opt.Now = func() time.Time { return clock }
	v := NewLabelView(nil)
	v.Now = s.opt.Now
	v.Open(s, post)
	t.Cleanup(v.Close)
	return s, v
}

// viewCommands are one command of every kind, each valid on viewSession's
// labels after the setup before it in the list.
var viewCommands = []struct {
	name string
	c    Command
}{
	{"relabel", Relabel{Samples: []int64{1300, 1600}, Code: PVC}},
	{"relabel to the same code confirms", Relabel{Samples: []int64{1900}, Code: Normal}},
	{"relabel set", Relabel{Samples: []int64{2200, 2500}, Code: APC, Set: true}},
	{"insert", Insert{Sample: 1450, Code: Normal}},
	{"delete", Delete{Samples: []int64{2800, 3100}}},
	{"move", Move{From: 3400, To: 3420}},
	{"confirm", Confirm{Samples: []int64{3700, 4000}}},
	{"set episode", SetEpisode{Episode: Episode{Start: 4300, End: 4900, Rhythm: "VT"}}},
	{"change episode", ChangeEpisode{ID: 1, Episode: Episode{Start: 1900, End: 4100, Rhythm: "AFL"}}},
	{"delete episode", DeleteEpisode{ID: 1}},
	{"mark noise", MarkNoise{Noise: Noise{Start: 6000, End: 6400, Lead: 0, Reason: "noise"}}},
	{"clear noise", ClearNoise{ID: 1}},
	{"sign off", SignOff{}},
	{"undo", Undo{}},
	{"redo", Redo{}},
}

// TestLabelViewPreviewIsStored checks, for every kind of command, that
// its preview (what the view shows before the editor has run it) is what
// the session stores, that its beats are marked pending until then, and
// that the view shows the session's labels after.
func TestLabelViewPreviewIsStored(t *testing.T) {
	for _, tc := range viewCommands {
		t.Run(tc.name, func(t *testing.T) {
			s, v := viewSession(t, nil)
			if _, ok := tc.c.(Redo); ok { // something to redo
				v.Do(Relabel{Samples: []int64{1000}, Code: PVC}, nil)
				v.Do(Undo{}, nil)
			} else if _, ok := tc.c.(Undo); ok {
				v.Do(Relabel{Samples: []int64{1000}, Code: PVC}, nil)
			}
			var preview *viewState
			var pending []int64
			v.OnChange = func() {
				if preview == nil {
					st := stateOfView(v)
					preview = &st
					for _, b := range v.All() {
						if v.Pending(b.Sample) {
							pending = append(pending, b.Sample)
						}
					}
				}
			}
			var stored Diff
			v.Do(tc.c, func(d Diff, err error) {
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				stored = d
			})
			if stored.Empty() {
				t.Fatal("the command stored nothing")
			}
			sameState(t, "preview against stored", *preview, stateOfSession(s))
			sameState(t, "view after the store", stateOfView(v), stateOfSession(s))
			for _, at := range pending {
				if _, ok := v.Beat(at); ok && !touches(stored, at) {
					t.Errorf("beat %d marked pending, but the command did not change it", at)
				}
			}
			if v.Saving() != 0 || len(v.marks) != 0 {
				t.Errorf("after the store: saving %d, %d beats marked", v.Saving(), len(v.marks))
			}
			if v.Revision() != s.Revision() {
				t.Errorf("view reflects revision %d, session is at %d", v.Revision(), s.Revision())
			}
		})
	}
}

func touches(d Diff, at int64) bool {
	for _, c := range d.Beats {
		if c.Sample == at {
			return true
		}
	}
	return false
}

// gateEditor holds each command until the test lets it through, as a model
// merge holding the session's lock would, and records the order the
// commands came in; fail makes it refuse the commands of that action.
type gateEditor struct {
	*Session
	gate chan struct{}
	mu   sync.Mutex
	ran  []Action
	fail Action
}

func (e *gateEditor) Run(c Command) (Diff, Head, error) {
	<-e.gate
	e.mu.Lock()
	e.ran = append(e.ran, c.Action())
	e.mu.Unlock()
	if c.Action() == e.fail {
		e.Session.mu.Lock()
		defer e.Session.mu.Unlock()
		return Diff{}, e.Session.head(), errors.New("disk full")
	}
	return e.Session.Run(c)
}

// queuedView is viewSession with the gate editor, a queue, and the owner
// goroutine played by the test: what the view posts arrives on the
// returned channel. The watcher is stopped, so only the queue posts.
func queuedView(t *testing.T, fail Action) (*Session, *gateEditor, *LabelView, chan func()) {
	s, v := viewSession(t, nil)
	ed := &gateEditor{Session: s, gate: make(chan struct{}), fail: fail}
	posted := make(chan func(), 64)
	v.Open(ed, func(f func()) { posted <- f })
	v.f.Load().watch.stop()
	return s, ed, v, posted
}

// TestLabelViewQueue queues edits while the editor holds them: each shows
// at once over the ones before it, the editor runs them in order, and the
// view shows the stored labels with the rest of the previews after each.
func TestLabelViewQueue(t *testing.T) {
	s, ed, v, posted := queuedView(t, "")
	cmds := []Command{Relabel{Samples: []int64{1300}, Code: PVC}, Relabel{Samples: []int64{1300}, Code: APC},
		Move{From: 1300, To: 1310}, Insert{Sample: 1300, Code: Normal}, Undo{}, SetEpisode{Episode: Episode{Start: 1, End: 9, Rhythm: "VT"}}}
	var done []Action
	for _, c := range cmds {
		v.Do(c, func(_ Diff, err error) {
			if err != nil {
				t.Errorf("%s: %v", c.Action(), err)
			}
			done = append(done, c.Action())
		})
	}
	if b, ok := v.Beat(1310); !ok || b.Code != APC || v.Saving() != len(cmds) || !v.Pending(1310) {
		t.Errorf("before any store: beat 1310 %+v (%v), saving %d, want the moved APC pending", b, ok, v.Saving())
	}
	if _, ok := v.Beat(1300); ok || len(v.Episodes()) != 2 {
		t.Errorf("before any store: the insert's undo or the new episode does not show")
	}
	if _, ok := s.Beat(1310); ok {
		t.Fatal("the session has the move before the editor ran")
	}
	for i := range cmds {
		ed.gate <- struct{}{}
		(<-posted)()
		if v.Saving() != len(cmds)-i-1 {
			t.Errorf("after %d stores: saving %d", i+1, v.Saving())
		}
		if i == 2 { // relabels and the move stored, the insert and its undo still previewed
			if _, ok := v.Beat(1300); ok || !v.Pending(1300) {
				t.Error("after the move's store: the insert's undo does not show, pending")
			}
			if b, ok := v.Beat(1310); !ok || b.Code != APC || v.Pending(1310) {
				t.Errorf("after the move's store: beat 1310 %+v (%v), want the stored APC", b, ok)
			}
		}
	}
	want := []Action{ActRelabel, ActRelabel, ActMove, ActInsert, ActUndo, ActSetEpisode}
	if !reflect.DeepEqual(ed.ran, want) || !reflect.DeepEqual(done, want) {
		t.Errorf("editor ran %v, done %v, want %v", ed.ran, done, want)
	}
	sameState(t, "after every store", stateOfView(v), stateOfSession(s))
}

// TestLabelViewRefused checks that an edit the editor refuses is taken
// back (and its beats unmarked), while the edit queued after it stays.
func TestLabelViewRefused(t *testing.T) {
	s, ed, v, posted := queuedView(t, ActDelete)
	before := stateOfView(v)
	var refused error
	v.Do(Delete{Samples: []int64{1600}}, func(_ Diff, err error) { refused = err })
	v.Do(Relabel{Samples: []int64{1900}, Code: PVC}, nil)
	if _, ok := v.Beat(1600); ok || !v.Pending(1600) {
		t.Error("the delete does not show at once")
	}
	ed.gate <- struct{}{}
	(<-posted)()
	if refused == nil {
		t.Fatal("done did not get the editor's error")
	}
	if b, ok := v.Beat(1600); !ok || !reflect.DeepEqual(b, before.Beats[2]) || v.Pending(1600) {
		t.Errorf("refused delete: beat 1600 %+v (%v, pending %v), want it back as it was", b, ok, v.Pending(1600))
	}
	if b, _ := v.Beat(1900); b.Code != PVC || !v.Pending(1900) {
		t.Errorf("the relabel queued after the refused delete shows %+v", b)
	}
	ed.gate <- struct{}{}
	(<-posted)()
	sameState(t, "after both", stateOfView(v), stateOfSession(s))
}

// TestLabelViewUndoRedo undoes and redoes through the view, each step shown
// at once and equal to the session after its store, with CanUndo and
// CanRedo following the history.
func TestLabelViewUndoRedo(t *testing.T) {
	steps := []struct {
		c                Command
		canUndo, canRedo bool
	}{
		{Relabel{Samples: []int64{1000}, Code: PVC}, true, false},
		{Delete{Samples: []int64{1300}}, true, false},
		{Undo{}, true, true},
		{Undo{}, false, true},
		{Redo{}, true, true},
		{Insert{Sample: 1150, Code: Fusion}, true, false},
	}
	s, v := viewSession(t, nil)
	if v.CanUndo() || v.CanRedo() {
		t.Fatal("a new session can undo or redo")
	}
	for i, st := range steps {
		v.Do(st.c, func(_ Diff, err error) {
			if err != nil {
				t.Fatalf("step %d (%s): %v", i, st.c.Action(), err)
			}
		})
		sameState(t, string(st.c.Action()), stateOfView(v), stateOfSession(s))
		if v.CanUndo() != st.canUndo || v.CanRedo() != st.canRedo {
			t.Errorf("step %d (%s): can undo %v redo %v, want %v %v", i, st.c.Action(), v.CanUndo(), v.CanRedo(), st.canUndo, st.canRedo)
		}
	}
	var err error
	v.Do(Redo{}, func(_ Diff, e error) { err = e })
	if !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("redo with nothing to redo: %v", err)
	}
}

// TestLabelViewRevisions checks which reads the view takes: a read older
// than an edit it has shown stored is dropped, and a merge between two
// edits makes it read the whole label set again (Changed, inline).
func TestLabelViewRevisions(t *testing.T) {
	s, v := viewSession(t, nil)
	old, h := readLabels(s)
	v.Do(Relabel{Samples: []int64{1000}, Code: PVC}, nil)
	v.watched(v.f.Load(), old, h)
	if b, _ := v.Beat(1000); b.Code != PVC {
		t.Error("a read older than the shown edit replaced it")
	}
	rev := v.Revision()
	merged := modelBeats(20)
	merged[5].Code = APC
	if _, err := s.MergeModel(ModelOutput{Beats: merged}); err != nil {
		t.Fatal(err)
	}
	v.Do(Relabel{Samples: []int64{1300}, Code: PVC}, nil)
	if v.Revision() != rev {
		t.Errorf("after a merge the view claims revision %d whole, had %d", v.Revision(), rev)
	}
	gen := v.Gen()
	v.Changed()
	if v.Revision() != s.Revision() || v.Gen() == gen {
		t.Errorf("Changed: view at revision %d, session at %d", v.Revision(), s.Revision())
	}
	sameState(t, "after Changed", stateOfView(v), stateOfSession(s))
}

// TestLabelViewReadOnly checks a view without an editor: it shows its
// beats and refuses edits with ErrReadOnly.
func TestLabelViewReadOnly(t *testing.T) {
	v := NewLabelView(modelBeats(3))
	var err error
	v.Do(Relabel{Samples: []int64{1000}, Code: PVC}, func(_ Diff, e error) { err = e })
	if !errors.Is(err, ErrReadOnly) || v.Len() != 3 || v.All()[0].Code != Normal {
		t.Errorf("read-only edit: err %v, %d beats, first %s", err, v.Len(), v.All()[0].Code)
	}
	if b, ok := v.Nearest(1200); !ok || b.Sample != 1300 {
		t.Errorf("Nearest(1200) = %d, want 1300", b.Sample)
	}
	if b, ok := v.Next(1000, 1, func(b Beat) bool { return b.Sample > 1300 }); !ok || b.Sample != 1600 {
		t.Errorf("Next = %d, want 1600", b.Sample)
	}
}

// owner plays a UI goroutine: it runs what the view posts, in order.
type owner struct {
	jobs chan func()
	done chan struct{}
}

func newOwner() *owner {
	o := &owner{jobs: make(chan func(), 1024), done: make(chan struct{})}
	go func() {
		defer close(o.done)
		for f := range o.jobs {
			f()
		}
	}()
	return o
}

// run runs f on the owner goroutine and waits for it.
func (o *owner) run(f func()) {
	ok := make(chan struct{})
	o.jobs <- func() { f(); close(ok) }
	<-ok
}

// TestLabelViewWatcherAndConcurrency runs the view as the app does: its
// owner goroutine types edits while another goroutine merges model labels
// into the session and calls Changed; the watcher must bring every merge
// to the owner (OnChange), every edit must be stored before its done
// runs, and at the end the view must show the session's labels. Run it
// with -race.
func TestLabelViewWatcherAndConcurrency(t *testing.T) {
	s, v := viewSession(t, nil)
	o := newOwner()
	defer func() { close(o.jobs); <-o.done }()
	changes := make(chan struct{}, 1)
	o.run(func() {
		v.OnChange = func() {
			select {
			case changes <- struct{}{}:
			default:
			}
		}
		v.Open(s, func(f func()) { o.jobs <- f })
	})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the pipeline
		defer wg.Done()
		for i := range 30 {
			m := modelBeats(20)
			m[i%20].Code = Fusion
			if _, err := s.MergeModel(ModelOutput{Beats: m}); err != nil {
				t.Error(err)
			}
			v.Changed()
		}
	}()
	codes := []Code{PVC, APC, Normal}
	for i := range 60 {
		at := 1000 + int64(i%20)*300
		c := codes[i%3]
		o.run(func() {
			v.Do(Relabel{Samples: []int64{at}, Code: c}, func(_ Diff, err error) {
				if b, _ := s.Beat(at); err != nil || !ReaderOwned(b.Prov, b.Review) {
					t.Errorf("edit %d done before the session had it: %+v", i, b)
				}
			})
		})
	}
	wg.Wait()
	waitFor(t, "the edits stored and the merges' last read", func() bool {
		rev, saving := uint64(0), 0
		o.run(func() { rev, saving = v.Revision(), v.Saving() })
		v.Changed()
		return saving == 0 && rev == s.Revision()
	})
	o.run(func() {
		sameState(t, "after the race", stateOfView(v), stateOfSession(s))
		v.Close()
	})
	select {
	case <-changes:
	default:
		t.Error("OnChange was never called")
	}
}

// waitFor polls ok for up to 10 s.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
