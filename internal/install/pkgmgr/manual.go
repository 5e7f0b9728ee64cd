package pkgmgr

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// aptExtendedStates is where apt records which packages it installed
// only as dependencies ("Auto-Installed: 1").
const aptExtendedStates = "/var/lib/apt/extended_states"

// apkWorld lists what the user asked apk for, one dependency a line.
const apkWorld = "/etc/apk/world"

// manualLister reads one manager's own records of what the user installed
// on purpose, without running anything: name → version.
type manualLister func(sys system.System, h host) (map[string]string, error)

// manualListers are the managers whose answer is on disk.
var manualListers = map[string]manualLister{
	"apt":    aptManual,
	"apk":    apkManual,
	"pacman": pacmanManual,
	"brew":   brewManual,
	"choco":  chocoManual,
	"scoop":  scoopManual,
}

// manualSkipped says, for the other managers, what listing would take.
var manualSkipped = map[string]string{
	// dnf 4 keeps install reasons in history.sqlite; dnf 5's
	// /usr/lib/sysimage/libdnf5/packages.toml has them but no versions,
	// which are in the rpm database only.
	"dnf": "needs `dnf repoquery --userinstalled`",
	"yum": "needs `yumdb search reason user` (or `dnf repoquery --userinstalled` where yum is dnf)",
	// /var/lib/zypp/AutoInstalled names the automatic packages, but the
	// versions are in the rpm database only.
	"zypper": "needs `rpm -qa` for the versions",
	// MacPorts' registry is an SQLite database.
	"port": "needs `port echo requested`",
	// winget keeps no list of its own: it matches the Windows installed
	// programs against its sources.
	"winget": "needs `winget export`",
}

// Manual returns, per package manager present on the host (p.Managers),
// the packages the user installed on purpose: name → version. Managers
// envup cannot list without a slow or unavailable query are left out and
// named in skipped ("dnf: needs `dnf repoquery --userinstalled`").
//
// Every answer is read from disk; nothing is run. A manager whose records
// are missing has nothing installed: its map is empty, not an error.
// WithRoot reads apt's, apk's and pacman's records under a root folder.
//
// Names are as the manager's own "installed on purpose" listing prints
// them: apt's as `apt-mark showmanual` (a foreign-architecture package as
// "libc6:i386"), Homebrew casks as "cask:<token>" beside the formulae.
// Chocolatey and scoop record no reason for an install, so every package
// they have is listed, dependencies included.
func Manual(ctx context.Context, sys system.System, p detect.Platform, opts ...Option) (manual map[string]map[string]string, skipped []string, err error) {
	h := newHost(p, opts)
	manual = map[string]map[string]string{}
	for _, name := range p.Managers {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		list, ok := manualListers[name]
		if !ok {
			why, known := manualSkipped[name]
			if !known {
				why = "envup does not know this package manager"
			}
			skipped = append(skipped, name+": "+why)
			continue
		}
		pkgs, err := list(sys, h)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		manual[name] = pkgs
	}
	return manual, skipped, nil
}

// aptManual is `apt-mark showmanual` with versions: what dpkg has
// installed, less what apt's extended_states marks automatic. Installed
// is as DpkgInstalled says; apt-mark also lists a package caught half-way
// (unpacked, half-configured, triggers-pending), which this leaves out.
func aptManual(sys system.System, h host) (map[string]string, error) {
	status, err := sys.ReadFile(h.path(dpkgStatus))
	if unobservable(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	// Without extended_states apt has installed nothing as a dependency.
	states, err := sys.ReadFile(h.path(aptExtendedStates))
	if err != nil && !unobservable(err) {
		return nil, err
	}

	type deb struct{ name, arch, version string }
	var debs []deb
	native := ""
	err = controlStanzas(status, func(f map[string]string) {
		debs = append(debs, deb{f["Package"], f["Architecture"], f["Version"]})
		if f["Package"] == "dpkg" {
			// dpkg is always of the native architecture, also in a
			// chroot of another one.
			native = f["Architecture"]
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.path(dpkgStatus), err)
	}
	if native == "" {
		native = debianArch(h.p.Arch)
	}

	auto := map[string]bool{}
	err = controlStanzas(states, func(f map[string]string) {
		// apt reads the field as a number; anything above 0 is automatic.
		if n, _ := strconv.Atoi(f["Auto-Installed"]); n > 0 {
			auto[aptName(f["Package"], f["Architecture"], native)] = true
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.path(aptExtendedStates), err)
	}

	installed := DpkgInstalled(status)
	manual := map[string]string{}
	for _, d := range debs {
		key := d.name
		if d.arch != "" {
			key += ":" + d.arch
		}
		if d.name == "" || !installed[key] {
			continue
		}
		if n := aptName(d.name, d.arch, native); !auto[n] {
			manual[n] = d.version
		}
	}
	return manual, nil
}

// aptName is a package's name as apt prints it: bare for the native
// architecture and for "all" (which apt files under the native one),
// "name:arch" for a foreign one.
func aptName(name, arch, native string) string {
	if arch == "" || arch == "all" || arch == native {
		return name
	}
	return name + ":" + arch
}

// debianArch is Debian's name for a Go architecture, for a host whose
// dpkg database does not say.
func debianArch(goarch string) string {
	switch goarch {
	case "386":
		return "i386"
	case "arm":
		return "armhf"
	}
	return goarch
}

// controlStanzas calls each with the fields of every stanza of a Debian
// control file (dpkg's status, apt's extended_states): one-line values
// only, continuation lines (Description, Conffiles) are skipped.
func controlStanzas(data []byte, each func(fields map[string]string)) error {
	fields := map[string]string{}
	flush := func() {
		if len(fields) > 0 {
			each(fields)
			fields = map[string]string{}
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case line == "":
			flush()
		case line[0] == ' ' || line[0] == '\t':
			// a continuation of a multi-line field
		default:
			if key, value, ok := strings.Cut(line, ":"); ok {
				fields[key] = strings.TrimSpace(value)
			}
		}
	}
	flush()
	return sc.Err()
}

// apkManual reads apk's world, what the user added, with the installed
// versions from apk's database. A world entry may carry a constraint
// ("python3>=3.12", "curl@edge", "foo=1.2-r0"), which is not part of the
// name, or name a provided command or library ("cmd:ssh"), which stands
// for the package that provides it. "!name" forbids a package: skipped.
func apkManual(sys system.System, h host) (map[string]string, error) {
	world, err := sys.ReadFile(h.path(apkWorld))
	if unobservable(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	db, err := sys.ReadFile(h.path(apkInstalled))
	if err != nil && !unobservable(err) {
		return nil, err
	}
	versions, providers := apkPackages(db)
	manual := map[string]string{}
	for _, dep := range strings.Fields(string(world)) {
		if strings.HasPrefix(dep, "!") {
			continue
		}
		name := dep
		if i := strings.IndexAny(dep, "<>=~@"); i >= 0 {
			name = dep[:i]
		}
		if v, ok := versions[name]; ok {
			manual[name] = v
		} else if pkg, ok := providers[name]; ok {
			manual[pkg] = versions[pkg]
		}
	}
	return manual, nil
}

// apkPackages reads apk's database: each package's version (its "V:"
// line), and which package provides each name on a "p:" line
// ("cmd:git=2.45.2-r0", "so:libz.so.1=1.3.1"), the first one listed.
func apkPackages(db []byte) (versions, providers map[string]string) {
	versions, providers = map[string]string{}, map[string]string{}
	var pkg string
	for line := range strings.Lines(string(db)) {
		line = strings.TrimRight(line, "\r\n")
		key, value, ok := strings.Cut(line, ":")
		if !ok || len(key) != 1 {
			pkg = "" // the blank line between packages
			continue
		}
		switch key {
		case "P":
			pkg = value
		case "V":
			if pkg != "" {
				versions[pkg] = value
			}
		case "p":
			for _, prov := range strings.Fields(value) {
				name, _, _ := strings.Cut(prov, "=")
				if _, taken := providers[name]; !taken && pkg != "" {
					providers[name] = pkg
				}
			}
		}
	}
	return versions, providers
}

// pacmanManual lists pacman's local database: a package is explicit when
// its desc has no %REASON% or reason 0, a dependency with reason 1.
func pacmanManual(sys system.System, h host) (map[string]string, error) {
	local := h.path(pacmanLocal)
	entries, err := sys.ReadDir(local)
	if unobservable(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	manual := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue // ALPM_DB_VERSION
		}
		data, err := sys.ReadFile(path.Join(local, e.Name(), "desc"))
		if unobservable(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		desc := pacmanDesc(data)
		if reason, _ := strconv.Atoi(desc["REASON"]); reason != 0 || desc["NAME"] == "" {
			continue
		}
		manual[desc["NAME"]] = desc["VERSION"]
	}
	return manual, nil
}

// pacmanDesc returns the first value of each %SECTION% of a desc file.
func pacmanDesc(data []byte) map[string]string {
	desc := map[string]string{}
	section := ""
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			section = ""
		case len(line) > 2 && line[0] == '%' && line[len(line)-1] == '%':
			section = line[1 : len(line)-1]
		case section != "":
			if _, seen := desc[section]; !seen {
				desc[section] = line
			}
		}
	}
	return desc
}

// brewManual lists Homebrew's prefix. A formula counts when the receipt
// of its newest keg, Cellar/<name>/<version>/INSTALL_RECEIPT.json, says
// "installed_on_request": true (`brew leaves --installed-on-request`);
// receipts from before Homebrew recorded it (null) do not. Casks are
// listed as "cask:<token>" with the newest Caskroom/<token>/<version>
// folder, since a cask and a formula may share a name (docker); a cask
// counts unless its receipt (Caskroom/<token>/.metadata, newer Homebrew)
// says it was installed as a dependency.
func brewManual(sys system.System, h host) (map[string]string, error) {
	prefix := brewPrefix(sys, h)
	manual := map[string]string{}
	// A formula counts only when its receipt says it was asked for; a
	// cask unless its receipt says otherwise (older casks have none).
	kinds := []struct {
		dir, key  string
		receipt   func(keg string) string
		unsaidYes bool
	}{
		{"Cellar", "", func(keg string) string { return path.Join(keg, "INSTALL_RECEIPT.json") }, false},
		{"Caskroom", "cask:", func(keg string) string { return path.Join(path.Dir(keg), ".metadata", "INSTALL_RECEIPT.json") }, true},
	}
	for _, k := range kinds {
		root := path.Join(prefix, k.dir)
		entries, err := sys.ReadDir(root)
		if err != nil && !unobservable(err) {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			version, err := newestFolder(sys, path.Join(root, e.Name()))
			if err != nil {
				return nil, err
			}
			if version == "" {
				continue
			}
			onRequest, err := brewOnRequest(sys, k.receipt(path.Join(root, e.Name(), version)))
			if err != nil {
				return nil, err
			}
			if (onRequest == nil && k.unsaidYes) || (onRequest != nil && *onRequest) {
				manual[k.key+e.Name()] = version
			}
		}
	}
	return manual, nil
}

// brewOnRequest reads installed_on_request from a receipt: nil when the
// receipt or the field is missing, or null.
func brewOnRequest(sys system.System, receipt string) (*bool, error) {
	data, err := sys.ReadFile(receipt)
	if unobservable(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var tab struct {
		InstalledOnRequest *bool `json:"installed_on_request"`
	}
	if err := json.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &tab); err != nil {
		return nil, fmt.Errorf("%s: %w", receipt, err)
	}
	return tab.InstalledOnRequest, nil
}

// newestFolder returns the newest version among dir's subfolders
// ("3.28.2" over "3.9.1"; dot folders such as .metadata are not
// versions), or "" when there is none.
func newestFolder(sys system.System, dir string) (string, error) {
	entries, err := sys.ReadDir(dir)
	if unobservable(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	newest := ""
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if newest == "" || versionLess(newest, e.Name()) {
			newest = e.Name()
		}
	}
	return newest, nil
}

// versionLess orders versions as people read them: runs of digits by
// value, the rest byte by byte ("1.10" after "1.9", "2.62.0_1" after
// "2.62.0").
func versionLess(a, b string) bool {
	for a != "" && b != "" {
		ra, rb := leadingRun(a), leadingRun(b)
		if ra != rb {
			na, errA := strconv.ParseUint(ra, 10, 64)
			nb, errB := strconv.ParseUint(rb, 10, 64)
			switch {
			case errA == nil && errB == nil && na != nb:
				return na < nb
			case errA == nil && errB == nil:
				return len(ra) < len(rb) // "01" and "1": keep the order total
			default:
				return ra < rb
			}
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return len(a) < len(b)
}

// leadingRun is s's first run of digits, or of non-digits.
func leadingRun(s string) string {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	i := 1
	for i < len(s) && digit(s[i]) == digit(s[0]) {
		i++
	}
	return s[:i]
}

// utf8BOM starts some files written on Windows.
var utf8BOM = []byte("\xef\xbb\xbf")

// chocoManual lists Chocolatey's lib folder: each package's id and
// version from lib\<id>\<id>.nuspec. Chocolatey does not record whether
// a package was asked for or pulled in (git pulls in git.install), so all
// are listed.
func chocoManual(sys system.System, h host) (map[string]string, error) {
	lib := chocoLib(sys, h.p)
	entries, err := sys.ReadDir(lib)
	if unobservable(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	manual := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		id, version, err := chocoNuspec(sys, h.p, h.p.Join(lib, e.Name()), e.Name())
		if err != nil {
			return nil, err
		}
		if version != "" {
			manual[id] = version
		}
	}
	return manual, nil
}

// chocoNuspec reads a package folder's nuspec: <folder>.nuspec, or the
// nuspec there under another case (Windows would not mind). A folder with
// none (an install cut short) yields no version.
func chocoNuspec(sys system.System, p detect.Platform, dir, folder string) (id, version string, err error) {
	file := p.Join(dir, folder+".nuspec")
	data, err := sys.ReadFile(file)
	if unobservable(err) {
		if file = anyNuspec(sys, p, dir); file == "" {
			return "", "", nil
		}
		data, err = sys.ReadFile(file)
	}
	if err != nil {
		return "", "", err
	}
	var pkg struct {
		ID      string `xml:"metadata>id"`
		Version string `xml:"metadata>version"`
	}
	if err := xml.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &pkg); err != nil {
		return "", "", fmt.Errorf("%s: %w", file, err)
	}
	if id = strings.TrimSpace(pkg.ID); id == "" {
		id = folder
	}
	return id, strings.TrimSpace(pkg.Version), nil
}

// anyNuspec returns the first *.nuspec in dir, or "". dir was just
// listed, so a failure to list it again means it is gone: none.
func anyNuspec(sys system.System, p detect.Platform, dir string) string {
	entries, err := sys.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if strings.HasSuffix(strings.ToLower(e.Name()), ".nuspec") {
			return p.Join(dir, e.Name())
		}
	}
	return ""
}

// scoopManual lists scoop's apps folder (%SCOOP%\apps or ~\scoop\apps):
// each app's version from apps\<app>\current\manifest.json, the manifest
// scoop saved when it installed. Like Chocolatey, scoop does not record
// why an app is there, so dependencies are listed too; scoop itself has
// no manifest and is not.
func scoopManual(sys system.System, h host) (map[string]string, error) {
	root := sys.Getenv("SCOOP")
	if root == "" {
		root = h.p.Join(h.p.Home, "scoop")
	}
	apps := h.p.Join(root, "apps")
	entries, err := sys.ReadDir(apps)
	if unobservable(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	manual := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		file := h.p.Join(apps, e.Name(), "current", "manifest.json")
		data, err := sys.ReadFile(file)
		if unobservable(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &m); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		manual[e.Name()] = m.Version
	}
	return manual, nil
}
