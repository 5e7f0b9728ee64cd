package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Options are what Build needs beyond the recipe and the platform.
type Options struct {
	Format string          // cmd, ps1 or sh
	Plan   install.Options // as plan --platform builds it (a test catalog, the mirrors)
	// Fetch brings a pinned file from the cache, a mirror or its origin
	// and returns where it lies, verified.
	Fetch func(ctx context.Context, url, sha256 string) (string, error)
}

// File is one file the script needs beside it, under files/.
type File struct {
	Name string // its name under files/
	From string // a verified file on this machine to copy, or
	Data []byte // its bytes, when it was computed at export time
}

// Export is a script and its files.
type Export struct {
	Script *Script
	Files  []File
}

// Formats are the script languages export writes, and what each is for.
var Formats = map[string]string{
	"cmd": "plain batch, for Windows XP to 8.1's cmd.exe",
	"ps1": "PowerShell 2.0, for Windows 7 to 8.1",
	"sh":  "POSIX sh, for old macOS and old Linux",
}

// Build plans r for p as a fresh host of that kind (as `plan --platform`
// does) and turns each resource's recorded steps into script operations.
// What cannot be written in the format, or planned at all for p, is an
// error naming the resource: an export never leaves a step out silently.
func Build(ctx context.Context, r *recipe.Recipe, p detect.Platform, opts Options) (*Export, error) {
	if _, ok := Formats[opts.Format]; !ok {
		return nil, fmt.Errorf("format %q: want cmd, ps1 or sh", opts.Format)
	}
	if err := Fits(opts.Format, p); err != nil {
		return nil, err
	}
	p.Foreign = true
	// Planned as an administrator: a step that needs one (its intent says
	// why: Chocolatey, a font for all users on XP) gets an Admin op, which
	// the script checks where it runs.
	p.Admin = true
	pl, err := plan.Build(r, p, opts.Plan)
	if err != nil {
		return nil, err
	}
	outcomes := plan.Observe(ctx, system.Absent{}, pl.Resources)
	_ = plan.Preview(ctx, system.Absent{}, outcomes) // failures are on the outcomes

	b := &builder{ctx: ctx, opts: opts, p: p, windows: p.OS == "windows", names: map[string]bool{}, downloads: map[string]string{}, produced: map[string]string{}}
	b.ex = &Export{Script: &Script{Recipe: recipeName(r), Target: targetOf(p)}}
	var errs []error
	for _, o := range outcomes {
		switch o.Status {
		case plan.Failed:
			errs = append(errs, fmt.Errorf("%s cannot be planned for %s: %v", o.Resource.ID(), p, o.Err))
			continue
		case plan.Skipped:
			id := o.Resource.ID().String()
			b.op(Op{Kind: Note, Resource: id, Title: id + " skipped: " + o.Reason})
			continue
		case plan.Unchanged:
			continue
		}
		if err := b.resource(o); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Resource.ID(), err))
		}
	}
	if len(pl.Checks) > 0 {
		b.op(Op{Kind: Section, Title: "the recipe's checks"})
	}
	for _, c := range pl.Checks {
		b.op(Op{Kind: Check, Title: c.Name, Argv: b.args(c.Run), Expect: c.Expect, ExpectRe: c.ExpectRe})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("the %s export for %s cannot be made:\n%w", opts.Format, p, err)
	}
	return b.ex, nil
}

// Fits refuses a language the platform cannot run.
func Fits(format string, p detect.Platform) error {
	switch {
	case format == "sh" && p.OS == "windows":
		return fmt.Errorf("format sh is for macOS and Linux; %s runs cmd or ps1", p)
	case format != "sh" && p.OS != "windows":
		return fmt.Errorf("format %s is for Windows; %s runs sh", format, p)
	case format == "ps1" && strings.HasPrefix(p.Version, "5."):
		return fmt.Errorf("Windows XP and Server 2003 (%s) have no PowerShell out of the box: use --format cmd", p.Version)
	}
	return nil
}

func recipeName(r *recipe.Recipe) string {
	if r.Name != "" {
		return r.Name
	}
	return filepath.Base(r.Path)
}

// targetOf is what the script checks it runs on.
func targetOf(p detect.Platform) Target {
	t := Target{OS: p.OS, Arch: p.Arch, Name: p.Name}
	switch p.OS {
	case "windows":
		parts := strings.Split(p.Version, ".")
		if len(parts) > 2 {
			parts = parts[:2]
		}
		t.Version = strings.Join(parts, ".")
		t.Name = "windows " + p.Name
	case "macos":
		t.Version = p.Version
		t.Name = "macos " + p.Name
	case "linux":
		t.Distro, t.Version = p.Distro.ID, p.Distro.Version
		if t.Version == "" {
			t.Version = p.Version
		}
	}
	return t
}

type builder struct {
	ctx     context.Context
	opts    Options
	p       detect.Platform
	windows bool
	ex      *Export
	names   map[string]bool // file names taken under files/
	// downloads maps where a plan said a download lies (the cache) to
	// its place under {files}.
	downloads map[string]string
	// produced maps a resource ID to the program its install gives
	// (Intent.Produces), for the steps that run it (Intent.Interpreter).
	produced map[string]string
}

func (b *builder) op(o Op) { b.ex.Script.Ops = append(b.ex.Script.Ops, o) }

// resource writes one resource's section.
func (b *builder) resource(o *plan.Outcome) error {
	id := o.Resource.ID().String()
	title := "" // the writers say the resource ID; this says what it does
	if len(o.Changes) > 0 {
		title = strings.TrimSpace(o.Changes[0].Subject + " " + o.Changes[0].Why)
	}
	b.op(Op{Kind: Section, Resource: id, Title: title, Path: b.path(done(o.Steps))})
	if why := needsAdmin(o.Steps); why != "" {
		b.op(Op{Kind: Admin, Resource: id, Title: id + " needs an administrator: " + why})
	}
	for _, st := range o.Steps {
		if p := st.Produces; p.Resource != "" {
			b.produced[p.Resource] = p.Path
		}
		if err := b.step(id, st); err != nil {
			return err
		}
	}
	return nil
}

// done is what says a resource is already done, as its steps say it
// (Intent.Done): an install's marker, a venv's pyvenv.cfg, a font's
// file. Files and settings are compared byte for byte by Copy instead,
// and packages are left to their manager.
func done(steps []system.Step) string {
	for _, st := range steps {
		if st.Done != "" {
			return st.Done
		}
	}
	return ""
}

// needsAdmin says why a resource's steps need an administrator
// (Intent.Admin: the first step that does), or "".
func needsAdmin(steps []system.Step) string {
	for _, st := range steps {
		if st.Admin != "" {
			return st.Admin
		}
	}
	return ""
}

// step turns one recorded step into operations.
func (b *builder) step(id string, st system.Step) error {
	switch st.Verb {
	case "download":
		name, err := b.bring(st.Target, st.SHA256)
		if err != nil {
			return err
		}
		b.downloads[st.From] = b.p.Path("{files}").Native().Join(name).String()
	case "write":
		name := b.fileName(path.Base(strings.ReplaceAll(st.Target, `\`, "/")))
		data := st.Data
		if b.p.Home == "~" && homeRef.Match(data) {
			if b.windows && strings.HasSuffix(strings.ToLower(name), ".cmd") {
				// A batch shim reads the home folder when it runs.
				data = homeRef.ReplaceAll(data, []byte(`${1}%USERPROFILE%\`))
			} else {
				b.op(Op{Kind: Note, Resource: id, Title: fmt.Sprintf("%s names paths under ~, which this export could not know: export with --facts from this host's probe for its real home", b.path(st.Target))})
			}
		}
		b.ex.Files = append(b.ex.Files, File{Name: name, Data: data})
		b.op(Op{Kind: Copy, Resource: id, Path: b.path(st.Target), From: name})
	case "mkdir":
		b.op(Op{Kind: Mkdir, Resource: id, Path: b.path(st.Target)})
	case "run":
		argv := b.args(st.Argv)
		if py, ok := b.produced[st.Interpreter]; ok && len(argv) > 0 {
			argv[0] = b.path(py) // an interpreter this script installs
		}
		argv, err := b.wheelhouse(id, argv)
		if err != nil {
			return err
		}
		if st.Dir != "" {
			if b.windows {
				return fmt.Errorf("a command run in a folder (%s) has no %s form here", st.Target, b.opts.Format)
			}
			argv = append([]string{"sh", "-c", `cd "$1" && shift && exec "$@"`, "sh", b.path(st.Dir)}, argv...)
		}
		b.op(Op{Kind: Run, Resource: id, Argv: argv})
	case "extract":
		dest := b.path(st.Dir)
		if b.windows {
			// No unzip on XP or 7: Windows' own zip folders, through a
			// small script shipped in files/ (cscript runs it on both).
			if !strings.HasSuffix(strings.ToLower(st.From), ".zip") && !strings.HasSuffix(strings.ToLower(b.arg(st.From)), ".zip") {
				return fmt.Errorf("unpacking %s has no %s form: Windows unpacks only zip files by itself", path.Base(b.arg(st.From)), b.opts.Format)
			}
			if !b.names["unzip.vbs"] {
				b.names["unzip.vbs"] = true
				b.ex.Files = append(b.ex.Files, File{Name: "unzip.vbs", Data: []byte(unzipVBS)})
			}
			b.op(Op{Kind: Mkdir, Resource: id, Path: dest})
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"cscript", "//nologo", `{files}\unzip.vbs`, b.arg(st.From), dest, strconv.Itoa(st.Strip)}})
			return nil
		}
		b.op(Op{Kind: Mkdir, Resource: id, Path: dest})
		argv := []string{"tar", "-xf", b.arg(st.From), "-C", dest}
		if st.Strip > 0 {
			argv = append(argv, "--strip-components="+strconv.Itoa(st.Strip))
		}
		b.op(Op{Kind: Run, Resource: id, Argv: argv})
	case "rename":
		if b.windows { // cmd's own command, which PowerShell would read as its Move-Item
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"cmd", "/c", "move", "/y", b.path(st.From), b.path(st.Dir)}})
		} else {
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"mv", b.path(st.From), b.path(st.Dir)}})
		}
	case "remove":
		if b.windows {
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"cmd", "/c", "rmdir", "/s", "/q", b.path(st.Target)}})
		} else {
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"rm", "-rf", b.path(st.Target)}})
		}
	case "link":
		if b.windows {
			return fmt.Errorf("a link (%s) has no %s form", st.Target, b.opts.Format)
		}
		b.op(Op{Kind: Run, Resource: id, Argv: []string{"ln", "-sf", b.path(st.From), b.path(st.Target)}})
	case "hardlink":
		// envup makes hard links only where it runs itself (Windows 10
		// and later): no host an export is for needs one.
		return fmt.Errorf("a hard link (%s) has no %s form", st.Target, b.opts.Format)
	case "registry":
		if !b.windows {
			return fmt.Errorf("a registry value (%s\\%s) has no %s form: only Windows has a registry", st.Target, st.Name, b.opts.Format)
		}
		// reg.exe, on XP and later; each writer quotes its arguments, so
		// the value reaches the registry as it was recorded.
		typ := "REG_SZ"
		if st.Expand {
			typ = "REG_EXPAND_SZ"
		}
		b.op(Op{Kind: Run, Resource: id, Argv: b.args([]string{"reg", "add", st.Target, "/v", st.Name, "/t", typ, "/d", string(st.Data), "/f"})})
	case "chmod":
		if !b.windows {
			b.op(Op{Kind: Run, Resource: id, Argv: []string{"chmod", st.Detail, b.path(st.Target)}})
		}
	case "check":
		// What apply proves after it acts (a health check, PONG): the
		// recipe's checks at the end of the script prove it there.
	default:
		return fmt.Errorf("step %q (%s) has no %s form", st.Verb, st.Target, b.opts.Format)
	}
	return nil
}

// wheelhouse bundles the wheels and sdists of each local --find-links
// folder of a pip command into files/, and points pip there: the host
// installs from what the export carries. A folder with none leaves pip
// to its index, and the script says the host needs a network for it.
func (b *builder) wheelhouse(id string, argv []string) ([]string, error) {
	bundled := false
	for i := 0; i+1 < len(argv); i++ {
		if argv[i] != "--find-links" || strings.Contains(argv[i+1], "://") {
			continue
		}
		if strings.HasPrefix(argv[i+1], "{files}") || bundled {
			// files/ is named once: a second folder's wheels are in it too.
			if bundled {
				argv = append(argv[:i], argv[i+2:]...)
				i--
			}
			bundled = true
			continue
		}
		entries, err := os.ReadDir(argv[i+1])
		if err != nil {
			return nil, fmt.Errorf("wheelhouse %s: %w", argv[i+1], err)
		}
		n := 0
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !(strings.HasSuffix(name, ".whl") || strings.HasSuffix(name, ".tar.gz") || strings.HasSuffix(name, ".zip")) || b.names[name] {
				continue // not a package, or in files/ already (a mirror's download)
			}
			b.names[name] = true
			b.ex.Files = append(b.ex.Files, File{Name: name, From: filepath.Join(argv[i+1], name)})
			n++
		}
		if n == 0 {
			b.op(Op{Kind: Note, Resource: id, Title: fmt.Sprintf("the wheelhouse %s holds no wheels: pip will download from its index, so this host needs a network for %s (envup wheels fills a wheelhouse)", argv[i+1], id)})
		}
		argv[i+1] = "{files}"
		bundled = true
	}
	return argv, nil
}

// bring copies a pinned download into files/ and returns its name there.
func (b *builder) bring(url, sum string) (string, error) {
	if b.opts.Fetch == nil {
		return "", fmt.Errorf("%s: no way to fetch it", url)
	}
	local, err := b.opts.Fetch(b.ctx, url, sum)
	if err != nil {
		return "", err
	}
	name := b.fileName(fetch.BaseName(url))
	b.ex.Files = append(b.ex.Files, File{Name: name, From: local})
	return name, nil
}

// fileName is a name under files/ not taken yet.
func (b *builder) fileName(base string) string {
	base = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, base)
	if base == "" || base == "." || base == ".." {
		base = "file"
	}
	name := base
	for n := 2; b.names[name]; n++ {
		name = strconv.Itoa(n) + "-" + base
	}
	b.names[name] = true
	return name
}

// path writes a host path with the target's separators, keeping the ~
// symbol the writers replace.
func (b *builder) path(p string) string {
	if !b.windows {
		return p
	}
	return b.p.Path(p).Normal().String()
}

// homeRef is "~" starting a path inside a file's text: at the start, or
// after a quote, a space, = or a line break.
var homeRef = regexp.MustCompile(`(^|["' =\n])~[/\\]`)

// arg writes one argument: a download's cache path becomes its place
// under {files}, a path its host form.
func (b *builder) arg(a string) string {
	if f, ok := b.downloads[a]; ok {
		return f
	}
	if strings.HasPrefix(a, "~") || strings.Contains(a, "=~") {
		return b.path(a)
	}
	return a
}

func (b *builder) args(argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = b.arg(a)
	}
	return out
}

// Write puts the export in dir: the script (setup.cmd, setup.ps1 or
// setup.sh) and files/.
func (e *Export) Write(dir, format string) error {
	files := filepath.Join(dir, "files")
	if err := os.MkdirAll(files, 0o755); err != nil {
		return err
	}
	for _, f := range e.Files {
		data := f.Data
		if f.From != "" {
			var err error
			if data, err = os.ReadFile(f.From); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(files, f.Name), data, 0o644); err != nil {
			return err
		}
	}
	var buf strings.Builder
	var err error
	switch format {
	case "cmd":
		err = WriteCmd(&buf, e.Script)
	case "ps1":
		err = WritePS1(&buf, e.Script)
	case "sh":
		err = WriteSh(&buf, e.Script)
	}
	if err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if format == "sh" {
		mode = 0o755
	}
	return os.WriteFile(filepath.Join(dir, "setup."+format), []byte(buf.String()), mode)
}

// unzipVBS unpacks a zip with Windows' own zip folders, on XP and later:
// cscript //nologo unzip.vbs ARCHIVE DEST STRIP. With STRIP 1 the zip's
// one top folder is dropped. CopyHere options: 4 no progress window, 16
// yes to all, 1024 no error dialog.
const unzipVBS = `Option Explicit
Dim fso, shell, archive, dest, strip, source, item
Set fso = CreateObject("Scripting.FileSystemObject")
Set shell = CreateObject("Shell.Application")
archive = fso.GetAbsolutePathName(WScript.Arguments(0))
dest = fso.GetAbsolutePathName(WScript.Arguments(1))
strip = 0
If WScript.Arguments.Count > 2 Then strip = CInt(WScript.Arguments(2))
If Not fso.FolderExists(dest) Then fso.CreateFolder dest
Set source = shell.NameSpace(archive)
If source Is Nothing Then
  WScript.Echo "unzip: cannot open " & archive
  WScript.Quit 1
End If
If strip = 1 And source.Items.Count = 1 Then
  Set source = source.Items.Item(0).GetFolder
End If
For Each item In source.Items
  shell.NameSpace(dest).CopyHere item, 4 + 16 + 1024
Next
' CopyHere returns before it is done: wait until every item is there.
Dim waited
waited = 0
For Each item In source.Items
  Do While Not (fso.FileExists(dest & "\" & item.Name) Or fso.FolderExists(dest & "\" & item.Name))
    WScript.Sleep 100
    waited = waited + 100
    If waited > 600000 Then
      WScript.Echo "unzip: " & item.Name & " did not appear in " & dest
      WScript.Quit 1
    End If
  Loop
Next
WScript.Quit 0
`
