//go:build browser

package lab

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The real-browser tests (go test -tags browser) drive Debian's chromium
// (apt-get install chromium) headless through the DevTools protocol.

// browser starts chromium headless, cut off from everything but the
// page (a closed network otherwise makes it stall on its own updates),
// and returns a tab's context.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("no chromium (apt-get install chromium): %v", err)
	}
	actx, cancel := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1500, 1100),
	)
	t.Cleanup(cancel)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	return ctx
}

// pollJS waits, with a deadline, until expression is true in the page.
func pollJS(t *testing.T, ctx context.Context, what, expression string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expression, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s: %v (waited for %s)", what, err, expression)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		t.Fatalf("%s: %v", expression, err)
	}
	return v
}

// rowJS is the page's row of a seat.
func rowJS(host string) string {
	return fmt.Sprintf("[...document.querySelectorAll('#seats tr')].find(r => r.dataset.host === %q)", host)
}

// TestLabPageInABrowser: 30 seats report while the page is open (it
// shows them without a reload), the failed seat's cell says why, hostile
// host names stay text, a seat's row opens its drift, a new report
// changes a row; a screenshot is kept (ENVUP_LAB_SCREENSHOT, else in a
// temp folder) and the time until the page showed 30 seats logged.
func TestLabPageInABrowser(t *testing.T) {
	l := startLab(t, "")
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(l.URL+"/lab/")); err != nil {
		t.Fatal(err)
	}
	pollJS(t, ctx, "the event stream opens", `document.getElementById('live').textContent === 'live'`)
	pollJS(t, ctx, "the empty room says so", `!document.getElementById('empty').hidden`)

	const failReason = "editor/vscode: write ~/.config/Code/User/settings.json: permission denied"
	hostile := []string{`<script>window.pwned=1</script>`, `<img src=x onerror="window.pwned=1">`}
	var bodies [][]byte
	for i := 1; i <= 28; i++ {
		failed := ""
		if i == 13 {
			failed = failReason
		}
		bodies = append(bodies, seatReport(t, fmt.Sprintf("seat-%02d", i), seatKinds[i%len(seatKinds)], failed))
	}
	for _, h := range hostile {
		bodies = append(bodies, seatReport(t, h, "ready", ""))
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, b := range bodies {
		wg.Go(func() {
			if code, answer := l.post(t, testToken, b); code != http.StatusCreated {
				t.Errorf("%d %s", code, answer)
			}
		})
	}
	wg.Wait()
	pollJS(t, ctx, "30 rows without a reload", `document.querySelectorAll('#seats tr').length === 30`)
	t.Logf("the page showed 30 seats %s after they began reporting", time.Since(start).Round(time.Millisecond))

	// The failed seat: its state, and its cell's reason on hover.
	col := 4 + 1 // seat, OS, last report, state; then the recipe's resources: editor/vscode is the second
	if got := evalJS[string](t, ctx, rowJS("seat-13")+`.children[3].textContent`); got != "failed" {
		t.Errorf("seat-13's state %q, want failed", got)
	}
	if got := evalJS[string](t, ctx, rowJS("seat-13")+fmt.Sprintf(`.children[%d].title`, col)); !strings.Contains(got, failReason) || !strings.HasPrefix(got, "editor/vscode: failed") {
		t.Errorf("seat-13's editor/vscode cell title %q, want the reason", got)
	}
	if got := evalJS[string](t, ctx, rowJS("seat-13")+fmt.Sprintf(`.children[%d].className`, col)); got != "cell st-failed" {
		t.Errorf("seat-13's cell class %q", got)
	}
	if got := evalJS[string](t, ctx, `document.querySelector('#head').children[5].textContent`); got != labColumns[1] {
		t.Errorf("column %q, want %s", got, labColumns[1])
	}

	// Hostile host names: shown as text, never run.
	if pwned := evalJS[bool](t, ctx, `typeof window.pwned !== 'undefined'`); pwned {
		t.Error("a host name ran as script: window.pwned is set")
	}
	for _, h := range hostile {
		if got := evalJS[string](t, ctx, rowJS(h)+`.children[0].textContent`); got != h {
			t.Errorf("host cell %q, want the name as text %q", got, h)
		}
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#seats img, #seats script').length`); n != 0 {
		t.Errorf("%d elements made from host names", n)
	}

	// A row opens the seat's drift, in diff's words.
	if err := chromedp.Do(ctx, chromedp.Click(`#seats tr[data-host="seat-01"] td.host`)); err != nil {
		t.Fatal(err)
	}
	pollJS(t, ctx, "seat-01's drift", `document.getElementById('recipe-drift').textContent.includes('font DejaVuSansMono.ttf: missing, the recipe wants DejaVu Sans Mono')`)
	pollJS(t, ctx, "seat-01 against a ready seat", `document.getElementById('seat-drift').textContent.includes('only in A: font DejaVuSansMono.ttf')`)

	// A new report changes a row while the page is open.
	if code, answer := l.post(t, testToken, seatReport(t, "seat-02", "bigfont", "editor/vscode: settings.json: invalid character '}' at line 3")); code != http.StatusCreated {
		t.Fatalf("%d %s", code, answer)
	}
	pollJS(t, ctx, "seat-02's new report", rowJS("seat-02")+`.children[3].textContent === 'failed'`)
	if pwned := evalJS[bool](t, ctx, `typeof window.pwned !== 'undefined'`); pwned {
		t.Error("window.pwned is set")
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := os.Getenv("ENVUP_LAB_SCREENSHOT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "lab.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))
}

// TestLabMemoryWith3000Reports: the lab holding 3,000 reports (100 seats'
// histories of 30) answers the room and a seat, and its heap stays small:
// reports live in the database, not in memory. It logs the heap in use.
func TestLabMemoryWith3000Reports(t *testing.T) {
	const seats, each = 100, 30
	l := startLab(t, "")
	bodies := map[string][]byte{}
	for i := range seats {
		host := fmt.Sprintf("seat-%03d", i+1)
		bodies[host] = seatReport(t, host, seatKinds[i%len(seatKinds)], "")
	}
	start := time.Now()
	for range each {
		for host, b := range bodies {
			r, snap, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.store.Add(t.Context(), b, r, snap, time.Now()); err != nil {
				t.Fatalf("%s: %v", host, err)
			}
		}
	}
	filled := time.Since(start)
	if n, _ := l.store.Count(t.Context()); n != seats*each {
		t.Fatalf("%d reports, want %d", n, seats*each)
	}
	var room LabJS
	l.get(t, "/api/v1/lab", &room)
	var seat SeatJS
	l.get(t, "/api/v1/seat?host=seat-002", &seat)
	if len(room.Seats) != seats || len(seat.History) != each {
		t.Fatalf("%d seats, a history of %d", len(room.Seats), len(seat.History))
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fi, _ := os.Stat(l.db)
	t.Logf("%d reports (%d KiB each) stored in %s; database %d MiB; heap in use %.1f MiB after answering the room and a seat",
		seats*each, len(bodies["seat-001"])>>10, filled.Round(time.Millisecond), fi.Size()>>20, float64(ms.HeapInuse)/(1<<20))
	if ms.HeapInuse > 64<<20 {
		t.Errorf("heap in use %d MiB with 3,000 reports, want under 64", ms.HeapInuse>>20)
	}
}
