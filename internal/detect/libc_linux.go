package detect

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
)

// hostLibc tells glibc from musl, and its version, without running
// anything: the ELF interpreter of /bin/sh names the C library's loader
// (ld-musl-* is musl). glibc's version is in the loader's file name
// before 2.34 (ld-2.31.so), else in the banner stored inside it; failing
// both, the newest GLIBC_2.x version node of libc.so.6 is a floor. musl's
// version comes from Alpine's package database when there is one.
func hostLibc() Libc {
	interp := ""
	for _, exe := range []string{"/bin/sh", "/usr/bin/env"} {
		if interp = elfInterp(exe); interp != "" {
			break
		}
	}
	if interp == "" {
		// A static shell: a musl system still has its loader in /lib.
		if m, _ := filepath.Glob("/lib/ld-musl-*.so.1"); len(m) > 0 {
			return Libc{Name: "musl", Version: muslVersion()}
		}
		return Libc{}
	}
	if isMuslLoader(interp) {
		return Libc{Name: "musl", Version: muslVersion()}
	}
	return Libc{Name: "glibc", Version: glibcVersion(interp)}
}

// elfInterp is the PT_INTERP path of an ELF executable, or "".
func elfInterp(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP || p.Filesz > 4096 {
			continue
		}
		buf := make([]byte, p.Filesz)
		if _, err := p.ReadAt(buf, 0); err != nil {
			return ""
		}
		return string(bytes.TrimRight(buf, "\x00"))
	}
	return ""
}

// maxLoaderSize bounds the read of ld.so (about 200 KB with glibc 2.36).
const maxLoaderSize = 8 << 20

func glibcVersion(interp string) string {
	loader, err := filepath.EvalSymlinks(interp)
	if err != nil {
		return ""
	}
	if v := glibcVersionFromName(filepath.Base(loader)); v != "" {
		return v
	}
	if fi, err := os.Stat(loader); err == nil && fi.Size() <= maxLoaderSize {
		if data, err := os.ReadFile(loader); err == nil {
			if v := glibcVersionFromBanner(data); v != "" {
				return v
			}
		}
	}
	return libcVersionNode(filepath.Join(filepath.Dir(loader), "libc.so.6"))
}

// libcVersionNode reads libc.so.6's name (libc-2.31.so) or, failing
// that, its newest GLIBC_2.x version definition.
func libcVersionNode(libc string) string {
	resolved, err := filepath.EvalSymlinks(libc)
	if err != nil {
		return ""
	}
	if v := glibcVersionFromName(filepath.Base(resolved)); v != "" {
		return v
	}
	f, err := elf.Open(resolved)
	if err != nil {
		return ""
	}
	defer f.Close()
	defs, err := f.DynamicVersions()
	if err != nil {
		return ""
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	return highestGLIBCVersion(names)
}

func muslVersion() string {
	db, err := os.ReadFile("/lib/apk/db/installed")
	if err != nil {
		return ""
	}
	return muslVersionFromAPK(db)
}
