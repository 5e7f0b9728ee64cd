package service

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"
	"time"

	"github.com/envup/envup/internal/system"
)

// The ways envup runs a server.
const (
	managerSystemd = "systemd"         // a systemd user unit
	managerLaunchd = "launchd"         // a launchd agent (macOS)
	managerWindows = "windows-service" // the Windows port's own service install
	managerProcess = "process"         // the server daemonizes itself, with a pidfile
)

// chooseManager decides how the server runs, and the choice sticks: a
// unit file envup wrote, or its config saying daemonize yes, keeps the
// way an earlier apply chose, so the no-op path reads files and spawns
// nothing. Only the first time, on Linux, is `systemctl --user` asked
// whether a user manager runs (it does not in most containers).
func (s *Service) chooseManager(ctx context.Context, sys system.System, conf []byte) string {
	switch s.p.OS {
	case "macos":
		return managerLaunchd
	case "windows":
		// A Windows service is installed for the machine: only an
		// administrator may. Anyone else gets the server as their own
		// process, which apply and `envup services start` start.
		if s.p.Admin {
			return managerWindows
		}
		return managerProcess
	}
	if _, err := sys.Stat(s.unitPath(managerSystemd)); err == nil {
		return managerSystemd
	}
	if conf != nil && configValue(conf, "daemonize") == "yes" {
		return managerProcess
	}
	// Another platform's host cannot be asked: no user manager there.
	if systemdUser(ctx, sys) {
		return managerSystemd
	}
	return managerProcess
}

// systemdUser says whether `systemctl --user` reaches a user manager:
// is-system-running answers running or degraded (exiting non-zero for
// the latter), or starting during boot.
func systemdUser(ctx context.Context, sys system.System) bool {
	res, _ := sys.Query(ctx, system.Cmd{Argv: []string{"systemctl", "--user", "is-system-running"}, Timeout: 5 * time.Second})
	if res == nil {
		return false
	}
	switch strings.TrimSpace(string(res.Stdout)) {
	case "running", "degraded", "starting":
		return true
	}
	return false
}

// unitName is the systemd unit, launchd label or Windows service name.
func (s *Service) unitName(manager string) string {
	switch manager {
	case managerSystemd:
		return "envup-" + s.key + ".service"
	case managerLaunchd:
		return "io.envup." + s.key
	}
	return "envup-" + s.key
}

// unitPath is the file that tells manager how to run the server; "" for
// the managers without one.
func (s *Service) unitPath(manager string) string {
	switch manager {
	case managerSystemd:
		return s.p.Join(s.p.Dirs.Config, "systemd", "user", s.unitName(manager))
	case managerLaunchd:
		return s.p.Join(s.p.Home, "Library", "LaunchAgents", s.unitName(manager)+".plist")
	}
	return ""
}

// unitFor renders manager's file for running server with conf; nil for
// the managers without one. It is pure.
func unitFor(manager, kindName, key, label, server, conf string) []byte {
	var b bytes.Buffer
	switch manager {
	case managerSystemd:
		fmt.Fprintf(&b, "# Written by envup for services.%s: edits here are overwritten.\n", key)
		fmt.Fprintf(&b, "[Unit]\nDescription=%s for envup's services.%s\n\n", kindName, key)
		fmt.Fprintf(&b, "[Service]\nType=simple\nExecStart=%s %s\nRestart=on-failure\n\n", systemdQuote(server), systemdQuote(conf))
		b.WriteString("[Install]\nWantedBy=default.target\n")
	case managerLaunchd:
		b.WriteString(xml.Header)
		b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
		fmt.Fprintf(&b, "<!-- Written by envup for services.%s: edits here are overwritten. -->\n", key)
		b.WriteString("<plist version=\"1.0\">\n<dict>\n")
		fmt.Fprintf(&b, "\t<key>Label</key>\n\t<string>%s</string>\n", xmlText(label))
		fmt.Fprintf(&b, "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>%s</string>\n\t\t<string>%s</string>\n\t</array>\n", xmlText(server), xmlText(conf))
		b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
		b.WriteString("\t<key>KeepAlive</key>\n\t<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n\t</dict>\n")
		b.WriteString("</dict>\n</plist>\n")
	default:
		return nil
	}
	return b.Bytes()
}

// systemdQuote writes one ExecStart word: quoted when it has spaces,
// with systemd's specifiers (%) and variables ($) escaped.
func systemdQuote(s string) string {
	s = strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
	if !strings.ContainsAny(s, " \t\"'\\") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// writeUnit writes manager's file for have when it differs, and has
// systemd read it again. changed says whether it did.
func (s *Service) writeUnit(ctx context.Context, sys system.System, manager string, have *Found) (changed bool, err error) {
	path := s.unitPath(manager)
	if path == "" {
		return false, nil
	}
	want := unitFor(manager, s.kind.name, s.key, s.unitName(manager), have.Path, s.layout().conf)
	if cur, err := sys.ReadFile(path); err == nil && bytes.Equal(cur, want) {
		return false, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, system.ErrNotObserved) {
		return false, err
	}
	if err := sys.WriteFile(path, want, 0o644); err != nil {
		return false, err
	}
	if manager == managerSystemd {
		if _, err := sys.Run(ctx, systemctl("daemon-reload")); err != nil {
			return false, err
		}
	}
	return true, nil
}

func systemctl(args ...string) system.Cmd {
	return system.Cmd{Argv: append([]string{"systemctl", "--user"}, args...)}
}

// launch starts the server the manager's way. It does not wait.
func (s *Service) launch(ctx context.Context, sys system.System, manager string, have *Found) error {
	conf := s.layout().conf
	var cmds []system.Cmd
	switch manager {
	case managerSystemd:
		cmds = []system.Cmd{systemctl("enable", "--now", s.unitName(manager))}
	case managerLaunchd:
		cmds = []system.Cmd{{Argv: []string{"launchctl", "load", "-w", s.unitPath(manager)}}}
	case managerWindows:
		// Installing and starting a Windows service takes an
		// administrator: a script says so before it tries.
		sys = system.Intend(sys, system.Intent{Admin: "it installs a Windows service"})
		name := s.unitName(manager)
		// sc query exits non-zero for a service that does not exist.
		if _, err := sys.Query(ctx, system.Cmd{Argv: []string{"sc.exe", "query", name}}); err != nil {
			cmds = append(cmds, system.Cmd{Argv: []string{have.Path, "--service-install", conf, "--service-name", name}})
		}
		cmds = append(cmds, system.Cmd{Argv: []string{have.Path, "--service-start", "--service-name", name}})
	case managerProcess:
		if s.p.OS == "windows" {
			// The Windows ports do not fork: envup starts the server
			// detached from its console, and it keeps running.
			return sys.Spawn(system.Cmd{Argv: []string{have.Path, conf}})
		}
		// daemonize yes: the server forks, writes the pidfile and the
		// command returns.
		cmds = []system.Cmd{{Argv: []string{have.Path, conf}}}
	}
	for _, c := range cmds {
		if _, err := sys.Run(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// halt asks the running server to stop the manager's way: the server
// started with conf (the config it runs with). It does not wait.
func (s *Service) halt(ctx context.Context, sys system.System, manager string, have *Found, p *Process, conf []byte) error {
	var c system.Cmd
	switch manager {
	case managerSystemd:
		c = systemctl("stop", s.unitName(manager))
	case managerLaunchd:
		c = system.Cmd{Argv: []string{"launchctl", "unload", s.unitPath(manager)}}
	case managerWindows:
		server := exe(s.kind.server, s.p.OS)
		if have != nil {
			server = have.Path
		}
		c = system.Cmd{Argv: []string{server, "--service-stop", "--service-name", s.unitName(manager)}}
	default:
		c = s.shutdown(sys, have, p, conf)
	}
	_, err := sys.Run(ctx, c)
	return err
}

// shutdown is the command that stops a daemonized server: its cli's
// SHUTDOWN (the server saves as its config says, then exits), with the
// password in the environment rather than argv; kill when there is no
// cli.
func (s *Service) shutdown(sys system.System, have *Found, p *Process, conf []byte) system.Cmd {
	e := s.endpoint(conf)
	cli := ""
	if have != nil {
		if _, err := sys.Stat(have.CLI); err == nil {
			cli = have.CLI
		}
	}
	if cli == "" {
		if found, err := sys.LookPath(exe(s.kind.cli, s.p.OS)); err == nil {
			cli = found
		}
	}
	if cli == "" && p != nil && p.PID > 0 {
		return system.Cmd{Argv: []string{"kill", fmt.Sprint(p.PID)}}
	}
	if cli == "" {
		cli = s.kind.cli
	}
	host, port, _ := net.SplitHostPort(e.addr)
	c := system.Cmd{Argv: []string{cli, "-h", host, "-p", port, "shutdown"}}
	if e.password != "" {
		c.Env = []string{"REDISCLI_AUTH=" + e.password}
	}
	return c
}
