package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// dialect is what one script language writes its own way. writeScript
// walks the operations once for all three (cmd.go, ps1.go, sh.go): the
// order of the parts, the sections and their numbers, what a check
// tests and what the log says are decided there, and a dialect only
// writes each part in its language. n is the operation's number in the
// script (1 for the first), which cmd turns into its labels.
type dialect interface {
	// header starts the file: the lines before and after the common
	// header comment (headerComment), its variables and helpers.
	header(s *Script)
	// hostCheck stops the script with exit status 2 on another host,
	// before anything is written.
	hostCheck(t Target)
	// begin opens the log and says what the script is about to do.
	begin(s *Script)
	// footer ends the script with the checks' tally as its exit status.
	footer(s *Script)

	// blank writes an empty line.
	blank()
	// comment writes text as a comment line.
	comment(text string)
	// say writes text on the console and in the log.
	say(text string)
	// command quotes argv as one command line of the language.
	command(argv []string) (string, error)

	// skipSection skips section n up to the next one when path exists
	// (a path "" never skips); endSection closes it, next being the
	// number of the section that follows.
	skipSection(n int, path string) error
	endSection(next int)

	// mkdir makes path and its parents, if missing.
	mkdir(n int, path string) error
	// copy puts the file from (under files/) at to, unless the same
	// bytes are there.
	copy(n int, from, to string) error
	// run runs line (argv, quoted by command), logged; a failure stops
	// the script with its status.
	run(n int, line string, argv []string)
	// requireAdmin stops the script unless it runs as an administrator.
	requireAdmin(n int, why string)

	// countCheck adds one to the number of checks the footer reports.
	countCheck()
	// checkRun runs line with its output kept for checkContains and
	// checkMatch; a failed exit status fails the check.
	checkRun(n int, line string, argv []string)
	// checkContains fails the check when the output lacks want.
	checkContains(n int, want string) error
	// checkMatch fails the check when no line of the output matches the
	// Go regexp expr, or says why the language cannot test it.
	checkMatch(n int, expr string) error
	// checkResult counts the check's outcome; note, when not "", is said
	// before it.
	checkResult(n int, note string)
}

// writeScript writes s in d's language: the header, the host check, then
// each operation in order, then the footer.
func writeScript(d dialect, s *Script) error {
	d.header(s)
	d.blank()
	d.comment("---- the host: " + targetLabel(s.Target))
	d.hostCheck(s.Target)
	d.begin(s)
	total := countSections(s.Ops)
	section := 0
	for i, op := range s.Ops {
		n := i + 1
		if op.Kind == Section {
			if section > 0 {
				d.endSection(section + 1)
			}
			section++
		}
		if err := writeOp(d, op, n, section, total); err != nil {
			return fmt.Errorf("op %d (%s %s): %w", n, kindName(op.Kind), op.Resource, err)
		}
	}
	if section > 0 {
		d.endSection(section + 1)
	}
	d.blank()
	d.footer(s)
	return nil
}

// writeOp writes operation n; section is the number of the section it
// is in, of total.
func writeOp(d dialect, op Op, n, section, total int) error {
	switch op.Kind {
	case Section:
		d.blank()
		d.comment(fmt.Sprintf("---- %d/%d %s", section, total, op.Resource))
		d.say(fmt.Sprintf("[%d/%d] %s", section, total, sectionTitle(op)))
		return d.skipSection(section, op.Path)
	case Mkdir:
		return d.mkdir(n, op.Path)
	case Copy:
		if op.From == "" {
			return errors.New("copy has no From")
		}
		return d.copy(n, op.From, op.Path)
	case Run:
		line, err := d.command(op.Argv)
		if err != nil {
			return err
		}
		d.run(n, line, op.Argv)
	case Check:
		return writeCheck(d, op, n)
	case Note:
		d.say("  note: " + op.Title)
	case Admin:
		d.requireAdmin(n, op.Title)
	default:
		return fmt.Errorf("unknown kind %d", op.Kind)
	}
	return nil
}

// writeCheck writes a check: its exit status, then Expect, then
// ExpectRe, each tested only when the one before passed.
func writeCheck(d dialect, op Op, n int) error {
	line, err := d.command(op.Argv)
	if err != nil {
		return err
	}
	name := op.Title
	if name == "" {
		name = displayArgs(op.Argv)
	}
	d.countCheck()
	d.say("  check: " + name)
	d.checkRun(n, line, op.Argv)
	if op.Expect != "" {
		if err := d.checkContains(n, op.Expect); err != nil {
			return fmt.Errorf("expect: %w", err)
		}
	}
	note := ""
	if op.ExpectRe != "" {
		if err := d.checkMatch(n, op.ExpectRe); err != nil {
			note = fmt.Sprintf("    note: expect_re \"%s\" is not checked: %v; only the exit status is", op.ExpectRe, err)
		}
	}
	d.checkResult(n, note)
	return nil
}

// wrongHostAdvice is what every script says after it stops on another
// host.
const wrongHostAdvice = "envup: nothing was changed. Export again for this host (envup export --probe tells what it is)."

// headerComment writes the comment every script starts with; howToRun
// says how to start it.
func headerComment(d dialect, file string, s *Script, howToRun ...string) {
	d.comment(fmt.Sprintf("%s: applies recipe %s on %s.", file, s.Recipe, targetLabel(s.Target)))
	d.comment("Made by envup export. It runs by itself on that host, with the files/ folder beside it.")
	for _, l := range howToRun {
		d.comment(l)
	}
	d.comment("Every step and its output goes to setup.log beside it; a second run skips what is done.")
	d.comment("Exit status: 0 done, 1 a step or check failed, 2 not the host it was made for.")
}

// splitSymbol splits a leading path symbol off a path: "~\x" is "~" and
// "\x", "{files}/a" is "{files}" and "/a"; a path without one is "" and
// itself. "~" counts only alone or before a separator ("~user" is not
// the home folder).
func splitSymbol(p string) (sym, rest string) {
	for _, s := range []string{"{files}", "~"} {
		if r, ok := strings.CutPrefix(p, s); ok && (r == "" || r[0] == '\\' || r[0] == '/') {
			return s, r
		}
	}
	return "", p
}

// splitArgSymbol finds a path symbol in an argument: at its start, or
// after a leading NAME= (TARGETDIR=~\Python34, --prefix=~/.local), as
// installers take their folders. pre is that NAME=, "" when the symbol leads or there is none.
func splitArgSymbol(a string) (pre, sym, rest string) {
	if sym, rest = splitSymbol(a); sym != "" {
		return "", sym, rest
	}
	if i := strings.IndexByte(a, '='); i > 0 && isPropertyName(a[:i]) {
		if sym, rest = splitSymbol(a[i+1:]); sym != "" {
			return a[:i+1], sym, rest
		}
	}
	return "", "", a
}

// displayArgs is argv for a person to read in the log: words that need
// it in double quotes, path symbols as they are.
func displayArgs(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = a
		if a == "" || strings.ContainsAny(a, " \t\"'\\\n") {
			words[i] = strconv.Quote(a)
		}
	}
	return strings.Join(words, " ")
}

// countSections counts the Section ops.
func countSections(ops []Op) int {
	n := 0
	for _, op := range ops {
		if op.Kind == Section {
			n++
		}
	}
	return n
}

// sectionTitle is what a section's progress line says.
func sectionTitle(op Op) string {
	switch {
	case op.Title != "" && op.Resource != "":
		return op.Resource + ": " + op.Title
	case op.Title != "":
		return op.Title
	}
	return op.Resource
}

// targetLabel names a target in messages: "windows xp (windows 5.1, 386)".
func targetLabel(t Target) string {
	what := t.OS
	if t.Distro != "" {
		what += " " + t.Distro
	}
	what += " " + t.Version + ", " + t.Arch
	if t.Name == "" {
		return what
	}
	return t.Name + " (" + what + ")"
}

// kindName names an OpKind in errors.
func kindName(k OpKind) string {
	switch k {
	case Section:
		return "section"
	case Mkdir:
		return "mkdir"
	case Copy:
		return "copy"
	case Run:
		return "run"
	case Check:
		return "check"
	case Note:
		return "note"
	case Admin:
		return "admin"
	}
	return "kind " + strconv.Itoa(int(k))
}
