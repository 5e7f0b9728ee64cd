package detect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoDistro is returned (wrapped) by LinuxDistro when root holds none of
// the files that name a distribution.
var ErrNoDistro = errors.New("no os-release or distro release file")

// LinuxDistro reads which Linux distribution is installed under root: "/"
// on the host, a copy of a system's files in tests. It reads
// etc/os-release, else usr/lib/os-release (never both), else falls back
// as python-distro does for older systems: etc/lsb-release, then
// etc/alpine-release, then the first etc/<id>-release or <id>_version
// file whose first line names a distribution ("CentOS release 5.11
// (Final)" is centos 5.11; redhat is rhel), then etc/debian_version, then
// Amazon Linux's etc/system-release.
//
// A malformed os-release is an error, returned together with the Distro
// its well-formed lines give (its ID at least "linux"); any other error
// comes with a zero Distro.
func LinuxDistro(root string) (Distro, error) {
	for _, name := range []string{"etc/os-release", "usr/lib/os-release"} {
		path := filepath.Join(root, name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Distro{}, errRead(path, err)
		}
		vars, err := ParseOSRelease(data)
		if err != nil {
			return distroFromOSRelease(vars), fmt.Errorf("detect: %s: %w", path, err)
		}
		return distroFromOSRelease(vars), nil
	}
	etc := filepath.Join(root, "etc")
	for _, fallback := range []func(string) (Distro, bool){
		distroFromLSBRelease, distroFromAlpineRelease, distroFromReleaseFile,
		distroFromDebianVersion, distroFromSystemRelease,
	} {
		if d, ok := fallback(etc); ok {
			return d, nil
		}
	}
	return Distro{}, fmt.Errorf("detect: %s: %w", etc, ErrNoDistro)
}

// linuxName is Platform.Name on Linux: the distribution ID and version,
// "ubuntu 22.04", or the ID alone for a rolling release, "arch".
func linuxName(d Distro) string {
	return strings.TrimSpace(d.ID + " " + d.Version)
}

// distroFromOSRelease applies os-release(5)'s defaults: ID is "linux"
// when absent, PRETTY_NAME falls back to NAME.
func distroFromOSRelease(vars map[string]string) Distro {
	d := Distro{
		ID:      strings.ToLower(vars["ID"]),
		IDLike:  strings.Fields(strings.ToLower(vars["ID_LIKE"])),
		Version: vars["VERSION_ID"],
		Pretty:  vars["PRETTY_NAME"],
	}
	if d.ID == "" {
		d.ID = "linux"
	}
	if d.Pretty == "" {
		d.Pretty = vars["NAME"]
	}
	// VERSION_CODENAME wins even when empty: Fedora sets it to "" on purpose.
	if c, ok := vars["VERSION_CODENAME"]; ok {
		d.Codename = c
	} else if c, ok := vars["UBUNTU_CODENAME"]; ok {
		d.Codename = c
	} else {
		d.Codename = codenameFromVersion(vars["VERSION"])
	}
	return d
}

// distroFromLSBRelease reads Ubuntu's /etc/lsb-release. Other systems may
// have the file with only LSB_VERSION in it; it does not count.
func distroFromLSBRelease(etc string) (Distro, bool) {
	data, err := os.ReadFile(filepath.Join(etc, "lsb-release"))
	if err != nil {
		return Distro{}, false
	}
	vars, err := ParseOSRelease(data)
	if err != nil || vars["DISTRIB_ID"] == "" {
		return Distro{}, false
	}
	return Distro{
		ID:       lsbID(vars["DISTRIB_ID"]),
		Version:  vars["DISTRIB_RELEASE"],
		Codename: vars["DISTRIB_CODENAME"],
		Pretty:   vars["DISTRIB_DESCRIPTION"],
	}, true
}

// distroFromAlpineRelease reads /etc/alpine-release: a bare version, the
// same as os-release's VERSION_ID ("3.19.1").
func distroFromAlpineRelease(etc string) (Distro, bool) {
	line, ok := firstLine(filepath.Join(etc, "alpine-release"))
	if !ok || line == "" {
		return Distro{}, false
	}
	return Distro{ID: "alpine", Version: line, Pretty: "Alpine Linux " + line}, true
}

// distroFromReleaseFile finds the first /etc/<id>-release (or _version)
// file, in name order as python-distro does, whose first line has a name.
func distroFromReleaseFile(etc string) (Distro, bool) {
	names := knownReleaseFiles
	if entries, err := os.ReadDir(etc); err == nil { // sorted by name
		names = names[:0:0]
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	for _, base := range names {
		id, ok := releaseFileID(base)
		if !ok {
			continue
		}
		path := filepath.Join(etc, base)
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		line, ok := firstLine(path)
		if !ok || line == "" {
			continue
		}
		r := parseReleaseLine(line)
		// CloudLinux before 7 has only redhat-release.
		if strings.Contains(strings.ToLower(r.Name), "cloudlinux") {
			id = "cloudlinux"
		}
		return Distro{ID: id, Version: r.Version, Codename: r.Codename, Pretty: line}, true
	}
	return Distro{}, false
}

// distroFromDebianVersion reads /etc/debian_version: "6.0.10" gives
// version 6, as VERSION_ID would; "squeeze/sid" (testing) gives the
// codename only.
func distroFromDebianVersion(etc string) (Distro, bool) {
	line, ok := firstLine(filepath.Join(etc, "debian_version"))
	if !ok || line == "" {
		return Distro{}, false
	}
	d := Distro{ID: "debian", Pretty: "Debian GNU/Linux " + line}
	if line[0] >= '0' && line[0] <= '9' {
		d.Version, _, _ = strings.Cut(line, ".")
	} else {
		d.Codename, _, _ = strings.Cut(line, "/")
	}
	return d, true
}

// distroFromSystemRelease reads /etc/system-release, which Amazon Linux
// AMI 2014 and older have alone ("Amazon Linux AMI release 2014.03").
// python-distro ignores the file; only Amazon's content is trusted here.
func distroFromSystemRelease(etc string) (Distro, bool) {
	line, ok := firstLine(filepath.Join(etc, "system-release"))
	if !ok || !strings.HasPrefix(line, "Amazon Linux") {
		return Distro{}, false
	}
	r := parseReleaseLine(line)
	return Distro{ID: "amzn", Version: r.Version, Pretty: line}, true
}

// firstLine reads the first line of a file, trimmed.
func firstLine(path string) (string, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(line), true
}
