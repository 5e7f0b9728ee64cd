// Package systemtest is a system.System for tests: files are real files
// (under the test's temp dirs, so reads and writes behave as on a host),
// while commands, the environment, the PATH, the registry and downloads
// are the test's own.
//
// A command runs only when the test scripted it (Expect, Allow,
// AllowPrefix, AllowAny); any other fails the test with its argv, as an
// unknown request fails a cli/cli HTTP fake. Every method of
// system.System is written out (nothing is embedded), so a new verb
// fails to compile here until it is handled, rather than nil-panicking
// in some test.
//
//	sys := systemtest.New(t).WithEnv("HOME", home)
//	sys.Expect(systemtest.Query, "dpkg-query", "-W").Stdout("jq\n")
//	sys.Expect(systemtest.Run, "apt-get", "install", "-y", "jq")
//	... // the resource runs against sys
//	if got := sys.Ran(); ...
package systemtest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/system"
)

// Verb names a method of system.System, as the log and Hook see it.
type Verb string

// The verbs Expect, Allow, AllowPrefix and AllowAny script.
const (
	Query Verb = "Query"
	Run   Verb = "Run"
	Spawn Verb = "Spawn"
)

// The other verbs a Hook sees and the log keeps (reads are not logged).
const (
	Stat        Verb = "Stat"
	Lstat       Verb = "Lstat"
	ReadFile    Verb = "ReadFile"
	ReadDir     Verb = "ReadDir"
	Readlink    Verb = "Readlink"
	WriteFile   Verb = "WriteFile"
	MkdirAll    Verb = "MkdirAll"
	Rename      Verb = "Rename"
	Remove      Verb = "Remove"
	RemoveAll   Verb = "RemoveAll"
	Symlink     Verb = "Symlink"
	Chmod       Verb = "Chmod"
	Link        Verb = "Link"
	LinkTree    Verb = "LinkTree"
	Download    Verb = "Download"
	Extract     Verb = "Extract"
	Registry    Verb = "Registry"
	SetRegistry Verb = "SetRegistry"
)

// System is a test's host. Its zero value is not usable: make one with
// New, NewChroot or NewWindows. It is safe for concurrent use.
type System struct {
	t    testing.TB
	root string
	mode mode
	real *system.Real // the file verbs, on local paths

	mu        sync.Mutex
	env       map[string]string
	path      map[string]string
	registry  map[string]system.RegValue // by lower-case key\name
	downloads map[string]string
	hook      func(v Verb, name string) error
	confined  bool
	expected  []*Answer // Expect: in order, once each
	allowed   []*Answer // Allow, AllowPrefix and AllowAny: any order, any number of times
	log       []entry
}

type mode int

const (
	asIs    mode = iota // a path is this machine's
	chroot              // /usr/bin/x is Root/usr/bin/x
	windows             // C:\Users\x is Root/C/Users/x
)

// entry is one change or command, as the log keeps it.
type entry struct {
	verb    Verb
	subject string
	cmd     system.Cmd // commands only
}

// New returns a System whose files are this machine's, at the paths
// given: a test keeps them under Root or its own t.TempDir().
func New(t testing.TB) *System { return newSystem(t, asIs) }

// NewChroot returns a System that sees a Linux or macOS host laid out
// under Root, as a chroot would: "/usr/bin/python3" is
// Root/usr/bin/python3. A symlink's target is kept as written, so an
// absolute one names a host path.
func NewChroot(t testing.TB) *System { return newSystem(t, chroot) }

// NewWindows returns a System that sees a Windows host laid out under
// Root: `C:\Users\ana` is Root/C/Users/ana. LookPath searches the PATH
// set with WithEnv by ";" and PATHEXT. Names keep this machine's case
// rules: `C:\X` and `C:\x` are two files here.
func NewWindows(t testing.TB) *System { return newSystem(t, windows) }

func newSystem(t testing.TB, m mode) *System {
	t.Helper()
	s := &System{
		t: t, root: t.TempDir(), mode: m, real: system.NewReal(),
		env: map[string]string{}, path: map[string]string{},
		registry: map[string]system.RegValue{}, downloads: map[string]string{},
	}
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, a := range s.expected {
			t.Errorf("systemtest: expected %s never ran: %s", a.verb, system.Quote(a.argv))
		}
	})
	return s
}

// Root is the temp dir the System's files live under (NewChroot,
// NewWindows), or one a test may use for them (New).
func (s *System) Root() string { return s.root }

// Local returns where a host path lives on this machine: name itself
// for New, under Root for NewChroot and NewWindows.
func (s *System) Local(name string) string {
	switch s.mode {
	case chroot:
		return filepath.Join(s.root, filepath.FromSlash(name))
	case windows:
		name = strings.ReplaceAll(name, `\`, "/")
		if len(name) >= 2 && name[1] == ':' {
			name = "/" + strings.ToUpper(name[:1]) + name[2:]
		}
		return filepath.Join(s.root, filepath.FromSlash(name))
	}
	return name
}

// WithEnv sets a variable Getenv answers; no other variable is set.
func (s *System) WithEnv(key, value string) *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.env[key] = value
	return s
}

// WithPath makes LookPath(file) answer path, before any PATH search.
func (s *System) WithPath(file, path string) *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.path[file] = path
	return s
}

// WithRegistry sets a registry value (the key is matched without regard
// to case, as Windows does), without logging it as a change.
func (s *System) WithRegistry(key, name string, v system.RegValue) *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registry[regKey(key, name)] = v
	return s
}

// WithDownload makes Download(url, …) answer file, a path on this machine.
func (s *System) WithDownload(url, file string) *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.downloads[url] = file
	return s
}

// Hook has f called first by every file, registry, Download and
// Extract verb, with the verb and the host path it names (key\name for
// the registry, the URL for Download). An error f returns is the
// verb's answer: a Link that cannot be made, a Stat that is denied. f
// may also count or record; it must not call the System.
func (s *System) Hook(f func(v Verb, name string) error) *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = f
	return s
}

// Confine makes a New System's files only those under Root: any other
// path is missing (fs.ErrNotExist), but for the folders that lead to
// Root. A test that runs real programs on real paths (so it cannot use
// NewChroot) keeps the host under Root, and this machine's own files
// (the pythons in its /usr/bin) cannot answer for it.
func (s *System) Confine() *System {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.confined = true
	return s
}

// Log returns what was done through the verbs named, in order: each
// command's quoted argv (system.Quote), each file verb's path ("old
// new" for Rename, Symlink and Link), "key\name = data" for
// SetRegistry, the URL for Download, "archive dest" for Extract. With
// no verbs it returns every entry as "Verb subject". Reads are not logged.
func (s *System) Log(verbs ...Verb) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.log {
		switch {
		case len(verbs) == 0:
			out = append(out, string(e.verb)+" "+e.subject)
		case slices.Contains(verbs, e.verb):
			out = append(out, e.subject)
		}
	}
	return out
}

// Ran returns the commands run through Query, Run and Spawn, in order,
// each as its quoted argv.
func (s *System) Ran() []string { return s.Log(Query, Run, Spawn) }

// Cmds returns the commands run through the verbs named (all three when
// none), for a test that checks their Dir, Env or Stdin.
func (s *System) Cmds(verbs ...Verb) []system.Cmd {
	if len(verbs) == 0 {
		verbs = []Verb{Query, Run, Spawn}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []system.Cmd
	for _, e := range s.log {
		if slices.Contains(verbs, e.verb) {
			out = append(out, e.cmd)
		}
	}
	return out
}

func (s *System) record(v Verb, subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, entry{verb: v, subject: subject})
}

// check calls the hook, if any.
func (s *System) check(v Verb, name string) error {
	s.mu.Lock()
	hook, confined := s.hook, s.confined
	s.mu.Unlock()
	if hook != nil {
		if err := hook(v, name); err != nil {
			return err
		}
	}
	switch v {
	case Download, Registry, SetRegistry: // not paths
	default:
		if local := s.Local(name); confined && !within(local, s.root) && !within(s.root, local) {
			return &fs.PathError{Op: strings.ToLower(string(v)), Path: name, Err: fs.ErrNotExist}
		}
	}
	return nil
}

// within says whether path a is dir or under it.
func within(a, dir string) bool {
	rel, err := filepath.Rel(dir, a)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Stat stats the file at Local(name).
func (s *System) Stat(name string) (fs.FileInfo, error) {
	if err := s.check(Stat, name); err != nil {
		return nil, err
	}
	return s.real.Stat(s.Local(name))
}

// Lstat lstats the file at Local(name).
func (s *System) Lstat(name string) (fs.FileInfo, error) {
	if err := s.check(Lstat, name); err != nil {
		return nil, err
	}
	return s.real.Lstat(s.Local(name))
}

// ReadFile reads the file at Local(name).
func (s *System) ReadFile(name string) ([]byte, error) {
	if err := s.check(ReadFile, name); err != nil {
		return nil, err
	}
	return s.real.ReadFile(s.Local(name))
}

// ReadDir reads the directory at Local(name).
func (s *System) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := s.check(ReadDir, name); err != nil {
		return nil, err
	}
	return s.real.ReadDir(s.Local(name))
}

// Readlink reads the link at Local(name): its target as written.
func (s *System) Readlink(name string) (string, error) {
	if err := s.check(Readlink, name); err != nil {
		return "", err
	}
	return s.real.Readlink(s.Local(name))
}

// LookPath answers from WithPath, then searches the PATH WithEnv set
// (under Root for NewChroot and NewWindows) for a regular file (with
// an execute bit, off Windows; with a PATHEXT extension, on Windows).
func (s *System) LookPath(file string) (string, error) {
	s.mu.Lock()
	p, ok := s.path[file]
	pathEnv, pathExt := s.env["PATH"], s.env["PATHEXT"]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	sep, join, exts := ":", func(dir string) string { return filepath.Join(dir, file) }, []string{""}
	if s.mode == windows {
		sep, join = ";", func(dir string) string { return strings.TrimRight(dir, `\`) + `\` + file }
		if pathExt == "" {
			pathExt = ".COM;.EXE;.BAT;.CMD"
		}
		if filepath.Ext(file) == "" {
			exts = strings.Split(strings.ToLower(pathExt), ";")
		}
	}
	if pathEnv != "" && !strings.ContainsAny(file, `/\`) {
		for _, dir := range strings.Split(pathEnv, sep) {
			for _, ext := range exts {
				if dir == "" {
					continue
				}
				name := join(dir) + ext
				fi, err := os.Stat(s.Local(name))
				if err == nil && fi.Mode().IsRegular() && (s.mode == windows || fi.Mode()&0o111 != 0) {
					return name, nil
				}
			}
		}
	}
	return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
}

// Getenv answers from WithEnv: any other variable is empty.
func (s *System) Getenv(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.env[key]
}

// WriteFile writes the file at Local(name) atomically, as system.Real.
func (s *System) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if err := s.check(WriteFile, name); err != nil {
		return err
	}
	s.record(WriteFile, name)
	return s.real.WriteFile(s.Local(name), data, perm)
}

// MkdirAll makes the directory at Local(name).
func (s *System) MkdirAll(name string, perm fs.FileMode) error {
	if err := s.check(MkdirAll, name); err != nil {
		return err
	}
	s.record(MkdirAll, name)
	return s.real.MkdirAll(s.Local(name), perm)
}

// Rename moves Local(oldpath) to Local(newpath).
func (s *System) Rename(oldpath, newpath string) error {
	if err := s.check(Rename, oldpath); err != nil {
		return err
	}
	s.record(Rename, oldpath+" "+newpath)
	return s.real.Rename(s.Local(oldpath), s.Local(newpath))
}

// Remove removes the file at Local(name).
func (s *System) Remove(name string) error {
	if err := s.check(Remove, name); err != nil {
		return err
	}
	s.record(Remove, name)
	return s.real.Remove(s.Local(name))
}

// RemoveAll removes the tree at Local(name).
func (s *System) RemoveAll(name string) error {
	if err := s.check(RemoveAll, name); err != nil {
		return err
	}
	s.record(RemoveAll, name)
	return s.real.RemoveAll(s.Local(name))
}

// Symlink makes Local(newname) a link holding oldname as written.
func (s *System) Symlink(oldname, newname string) error {
	if err := s.check(Symlink, newname); err != nil {
		return err
	}
	s.record(Symlink, oldname+" "+newname)
	return s.real.Symlink(oldname, s.Local(newname))
}

// Chmod changes the mode of the file at Local(name).
func (s *System) Chmod(name string, mode fs.FileMode) error {
	if err := s.check(Chmod, name); err != nil {
		return err
	}
	s.record(Chmod, name)
	return s.real.Chmod(s.Local(name), mode)
}

// Link makes Local(newname) a hard link to Local(oldname).
func (s *System) Link(oldname, newname string) error {
	if err := s.check(Link, newname); err != nil {
		return err
	}
	s.record(Link, oldname+" "+newname)
	return s.real.Link(s.Local(oldname), s.Local(newname))
}

// LinkTree links (or copies) Local(src)'s tree into Local(dst).
func (s *System) LinkTree(src, dst string) error {
	if err := s.check(LinkTree, dst); err != nil {
		return err
	}
	s.record(LinkTree, src+" "+dst)
	return s.real.LinkTree(s.Local(src), s.Local(dst))
}

// Download answers the file WithDownload named for url, once it matches
// sha256 as the real fetcher checks (a wrong digest is a
// *fetch.DigestError); any other URL fails the test.
func (s *System) Download(_ context.Context, url, sha256 string) (string, error) {
	if err := s.check(Download, url); err != nil {
		return "", err
	}
	s.record(Download, url)
	s.mu.Lock()
	file, ok := s.downloads[url]
	s.mu.Unlock()
	if !ok {
		s.t.Errorf("systemtest: unexpected Download %s", url)
		return "", fmt.Errorf("download %s: systemtest: not scripted", url)
	}
	if err := fetch.Verified(file, sha256); err != nil {
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	return file, nil
}

// Extract unpacks the archive at Local(archive) into Local(dest), as
// system.Real's fetcher does: a file verb like the others, on real files.
func (s *System) Extract(_ context.Context, archive, dest string, strip int) error {
	if err := s.check(Extract, archive); err != nil {
		return err
	}
	s.record(Extract, archive+" "+dest)
	return fetch.Extract(s.Local(archive), s.Local(dest), fetch.ExtractOptions{StripComponents: strip})
}

func regKey(key, name string) string { return strings.ToLower(key + `\` + name) }

// Registry answers from the values WithRegistry and SetRegistry set; any
// other is fs.ErrNotExist, as on a real host.
func (s *System) Registry(key, name string) (system.RegValue, error) {
	if err := s.check(Registry, key+`\`+name); err != nil {
		return system.RegValue{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.registry[regKey(key, name)]; ok {
		return v, nil
	}
	return system.RegValue{}, &fs.PathError{Op: "registry", Path: key + `\` + name, Err: fs.ErrNotExist}
}

// SetRegistry keeps the value, so Registry reads it back.
func (s *System) SetRegistry(key, name string, v system.RegValue) error {
	if err := s.check(SetRegistry, key+`\`+name); err != nil {
		return err
	}
	s.record(SetRegistry, key+`\`+name+" = "+v.Data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registry[regKey(key, name)] = v
	return nil
}

var _ system.System = (*System)(nil)
