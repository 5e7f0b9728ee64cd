package pkgmgr

import (
	"bufio"
	"bytes"
	"context"
	"strings"

	"github.com/envup/envup/internal/system"
)

// apkInstalled is apk's database: a stanza per package, "P:" its name.
const apkInstalled = "/lib/apk/db/installed"

// apkMissing reads apk's database; it spawns nothing.
func apkMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	data, err := sys.ReadFile(h.path(apkInstalled))
	if unobservable(err) {
		return names, nil
	}
	if err != nil {
		return nil, err
	}
	installed := parseApkInstalled(data)
	return missingFrom(names, func(n string) bool { return installed[n] }), nil
}

// parseApkInstalled returns the names on the database's "P:" lines.
func parseApkInstalled(data []byte) map[string]bool {
	installed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(strings.TrimRight(sc.Text(), "\r"), "P:"); ok && name != "" {
			installed[name] = true
		}
	}
	return installed
}
