package detect

import (
	"fmt"
	"strconv"
	"strings"
)

// macNames10 are the names of Mac OS X 10.0 to 10.15, by minor version
// (PLATFORMS.md §3.1).
var macNames10 = []string{
	"cheetah", "puma", "jaguar", "panther", "tiger", "leopard",
	"snow leopard", "lion", "mountain lion", "mavericks", "yosemite",
	"el capitan", "sierra", "high sierra", "mojave", "catalina",
	"big sur", // 10.16 is what Big Sur reports in compatibility mode
}

// macNames are the names of macOS 11 and later, by major version. After
// 15 Apple numbered by the year: 26.
var macNames = map[int]string{
	11: "big sur",
	12: "monterey",
	13: "ventura",
	14: "sonoma",
	15: "sequoia",
	26: "tahoe",
}

// MacName is the name of a macOS version: "10.7.5" is "lion", "10.8" is
// "mountain lion", "14.0" is "sonoma", "26" is "tahoe"; "10.16" is "big
// sur". A version with no known name is "macos <major>"; one that is not
// a version at all is "".
func MacName(version string) string {
	major, minor, ok := macMajorMinor(version)
	if !ok {
		return ""
	}
	if major == 10 {
		if minor < len(macNames10) {
			return macNames10[minor]
		}
		return fmt.Sprintf("macos 10.%d", minor)
	}
	if name, ok := macNames[major]; ok {
		return name
	}
	return fmt.Sprintf("macos %d", major)
}

// macMajorMinor splits "10.7.5" into 10 and 7, "14" into 14 and 0.
func macMajorMinor(version string) (major, minor int, ok bool) {
	parts := strings.Split(strings.TrimSpace(version), ".")
	nums := make([]int, 2)
	if len(parts) > 3 {
		return 0, 0, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, 0, false
		}
		if i < 2 {
			nums[i] = n
		}
	}
	return nums[0], nums[1], true
}

// macVersionFromDarwin is the macOS major version a Darwin kernel release
// belongs to, by Homebrew's rule (PLATFORMS.md §3.1): Darwin 5 to 19 are
// 10.1 to 10.15, 20 to 24 are 11 to 15, 25 is 26, and from 27 on the
// numbers agree. It is "" for anything else.
func macVersionFromDarwin(kernel string) string {
	head, _, _ := strings.Cut(kernel, ".")
	d, err := strconv.Atoi(head)
	switch {
	case err != nil || d < 5:
		return ""
	case d < 20:
		return fmt.Sprintf("10.%d", d-4)
	case d < 25:
		return strconv.Itoa(d - 9)
	case d == 25:
		return "26"
	}
	return strconv.Itoa(d)
}
