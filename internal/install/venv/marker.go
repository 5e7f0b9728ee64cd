package venv

import (
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/pep508"
)

// A PEP 508 environment marker ("python_version < '3.8' and sys_platform
// == 'win32'") is evaluated against what envup knows of the target
// without running Python: python_version and python_full_version (the
// base interpreter's), sys_platform, platform_system, os_name and
// platform_machine (the platform's), implementation_name and
// platform_python_implementation (when pyvenv.cfg names the
// implementation), and extra. Anything else — platform_release,
// platform_version, implementation_version, extras, dependency_groups —
// is unknown, and a marker whose answer hangs on an unknown (or on a
// comparison PEP 508 leaves undefined) is taken as true: the requirement
// is kept (pip decides when it runs). Parsing and comparing are
// pep508's, as pip's packaging does them.

// markerEnv holds the marker variables envup knows; the rest are unknown.
type markerEnv map[string]string

// newMarkerEnv is the environment of a venv on p built on python version
// (empty when not known yet) of implementation impl ("CPython", or "").
func newMarkerEnv(p detect.Platform, version, impl string) markerEnv {
	env := markerEnv{}
	py2 := strings.HasPrefix(version, "2.")
	switch p.OS {
	case "windows":
		env["sys_platform"], env["platform_system"], env["os_name"] = "win32", "Windows", "nt"
		env["platform_machine"] = map[string]string{"amd64": "AMD64", "arm64": "ARM64", "386": "x86"}[p.Arch]
	case "macos":
		env["sys_platform"], env["platform_system"], env["os_name"] = "darwin", "Darwin", "posix"
		env["platform_machine"] = map[string]string{"amd64": "x86_64", "arm64": "arm64"}[p.Arch]
	case "linux":
		env["sys_platform"], env["platform_system"], env["os_name"] = "linux", "Linux", "posix"
		if py2 {
			env["sys_platform"] = "linux2"
		}
		env["platform_machine"] = map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "arm": "armv7l"}[p.Arch]
	}
	if env["platform_machine"] == "" {
		delete(env, "platform_machine")
	}
	if m := minorOf(version); m != "" {
		env["python_version"] = m
		if strings.Count(releaseOf(version), ".") >= 2 {
			env["python_full_version"] = version
		}
	}
	if strings.EqualFold(impl, "CPython") {
		env["implementation_name"], env["platform_python_implementation"] = "cpython", "CPython"
	}
	return env
}

// withExtra is env with the extra variable set ("" for none).
func (env markerEnv) withExtra(extra string) markerEnv {
	out := make(markerEnv, len(env)+1)
	for k, v := range env {
		out[k] = v
	}
	out["extra"] = extra
	return out
}

// holds says what marker m says of env; nil (no marker) holds.
func (env markerEnv) holds(m *pep508.Marker) pep508.Truth {
	if m == nil {
		return pep508.True
	}
	return m.Evaluate(pep508.Env{Vars: env})
}
