package editor

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

var vimLab = []string{"set number", "set expandtab shiftwidth=4", `set guifont=DejaVu\ Sans\ Mono:h14`}

const vimLabBlock = VimBegin + "\nset number\nset expandtab shiftwidth=4\nset guifont=DejaVu\\ Sans\\ Mono:h14\n" + VimEnd + "\n"

func TestVimBlock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing *string // ~/.vimrc before
		lines    []string
		want     string   // ~/.vimrc after
		changes  []string // the first diff
		backup   bool
	}{
		{
			name: "creates the file", lines: vimLab, want: vimLabBlock,
			changes: []string{"+ {vimrc}: absent"},
		},
		{
			name: "appends after the user's lines", existing: new("set nocompatible\nsyntax on"), lines: vimLab,
			want:    "set nocompatible\nsyntax on\n\n" + vimLabBlock,
			changes: []string{"~ {vimrc}: envup block absent (3 lines)"}, backup: true,
		},
		{
			name: "replaces the block in place", existing: new(vscodeFixture(t, "vim", "vimrc")), lines: vimLab,
			want:    vscodeFixture(t, "vim", "vimrc.want"),
			changes: []string{"~ {vimrc}: envup block differs"}, backup: true,
		},
		{
			name: "already there", existing: new(vscodeFixture(t, "vim", "vimrc.want")), lines: vimLab,
			want: vscodeFixture(t, "vim", "vimrc.want"),
		},
		{
			name: "CRLF file keeps CRLF", existing: new("set nocompatible\r\n"), lines: []string{"set number"},
			want:    "set nocompatible\r\n\r\n" + VimBegin + "\r\nset number\r\n" + VimEnd + "\r\n",
			changes: []string{"~ {vimrc}: envup block absent (1 line)"}, backup: true,
		},
		{
			name:     "markers with trailing blanks, block at the end without a newline",
			existing: new("syntax on\n" + VimBegin + " \t\nset nonumber\n" + VimEnd + " "), lines: []string{"set number"},
			want:    "syntax on\n" + VimBegin + "\nset number\n" + VimEnd + "\n",
			changes: []string{"~ {vimrc}: envup block differs"}, backup: true,
		},
		{
			name: "no lines, no block: nothing", existing: new("syntax on\n"), want: "syntax on\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := vscodeHost(t.TempDir())
			path := filepath.Join(p.Home, ".vimrc")
			if tt.existing != nil {
				vscodePut(t, path, *tt.existing)
			}
			r, err := NewVim("vim", &recipe.Editor{Lines: tt.lines}, p)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range tt.changes {
				want = append(want, strings.ReplaceAll(c, "{vimrc}", path))
			}
			vscodeWant(t, vscodeConverge(t, r, system.NewReal()), want)
			if _, err := os.Lstat(path); tt.want == "" && errors.Is(err, os.ErrNotExist) {
				return
			}
			if got := vscodeGet(t, path); got != tt.want {
				t.Errorf("vimrc = %q\nwant    %q", got, tt.want)
			}
			backup, err := os.ReadFile(path + ".envup-backup")
			switch {
			case tt.backup && (err != nil || string(backup) != *tt.existing):
				t.Errorf("backup = %q, %v; want the user's file", backup, err)
			case !tt.backup && !errors.Is(err, os.ErrNotExist):
				t.Errorf("backup kept though nothing of the user's was replaced: %v", err)
			}
		})
	}
}

func TestVimUnclosedBlock(t *testing.T) {
	t.Parallel()
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Home, ".vimrc")
	data := "syntax on\n" + VimBegin + "\nset number\n"
	vscodePut(t, path, data)
	r, err := NewVim("vim", &recipe.Editor{Lines: vimLab}, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Observe(t.Context(), system.NewReal()); err == nil || !strings.HasPrefix(err.Error(), path+":2: ") {
		t.Errorf("err = %v, want one at %s:2", err, path)
	}
	if got := vscodeGet(t, path); got != data {
		t.Errorf("file changed: %q", got)
	}
}

// TestVimTarget: the file the editor reads gets the block, not a new one
// that would hide it.
func TestVimTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, os string
		existing      []string // files there first, relative to home
		env           string   // LOCALAPPDATA
		want          string   // relative to home
		lua           bool
	}{
		{name: "vim", key: "vim", os: "linux", want: ".vimrc"},
		{name: "vim on macOS", key: "vim", os: "macos", want: ".vimrc"},
		{name: "~/.vim/vimrc alone", key: "vim", os: "linux", existing: []string{".vim/vimrc"}, want: ".vim/vimrc"},
		{name: "~/.vimrc wins", key: "vim", os: "linux", existing: []string{".vim/vimrc", ".vimrc"}, want: ".vimrc"},
		{name: "vim on windows", key: "vim", os: "windows", want: "_vimrc"},
		{name: "vimfiles alone", key: "vim", os: "windows", existing: []string{"vimfiles/vimrc"}, want: "vimfiles/vimrc"},
		{name: "neovim", key: "neovim", os: "linux", want: ".config/nvim/init.vim"},
		{name: "neovim init.lua alone", key: "neovim", os: "linux", existing: []string{".config/nvim/init.lua"}, want: ".config/nvim/init.lua", lua: true},
		{name: "neovim on windows", key: "neovim", os: "windows", want: "AppData/Local/nvim/init.vim"},
		{name: "neovim on windows, LOCALAPPDATA", key: "neovim", os: "windows", env: "elsewhere", want: "elsewhere/nvim/init.vim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			home := filepath.Join(dir, "home")
			p := detect.Platform{OS: tt.os, Home: home, Dirs: detect.Dirs{Config: filepath.Join(home, ".config")}}
			for _, name := range tt.existing {
				vscodePut(t, filepath.Join(home, name), "\" mine\n")
			}
			sys := vscodeFake(t, nil)
			if tt.env != "" {
				sys.WithEnv("LOCALAPPDATA", filepath.Join(home, tt.env))
			}
			r, err := NewVim(tt.key, &recipe.Editor{Lines: []string{"set number"}}, p)
			if err != nil {
				t.Fatal(err)
			}
			if r.ID().String() != "editor/"+tt.key {
				t.Errorf("ID = %q", r.ID())
			}
			vscodeConverge(t, r, sys)
			got := vscodeGet(t, filepath.Join(home, tt.want))
			block := VimBegin + "\nset number\n" + VimEnd + "\n"
			if tt.lua {
				block = VimLuaBegin + "\nvim.cmd([[\nset number\n]])\n" + VimLuaEnd + "\n"
			}
			if !strings.HasSuffix(got, block) {
				t.Errorf("%s = %q, want it to end with %q", tt.want, got, block)
			}
		})
	}
}

func TestVimLuaLongString(t *testing.T) {
	t.Parallel()
	got := string(vimBlock(VimLuaBegin, VimLuaEnd, []string{`echo "a]]b"`, `echo "]=]"`}, true, "\n"))
	if !strings.Contains(got, "vim.cmd([==[\n") || !strings.HasSuffix(got, "]==])\n"+VimLuaEnd+"\n") {
		t.Errorf("block = %q", got)
	}
}

func TestVimRejects(t *testing.T) {
	t.Parallel()
	p := vscodeHost("/x")
	if _, err := NewVim("emacs", &recipe.Editor{}, p); err == nil {
		t.Error("emacs accepted")
	}
	if _, err := NewVim("vim", &recipe.Editor{Lines: []string{"set a\nset b"}}, p); err == nil {
		t.Error("a line with a line break accepted")
	}
}
