package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Step is one change DryRun was asked to make: a verb and what it acts on,
// ready to print as a plan line ("run apt-get install -y curl").
type Step struct {
	Verb   string `json:"verb"`   // run, write, mkdir, rename, remove, link, hardlink, chmod, registry, ...
	Target string `json:"target"` // the argv or path
	Detail string `json:"detail,omitempty"`

	// What `envup export` needs to write the step as a script line, not
	// shown in plans: the argv of a run, the bytes of a write, the URL
	// and digest of a download, the archive, folder and strip count of
	// an extract, the target of a link, the directory of a run.
	Argv   []string `json:"-"`
	Data   []byte   `json:"-"`
	SHA256 string   `json:"-"`
	From   string   `json:"-"` // extract: the archive; link: what it points at; rename: the old path
	Dir    string   `json:"-"`
	Strip  int      `json:"-"`
	// registry: Target is the key, Name the value's name, Data its data.
	Name   string `json:"-"`
	Expand bool   `json:"-"`

	// Intent is what the step means beyond its verb (Intend): whether it
	// needs an administrator, what says the resource is done, what it
	// produces. Not shown in plans either.
	Intent `json:"-"`
}

func (s Step) String() string {
	if s.Detail == "" {
		return s.Verb + " " + s.Target
	}
	return s.Verb + " " + s.Target + " (" + s.Detail + ")"
}

// DryRun reads through to another System and records every change as a
// Step instead of making it. What it "wrote" is kept in an overlay, so a
// later read in the same run sees it: a plan walks the same path apply
// would. Commands given to Run succeed with empty output.
//
// Intend gives a view of a DryRun that records the same steps into the
// same overlay, with an Intent on each.
type DryRun struct {
	*tape
	intent Intent // what each step recorded through this view means
}

// tape is what every view of one DryRun shares.
type tape struct {
	inner System

	mu       sync.Mutex
	steps    []Step
	overlay  map[string]*entry   // by clean path
	registry map[string]RegValue // by lower-case key\name
}

type entry struct {
	removed bool
	dir     bool
	data    []byte
	mode    fs.FileMode
	link    string
	hard    string // a hard link to this path: reads go there
	unread  bool   // a recorded download: it is there, its bytes are not
}

// errNotFetched is what reading a download DryRun only recorded says:
// missing, and ErrNotObserved (package comment).
var errNotFetched = unseen{fmt.Errorf("a plan does not download: %w", fs.ErrNotExist)}

// NewDryRun wraps inner so that changes are recorded, not made.
func NewDryRun(inner System) *DryRun {
	return &DryRun{tape: &tape{inner: inner, overlay: map[string]*entry{}, registry: map[string]RegValue{}}}
}

// Steps returns the changes recorded so far, in order.
func (s *DryRun) Steps() []Step {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Step(nil), s.steps...)
}

func (s *DryRun) record(st Step) {
	st.Intent = s.intent
	s.steps = append(s.steps, st)
}

// lookup finds name, or a removed parent of name, in the overlay.
func (s *DryRun) lookup(name string) (*entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = filepath.Clean(name)
	for p := name; ; p = filepath.Dir(p) {
		if e, ok := s.overlay[p]; ok {
			if p == name || e.removed {
				return e, true
			}
		}
		if parent := filepath.Dir(p); parent == p {
			return nil, false
		}
	}
}

// Stat sees the overlay first.
func (s *DryRun) Stat(name string) (fs.FileInfo, error) {
	if e, ok := s.lookup(name); ok && e.hard != "" {
		return s.Stat(e.hard)
	} else if ok {
		if e.removed {
			return nil, notExist("stat", name)
		}
		return e.info(name), nil
	}
	return s.inner.Stat(name)
}

// Lstat sees the overlay first.
func (s *DryRun) Lstat(name string) (fs.FileInfo, error) {
	if e, ok := s.lookup(name); ok && e.hard != "" {
		return s.Stat(e.hard)
	} else if ok {
		if e.removed {
			return nil, notExist("lstat", name)
		}
		return e.info(name), nil
	}
	return s.inner.Lstat(name)
}

// ReadFile sees the overlay first.
func (s *DryRun) ReadFile(name string) ([]byte, error) {
	if e, ok := s.lookup(name); ok && e.hard != "" {
		return s.ReadFile(e.hard)
	} else if ok {
		if e.removed || e.dir {
			return nil, notExist("open", name)
		}
		if e.unread {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errNotFetched}
		}
		return append([]byte(nil), e.data...), nil
	}
	return s.inner.ReadFile(name)
}

// ReadDir merges the overlay's entries into the directory's.
func (s *DryRun) ReadDir(name string) ([]fs.DirEntry, error) {
	if e, ok := s.lookup(name); ok && e.removed {
		return nil, notExist("open", name)
	}
	entries, err := s.inner.ReadDir(name)
	_, inOverlay := s.lookup(name)
	if err != nil && !inOverlay {
		return nil, err
	}
	byName := map[string]fs.DirEntry{}
	for _, de := range entries {
		byName[de.Name()] = de
	}
	s.mu.Lock()
	clean := filepath.Clean(name)
	for p, e := range s.overlay {
		if filepath.Dir(p) != clean {
			continue
		}
		if e.removed {
			delete(byName, filepath.Base(p))
			continue
		}
		byName[filepath.Base(p)] = fs.FileInfoToDirEntry(e.info(p))
	}
	s.mu.Unlock()
	out := make([]fs.DirEntry, 0, len(byName))
	for _, de := range byName {
		out = append(out, de)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Readlink sees the overlay first.
func (s *DryRun) Readlink(name string) (string, error) {
	if e, ok := s.lookup(name); ok {
		if e.removed || e.link == "" {
			return "", notExist("readlink", name)
		}
		return e.link, nil
	}
	return s.inner.Readlink(name)
}

// LookPath reads through.
func (s *DryRun) LookPath(file string) (string, error) { return s.inner.LookPath(file) }

// Getenv reads through.
func (s *DryRun) Getenv(key string) string { return s.inner.Getenv(key) }

// Query runs the read-only command for real.
func (s *DryRun) Query(ctx context.Context, cmd Cmd) (*Result, error) {
	return s.inner.Query(ctx, cmd)
}

// Dial reads through: a plan sees which ports answer.
func (s *DryRun) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return s.inner.Dial(ctx, network, addr)
}

// Prove records the proof as a "check" step and succeeds: the plan made
// no change that could be proved, so the caller keeps what it expected.
func (s *DryRun) Prove(_ context.Context, what string, _ func(context.Context) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "check", Target: what})
	return nil
}

// Run records the command and reports success.
func (s *DryRun) Run(_ context.Context, cmd Cmd) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Step{Verb: "run", Target: Quote(cmd.Argv), Argv: append([]string(nil), cmd.Argv...), Dir: cmd.Dir}
	if cmd.Dir != "" {
		st.Detail = "in " + cmd.Dir
	}
	s.record(st)
	return &Result{}, nil
}

// WriteFile records the write and keeps the data for later reads.
func (s *DryRun) WriteFile(name string, data []byte, perm fs.FileMode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "write", Target: name, Detail: fmt.Sprintf("%d bytes, mode %04o", len(data), perm.Perm()), Data: append([]byte(nil), data...)})
	s.overlay[filepath.Clean(name)] = &entry{data: append([]byte(nil), data...), mode: perm}
	return nil
}

// MkdirAll records the directory.
func (s *DryRun) MkdirAll(name string, perm fs.FileMode) error {
	if fi, err := s.Stat(name); err == nil && fi.IsDir() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "mkdir", Target: name})
	s.overlay[filepath.Clean(name)] = &entry{dir: true, mode: perm | fs.ModeDir}
	return nil
}

// Rename records the move; the overlay takes what it can see of oldpath.
func (s *DryRun) Rename(oldpath, newpath string) error {
	data, err := s.ReadFile(oldpath)
	fi, statErr := s.Stat(oldpath)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "rename", Target: oldpath, Detail: "to " + newpath, From: oldpath, Dir: newpath})
	moved := &entry{data: data, mode: 0o644, unread: errors.Is(err, errNotFetched)}
	if statErr == nil {
		moved.mode = fi.Mode()
		moved.dir = fi.IsDir()
	} else if err != nil {
		moved.dir = true // something a dry step made, such as an extracted tree
	}
	s.overlay[filepath.Clean(newpath)] = moved
	s.overlay[filepath.Clean(oldpath)] = &entry{removed: true}
	return nil
}

// Remove records the removal.
func (s *DryRun) Remove(name string) error { return s.remove(name) }

// RemoveAll records the removal.
func (s *DryRun) RemoveAll(name string) error { return s.remove(name) }

func (s *DryRun) remove(name string) error {
	if _, err := s.Lstat(name); err != nil {
		return nil //nolint:nilerr // removing what is not there is no change
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "remove", Target: name})
	s.overlay[filepath.Clean(name)] = &entry{removed: true}
	return nil
}

// Symlink records the link.
func (s *DryRun) Symlink(oldname, newname string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "link", Target: newname, Detail: "to " + oldname, From: oldname})
	s.overlay[filepath.Clean(newname)] = &entry{link: oldname, mode: fs.ModeSymlink | 0o777}
	return nil
}

// Chmod records the mode change.
func (s *DryRun) Chmod(name string, mode fs.FileMode) error {
	fi, err := s.Stat(name)
	if err != nil {
		return err
	}
	data, _ := s.ReadFile(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "chmod", Target: name, Detail: fmt.Sprintf("%04o", mode.Perm())})
	s.overlay[filepath.Clean(name)] = &entry{data: data, dir: fi.IsDir(), mode: fi.Mode()&^fs.ModePerm | mode.Perm()}
	return nil
}

// Download records the download and returns where it would be kept: the
// cache path when the System below knows it, else a placeholder. A file
// already in the cache is said to be so. The file then is there, but its
// bytes are not read: reading it says ErrNotObserved.
func (s *DryRun) Download(_ context.Context, url, sha256 string) (string, error) {
	name := "<download cache>/" + sha256
	if c, ok := s.inner.(interface{ CachePath(string) string }); ok && c.CachePath(sha256) != "" {
		name = c.CachePath(sha256)
	}
	detail := "sha256 " + short(sha256)
	if _, err := s.Stat(name); err == nil {
		detail += ", cached"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "download", Target: url, Detail: detail, SHA256: sha256, From: name})
	if _, ok := s.overlay[filepath.Clean(name)]; !ok {
		s.overlay[filepath.Clean(name)] = &entry{mode: 0o644, unread: true}
	}
	return name, nil
}

// Extract records the unpacking; dest then reads as a directory.
func (s *DryRun) Extract(_ context.Context, archive, dest string, strip int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Step{Verb: "extract", Target: archive, Detail: "into " + dest, From: archive, Dir: dest, Strip: strip}
	if strip > 0 {
		st.Detail += fmt.Sprintf(", dropping %d leading folder(s)", strip)
	}
	s.record(st)
	s.overlay[filepath.Clean(dest)] = &entry{dir: true, mode: 0o755}
	return nil
}

// Link records the hard link; newname then reads as oldname does, when
// it is read (a link to a 20 MB executable costs nothing until then).
func (s *DryRun) Link(oldname, newname string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "hardlink", Target: newname, Detail: "to " + oldname, From: oldname})
	s.overlay[filepath.Clean(newname)] = &entry{hard: oldname}
	return nil
}

// LinkTree records the tree's links as one step; dst then reads as a
// folder.
func (s *DryRun) LinkTree(src, dst string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "hardlink", Target: dst, Detail: "the files of " + src, From: src})
	s.overlay[filepath.Clean(dst)] = &entry{dir: true, mode: 0o755}
	return nil
}

func regID(key, name string) string { return strings.ToLower(key + `\` + name) }

// Registry sees what the run set first.
func (s *DryRun) Registry(key, name string) (RegValue, error) {
	s.mu.Lock()
	v, ok := s.registry[regID(key, name)]
	s.mu.Unlock()
	if ok {
		return v, nil
	}
	return s.inner.Registry(key, name)
}

// SetRegistry records the value.
func (s *DryRun) SetRegistry(key, name string, v RegValue) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "registry", Target: key, Detail: fmt.Sprintf("%s = %s", name, v.Data), Name: name, Data: []byte(v.Data), Expand: v.Expand})
	s.registry[regID(key, name)] = v
	return nil
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12] + "…"
	}
	return sha
}

// info is the overlay entry seen as a file.
func (e *entry) info(name string) fs.FileInfo {
	return overlayInfo{name: filepath.Base(name), e: e}
}

type overlayInfo struct {
	name string
	e    *entry
}

func (i overlayInfo) Name() string { return i.name }
func (i overlayInfo) Size() int64  { return int64(len(i.e.data)) }
func (i overlayInfo) Mode() fs.FileMode {
	if i.e.dir {
		return i.e.mode | fs.ModeDir
	}
	return i.e.mode
}
func (i overlayInfo) ModTime() time.Time { return time.Time{} }
func (i overlayInfo) IsDir() bool        { return i.e.dir }
func (i overlayInfo) Sys() any           { return nil }

// String lists the steps one per line, for tests and debugging.
func (s *DryRun) String() string {
	var b strings.Builder
	for _, st := range s.Steps() {
		b.WriteString(st.String())
		b.WriteByte('\n')
	}
	return b.String()
}
