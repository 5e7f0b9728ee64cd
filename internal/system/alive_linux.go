package system

import (
	"os"
	"strconv"
	"strings"
)

// Alive says whether a process with this pid runs: it is in /proc and not
// a zombie (ended, not yet reaped: a container's init may never reap).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses and
	// may itself hold ") ".
	i := strings.LastIndex(string(stat), ") ")
	return i < 0 || !strings.HasPrefix(string(stat[i+2:]), "Z")
}
