package service

import (
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// buildHost is what a build's flags and its chances depend on, read
// from the host by readBuildHost.
type buildHost struct {
	Make    bool   // make is on the PATH
	CC      string // the C compiler found: cc, gcc or clang; "" for none
	OpenSSL string // the prefix OpenSSL's headers are under ("/usr", brew's opt/openssl); "" for none
}

// missing names the build tools the host lacks.
func (h buildHost) missing() []string {
	var out []string
	if !h.Make {
		out = append(out, "make")
	}
	if h.CC == "" {
		out = append(out, "a C compiler")
	}
	return out
}

// buildFlags are make's variables for building kind ver on p with what
// h has. It is pure, so every host's choice is a table test:
//
//   - BUILD_TLS=yes when OpenSSL's headers are there and the server has
//     TLS (Redis 6.0 and later, every Valkey); on macOS with
//     OPENSSL_PREFIX, since Homebrew's OpenSSL is not on the compiler's
//     default paths (the Makefile's own guess misses a moved
//     HOMEBREW_PREFIX).
//   - MALLOC=libc on musl. The bundled jemalloc is Linux's default, and
//     on musl it is the risk: it is built and tested against glibc, and
//     Alpine's own packages build Redis with libc malloc. Elsewhere the
//     default stands: jemalloc on glibc (it configures itself on this
//     host, page size included, so an arm64 kernel with 16K or 64K
//     pages is fine), libc malloc on macOS (the Makefile's choice there).
//   - CC=gcc or CC=clang when the host has no plain cc.
func buildFlags(p detect.Platform, kindName, ver string, h buildHost) []string {
	var flags []string
	if h.OpenSSL != "" && hasTLS(kindName, ver) {
		flags = append(flags, "BUILD_TLS=yes")
		if p.OS == "macos" {
			flags = append(flags, "OPENSSL_PREFIX="+h.OpenSSL)
		}
	}
	if p.OS == "linux" && p.Libc.Name == "musl" {
		flags = append(flags, "MALLOC=libc")
	}
	if h.CC != "" && h.CC != "cc" {
		flags = append(flags, "CC="+h.CC)
	}
	return flags
}

// hasTLS says whether the server can be built with TLS: Redis from 6.0,
// every Valkey.
func hasTLS(kindName, ver string) bool {
	if kindName == "valkey" {
		return true
	}
	v, err := version.NewVersion(ver)
	return err == nil && !v.LessThan(version.Must(version.NewVersion("6.0")))
}

// readBuildHost looks for make, a C compiler and OpenSSL's headers,
// through sys and without running anything. On macOS /usr/bin/make and
// /usr/bin/cc exist even without the Command Line Tools (they only offer
// to install them), so there the tools count when the Command Line Tools
// or Xcode are installed. root ("" for /) is put before the header
// paths, as for package databases (ENVUP_ROOT).
func readBuildHost(sys system.System, p detect.Platform, root string) buildHost {
	var h buildHost
	if p.OS == "macos" {
		for _, dir := range []string{"/Library/Developer/CommandLineTools/usr/bin", "/Applications/Xcode.app/Contents/Developer"} {
			if _, err := sys.Stat(under(root, dir)); err == nil {
				h.Make, h.CC = true, "cc"
			}
		}
	} else {
		_, err := sys.LookPath("make")
		h.Make = err == nil
		for _, cc := range []string{"cc", "gcc", "clang"} {
			if _, err := sys.LookPath(cc); err == nil {
				h.CC = cc
				break
			}
		}
	}
	for _, prefix := range opensslPrefixes(sys, p) {
		if _, err := sys.Stat(under(root, prefix+"/include/openssl/ssl.h")); err == nil {
			h.OpenSSL = prefix
			break
		}
	}
	return h
}

// opensslPrefixes are where a build finds OpenSSL's headers: the
// compiler's default paths on Linux, Homebrew's openssl on macOS.
func opensslPrefixes(sys system.System, p detect.Platform) []string {
	if p.OS == "macos" {
		return []string{brewPrefix(sys, p) + "/opt/openssl"}
	}
	return []string{"/usr", "/usr/local"}
}

// brewPrefix is where Homebrew lives: $HOMEBREW_PREFIX, else its default
// for the host (PLATFORMS.md §3.3).
func brewPrefix(sys system.System, p detect.Platform) string {
	if env := sys.Getenv("HOMEBREW_PREFIX"); env != "" {
		return strings.TrimRight(env, "/")
	}
	switch {
	case p.OS == "linux":
		return "/home/linuxbrew/.linuxbrew"
	case p.Arch == "arm64" && !p.Rosetta:
		return "/opt/homebrew"
	}
	return "/usr/local"
}

// toolsHint names what gives make and a C compiler on p.
func toolsHint(p detect.Platform) string {
	if p.OS == "macos" {
		return "the Xcode Command Line Tools (xcode-select --install)"
	}
	if len(p.Managers) > 0 {
		switch m := p.Managers[0]; m {
		case "apt":
			return "build-essential (apt)"
		case "dnf", "yum", "zypper":
			return "gcc make (" + m + ")"
		case "apk":
			return "build-base (apk)"
		case "pacman":
			return "base-devel (pacman)"
		}
	}
	return "make and a C compiler"
}

// opensslHint names the package with OpenSSL's headers on p.
func opensslHint(p detect.Platform) string {
	if p.OS == "macos" {
		return "openssl@3 (brew)"
	}
	if len(p.Managers) > 0 {
		switch m := p.Managers[0]; m {
		case "apt":
			return "libssl-dev (apt)"
		case "dnf", "yum", "zypper":
			return "openssl-devel (" + m + ")"
		case "apk":
			return "openssl-dev (apk)"
		case "pacman":
			return "openssl (pacman)"
		}
	}
	return "OpenSSL's headers"
}

// under puts a fixed path under root.
func under(root, path string) string {
	if root == "" {
		return path
	}
	return strings.TrimRight(root, "/") + path
}
