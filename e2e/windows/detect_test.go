//go:build wine10

package windows

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// What envup.exe detect says, posing as each Windows the lab may have:
// name, version, build, arch, the user's folders, and a warning below
// Windows 10, where Go 1.26 programs are not supported.
func TestDetectAcrossWindowsVersions(t *testing.T) {
	s := newSeat(t)
	cases := []struct {
		winver                        string // winver's arguments
		version, name, build, edition string
		server, warned                bool
	}{
		{winver: "winxp64", version: "5.2.3790", name: "xp x64", warned: true},
		{winver: "win7", version: "6.1.7601", name: "7", warned: true},
		{winver: "win81", version: "6.3.9600", name: "8.1", warned: true},
		{winver: `10.0.17134 1803 2208 "Windows 10 Pro"`, version: "10.0.17134", name: "10", build: "1803", edition: "Windows 10 Pro"},
		{winver: `10.0.19045 22H2 5737 "Windows 10 Pro"`, version: "10.0.19045", name: "10", build: "22H2", edition: "Windows 10 Pro"},
		{winver: `10.0.22631 23H2 4460 "Windows 10 Pro"`, version: "10.0.22631", name: "11", build: "23H2", edition: "Windows 11 Pro"},
		{winver: `10.0.20348 21H2 2700 "Windows Server 2022 Standard" ServerNT`, version: "10.0.20348", name: "server 2022", build: "21H2", server: true},
	}
	var script strings.Builder
	for i, c := range cases {
		fmt.Fprintf(&script, "winver %s >/dev/null 2>&1\n", c.winver)
		fmt.Fprintf(&script, "wine \"$E\" detect --output json >detect%d.json 2>detect%d.err; echo detect%d=$?\n", i, i, i)
		fmt.Fprintf(&script, "wine \"$E\" detect >detect%d.txt 2>&1\n", i)
	}
	out := s.session(3*time.Minute, script.String())
	for i, c := range cases {
		t.Run(c.version, func(t *testing.T) {
			if code := exit(t, out, fmt.Sprintf("detect%d", i)); code != "0" {
				t.Fatalf("exit %s: %s", code, s.read(fmt.Sprintf("detect%d.err", i)))
			}
			var p struct {
				OS, Version, Name, Arch, Build, Edition, Home string
				Server, Admin                                 bool
				Managers                                      *[]string
				Dirs                                          struct{ Data, Bin, Config string }
			}
			raw := s.read(fmt.Sprintf("detect%d.json", i))
			if err := json.Unmarshal([]byte(raw), &p); err != nil {
				t.Fatalf("%v:\n%s", err, raw)
			}
			if p.OS != "windows" || p.Version != c.version || p.Name != c.name || p.Arch != "amd64" || p.Server != c.server {
				t.Errorf("os %s version %s name %q arch %s server %v; want windows %s %q amd64 %v", p.OS, p.Version, p.Name, p.Arch, p.Server, c.version, c.name, c.server)
			}
			if c.build != "" && p.Build != c.build {
				t.Errorf("build %q, want %q", p.Build, c.build)
			}
			if c.edition != "" && p.Edition != c.edition {
				t.Errorf("edition %q, want %q", p.Edition, c.edition)
			}
			if p.Admin {
				t.Errorf("admin: true, for a process with a limited token")
			}
			if p.Managers == nil {
				t.Errorf(`"managers": null; want [] when none is found (the text says "none found")`)
			}
			if strings.HasPrefix(c.version, "10.") {
				if p.Home != `C:\users\root` || p.Dirs.Data != `C:\users\root\AppData\Local\envup` ||
					p.Dirs.Bin != `C:\users\root\AppData\Local\envup\bin` || p.Dirs.Config != `C:\users\root\AppData\Roaming` {
					t.Errorf("home %s, data %s, bin %s, config %s", p.Home, p.Dirs.Data, p.Dirs.Bin, p.Dirs.Config)
				}
			}
			stderr := s.read(fmt.Sprintf("detect%d.err", i))
			warned := strings.Contains(stderr, "envup: warning: envup runs on Windows 10 and later") &&
				strings.Contains(stderr, "envup export --platform windows/"+c.version)
			if warned != c.warned {
				t.Errorf("warned %v, want %v; stderr:\n%s", warned, c.warned, stderr)
			}
			if text := s.read(fmt.Sprintf("detect%d.txt", i)); !strings.Contains(text, "managers:  none found") {
				t.Errorf("text detect:\n%s", text)
			}
		})
	}
}

// issue 13, bug 5: the 386 build on 64-bit Windows said arch 386 and
// planned the i686 Python. It must say amd64, as the machine is, and plan
// the x86_64 build.
func TestWOW64DetectsTheMachine(t *testing.T) {
	s := newSeat(t)
	write(t, s.path("py.yml"), []byte("envup: 1\nname: py\ninterpreters:\n  python: {version: \"3.12\", sources: [archive]}\n"))
	out := s.session(2*time.Minute, `
wine 'Z:\host\envup-386.exe' detect --output json >detect.json 2>detect.err; echo detect=$?
wine 'Z:\host\envup-386.exe' plan -v py.yml >plan.txt 2>&1; echo plan=$?
`)
	if exit(t, out, "detect") != "0" {
		t.Fatalf("detect: %s", s.read("detect.err"))
	}
	var p struct{ Arch string }
	if err := json.Unmarshal([]byte(s.read("detect.json")), &p); err != nil || p.Arch != "amd64" {
		t.Errorf("a 386 envup on 64-bit Windows says arch %q (%v), want amd64", p.Arch, err)
	}
	plan := s.read("plan.txt")
	if !strings.Contains(plan, "x86_64-pc-windows-msvc") || strings.Contains(plan, "i686") {
		t.Errorf("the 386 envup does not plan the 64-bit python:\n%s", plan)
	}
}
