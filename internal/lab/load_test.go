package lab

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLoadThirtySeatsAtOnce: 30 seats report at once, 10 rounds, on
// loopback: every report is kept, in bounded time. It logs the reports'
// latency (p50, p99).
func TestLoadThirtySeatsAtOnce(t *testing.T) {
	const seats, rounds = 30, 10
	l := startLab(t, "")
	bodies := make([][]byte, seats)
	for i := range bodies {
		bodies[i] = seatReport(t, fmt.Sprintf("seat-%02d", i+1), seatKinds[i%len(seatKinds)], "")
	}
	start := time.Now()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  []string
	)
	for round := range rounds {
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range seats {
			wg.Go(func() {
				<-gate // all at once
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, l.URL+"/api/v1/reports", bytesReader(bodies[i]))
				req.Header.Set("Authorization", "Bearer "+testToken)
				resp, err := http.DefaultClient.Do(req)
				took := time.Since(t0)
				mu.Lock()
				defer mu.Unlock()
				latencies = append(latencies, took)
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("round %d seat %d: %v", round, i, err))
				default:
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						failures = append(failures, fmt.Sprintf("round %d seat %d: %s", round, i, resp.Status))
					}
				}
			})
		}
		close(gate)
		wg.Wait()
	}
	total := time.Since(start)
	if len(failures) > 0 {
		t.Fatalf("%d reports failed: %v", len(failures), failures[:min(5, len(failures))])
	}
	if n, err := l.store.Count(t.Context()); err != nil || n != seats*rounds {
		t.Fatalf("%d reports kept (%v), want %d: one was lost", n, err, seats*rounds)
	}
	var room LabJS
	l.get(t, "/api/v1/lab", &room)
	if len(room.Seats) != seats {
		t.Fatalf("%d seats, want %d", len(room.Seats), seats)
	}
	for _, s := range room.Seats {
		if s.Reports != rounds {
			t.Errorf("%s: %d reports, want %d", s.Host, s.Reports, rounds)
		}
	}
	slices.Sort(latencies)
	p50, p99 := latencies[len(latencies)/2], latencies[len(latencies)*99/100]
	t.Logf("%d seats x %d rounds: %d reports in %s; latency p50 %s, p99 %s, max %s",
		seats, rounds, len(latencies), total.Round(time.Millisecond), p50.Round(time.Microsecond), p99.Round(time.Microsecond), latencies[len(latencies)-1].Round(time.Microsecond))
	if total > time.Minute {
		t.Errorf("took %s, want under a minute", total)
	}
}
