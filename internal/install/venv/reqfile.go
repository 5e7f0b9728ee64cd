package venv

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// wanted is everything a recipe asks of a venv's packages: requirements
// (from packages and requirements files), constraints, and the options
// the files set for pip.
type wanted struct {
	reqs        []*Requirement
	constraints map[string]Specifier // by normalised name, from -c files
	cFiles      []string             // constraints files, for pip's -c
	remote      []string             // requirements files at URLs: given to pip, never read
	hashes      bool                 // a --hash or --require-hashes: pip's hash-checking mode
	opts        fileOptions
}

// fileOptions are the pip options requirements files may set for the
// whole install.
type fileOptions struct {
	indexURL     string
	extraIndex   []string
	findLinks    []string
	noIndex      bool
	pre          bool
	preferBinary bool
	trustedHosts []string
	onlyBinary   []string
	noBinary     []string
}

// fileReader reads a requirements file and the environment pip would
// expand ${VARS} from.
type fileReader struct {
	read   func(name string) ([]byte, error)
	getenv func(key string) string
	base   string // the recipe's folder, for naming files in messages
}

// commentRe is pip's comment: a # at the start or after white space.
var commentRe = regexp.MustCompile(`(^|\s+)#.*$`)

// envRe is pip's ${VAR} (upper case, digits, underscore only).
var envRe = regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)

// logicalLine is one requirements-file line after continuations are joined.
type logicalLine struct {
	n    int
	text string
}

// logicalLines joins lines ending in a backslash to the next (a comment
// line never continues), strips comments and expands ${VARS}, as pip's
// req_file does, and drops what is left empty.
func logicalLines(text string, getenv func(string) string) []logicalLine {
	var out []logicalLine
	var pending strings.Builder
	start := 0
	emit := func(n int, s string) {
		s = commentRe.ReplaceAllString(s, "")
		s = envRe.ReplaceAllStringFunc(s, func(m string) string {
			if v := getenv(m[2 : len(m)-1]); v != "" {
				return v
			}
			return m
		})
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, logicalLine{n: n, text: s})
		}
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		isComment := commentRe.MatchString(line) && strings.HasPrefix(strings.TrimSpace(line), "#")
		if !strings.HasSuffix(line, `\`) || isComment {
			if pending.Len() > 0 {
				pending.WriteString(line)
				emit(start, pending.String())
				pending.Reset()
			} else {
				emit(i+1, line)
			}
			continue
		}
		if pending.Len() == 0 {
			start = i + 1
		}
		pending.WriteString(strings.TrimSuffix(line, `\`))
	}
	if pending.Len() > 0 {
		emit(start, pending.String())
	}
	return out
}

// readFile adds what a requirements (or, with constraint, constraints)
// file asks for, following its -r and -c lines. file is a local path.
func (w *wanted) readFile(rd fileReader, file string, constraint bool, seen map[string]bool) error {
	if seen[file] {
		return fmt.Errorf("%s: includes itself", rd.name(file))
	}
	seen[file] = true
	defer delete(seen, file)
	data, err := rd.read(file)
	if err != nil {
		return err
	}
	dir := filepath.Dir(file)
	for _, l := range logicalLines(string(data), rd.getenv) {
		where := rd.name(file) + ":" + strconv.Itoa(l.n)
		if err := w.line(rd, l.text, dir, where, constraint, seen); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}

func (w *wanted) line(rd fileReader, text, dir, where string, constraint bool, seen map[string]bool) error {
	if strings.HasPrefix(text, "-") && !strings.HasPrefix(text, "-e") && !strings.HasPrefix(text, "--editable") {
		return w.options(rd, splitArgs(text), dir, constraint, seen)
	}
	req, err := requirementLine(text, dir)
	if err != nil {
		return err
	}
	req.From = where
	if constraint {
		if req.Key != "" && req.versioned() {
			w.constrain(req.Key, req.Specifier)
		}
		return nil
	}
	if len(req.Hashes) > 0 {
		w.hashes = true
	}
	w.reqs = append(w.reqs, req)
	return nil
}

func (w *wanted) constrain(key string, s Specifier) {
	if w.constraints == nil {
		w.constraints = map[string]Specifier{}
	}
	w.constraints[key] = w.constraints[key].and(s)
}

// requirementLine is a requirement with its per-requirement options:
// pip takes the words before the first one starting with "-" as the
// requirement, the rest as options (--hash=sha256:..., --config-settings).
func requirementLine(text, dir string) (*Requirement, error) {
	editable := false
	if rest, ok := cutOption(text, "-e", "--editable"); ok {
		editable, text = true, rest
	}
	words := strings.Split(text, " ")
	n := 0
	for n < len(words) && !strings.HasPrefix(words[n], "-") {
		n++
	}
	req, err := ParseRequirement(strings.Join(words[:n], " "), dir)
	if err != nil {
		return nil, err
	}
	if editable {
		if req.URL == "" {
			return nil, fmt.Errorf("-e needs a path or URL, not %q", req.arg)
		}
		req.Editable = true
	}
	opts := splitArgs(strings.Join(words[n:], " "))
	for i := 0; i < len(opts); i++ {
		o := opts[i]
		name, val, hasVal := strings.Cut(o, "=")
		if !hasVal && i+1 < len(opts) && !strings.HasPrefix(opts[i+1], "-") {
			val = opts[i+1]
			i++
			o += "=" + val
		}
		switch name {
		case "--hash":
			req.Hashes = append(req.Hashes, val)
		case "--global-option", "--install-option", "--config-settings", "-C", "--build-option":
		default:
			return nil, fmt.Errorf("unknown option %s for %s", name, req.label())
		}
		req.Options = append(req.Options, o)
	}
	return req, nil
}

// cutOption strips a leading short or long option with its separator.
func cutOption(text, short, long string) (string, bool) {
	for _, p := range []string{long + "=", long + " ", short + " ", short} {
		if strings.HasPrefix(text, p) {
			return strings.TrimSpace(text[len(p):]), true
		}
	}
	return text, false
}

// options applies an option line: -r, -c, and the install-wide options.
func (w *wanted) options(rd fileReader, args []string, dir string, constraint bool, seen map[string]bool) error {
	for i := 0; i < len(args); i++ {
		name, val := args[i], ""
		hasVal := false
		if strings.HasPrefix(name, "--") {
			if n, v, ok := strings.Cut(name, "="); ok {
				name, val, hasVal = n, v, true
			}
		} else if len(name) > 2 {
			name, val, hasVal = name[:2], name[2:], true // -rfile
		}
		takes := map[string]bool{
			"-r": true, "--requirement": true, "-c": true, "--constraint": true,
			"-i": true, "--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true,
			"--trusted-host": true, "--only-binary": true, "--no-binary": true, "--use-feature": true,
		}[name]
		if takes && !hasVal {
			if i+1 >= len(args) {
				return fmt.Errorf("%s needs a value", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "-r", "--requirement":
			if err := w.include(rd, val, dir, false, seen); err != nil {
				return err
			}
		case "-c", "--constraint":
			if err := w.include(rd, val, dir, true, seen); err != nil {
				return err
			}
		case "-i", "--index-url":
			w.opts.indexURL = val
		case "--extra-index-url":
			w.opts.extraIndex = append(w.opts.extraIndex, val)
		case "-f", "--find-links":
			w.opts.findLinks = append(w.opts.findLinks, localOrURL(val, dir))
		case "--no-index":
			w.opts.noIndex = true
		case "--pre":
			w.opts.pre = true
		case "--prefer-binary":
			w.opts.preferBinary = true
		case "--trusted-host":
			w.opts.trustedHosts = append(w.opts.trustedHosts, val)
		case "--only-binary":
			w.opts.onlyBinary = append(w.opts.onlyBinary, val)
		case "--no-binary":
			w.opts.noBinary = append(w.opts.noBinary, val)
		case "--require-hashes":
			w.hashes = true
		case "--use-feature":
		default:
			return fmt.Errorf("unknown option %s", name)
		}
	}
	return nil
}

// include follows -r (or -c) target, relative to the including file. A
// file at a URL is not read: pip is given it.
func (w *wanted) include(rd fileReader, target, dir string, constraint bool, seen map[string]bool) error {
	if isURL(target) {
		if constraint {
			w.cFiles = append(w.cFiles, target)
		} else {
			w.remote = append(w.remote, target)
		}
		return nil
	}
	file := localOrURL(target, dir)
	if constraint {
		w.cFiles = append(w.cFiles, file)
	}
	return w.readFile(rd, file, constraint, seen)
}

// isURL says whether s is a URL rather than a local path (C:\ is a path).
func isURL(s string) bool { return strings.Contains(s, "://") && !isDrive(s) }

// localOrURL makes a relative local path absolute against dir.
func localOrURL(s, dir string) string {
	if isURL(s) || filepath.IsAbs(s) || isDrive(s) || dir == "" {
		return s
	}
	return filepath.Join(dir, filepath.FromSlash(s))
}

// name is how a file is named in messages: relative to the recipe when
// it is beside it.
func (rd fileReader) name(file string) string {
	if rd.base != "" {
		if rel, err := filepath.Rel(rd.base, file); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return file
}

// splitArgs splits an option line into words, with '…' and "…" quoting
// as shlex does (pip reads option lines with shlex).
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}
