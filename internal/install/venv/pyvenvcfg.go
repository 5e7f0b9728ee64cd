package venv

import (
	"strconv"
	"strings"
)

// Config is what a venv's pyvenv.cfg says. Every tool that makes venvs
// writes one, with different keys:
//
//   - venv (3.3+): home, include-system-site-packages, version; from 3.11
//     also executable and command; prompt (quoted, as Python's repr) when
//     --prompt was given.
//   - virtualenv (20+): home, implementation, version_info
//     ("3.11.2.final.0"), virtualenv, include-system-site-packages,
//     base-prefix, base-exec-prefix, base-executable, prompt.
//   - uv: home, implementation, uv, version_info ("3.12.7"; early uv
//     wrote only "3.12"), include-system-site-packages, and sometimes
//     relocatable, seed, prompt (uv's crates/uv-virtualenv writes these).
//
// Keys are compared in lower case, as CPython's site.py does.
type Config struct {
	Home               string `json:"home"`
	Version            string `json:"version,omitempty"` // "3.11.2", from version or version_info
	Implementation     string `json:"implementation,omitempty"`
	Executable         string `json:"executable,omitempty"`      // venv 3.11+
	BaseExecutable     string `json:"base_executable,omitempty"` // virtualenv
	BasePrefix         string `json:"base_prefix,omitempty"`     // virtualenv
	SystemSitePackages bool   `json:"system_site_packages"`
	Prompt             string `json:"prompt,omitempty"`
	Tool               string `json:"tool"` // venv, virtualenv or uv
	ToolVersion        string `json:"tool_version,omitempty"`
}

// ParseConfig reads a pyvenv.cfg. Lines without "=" and comments are
// skipped, as site.py skips them.
func ParseConfig(data []byte) Config {
	c := Config{Tool: "venv"}
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "home":
			c.Home = val
		case "version":
			c.Version = val
		case "version_info":
			if c.Version == "" {
				c.Version = releaseOf(val)
			}
		case "implementation":
			c.Implementation = val
		case "executable":
			c.Executable = val
		case "base-executable":
			c.BaseExecutable = val
		case "base-prefix":
			c.BasePrefix = val
		case "include-system-site-packages":
			c.SystemSitePackages = strings.EqualFold(val, "true")
		case "prompt":
			c.Prompt = unquote(val)
		case "virtualenv":
			c.Tool, c.ToolVersion = "virtualenv", val
		case "uv":
			c.Tool, c.ToolVersion = "uv", val
		}
	}
	return c
}

// releaseOf drops virtualenv's ".final.0" (or ".candidate.1") tail from
// a version_info: "3.11.2.final.0" is 3.11.2.
func releaseOf(v string) string {
	parts := strings.Split(v, ".")
	n := 0
	for n < len(parts) && n < 3 {
		if _, err := strconv.Atoi(parts[n]); err != nil {
			break
		}
		n++
	}
	if n == 0 {
		return v
	}
	return strings.Join(parts[:n], ".")
}

// unquote undoes venv's repr() of the prompt: 'study hall' is study hall.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		inner := s[1 : len(s)-1]
		inner = strings.ReplaceAll(inner, `\'`, `'`)
		inner = strings.ReplaceAll(inner, `\"`, `"`)
		return strings.ReplaceAll(inner, `\\`, `\`)
	}
	return s
}

// minorOf is a version's major.minor: "3.11.2" is 3.11; "" when the
// version does not start with two numbers.
func minorOf(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return ""
	}
	for _, p := range parts[:2] {
		if _, err := strconv.Atoi(p); err != nil {
			return ""
		}
	}
	return parts[0] + "." + parts[1]
}

// versionAtLeast says whether major.minor v is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(minorOf(v), ".", 2)
	if len(parts) != 2 {
		return true // unknown: assume a current Python
	}
	ma, _ := strconv.Atoi(parts[0])
	mi, _ := strconv.Atoi(parts[1])
	return ma > major || ma == major && mi >= minor
}
