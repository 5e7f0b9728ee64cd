package detect

import (
	"slices"
	"strconv"
	"strings"
)

// knownIDLike is ID_LIKE for common distributions, for a Platform built
// from --platform where no os-release can be read. Values are those of the
// distributions' own os-release files (PLATFORMS.md §4.1) where known.
var knownIDLike = map[string][]string{
	"ubuntu":              {"debian"},
	"linuxmint":           {"ubuntu", "debian"},
	"pop":                 {"ubuntu", "debian"},
	"elementary":          {"ubuntu", "debian"},
	"zorin":               {"ubuntu", "debian"},
	"raspbian":            {"debian"},
	"kali":                {"debian"},
	"rhel":                {"fedora"},
	"centos":              {"rhel", "fedora"},
	"rocky":               {"rhel", "centos", "fedora"},
	"almalinux":           {"rhel", "centos", "fedora"},
	"cloudlinux":          {"rhel", "fedora", "centos"},
	"ol":                  {"fedora"},
	"amzn":                {"fedora"},
	"opensuse-leap":       {"suse", "opensuse"},
	"opensuse-tumbleweed": {"opensuse", "suse"},
	"opensuse":            {"suse"},
	"sles":                {"suse"},
	"manjaro":             {"arch"},
	"endeavouros":         {"arch"},
	"postmarketos":        {"alpine"},
}

// idLikeFor is ID_LIKE for a distribution named by ID and version only.
func idLikeFor(id, version string) []string {
	if id == "amzn" && majorOf(version) < 2022 {
		return []string{"centos", "rhel", "fedora"} // Amazon Linux 2 and the AMI
	}
	return slices.Clone(knownIDLike[id])
}

// rhelFamily are the IDs that version like RHEL: yum up to 7, dnf from 8.
var rhelFamily = []string{"rhel", "centos", "rocky", "almalinux", "ol", "cloudlinux", "scientific", "oracle"}

// nativeManagers are the package managers a distribution ships with,
// preferred first, judged from its ID, ID_LIKE and version
// (PLATFORMS.md §4.3): apt for the Debian family; dnf for Fedora 22+,
// RHEL 8+ and Amazon Linux 2023, yum before; zypper for SUSE; pacman for
// Arch; apk for Alpine.
func nativeManagers(d Distro) []string {
	ids := append([]string{d.ID}, d.IDLike...)
	has := func(set ...string) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(set, id) })
	}
	major := majorOf(d.Version)
	switch {
	case has("debian", "ubuntu"):
		return []string{"apt"}
	case d.ID == "amzn":
		if major >= 2022 {
			return []string{"dnf", "yum"}
		}
		return []string{"yum"}
	case has(rhelFamily...):
		if major > 0 && major < 8 {
			return []string{"yum"}
		}
		return []string{"dnf", "yum"}
	case has("fedora"):
		// Fedora's own numbers only: Mageia 5 is "like fedora" too.
		if d.ID == "fedora" && major > 0 && major < 22 {
			return []string{"yum"}
		}
		return []string{"dnf", "yum"}
	case has("suse", "opensuse", "sles") || strings.HasPrefix(d.ID, "opensuse"):
		return []string{"zypper"}
	case has("arch"):
		return []string{"pacman"}
	case has("alpine"):
		return []string{"apk"}
	}
	return nil
}

// majorOf is the leading number of a version ("8.4" is 8), or 0.
func majorOf(version string) int {
	head, _, _ := strings.Cut(version, ".")
	n, err := strconv.Atoi(head)
	if err != nil {
		return 0
	}
	return n
}
