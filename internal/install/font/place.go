package font

import (
	"strconv"
	"strings"

	"github.com/envup/envup/internal/system"
)

// The registry keys Windows lists installed fonts under.
const (
	userFontsKey   = `HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts`
	systemFontsKey = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`
)

// perUserBuild is the first Windows build with per-user fonts (10 1809).
const perUserBuild = 17763

// place is where a font goes on the host and what registers it there.
type place struct {
	dir, path string
	// Windows: the registry value that makes the font installed.
	regKey, regName, regData string
	fcCache                  bool // Linux: refresh fontconfig's cache of dir
	admin                    bool // only an administrator can write it
}

// where works out the font's place on the host. The environment is read
// through sys, since it is the host's (a plan for another platform reads
// nothing there and takes the defaults).
func (r *Font) where(sys system.System) place {
	switch r.p.OS {
	case "windows":
		return r.windows(sys)
	case "macos":
		dir := r.join(r.p.Home, "Library", "Fonts")
		return place{dir: dir, path: r.join(dir, r.file)}
	}
	data := sys.Getenv("XDG_DATA_HOME")
	if !strings.HasPrefix(data, "/") { // the XDG spec ignores a relative path
		data = r.join(r.p.Home, ".local", "share")
	}
	dir := r.join(data, "fonts", "envup")
	return place{dir: dir, path: r.join(dir, r.file), fcCache: true}
}

// windows is the per-user fonts folder and HKCU value from 10 1809 on;
// before it, fonts are only installed for everyone: %WINDIR%\Fonts and an
// HKLM value holding the bare file name.
func (r *Font) windows(sys system.System) place {
	valueName := r.family + " (TrueType)"
	if ext := strings.ToLower(r.ext()); ext == ".otf" || ext == ".otc" {
		valueName = r.family + " (OpenType)"
	}
	if !perUser(r.p.Version) {
		win := strings.TrimRight(sys.Getenv("WINDIR"), `\/`)
		if win == "" {
			win = `C:\Windows`
		}
		dir := r.join(win, "Fonts")
		return place{
			dir: dir, path: r.join(dir, r.file),
			regKey: systemFontsKey, regName: valueName, regData: r.file, admin: true,
		}
	}
	local := strings.TrimRight(sys.Getenv("LOCALAPPDATA"), `\/`)
	if local == "" {
		local = r.join(r.p.Home, "AppData", "Local")
	}
	dir := r.join(local, "Microsoft", "Windows", "Fonts")
	path := r.join(dir, r.file)
	return place{dir: dir, path: path, regKey: userFontsKey, regName: valueName, regData: path}
}

// perUser says whether Windows of NT version v ("10.0.17763") installs
// fonts per user. An unknown version is taken to be a current one: envup
// itself runs only on Windows 10 and later.
func perUser(v string) bool {
	parts := strings.Split(v, ".")
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return true
	}
	if major != 10 {
		return major > 10
	}
	if len(parts) < 3 {
		return true
	}
	build, err := strconv.Atoi(parts[2])
	return err != nil || build >= perUserBuild
}

// join joins path elements in the host's own form (detect.Path.Native):
// a Windows font's folder takes backslashes even on a --platform host.
func (r *Font) join(base string, elem ...string) string {
	return r.p.Path(base).Native().Join(elem...).String()
}
