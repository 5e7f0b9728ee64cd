package state

import "sync"

// Memo is what resources remember between runs, by key: facts that are
// costly to learn again, such as the version of an interpreter binary
// keyed by its path, size and mtime. Observe runs in parallel, so it is
// safe for concurrent use. A nil *Memo remembers nothing.
type Memo struct {
	mu      sync.Mutex
	m       map[string]string
	changed bool
}

// NewMemo starts a memo from remembered values (nil for none).
func NewMemo(from map[string]string) *Memo {
	m := &Memo{m: map[string]string{}}
	for k, v := range from {
		m.m[k] = v
	}
	return m
}

// Get returns the remembered value for key.
func (m *Memo) Get(key string) (string, bool) {
	if m == nil {
		return "", false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	return v, ok
}

// Put remembers value for key.
func (m *Memo) Put(key, value string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.m[key]; ok && old == value {
		return
	}
	m.m[key] = value
	m.changed = true
}

// Changed says whether anything was put since NewMemo.
func (m *Memo) Changed() bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}

// Values returns a copy of everything remembered, for the state file.
func (m *Memo) Values() map[string]string {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]string, len(m.m))
	for k, v := range m.m {
		out[k] = v
	}
	return out
}
