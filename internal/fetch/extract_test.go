package fetch

import (
	"archive/tar"
	"archive/zip"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// formats an archive case is built in.
const (
	inTar  = 1 << iota // .tar.gz, .tar.xz, .tar.zst
	inZip              // .zip
	inBoth = inTar | inZip
)

// hostileCase is an archive that must be refused without writing anything
// outside its destination. victim is a folder outside the destination
// holding one file, "target", that the archive tries to reach.
type hostileCase struct {
	name    string
	formats int
	members func(victim string) []member
	opts    ExtractOptions
	want    []error // the error wraps one of these
	// entry is the entry the error must name; empty means the last member.
	entry string
}

func hostileCases() []hostileCase {
	zeros := func(n int) string { return strings.Repeat("\x00", n) }
	return []hostileCase{
		{
			name: "dotdot", formats: inBoth,
			members: func(string) []member { return []member{file("ok.txt", 0o644, "ok"), file("../evil", 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "absolute", formats: inBoth,
			members: func(v string) []member { return []member{file(filepath.ToSlash(v)+"/evil", 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "inner-dotdot", formats: inBoth,
			members: func(string) []member { return []member{dir("a/"), file("a/../../evil", 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "symlink-to-file-then-write-through", formats: inBoth,
			members: func(v string) []member {
				return []member{symlink("passwd", filepath.ToSlash(v)+"/target"), file("passwd", 0o644, "pwned")}
			},
			entry: "passwd",
			want:  []error{ErrUnsafeLink},
		},
		{
			name: "symlink-etc-passwd", formats: inBoth,
			members: func(string) []member { return []member{symlink("etc-passwd", "/etc/passwd")} },
			want:    []error{ErrUnsafeLink},
		},
		{
			name: "symlink-to-dir-then-file-inside", formats: inBoth,
			members: func(v string) []member {
				return []member{symlink("ld", filepath.ToSlash(v)), file("ld/evil", 0o644, "pwned")}
			},
			entry: "ld",
			want:  []error{ErrUnsafeLink},
		},
		{
			name: "symlink-dotdot", formats: inBoth,
			members: func(string) []member { return []member{symlink("up", ".."), file("up/evil", 0o644, "pwned")} },
			entry:   "up",
			want:    []error{ErrUnsafeLink},
		},
		{
			name: "symlink-deep-dotdot", formats: inBoth,
			members: func(string) []member { return []member{dir("a/"), dir("a/b/"), symlink("a/b/up", "../../../target")} },
			want:    []error{ErrUnsafeLink},
		},
		{
			name: "symlink-dotdot-after-link", formats: inBoth,
			// self is harmless, but self/.. climbs from where self points:
			// the destination's parent.
			members: func(string) []member {
				return []member{symlink("self", "."), symlink("esc", "self/.."), file("esc/evil", 0o644, "pwned")}
			},
			entry: "esc",
			want:  []error{ErrUnsafeLink},
		},
		{
			name: "write-through-inside-symlink", formats: inBoth,
			members: func(string) []member { return []member{dir("sub/"), symlink("d", "sub"), file("d/x", 0o644, "x")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "hardlink-dotdot", formats: inTar,
			members: func(string) []member { return []member{hardlink("h", "../target")} },
			want:    []error{ErrUnsafeLink},
		},
		{
			name: "hardlink-absolute-then-write", formats: inTar,
			members: func(v string) []member {
				return []member{hardlink("h", filepath.ToSlash(v)+"/target"), file("h", 0o644, "pwned")}
			},
			entry: "h",
			want:  []error{ErrUnsafeLink},
		},
		{
			name: "char-device", formats: inBoth,
			members: func(string) []member { return []member{{name: "null", typ: tar.TypeChar, mode: 0o666}} },
			want:    []error{ErrSpecialFile},
		},
		{
			name: "fifo", formats: inBoth,
			members: func(string) []member { return []member{{name: "pipe", typ: tar.TypeFifo, mode: 0o644}} },
			want:    []error{ErrSpecialFile},
		},
		{
			name: "backslash-dotdot", formats: inZip,
			members: func(string) []member { return []member{file(`..\evil`, 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "drive-letter-backslash", formats: inZip,
			members: func(string) []member { return []member{file(`C:\evil`, 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "drive-letter-slash", formats: inBoth,
			members: func(string) []member { return []member{file("C:/evil", 0o644, "pwned")} },
			want:    []error{ErrUnsafePath},
		},
		{
			name: "bomb", formats: inBoth,
			members: func(string) []member { return []member{file("zeros", 0o644, zeros(8<<20))} },
			opts:    ExtractOptions{MaxBytes: 1 << 20},
			want:    []error{ErrTooLarge},
		},
		{
			name: "bomb-in-parts", formats: inBoth,
			members: func(string) []member {
				return []member{file("a", 0o644, zeros(600<<10)), file("b", 0o644, zeros(600<<10))}
			},
			opts: ExtractOptions{MaxBytes: 1 << 20},
			want: []error{ErrTooLarge},
		},
		{
			name: "header-claims-more-than-present", formats: inTar,
			members: func(string) []member {
				return []member{file("ok", 0o644, "ok"), {name: "liar", typ: tar.TypeReg, mode: 0o644, body: "short", size: 512 << 10}}
			},
			want: []error{io.ErrUnexpectedEOF},
		},
		{
			name: "header-claims-past-limit", formats: inTar,
			members: func(string) []member {
				return []member{{name: "liar", typ: tar.TypeReg, mode: 0o644, body: "short", size: 2 << 20}}
			},
			opts: ExtractOptions{MaxBytes: 1 << 20},
			want: []error{ErrTooLarge},
		},
		{
			name: "header-claims-less-than-present", formats: inZip,
			members: func(string) []member {
				return []member{{name: "liar", typ: tar.TypeReg, mode: 0o644, body: zeros(2 << 20), size: 10}}
			},
			opts: ExtractOptions{MaxBytes: 1 << 20},
			want: []error{ErrTooLarge, zip.ErrFormat, zip.ErrChecksum},
		},
		{
			name: "too-many-entries", formats: inBoth,
			members: func(string) []member {
				return []member{file("1", 0o644, ""), file("2", 0o644, ""), file("3", 0o644, ""), file("4", 0o644, "")}
			},
			opts: ExtractOptions{MaxEntries: 3},
			want: []error{ErrTooLarge},
		},
	}
}

func TestExtractRefusesHostileArchives(t *testing.T) {
	t.Parallel()
	for _, c := range hostileCases() {
		var builds []compressor
		if c.formats&inTar != 0 {
			builds = append(builds, tarFormats...)
		}
		if c.formats&inZip != 0 {
			builds = append(builds, compressor{".zip", nil})
		}
		for _, b := range builds {
			t.Run(c.name+b.ext, func(t *testing.T) {
				t.Parallel()
				victim := t.TempDir()
				target := filepath.Join(victim, "target")
				if err := os.WriteFile(target, []byte("original"), 0o644); err != nil {
					t.Fatal(err)
				}
				members := c.members(victim)
				var data []byte
				if b.pack == nil {
					data = zipBytes(t, members)
				} else {
					data = b.pack(t, tarBytes(t, members))
				}
				archive := writeArchive(t, "hostile"+b.ext, data)
				parent := t.TempDir()
				dest := filepath.Join(parent, "out")

				err := Extract(archive, dest, c.opts)

				// Whatever happened, nothing may have reached the victim.
				defer assertNothingWritten(t, parent, victim)
				if err == nil {
					t.Fatalf("Extract succeeded; want an error wrapping one of %v", c.want)
				}
				t.Logf("error: %v", err)
				if !slices.ContainsFunc(c.want, func(w error) bool { return errors.Is(err, w) }) {
					t.Errorf("error = %v; want one wrapping %v", err, c.want)
				}
				var xe *ExtractError
				if !errors.As(err, &xe) {
					t.Fatalf("error %v is not an *ExtractError", err)
				}
				wantEntry := c.entry
				if wantEntry == "" {
					wantEntry = members[len(members)-1].name
				}
				if xe.Archive != archive || xe.Entry != wantEntry {
					t.Errorf("error names archive %q entry %q; want %q, %q", xe.Archive, xe.Entry, archive, wantEntry)
				}
				if !strings.Contains(err.Error(), archive) || !strings.Contains(err.Error(), wantEntry) {
					t.Errorf("message %q does not name the archive and the entry", err)
				}
			})
		}
	}
}

// assertNothingWritten checks that a failed Extract left its destination's
// parent empty (no destination, no staging folder, nothing escaped next
// to them) and the victim folder as it was.
func assertNothingWritten(t *testing.T, parent, victim string) {
	t.Helper()
	if got := listing(t, parent); len(got) != 0 {
		t.Errorf("parent of the destination holds %v; want nothing", got)
	}
	if got := listing(t, victim); !slices.Equal(got, []string{"target"}) {
		t.Errorf("victim folder holds %v; want only target", got)
	}
	if b, err := os.ReadFile(filepath.Join(victim, "target")); err != nil || string(b) != "original" {
		t.Errorf("victim target = %q, %v; want it untouched", b, err)
	}
}

// TestTreeCountsWrittenBytes feeds the writer an entry whose header claims
// 10 bytes and carries 4096: the limit is met by counting, not by trusting.
func TestTreeCountsWrittenBytes(t *testing.T) {
	t.Parallel()
	tr := &tree{ctx: t.Context(), root: t.TempDir(), left: 1000, maxEntries: 10}
	err := tr.add(entry{name: "liar", kind: kindFile, mode: 0o644, size: 10, body: strings.NewReader(strings.Repeat("x", 4096))})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("add = %v; want ErrTooLarge", err)
	}
}

func goodMembers(withHardlink bool) []member {
	m := []member{
		dir("python/"),
		dir("python/bin/"),
		file("python/bin/python3", 0o755, "#!/bin/sh\necho python\n"),
		symlink("python/bin/python", "python3"),
		file("python/lib/os.py", 0o644, "import sys\n"),
		file("python/share/readonly.txt", 0o444, "ro\n"),
		file("./python/lib/pkg/deep.py", 0o600, "deep\n"),
		symlink("python/lib/pkg/up", "../os.py"),
	}
	if withHardlink {
		m = append(m, hardlink("python/bin/python3.12", "python/bin/python3"))
	}
	return m
}

func TestExtractGoodArchives(t *testing.T) {
	t.Parallel()
	type build struct {
		name     string
		data     func(t *testing.T) []byte
		hardlink bool
	}
	tarball := func(t *testing.T) []byte { return tarBytes(t, goodMembers(true)) }
	builds := []build{
		{"good.tar.gz", func(t *testing.T) []byte { return gzipBytes(t, tarball(t)) }, true},
		{"good.tgz", func(t *testing.T) []byte { return gzipBytes(t, tarball(t)) }, true},
		{"good.tar.xz", func(t *testing.T) []byte { return xzBytes(t, tarball(t)) }, true},
		{"good.tar.zst", func(t *testing.T) []byte { return zstdBytes(t, tarball(t)) }, true},
		{"good.tar", tarball, true},
		{"good.zip", func(t *testing.T) []byte { return zipBytes(t, goodMembers(false)) }, false},
		// Cached files are named by digest: the magic bytes tell.
		{"gz-by-magic", func(t *testing.T) []byte { return gzipBytes(t, tarball(t)) }, true},
		{"xz-by-magic", func(t *testing.T) []byte { return xzBytes(t, tarball(t)) }, true},
		{"zst-by-magic", func(t *testing.T) []byte { return zstdBytes(t, tarball(t)) }, true},
		{"zip-by-magic", func(t *testing.T) []byte { return zipBytes(t, goodMembers(false)) }, false},
		{"tar-by-magic", tarball, true},
	}
	for _, b := range builds {
		for _, strip := range []int{0, 1} {
			t.Run(b.name+"/strip"+string(rune('0'+strip)), func(t *testing.T) {
				t.Parallel()
				archive := writeArchive(t, b.name, b.data(t))
				parent := t.TempDir()
				dest := filepath.Join(parent, "out")
				if err := Extract(archive, dest, ExtractOptions{StripComponents: strip}); err != nil {
					t.Fatalf("Extract: %v", err)
				}
				if got := listing(t, parent); !slices.Equal(got, []string{"out"}) {
					t.Errorf("parent holds %v; want only out (no staging left)", got)
				}
				root := dest
				if strip == 0 {
					root = filepath.Join(dest, "python")
				}
				checkGoodTree(t, root, b.hardlink)
			})
		}
	}
}

func checkGoodTree(t *testing.T, root string, hardlink bool) {
	t.Helper()
	wantFiles := map[string]string{
		"bin/python3":        "#!/bin/sh\necho python\n",
		"lib/os.py":          "import sys\n",
		"share/readonly.txt": "ro\n",
		"lib/pkg/deep.py":    "deep\n",
		"bin/python":         "#!/bin/sh\necho python\n", // through the link
		"lib/pkg/up":         "import sys\n",
		"bin/python3.12":     "#!/bin/sh\necho python\n",
	}
	if !hardlink {
		delete(wantFiles, "bin/python3.12")
	}
	for name, want := range wantFiles {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if target, err := os.Readlink(filepath.Join(root, "bin", "python")); err != nil || target != "python3" {
		t.Errorf("bin/python links to %q, %v; want python3", target, err)
	}
	if filepath.Separator != '/' {
		return // permission bits below are POSIX
	}
	wantModes := map[string]fs.FileMode{
		"bin/python3":        0o755,
		"lib/os.py":          0o644,
		"share/readonly.txt": 0o644, // the owner may always write
		"lib/pkg/deep.py":    0o600,
		"bin":                0o755,
	}
	for name, want := range wantModes {
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %04o; want %04o", name, got, want)
		}
	}
	fi, err := os.Stat(filepath.Join(root, "lib", "os.py"))
	if err == nil && !fi.ModTime().Equal(testTime) {
		t.Errorf("lib/os.py modified %v; want the archive's %v", fi.ModTime(), testTime)
	}
	if hardlink {
		a, errA := os.Stat(filepath.Join(root, "bin", "python3"))
		b, errB := os.Stat(filepath.Join(root, "bin", "python3.12"))
		if errA != nil || errB != nil || !os.SameFile(a, b) {
			t.Errorf("bin/python3.12 is not a hard link of bin/python3 (%v, %v)", errA, errB)
		}
	}
}

func TestExtractFailsWithoutLeavingAnything(t *testing.T) {
	t.Parallel()
	good := func(t *testing.T) []byte { return gzipBytes(t, tarBytes(t, goodMembers(true))) }
	cases := []struct {
		name    string
		archive func(t *testing.T) string
		want    error
	}{
		{"unknown format", func(t *testing.T) string {
			return writeArchive(t, "notes.txt", []byte("just some text, no archive"))
		}, ErrUnknownFormat},
		{"truncated gzip", func(t *testing.T) string {
			b := good(t)
			return writeArchive(t, "cut.tar.gz", b[:len(b)/2])
		}, io.ErrUnexpectedEOF},
		{"missing archive", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "absent.tar.gz")
		}, fs.ErrNotExist},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			err := Extract(c.archive(t), filepath.Join(parent, "out"), ExtractOptions{})
			if !errors.Is(err, c.want) {
				t.Errorf("Extract = %v; want %v", err, c.want)
			}
			if got := listing(t, parent); len(got) != 0 {
				t.Errorf("parent holds %v; want nothing", got)
			}
		})
	}
}

func TestExtractRefusesExistingDestination(t *testing.T) {
	t.Parallel()
	archive := writeArchive(t, "a.tar.gz", gzipBytes(t, tarBytes(t, goodMembers(true))))
	parent := t.TempDir()
	dest := filepath.Join(parent, "out")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "mine"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Extract(archive, dest+string(filepath.Separator), ExtractOptions{})
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Extract = %v; want fs.ErrExist", err)
	}
	if got := listing(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %v; want only out", got)
	}
	if got := listing(t, dest); !slices.Equal(got, []string{"mine"}) {
		t.Errorf("destination holds %v; want it untouched", got)
	}
}

func TestEntryPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		strip int
		rel   string
		skip  bool
		bad   bool
	}{
		{"a/b", 0, "a/b", false, false},
		{"./a//b/", 0, "a/b", false, false},
		{"python/bin/x", 1, "bin/x", false, false},
		{"python/", 1, "", true, false},
		{"./", 0, "", true, false},
		{"../x", 0, "", false, true},
		{"a/../b", 0, "", false, true},
		{"/x", 0, "", false, true},
		{`a\b`, 0, "", false, true},
		{"C:x", 0, "", false, true},
		{"a\x00b", 0, "", false, true},
		{"", 0, "", false, true},
	}
	for _, c := range cases {
		rel, skip, err := entryPath(c.name, c.strip)
		if (err != nil) != c.bad || rel != c.rel || skip != c.skip {
			t.Errorf("entryPath(%q, %d) = %q, %v, %v; want %q, %v, bad=%v", c.name, c.strip, rel, skip, err, c.rel, c.skip, c.bad)
		}
	}
}

func TestLinkTarget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rel, target string
		ok          bool
	}{
		{"bin/python", "python3", true},
		{"bin/npm", "../lib/node_modules/npm/bin/npm-cli.js", true},
		{"a/b/c", "../../x", true},
		{"self", ".", true},
		{"a", "../x", false},
		{"a/b", "../../x", false},
		{"a", "/etc/passwd", false},
		{"a", `C:\Windows`, false},
		{"a", `..\x`, false},
		{"a", "b/../../x", false},
		{"a", "b/..", false},
		{"a", "", false},
	}
	for _, c := range cases {
		err := linkTarget(c.rel, c.target)
		if (err == nil) != c.ok {
			t.Errorf("linkTarget(%q, %q) = %v; want ok=%v", c.rel, c.target, err, c.ok)
		}
	}
}

func TestFetcherExtractStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	archive := writeArchive(t, "a.tar.gz", gzipBytes(t, tarBytes(t, goodMembers(true))))
	f, _ := newFetcher(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	parent := t.TempDir()
	if err := f.Extract(ctx, archive, filepath.Join(parent, "out"), 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Extract = %v; want context.Canceled", err)
	}
	if got := listing(t, parent); len(got) != 0 {
		t.Errorf("parent holds %v; want nothing", got)
	}
	if err := f.Extract(t.Context(), archive, filepath.Join(parent, "out"), 1); err != nil {
		t.Fatal(err)
	}
	checkGoodTree(t, filepath.Join(parent, "out"), true)
}
