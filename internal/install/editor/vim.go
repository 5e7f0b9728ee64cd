package editor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// The marker lines around the block envup owns in a Vim script, and in a
// Lua init file (Neovim's init.lua), where the lines run through vim.cmd.
const (
	VimBegin    = `" >>> envup (managed: edits inside are replaced) >>>`
	VimEnd      = `" <<< envup <<<`
	VimLuaBegin = `-- >>> envup (managed: edits inside are replaced) >>>`
	VimLuaEnd   = `-- <<< envup <<<`
)

// Vim is the resource for a block of lines in Vim's or Neovim's user init
// file, between VimBegin and VimEnd. The block is replaced in place when
// there, appended when not; the rest of the file is never touched.
//
// The file is the one the editor reads: Vim's ~/.vimrc (Windows
// ~/_vimrc), or ~/.vim/vimrc (~/vimfiles/vimrc) when only that exists,
// since a new ~/.vimrc would hide it; Neovim's init.vim in its config
// directory (~/.config/nvim, %LOCALAPPDATA%\nvim), or init.lua when only
// that exists, since Neovim refuses to start with both.
type Vim struct {
	needing        // the virtualenvs its settings name
	key     string // vim or neovim
	lines   []string
	os      string
	home    string
	config  string
}

var _ install.Typed[*VimState] = (*Vim)(nil)

// NewVim returns the resource for spec's lines; key is "vim" or "neovim".
func NewVim(key string, spec *recipe.Editor, p detect.Platform) (*Vim, error) {
	if key != "vim" && key != "neovim" {
		return nil, fmt.Errorf("editor %q: want vim or neovim", key)
	}
	if spec == nil {
		spec = &recipe.Editor{}
	}
	if p.Home == "" {
		return nil, fmt.Errorf("%s: no home directory for this host", key)
	}
	for i, l := range spec.Lines {
		if strings.ContainsAny(l, "\r\n") {
			return nil, fmt.Errorf("%s: lines[%d]: one line each, without line breaks", key, i)
		}
	}
	return &Vim{key: key, lines: spec.Lines, os: p.OS, home: p.Home, config: p.Dirs.Config}, nil
}

// ID is "editor/vim" or "editor/neovim".
func (r *Vim) ID() install.ID { return install.ID{Kind: "editor", Name: r.key} }

// VimState is what Observe saw in the init file, and what belongs there.
type VimState struct {
	Path   string      `json:"path"`
	Exists bool        `json:"exists"`
	Found  bool        `json:"found"`         // the envup block is there
	Lua    bool        `json:"lua,omitempty"` // the file is init.lua
	Mode   fs.FileMode `json:"-"`
	Data   []byte      `json:"-"` // as read
	Want   []byte      `json:"-"` // with the block as the recipe wants it
}

// Observe picks the init file, reads it and splices the block in memory.
func (r *Vim) Observe(_ context.Context, sys system.System) (*VimState, error) {
	path, lua, err := r.target(sys)
	if err != nil {
		return nil, err
	}
	st := &VimState{Path: path, Lua: lua, Mode: 0o644}
	fi, err := sys.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a directory", path)
	default:
		st.Exists, st.Mode = true, fi.Mode().Perm()
		if st.Data, err = sys.ReadFile(path); err != nil {
			return nil, err
		}
	}
	st.Want, st.Found, err = vimSplice(path, st.Data, r.lines, lua)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// target is the init file the editor reads, and whether it is Lua.
func (r *Vim) target(sys system.System) (string, bool, error) {
	join := func(base string, elem ...string) string { return detect.PathOn(r.os, base).Join(elem...).String() }
	if r.key == "neovim" {
		dir := join(r.config, "nvim")
		if r.os == "windows" {
			local := sys.Getenv("LOCALAPPDATA")
			if !strings.Contains(local, `\`) && !strings.HasPrefix(local, "/") {
				local = join(r.home, "AppData", "Local")
			}
			dir = join(local, "nvim")
		}
		initVim, initLua := join(dir, "init.vim"), join(dir, "init.lua")
		return vimFirst(sys, initVim, initLua, true)
	}
	if r.os == "windows" {
		return vimFirst(sys, join(r.home, "_vimrc"), join(r.home, "vimfiles", "vimrc"), false)
	}
	return vimFirst(sys, join(r.home, ".vimrc"), join(r.home, ".vim", "vimrc"), false)
}

// vimFirst is primary unless only alt exists; altLua says alt is Lua.
func vimFirst(sys system.System, primary, alt string, altLua bool) (string, bool, error) {
	if ok, err := vscodeExists(sys, primary); err != nil || ok {
		return primary, false, err
	}
	ok, err := vscodeExists(sys, alt)
	if err != nil {
		return "", false, err
	}
	if ok {
		return alt, altLua, nil
	}
	return primary, false, nil
}

// vimSplice returns data with the block of lines in place of the envup
// block, or appended after a blank line when there is none. With no lines
// and no block, data is returned as is. The block uses the file's line
// endings.
func vimSplice(path string, data []byte, lines []string, lua bool) ([]byte, bool, error) {
	begin, end := VimBegin, VimEnd
	if lua {
		begin, end = VimLuaBegin, VimLuaEnd
	}
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	block := vimBlock(begin, end, lines, lua, nl)
	start, stop, beginLine := -1, -1, 0
	off := 0
	for n := 1; off < len(data); n++ {
		next := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			next = off + i + 1
		}
		line := strings.TrimRight(string(data[off:next]), " \t\r\n")
		switch {
		case start < 0 && line == begin:
			start, beginLine = off, n
		case start >= 0 && line == end:
			stop = next
		}
		if stop >= 0 {
			break
		}
		off = next
	}
	switch {
	case start >= 0 && stop < 0:
		return nil, false, fmt.Errorf("%s:%d: the envup block starts here but has no %q line after it", path, beginLine, end)
	case start >= 0:
		out := make([]byte, 0, len(data)-(stop-start)+len(block))
		out = append(out, data[:start]...)
		out = append(out, block...)
		return append(out, data[stop:]...), true, nil
	case len(lines) == 0:
		return data, false, nil
	}
	out := bytes.Clone(data)
	if len(out) > 0 {
		if !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, nl...)
		}
		out = append(out, nl...)
	}
	return append(out, block...), false, nil
}

// vimBlock is the marker lines around lines; in Lua, the lines run as Vim
// script through vim.cmd in a long string no line can end early.
func vimBlock(begin, end string, lines []string, lua bool, nl string) []byte {
	var b strings.Builder
	b.WriteString(begin + nl)
	if lua {
		eq := ""
		for vimAnyContains(lines, "]"+eq+"]") {
			eq += "="
		}
		b.WriteString("vim.cmd([" + eq + "[" + nl)
		for _, l := range lines {
			b.WriteString(l + nl)
		}
		b.WriteString("]" + eq + "])" + nl)
	} else {
		for _, l := range lines {
			b.WriteString(l + nl)
		}
	}
	b.WriteString(end + nl)
	return []byte(b.String())
}

func vimAnyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// Diff says whether the file or the block is absent, or the block differs.
func (r *Vim) Diff(st *VimState) []install.Change {
	if st == nil || bytes.Equal(st.Data, st.Want) {
		return nil
	}
	c := install.Change{Action: install.Update, Subject: st.Path}
	switch {
	case !st.Exists:
		c.Action, c.Why = install.Create, "absent"
	case !st.Found:
		c.Why = fmt.Sprintf("envup block absent (%d lines)", len(r.lines))
		if len(r.lines) == 1 {
			c.Why = "envup block absent (1 line)"
		}
	default:
		c.Why = "envup block differs"
	}
	return []install.Change{c}
}

// Apply writes the file with the block atomically, keeping the user's
// file as <file>.envup-backup the first time.
func (r *Vim) Apply(_ context.Context, sys system.System, st *VimState) error {
	if bytes.Equal(st.Data, st.Want) {
		return nil
	}
	return jsoncWrite(sys, st.Path, st.Exists, st.Data, st.Want, st.Mode)
}
