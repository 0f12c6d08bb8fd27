package ui

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// showMembers fills the member grid with the selected cluster's beats,
// least like the cluster first, a page at a time.
func (s *TemplateScreen) showMembers() {
	t := s.selectedTemplate()
	clear(s.picked)
	if t == nil {
		s.shown = nil
		s.members.setLen(0)
		s.title.SetText("")
		return
	}
	n := min(len(t.Beats), s.pages*memberPage)
	s.shown = t.Beats[:n]
	s.title.SetText(fmt.Sprintf("Cluster #%d: %d of %s, least like the cluster first", t.ID, n, Count(len(t.Beats), "beat")))
	tiles := s.members.setLen(n)
	for i, at := range s.shown {
		s.fillMember(tiles[i], at, t.Distance[i])
	}
}

// fillMember draws the member beat at once when its snippet is cached, or
// asks for it and draws it when it comes.
func (s *TemplateScreen) fillMember(tl *tile, at int64, dist float32) {
	tl.marked = s.picked[at]
	caption := fmt.Sprintf("distance %.2f", dist)
	sn, ok := s.snippets.get(at, func(*Snippet) {
		if len(s.shown) > 0 && s.containsShown(at) {
			s.fillMember(tl, at, dist)
		}
	})
	if !ok {
		tl.set(nil, caption, "loading…")
		return
	}
	label := "no beat"
	for _, b := range sn.Beats {
		if b.Sample == at {
			label = b.Code.Symbol() + " · " + b.Prov.Source.String()
			if provenanceOf(b) == provAdapted {
				label += " ◆"
			}
		}
	}
	tl.set(func(img *image.RGBA, p tilePalette, env *trace.Envelope) { drawSnippetImage(img, sn, p, env) }, caption, label)
}

func (s *TemplateScreen) containsShown(at int64) bool {
	for _, b := range s.shown {
		if b == at {
			return true
		}
	}
	return false
}

// pickedBeats returns the marked members, or the selected one when none is
// marked.
func (s *TemplateScreen) pickedBeats() []int64 {
	var out []int64
	for _, b := range s.shown {
		if s.picked[b] {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		if i := s.members.Selected(); i >= 0 && i < len(s.shown) {
			out = append(out, s.shown[i])
		}
	}
	return out
}

func (s *TemplateScreen) memberRune(r rune) {
	i := s.members.Selected()
	if i < 0 || i >= len(s.shown) {
		return
	}
	if k, ok := annotate.ParseClass(strings.ToUpper(string(r))); ok && s.Actions.RelabelBeats != nil {
		b := s.pickedBeats()
		s.do(fmt.Sprintf("%s to %s", Count(len(b), "beat"), k), func() error { return s.Actions.RelabelBeats(b, k.Code()) })
		return
	}
	switch r {
	case ' ':
		at := s.shown[i]
		s.picked[at] = !s.picked[at]
		s.members.setMarked(i, s.picked[at])
		s.members.Select(min(i+1, len(s.shown)-1))
	case 't', 'T':
		b := s.pickedBeats()
		s.do(fmt.Sprintf("%s to a new cluster", Count(len(b), "beat")), func() error { return s.Actions.Move(b, -1) })
	case 'g', 'G':
		s.moveToMarked()
	}
}

// moveToMarked moves the picked members into the first cluster marked in
// the gallery.
func (s *TemplateScreen) moveToMarked() {
	to := -1
	for _, t := range s.templates {
		if s.marked[t.ID] {
			to = t.ID
			break
		}
	}
	if to < 0 {
		s.SetMessage("Mark the target cluster in the gallery with Space first.")
		return
	}
	b := s.pickedBeats()
	s.do(fmt.Sprintf("%s moved to cluster #%d", Count(len(b), "beat"), to), func() error { return s.Actions.Move(b, to) })
}

func (s *TemplateScreen) memberKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if i := s.members.Selected(); i >= 0 && i < len(s.shown) {
			s.jump(s.shown[i])
		}
	case fyne.KeyEscape:
		if c := fyne.CurrentApp().Driver().CanvasForObject(s.gallery); c != nil {
			c.Focus(s.gallery)
		}
		s.SetMessage(TemplateKeys)
	}
}

// toUI hands f to the UI goroutine. It is fyne.Do; tests swap in a queue
// they drain on their own goroutine, because Fyne's test driver runs
// fyne.Do at once on the calling (background) goroutine.
var toUI = fyne.Do

// busy counts the goroutines the screens start (snippet reads, plot
// drawing), so a test can wait for them before it ends.
var busy atomic.Int64

// goBackground runs f on a goroutine of its own, counted in busy.
func goBackground(f func()) {
	busy.Add(1)
	go func() {
		defer busy.Add(-1)
		f()
	}()
}

// SetDeliver replaces how the screens beside the record screen (library,
// templates, queue, errors, plots) hand results of background work to the UI
// goroutine, fyne.Do by default, and returns the previous way. Tests under
// Fyne's test driver, which runs fyne.Do at once on the calling goroutine,
// hand in a queue they drain on their own goroutine.
func SetDeliver(f func(func())) (old func(func())) {
	old, toUI = toUI, f
	return old
}

// Idle reports whether none of the screens' background goroutines runs.
func Idle() bool { return busy.Load() == 0 }

// errNoSnippets is returned when a screen was given no way to read snippets.
var errNoSnippets = errors.New("ui: no snippet reader")

// callSnippet calls read, or says there is none.
func callSnippet[T any](read func(T) (*Snippet, error), v T) (*Snippet, error) {
	if read == nil {
		return nil, errNoSnippets
	}
	return read(v)
}

// snippetCache holds the snippets read so far and reads missing ones in
// the background, one at a time, handing each back through fyne.Do.
type snippetCache struct {
	read    func(at int64) (*Snippet, error)
	mu      sync.Mutex
	have    map[int64]*Snippet
	waiting map[int64][]func(*Snippet)
	queue   []int64
	running bool
}

func newSnippetCache(read func(at int64) (*Snippet, error)) *snippetCache {
	return &snippetCache{read: read, have: map[int64]*Snippet{}, waiting: map[int64][]func(*Snippet){}}
}

// get returns the snippet at at when it is cached; else it queues a read
// and calls done on the UI goroutine when the snippet is there.
func (c *snippetCache) get(at int64, done func(*Snippet)) (*Snippet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.have[at]; ok {
		return s, true
	}
	if _, ok := c.waiting[at]; !ok {
		c.queue = append(c.queue, at)
	}
	c.waiting[at] = append(c.waiting[at], done)
	if !c.running {
		c.running = true
		goBackground(c.run)
	}
	return nil, false
}

// reset forgets every snippet (the labels in them changed).
func (c *snippetCache) reset() {
	c.mu.Lock()
	clear(c.have)
	c.mu.Unlock()
}

func (c *snippetCache) run() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		at := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		s, err := c.read(at)
		if err != nil {
			s = &Snippet{At: at}
		}
		c.mu.Lock()
		c.have[at] = s
		done := c.waiting[at]
		delete(c.waiting, at)
		c.mu.Unlock()
		toUI(func() {
			for _, f := range done {
				f(s)
			}
		})
	}
}
