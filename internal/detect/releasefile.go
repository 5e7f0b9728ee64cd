package detect

import (
	"regexp"
	"strings"
)

// releaseLine is what the first line of a distro release file such as
// /etc/redhat-release says: "CentOS release 5.11 (Final)" is name
// "CentOS", version "5.11", codename "Final".
type releaseLine struct {
	Name     string
	Version  string
	Codename string
}

// releaseLinePattern is python-distro's pattern for a release file's first
// line, matched against the line reversed so the version and codename at
// its end are found first.
var releaseLinePattern = regexp.MustCompile(`^(?:[^)]*\)(.*)\()? *(?:STL )?([\d.+\-a-z]*\d) *(?:esaeler *)?(.+)`)

// parseReleaseLine reads the first line of a distro release file the way
// python-distro does. A line without a version is all name
// ("Manjaro Linux").
func parseReleaseLine(line string) releaseLine {
	line = strings.TrimSpace(line)
	m := releaseLinePattern.FindStringSubmatch(reverse(line))
	if m == nil {
		return releaseLine{Name: line}
	}
	return releaseLine{Name: reverse(m[3]), Version: reverse(m[2]), Codename: reverse(m[1])}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// releaseFilePattern is the name of a distro release file in /etc: the
// distro ID, then -release or _version.
var releaseFilePattern = regexp.MustCompile(`^(\w+)[-_](release|version)$`)

// ignoredReleaseFiles match releaseFilePattern but do not name the distro
// (python-distro's _DISTRO_RELEASE_IGNORE_BASENAMES). alpine-release is
// read on its own: its bare version does not fit parseReleaseLine.
var ignoredReleaseFiles = map[string]bool{
	"debian_version":   true,
	"lsb-release":      true,
	"oem-release":      true,
	"os-release":       true,
	"system-release":   true,
	"plesk-release":    true,
	"iredmail-release": true,
	"board-release":    true,
	"ec2_version":      true,
	"alpine-release":   true,
}

// knownReleaseFiles are tried in this order when /etc cannot be listed
// (python-distro's _DISTRO_RELEASE_BASENAMES).
var knownReleaseFiles = []string{
	"SuSE-release", "altlinux-release", "arch-release", "armbian-release",
	"base-release", "centos-release", "fedora-release", "gentoo-release",
	"mageia-release", "mandrake-release", "mandriva-release",
	"mandrivalinux-release", "manjaro-release", "oracle-release",
	"redhat-release", "rocky-release", "sl-release", "slackware-version",
}

// releaseFileID is the distro ID a release file's name gives, normalized
// as python-distro does: lower case, and redhat is rhel.
func releaseFileID(base string) (string, bool) {
	if ignoredReleaseFiles[base] {
		return "", false
	}
	m := releaseFilePattern.FindStringSubmatch(base)
	if m == nil {
		return "", false
	}
	id := strings.ToLower(m[1])
	if id == "redhat" {
		id = "rhel"
	}
	return id, true
}

// lsbIDs normalizes /etc/lsb-release's DISTRIB_ID (lower case, blanks as
// underscores) for the names python-distro knows to differ from the ID.
var lsbIDs = map[string]string{
	"enterpriseenterpriseas":      "oracle",
	"enterpriseenterpriseserver":  "oracle",
	"redhatenterpriseworkstation": "rhel",
	"redhatenterpriseserver":      "rhel",
	"redhatenterprisecomputenode": "rhel",
}

func lsbID(distribID string) string {
	id := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(distribID)), " ", "_")
	if n, ok := lsbIDs[id]; ok {
		return n
	}
	return id
}

// codenamePattern finds a codename in os-release's VERSION:
// "8 (jessie)", "14.04.3 LTS, Trusty Tahr".
var codenamePattern = regexp.MustCompile(`\((\D+)\)|,\s*(\D+)`)

func codenameFromVersion(version string) string {
	m := codenamePattern.FindStringSubmatch(version)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}
