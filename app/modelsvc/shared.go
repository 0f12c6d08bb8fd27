package modelsvc

import "sync"

// Shared hands the screens of a window the Service of the configuration
// they ask for, so the models load once however many screens use them.
// When a screen asks with another configuration (the preferences named
// another model or library), a new Service replaces the current one; the
// replaced one closes when its last user releases it. The zero value is
// ready to use; it is safe for concurrent use.
type Shared struct {
	mu     sync.Mutex
	cur    *Service
	users  map[*Service]int
	closed bool
}

// Acquire returns the Service for cfg and the function to call when done
// with its models (the models stay open until then).
func (h *Shared) Acquire(cfg Config) (*Service, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s := New(cfg)
		s.Close()
		return s, func() {}
	}
	if h.cur == nil || h.cur.cfg != cfg {
		h.replaceLocked(New(cfg))
	}
	s := h.cur
	if h.users == nil {
		h.users = map[*Service]int{}
	}
	h.users[s]++
	var once sync.Once
	return s, func() { once.Do(func() { h.release(s) }) }
}

// replaceLocked makes s the current Service, closing the old one when no
// one holds it; h.mu is held.
func (h *Shared) replaceLocked(s *Service) {
	if old := h.cur; old != nil && h.users[old] == 0 {
		old.Close()
	}
	h.cur = s
}

// release ends one use of s, closing s when it was replaced and this was
// its last user.
func (h *Shared) release(s *Service) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.users[s]--; h.users[s] > 0 {
		return
	}
	delete(h.users, s)
	if s != h.cur || h.closed {
		s.Close()
	}
}

// Close closes the current Service (models still in use fail from then
// on) and makes every later Acquire return a closed one.
func (h *Shared) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.cur == nil {
		return nil
	}
	return h.cur.Close()
}
