package system

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCancelKillsChildAndGrandchild cancels a command that started a
// grandchild of its own: both are gone, and Run returns.
func TestCancelKillsChildAndGrandchild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := NewReal().Run(ctx, Cmd{Argv: []string{"sh", "-c", `sleep 300 & echo $! > grandchild; echo $$ > child.tmp; mv child.tmp child; wait`}, Dir: dir})
		done <- err
	}()
	child := waitPid(t, filepath.Join(dir, "child"))
	grandchild := waitPid(t, filepath.Join(dir, "grandchild"))
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "context canceled") {
			t.Errorf("Run = %v, want context canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	for _, pid := range []int{child, grandchild} {
		waitGone(t, pid)
	}
}

// waitPid reads the pid a command wrote to name, waiting for it.
func waitPid(t *testing.T, name string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, err := os.ReadFile(name)
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && perr == nil {
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s: no pid within 30s", name)
	return 0
}

// waitGone waits until pid no longer runs.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if !Alive(pid) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("pid %d still runs 30s after cancel", pid)
}

// TestKilledRunLeavesNothingRunning kills a run outright (SIGKILL, so no
// handler of its runs) while its command has a grandchild: the kernel
// ends the child (the parent-death signal), and the keeper the
// grandchild, which the parent-death signal never reaches.
func TestKilledRunLeavesNothingRunning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	runner := exec.Command(os.Args[0], "-test.run=^TestRunnerToKill$")
	runner.Env = append(os.Environ(), "ENVUP_TEST_RUNNER_DIR="+dir)
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	child := waitPid(t, filepath.Join(dir, "child"))
	grandchild := waitPid(t, filepath.Join(dir, "grandchild"))
	t.Cleanup(func() { _ = syscall.Kill(-child, syscall.SIGKILL) })
	if err := runner.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = runner.Wait()
	for _, pid := range []int{child, grandchild} {
		waitGone(t, pid)
	}
}

// TestRunnerToKill is the run TestKilledRunLeavesNothingRunning kills: a
// command that starts a grandchild and waits.
func TestRunnerToKill(t *testing.T) {
	dir := os.Getenv("ENVUP_TEST_RUNNER_DIR")
	if dir == "" {
		t.Skip("the run TestKilledRunLeavesNothingRunning starts and kills")
	}
	_, err := NewReal().Run(context.Background(), Cmd{Argv: []string{"sh", "-c", `sleep 300 & echo $! > grandchild; echo $$ > child.tmp; mv child.tmp child; wait`}, Dir: dir})
	t.Fatalf("the command ended (%v): it should have been killed", err)
}
