package pkgmgr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/envup/envup/internal/system"
)

// rpmMissing asks rpm (dnf, yum and zypper hosts): its database is not a
// file envup can read. `rpm -q` prints "package X is not installed" for
// each missing name and exits non-zero.
func rpmMissing(ctx context.Context, sys system.System, _ host, names []string) ([]string, error) {
	res, err := sys.Query(ctx, system.Cmd{Argv: append([]string{"rpm", "-q", "--qf", `%{NAME}\n`}, names...)})
	if unobservable(err) {
		return names, nil
	}
	var exitErr *system.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, err
	}
	var out []byte
	if res != nil {
		out = res.Stdout
	}
	notInstalled := parseRPMNotInstalled(out)
	if err != nil && len(notInstalled) == 0 {
		// rpm failed, and not because something is missing (a locked
		// or damaged database): say so rather than guess.
		return nil, err
	}
	return missingFrom(names, func(n string) bool { return !notInstalled[n] }), nil
}

// parseRPMNotInstalled returns the names rpm -q said are not installed.
func parseRPMNotInstalled(out []byte) map[string]bool {
	missing := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, ok := strings.CutPrefix(line, "package "); ok {
			if name, ok := strings.CutSuffix(name, " is not installed"); ok {
				missing[name] = true
			}
		}
	}
	return missing
}
