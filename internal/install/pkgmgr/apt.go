package pkgmgr

import (
	"bufio"
	"bytes"
	"context"
	"strings"

	"github.com/envup/envup/internal/system"
)

// dpkgStatus is dpkg's database of what is installed.
const dpkgStatus = "/var/lib/dpkg/status"

// aptLists holds the package lists apt-get update fetches.
const aptLists = "/var/lib/apt/lists"

// aptMissing reads dpkg's status file; it spawns nothing.
func aptMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	data, err := sys.ReadFile(h.path(dpkgStatus))
	if unobservable(err) {
		return names, nil
	}
	if err != nil {
		return nil, err
	}
	installed := DpkgInstalled(data)
	return missingFrom(names, func(n string) bool { return installed[n] }), nil
}

// DpkgInstalled returns the packages dpkg's status file says are
// installed, each as "name" and "name:arch". A package is installed when
// the third word of its Status is "installed" ("install ok installed",
// "hold ok installed"); "deinstall ok config-files" is removed.
func DpkgInstalled(data []byte) map[string]bool {
	installed := map[string]bool{}
	var name, arch, status string
	flush := func() {
		if f := strings.Fields(status); name != "" && len(f) == 3 && f[2] == "installed" {
			installed[name] = true
			if arch != "" {
				installed[name+":"+arch] = true
			}
		}
		name, arch, status = "", "", ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case line == "":
			flush()
		case line[0] == ' ' || line[0] == '\t':
			// a continuation of the field above (Description, Conffiles)
		default:
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			value = strings.TrimSpace(value)
			switch key {
			case "Package":
				name = value
			case "Architecture":
				arch = value
			case "Status":
				status = value
			}
		}
	}
	flush()
	return installed
}

// aptNeedsUpdate says whether apt's package lists were never fetched (a
// fresh container): then apt-get install finds nothing until apt-get
// update has run. The lists may be compressed (…_Packages.lz4).
func aptNeedsUpdate(sys system.System, h host) (bool, error) {
	entries, err := sys.ReadDir(h.path(aptLists))
	if unobservable(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "_Packages") {
			return false, nil
		}
	}
	return true, nil
}
