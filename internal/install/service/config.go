package service

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/go-version"
)

// reserved are the directives envup sets itself and the recipe cannot:
// the port has its own key, and the pidfile and daemonize are how envup
// finds and runs the server.
var reserved = map[string]string{
	"port":      "set port: instead",
	"pidfile":   "envup keeps the pidfile where it looks for it",
	"daemonize": "envup decides how the server runs",
}

// layout is where a service keeps its files, all under the state dir:
// <state>/services/<key>/{redis.conf, redis.pid, redis.log, data/}.
type layout struct {
	dir, conf, pid, log, data string
}

func (s *Service) layout() layout {
	dir := s.p.Join(s.p.Dirs.State, "services", s.key)
	return layout{
		dir:  dir,
		conf: s.p.Join(dir, s.kind.name+".conf"),
		pid:  s.p.Join(dir, s.kind.name+".pid"),
		log:  s.p.Join(dir, s.kind.name+".log"),
		data: s.p.Join(dir, "data"),
	}
}

// configFor renders the config file envup owns for a server of version
// (the one installed, or about to be) run by manager. It is pure.
//
// envup's own lines come first — port, bind, daemonize, pidfile,
// logfile, dir — then the recipe's config: directives, sorted by name,
// one a line. config: replaces envup's bind, dir and logfile when it
// sets them.
func configFor(kindName, key string, port int, config map[string]string, l layout, ver, manager, os string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s.conf for services.%s, written by envup: edits here are overwritten.\n", kindName, key)
	fmt.Fprintf(&b, "# Change services.%s in the recipe instead.\n", key)
	user := map[string]string{}
	for k, v := range config {
		user[strings.ToLower(k)] = v
	}
	line := func(k, v string) { b.WriteString(k + " " + quoteValue(v) + "\n") }
	fmt.Fprintf(&b, "port %d\n", port)
	if _, ok := user["bind"]; !ok {
		// Loopback only. The "-" marks ::1 as optional (a host without
		// IPv6 still starts); [I] servers before 6.2 do not know it.
		if optionalBind(kindName, ver) && os != "windows" {
			b.WriteString("bind 127.0.0.1 -::1\n")
		} else {
			b.WriteString("bind 127.0.0.1\n")
		}
	}
	if os != "windows" {
		// The Windows ports neither fork nor write a pidfile envup could
		// check; the service manager runs them there.
		if manager == managerProcess {
			b.WriteString("daemonize yes\n")
		} else {
			b.WriteString("daemonize no\n")
		}
		line("pidfile", l.pid)
	}
	if _, ok := user["logfile"]; !ok {
		line("logfile", l.log)
	}
	if _, ok := user["dir"]; !ok {
		line("dir", l.data)
	}
	for _, k := range slices.Sorted(maps.Keys(user)) {
		line(k, user[k])
	}
	return b.Bytes()
}

// optionalBind says whether the server reads a "-" before a bind
// address: Redis from 6.2, every Valkey.
func optionalBind(kindName, ver string) bool {
	if kindName == "valkey" {
		return true
	}
	v, err := version.NewVersion(ver)
	if err != nil {
		return false
	}
	return !v.LessThan(version.Must(version.NewVersion("6.2")))
}

// quoteValue writes a directive's value as the server's config parser
// (sdssplitargs) reads it: bare when it is one word without quotes —
// a backslash is literal there, so a bare Windows path is fine — else in
// double quotes, where the parser reads "\\" as one backslash and "\""
// as a quote, so both are escaped.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\"'") {
		return v
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// directive is one line of a config file: its name and its value as
// written (quotes and all).
type directive struct{ name, value string }

// parseConfig reads a config file's directives in order, skipping
// comments and blank lines.
func parseConfig(data []byte) []directive {
	var out []directive
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, _ := strings.Cut(line, " ")
		out = append(out, directive{strings.ToLower(name), strings.TrimSpace(value)})
	}
	return out
}

// configValue is the value of the first directive called name, unquoted
// when it was quoted; "" when there is none.
func configValue(data []byte, name string) string {
	for _, d := range parseConfig(data) {
		if d.name == name {
			return unquote(d.value)
		}
	}
	return ""
}

func unquote(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	var b strings.Builder
	for i := 1; i < len(v)-1; i++ {
		if v[i] == '\\' && i+1 < len(v)-1 {
			i++
			if v[i] == 't' {
				b.WriteByte('\t')
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// configDiff says how have differs from want, directive by directive:
// "config differs: maxmemory 64mb → 128mb, appendonly (unset) → yes".
// Past four directives it counts the rest.
func configDiff(have, want []byte) string {
	h, w := map[string]string{}, map[string]string{}
	var names []string
	for _, d := range parseConfig(have) {
		if _, seen := h[d.name]; !seen {
			h[d.name] = d.value
			names = append(names, d.name)
		}
	}
	for _, d := range parseConfig(want) {
		if _, seen := w[d.name]; !seen {
			w[d.name] = d.value
			if _, inHave := h[d.name]; !inHave {
				names = append(names, d.name)
			}
		}
	}
	var parts []string
	for _, n := range names {
		hv, inHave := h[n]
		wv, inWant := w[n]
		switch {
		case inHave && inWant && hv == wv:
			continue
		case !inHave:
			hv = "(unset)"
		case !inWant:
			wv = "(unset)"
		}
		parts = append(parts, n+" "+hv+" → "+wv)
	}
	switch {
	case len(parts) == 0:
		return "config differs: edited outside envup"
	case len(parts) > 4:
		return fmt.Sprintf("config differs: %s and %d more", strings.Join(parts[:4], ", "), len(parts)-4)
	}
	return "config differs: " + strings.Join(parts, ", ")
}
