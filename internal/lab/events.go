package lab

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// keepAlive is how often an idle event stream says it is there, so a
// proxy or a sleeping laptop's network does not drop it unnoticed.
const keepAlive = 20 * time.Second

// event is what the page is told when a report arrives.
type event struct {
	Host  string `json:"host"`
	ID    int64  `json:"id"`
	State string `json:"state"`
}

// hub hands each event to every open stream. A stream that has not taken
// its previous events loses the oldest: the page reloads the whole room
// on any event, so the latest is all it needs.
type hub struct {
	mu      sync.Mutex
	subs    map[chan event]bool
	done    chan struct{}
	stopped bool
}

func newHub() *hub { return &hub{subs: map[chan event]bool{}, done: make(chan struct{})} }

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan event, 8)
	h.subs[ch] = true
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, ch)
}

func (h *hub) publish(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
			select { // full: drop its oldest, keep the newest
			case <-ch:
			default:
			}
			ch <- e
		}
	}
}

func (h *hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.stopped {
		h.stopped = true
		close(h.done)
	}
}

// events streams the lab's events (text/event-stream) until the page
// goes away or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	// A comment at once: the page knows the stream is open.
	if _, err := fmt.Fprint(w, ": envup lab\nretry: 2000\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-tick.C:
			msg = ": keep-alive\n\n"
		case e := <-ch:
			data, _ := json.Marshal(e)
			msg = fmt.Sprintf("event: report\ndata: %s\n\n", data)
		}
		if _, err := fmt.Fprint(w, msg); err != nil || rc.Flush() != nil {
			return
		}
	}
}
