// standin plays python.exe, redis-server.exe and redis-cli.exe for
// envup's Windows tests under Wine: no Windows build of CPython or Redis
// can be had on this network. It grew from ../shared/wine10/standin (the
// python.exe/py.exe answers are that program's) and does just enough for
// envup to install, use and check them as it does the real ones; it is
// chosen by the name it runs as.
//
//	python.exe    --version; -c with version_info (3.12.7); -c envup's
//	              module check ("missing:"); -m venv DIR (a venv: pyvenv.cfg,
//	              Scripts\python.exe a copy of itself, Lib\site-packages with
//	              pip); -m pip install [--no-index] [--find-links DIR]... REQ...
//	              (a dist-info for each REQ, its version from the newest
//	              matching wheel's name in a --find-links folder); -c "import
//	              X[, Y]; ..." (fails unless each X is installed in its own
//	              venv; prints X.__version__ when asked)
//	redis-server  redis-server.exe CONF: serves PING, INFO and SHUTDOWN on
//	              CONF's port on 127.0.0.1 (RESP); --version
//	redis-cli     [-h HOST] [-p PORT] COMMAND: sends it, prints the reply
//	any           --echo ARGS...: prints its arguments joined by "|";
//	              --tree FILE: starts itself with --sleep, writes the pid
//	              of that grandchild-to-be to FILE, and waits for it;
//	              --sleep: sleeps for five minutes
//
// Build: GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o python.exe .
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const version = "3.12.7"

func main() {
	self := strings.ToLower(strings.TrimSuffix(filepath.Base(os.Args[0]), filepath.Ext(os.Args[0])))
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--echo" {
		fmt.Println(strings.Join(args[1:], "|"))
		return
	}
	if len(args) == 2 && args[0] == "--tree" {
		os.Exit(tree(args[1]))
	}
	if len(args) == 1 && args[0] == "--sleep" {
		time.Sleep(5 * time.Minute)
		return
	}
	switch {
	case self == "redis-server":
		os.Exit(server(args))
	case self == "redis-cli":
		os.Exit(cli(args))
	case strings.HasPrefix(self, "python"):
		os.Exit(python(args))
	}
	fmt.Fprintf(os.Stderr, "standin %s: unsupported: %q\n", self, args)
	os.Exit(9)
}

func python(args []string) int {
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-V") {
		fmt.Println("Python " + version)
		return 0
	}
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-E", "-B", "-I", "-s":
			continue
		case "-m":
			if i+1 < len(args) {
				return module(args[i+1], args[i+2:])
			}
		case "-c":
			if i+1 < len(args) {
				return code(args[i+1])
			}
		}
		break
	}
	fmt.Fprintf(os.Stderr, "standin python: unsupported: %q\n", args)
	return 9
}

// prefix is the venv (or install) this python belongs to: the folder of
// Scripts\python.exe, else the folder of python.exe.
func prefix() string {
	exe, _ := os.Executable()
	dir := filepath.Dir(exe)
	if strings.EqualFold(filepath.Base(dir), "Scripts") {
		return filepath.Dir(dir)
	}
	return dir
}

func sitePackages() string { return filepath.Join(prefix(), "Lib", "site-packages") }

func code(src string) int {
	switch {
	case strings.Contains(src, "missing"): // envup's health check
		fmt.Print("missing:\r\n")
		return 0
	case strings.Contains(src, "version_info"):
		fmt.Print(version + "\r\n")
		return 0
	}
	imports := regexp.MustCompile(`import ([A-Za-z_][\w, ]*)`).FindStringSubmatch(src)
	if imports == nil {
		fmt.Fprintf(os.Stderr, "standin python: unsupported code: %q\n", src)
		return 9
	}
	for _, name := range strings.Split(imports[1], ",") {
		name = strings.TrimSpace(name)
		v, ok := installed(name)
		if !ok {
			fmt.Fprintf(os.Stderr, "Traceback (most recent call last):\r\nModuleNotFoundError: No module named '%s'\r\n", name)
			return 1
		}
		if strings.Contains(src, name+".__version__") {
			fmt.Print(v + "\r\n")
		}
	}
	return 0
}

// installed finds name's dist-info in this python's site-packages.
func installed(name string) (string, bool) {
	entries, _ := os.ReadDir(sitePackages())
	for _, e := range entries {
		n, v, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".dist-info"), "-")
		if ok && strings.EqualFold(n, name) && strings.HasSuffix(e.Name(), ".dist-info") {
			return v, true
		}
	}
	return "", false
}

func module(name string, args []string) int {
	switch name {
	case "venv":
		return venv(args)
	case "pip":
		if len(args) > 0 && args[0] == "install" {
			return pipInstall(args[1:])
		}
	case "ensurepip":
		return distInfo(sitePackages(), "pip", "24.2")
	}
	fmt.Fprintf(os.Stderr, "standin python: no module %s %q\n", name, args)
	return 9
}

func venv(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "standin: -m venv DIR")
		return 2
	}
	dir := args[len(args)-1]
	exe, _ := os.Executable()
	scripts := filepath.Join(dir, "Scripts")
	if err := os.MkdirAll(scripts, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	data, err := os.ReadFile(exe)
	if err == nil {
		err = os.WriteFile(filepath.Join(scripts, "python.exe"), data, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg := fmt.Sprintf("home = %s\r\ninclude-system-site-packages = false\r\nversion = %s\r\nexecutable = %s\r\ncommand = %s -m venv %s\r\n",
		filepath.Dir(exe), version, exe, exe, dir)
	if err := os.WriteFile(filepath.Join(dir, "pyvenv.cfg"), []byte(cfg), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return distInfo(filepath.Join(dir, "Lib", "site-packages"), "pip", "24.2")
}

func distInfo(site, name, ver string) int {
	d := filepath.Join(site, name+"-"+ver+".dist-info")
	if err := os.MkdirAll(d, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	meta := fmt.Sprintf("Metadata-Version: 2.1\r\nName: %s\r\nVersion: %s\r\n", name, ver)
	if err := os.WriteFile(filepath.Join(d, "METADATA"), []byte(meta), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = os.WriteFile(filepath.Join(d, "INSTALLER"), []byte("pip\r\n"), 0o644)
	return 0
}

var reqName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)`)

func pipInstall(args []string) int {
	var links, reqs []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--find-links" || a == "-f":
			i++
			if i < len(args) {
				links = append(links, args[i])
			}
		case strings.HasPrefix(a, "--find-links="):
			links = append(links, strings.TrimPrefix(a, "--find-links="))
		case a == "-r" || a == "-c" || a == "--index-url" || a == "-i" || a == "--extra-index-url" || a == "--trusted-host":
			i++ // files and indexes: not needed by the tests
		case strings.HasPrefix(a, "-"):
		default:
			reqs = append(reqs, a)
		}
	}
	for _, r := range reqs {
		m := reqName.FindString(r)
		if m == "" {
			fmt.Fprintf(os.Stderr, "standin pip: cannot read %q\n", r)
			return 1
		}
		ver := wheelVersion(links, m)
		if ver == "" {
			fmt.Fprintf(os.Stderr, "ERROR: Could not find a version that satisfies the requirement %s\r\n", r)
			return 1
		}
		if code := distInfo(sitePackages(), strings.ReplaceAll(m, "-", "_"), ver); code != 0 {
			return code
		}
		fmt.Printf("Successfully installed %s-%s\r\n", m, ver)
	}
	return 0
}

// wheelVersion is the newest version of name among the wheels in dirs.
func wheelVersion(dirs []string, name string) string {
	norm := func(s string) string { return strings.ToLower(strings.NewReplacer("-", "_", ".", "_").Replace(s)) }
	var found []string
	for _, d := range dirs {
		d = strings.TrimPrefix(d, "file:///")
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			parts := strings.Split(e.Name(), "-")
			if len(parts) >= 5 && strings.HasSuffix(e.Name(), ".whl") && norm(parts[0]) == norm(name) {
				found = append(found, parts[1])
			}
		}
	}
	sort.Strings(found)
	if len(found) == 0 {
		return ""
	}
	return found[len(found)-1]
}

// server serves RESP on the port its config file names until SHUTDOWN.
func server(args []string) int {
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-v") {
		fmt.Println("Redis server v=5.0.14.1 sha=ec77f72d:0 malloc=jemalloc-5.2.1-redis bits=64 build=5627b8177c9289c")
		return 0
	}
	port := "6379"
	if len(args) > 0 {
		data, err := os.ReadFile(args[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "port" {
				port = f[1]
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return 1
		}
		go serve(c)
	}
}

func serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		cmd, err := readCommand(r)
		if err != nil {
			return
		}
		switch strings.ToUpper(cmd[0]) {
		case "PING":
			io.WriteString(c, "+PONG\r\n")
		case "INFO":
			body := "# Server\r\nredis_version:5.0.14.1\r\n"
			fmt.Fprintf(c, "$%d\r\n%s\r\n", len(body), body)
		case "SHUTDOWN":
			os.Exit(0)
		default:
			fmt.Fprintf(c, "-ERR unknown command '%s'\r\n", cmd[0])
		}
	}
}

func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "*") {
		return strings.Fields(line), nil // inline command
	}
	n, _ := strconv.Atoi(line[1:])
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return nil, err
		}
		arg, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		out = append(out, strings.TrimRight(arg, "\r\n"))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	return out, nil
}

func cli(args []string) int {
	host, port := "127.0.0.1", "6379"
	var cmd []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-h":
			i++
			host = args[i]
		case "-p":
			i++
			port = args[i]
		default:
			cmd = append(cmd, args[i])
		}
	}
	if len(cmd) == 0 {
		cmd = []string{"PING"}
	}
	c, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "Could not connect to Redis at %s:%s: Connection refused\r\n", host, port)
		return 1
	}
	defer c.Close()
	fmt.Fprintf(c, "*%d\r\n", len(cmd))
	for _, a := range cmd {
		fmt.Fprintf(c, "$%d\r\n%s\r\n", len(a), a)
	}
	if strings.EqualFold(cmd[0], "SHUTDOWN") {
		_, _ = io.ReadAll(c)
		return 0
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Print(strings.TrimLeft(strings.TrimRight(line, "\r\n"), "+-:") + "\r\n")
	if strings.HasPrefix(line, "-") {
		return 1
	}
	return 0
}

// tree starts a copy of itself that sleeps, says its pid in file, and
// waits for it: a command with a grandchild, as pip under python is.
func tree(file string) int {
	child := exec.Command(os.Args[0], "--sleep")
	if err := child.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(file, []byte(strconv.Itoa(child.Process.Pid)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = child.Wait()
	return 0
}
