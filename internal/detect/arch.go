package detect

import (
	"fmt"
	"strings"
)

// archAliases maps what people write to Go's GOARCH names.
var archAliases = map[string]string{
	"amd64": "amd64", "x86_64": "amd64", "x86-64": "amd64", "x64": "amd64",
	"arm64": "arm64", "aarch64": "arm64",
	"386": "386", "x86": "386", "i386": "386", "i486": "386", "i586": "386", "i686": "386",
	"arm": "arm", "armv6l": "arm", "armv7": "arm", "armv7l": "arm", "armhf": "arm",
	"ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64", "loong64": "loong64",
}

// parseArch reads an architecture as Go, uname -m or Debian name it.
func parseArch(s string) (string, error) {
	if a, ok := archAliases[strings.ToLower(s)]; ok {
		return a, nil
	}
	return "", fmt.Errorf("unknown arch %q: want amd64 (x86_64), arm64 (aarch64), 386 (i686), arm, ppc64le, s390x, riscv64 or loong64", s)
}
