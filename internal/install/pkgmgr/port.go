package pkgmgr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/envup/envup/internal/system"
)

// portMissing asks MacPorts: `port -q installed NAMES` prints a line per
// installed version, "  redis @7.2.4_0 (active)"; a port installed but
// not active counts as missing, since `port install` activates it.
func portMissing(ctx context.Context, sys system.System, _ host, names []string) ([]string, error) {
	res, err := sys.Query(ctx, system.Cmd{Argv: append([]string{"port", "-q", "installed"}, names...)})
	if unobservable(err) {
		return names, nil
	}
	var exitErr *system.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, err
	}
	// port exits 1 when a name is not a port at all; the others still
	// print, and the unknown one is missing.
	var out []byte
	if res != nil {
		out = res.Stdout
	}
	active := parsePortInstalled(out)
	return missingFrom(names, func(n string) bool { return active[n] }), nil
}

// parsePortInstalled returns the active ports in `port -q installed` output.
func parsePortInstalled(out []byte) map[string]bool {
	active := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && strings.HasPrefix(f[1], "@") && strings.Contains(sc.Text(), "(active)") {
			active[f[0]] = true
		}
	}
	return active
}
