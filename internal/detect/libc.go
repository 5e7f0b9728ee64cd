package detect

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// isMuslLoader tells whether an ELF interpreter path is musl's loader,
// /lib/ld-musl-<arch>.so.1 (pypa/packaging _musllinux.py).
func isMuslLoader(interp string) bool {
	return strings.HasPrefix(path.Base(interp), "ld-musl-")
}

// glibcFileVersion reads the version in the name of a glibc file before
// 2.34, when the loader and libc were ld-2.31.so and libc-2.31.so behind
// their ld-linux-*.so.2 and libc.so.6 links.
var glibcFileVersion = regexp.MustCompile(`^(?:ld|libc)-(\d+\.\d+)\.so$`)

func glibcVersionFromName(base string) string {
	if m := glibcFileVersion.FindStringSubmatch(base); m != nil {
		return m[1]
	}
	return ""
}

// glibcBanner is the end of the banner glibc's ld.so and libc.so.6 print
// when run ("ld.so (Debian GLIBC 2.36-9+deb12u4) stable release version
// 2.36."); it is stored in the file as text.
var glibcBanner = regexp.MustCompile(`release version (\d+\.\d+)`)

// glibcVersionFromBanner finds the release in a glibc loader's or
// library's bytes.
func glibcVersionFromBanner(data []byte) string {
	i := bytes.Index(data, []byte("release version "))
	if i < 0 {
		return ""
	}
	if m := glibcBanner.FindSubmatch(data[i:min(len(data), i+40)]); m != nil {
		return string(m[1])
	}
	return ""
}

// highestGLIBCVersion is the newest GLIBC_2.x among a libc's ELF version
// definitions. It is a floor, not the release: a release that added no
// symbol has no node of its own (x86-64 has none for 2.19 to 2.21).
func highestGLIBCVersion(names []string) string {
	best, bestMinor := "", -1
	for _, n := range names {
		v, ok := strings.CutPrefix(n, "GLIBC_2.")
		if !ok {
			continue
		}
		minorText, _, _ := strings.Cut(v, ".")
		minor, err := strconv.Atoi(minorText)
		if err != nil {
			continue
		}
		if minor > bestMinor {
			best, bestMinor = "2."+minorText, minor
		}
	}
	return best
}

// muslVersionFromAPK finds musl's version in Alpine's package database,
// /lib/apk/db/installed ("P:musl" then "V:1.2.4-r2" gives 1.2.4): musl
// keeps no version string in its file to read.
func muslVersionFromAPK(db []byte) string {
	for block := range bytes.SplitSeq(db, []byte("\n\n")) {
		if !bytes.HasPrefix(block, []byte("P:musl\n")) && !bytes.Contains(block, []byte("\nP:musl\n")) {
			continue
		}
		for line := range bytes.SplitSeq(block, []byte("\n")) {
			if v, ok := bytes.CutPrefix(line, []byte("V:")); ok {
				// 1.2.4_git20230717-r4: Alpine's snapshot and package
				// revision suffixes are not musl's.
				version, _, _ := strings.Cut(string(v), "-r")
				version, _, _ = strings.Cut(version, "_")
				return version
			}
		}
	}
	return ""
}
