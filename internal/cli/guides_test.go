package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestGuidesRunTheirCommands keeps the guides honest: each guide
// (docs/getting-started.md, docs/guides/NAME.md) has a script,
// testdata/script/guide-NAME.txtar, that TestScripts runs, and every
// line of the guide's ```sh blocks is one of that script's commands,
// written the same way. A shell assignment (USB=/media/usb) is the
// script's `env USB=…`, with a value that works in a test. A command a
// test cannot run (docker, ssh, sudo apt-get) is named in the script as
// `# not run here (why): COMMAND`, so it is at least a decision in the
// open. A ```yaml block whose first line is `# FILE.yml` is that file of
// the script, byte for byte: the recipe the guide shows is the one the
// script applies.
func TestGuidesRunTheirCommands(t *testing.T) {
	t.Parallel()
	guides, err := filepath.Glob("../../docs/guides/*.md")
	if err != nil {
		t.Fatal(err)
	}
	guides = append(guides, "../../docs/getting-started.md")
	if len(guides) < 5 {
		t.Fatalf("found %d guides (%v), want getting-started and at least four in docs/guides", len(guides), guides)
	}
	scripts := map[string]bool{}
	for _, g := range guides {
		name := "guide-" + strings.TrimSuffix(filepath.Base(g), ".md") + ".txtar"
		scripts[name] = true
		t.Run(filepath.Base(g), func(t *testing.T) {
			t.Parallel()
			checkGuide(t, g, filepath.Join("testdata/script", name))
		})
	}
	// A guide script whose guide is gone tests a page nobody reads.
	found, err := filepath.Glob("testdata/script/guide-*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if !scripts[filepath.Base(f)] {
			t.Errorf("%s: no guide docs/guides/%s.md", f, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "guide-"), ".txtar"))
		}
	}
}

func checkGuide(t *testing.T, guide, script string) {
	doc, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	ar, err := txtar.ParseFile(script)
	if err != nil {
		t.Fatalf("%s has no script: %v", guide, err)
	}
	ran, envs, notRun := scriptCommands(string(ar.Comment))
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}

	blocks := fencedBlocks(string(doc))
	var commands int
	for _, b := range blocks {
		switch b.lang {
		case "sh":
			for _, c := range shellCommands(b.body) {
				commands++
				switch {
				case ran[c]:
				case notRun[c]:
					t.Logf("%s:%d: not run by %s: %s", guide, b.line, script, c)
				case assignment.MatchString(c) && envs[strings.SplitN(c, "=", 2)[0]]:
				default:
					t.Errorf("%s:%d: %q is not a command of %s (nor a `# not run here (why): …` line there)", guide, b.line, c, script)
				}
			}
		case "yaml":
			m := fileComment.FindStringSubmatch(b.body)
			if m == nil {
				continue
			}
			got, ok := files[m[1]]
			if !ok {
				t.Errorf("%s:%d: the recipe %s is not a file of %s", guide, b.line, m[1], script)
			} else if got != b.body {
				t.Errorf("%s:%d: the recipe %s differs from the one %s applies:\n--- guide\n%s--- script\n%s", guide, b.line, m[1], script, b.body, got)
			}
		}
	}
	if commands == 0 {
		t.Errorf("%s: no ```sh commands", guide)
	}
}

var (
	assignment  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=\S*$`)
	fileComment = regexp.MustCompile(`^# (\S+\.ya?ml)\n`)
	// scriptPrefix is what a script line adds before a command: a
	// condition, a negation, exec or exits CODE.
	scriptPrefix = regexp.MustCompile(`^(\[[^]]*\]\s+)*(!\s+)?(exec|exits\s+\d+)\s+`)
	notRunLine   = regexp.MustCompile(`^#\s*not run here \([^)]*\):\s*(.+)$`)
)

// scriptCommands reads a script's commands as the guide would write
// them: exec's and exits' commands without the prefix and without a
// background &name&; the names env sets; the commands it says it does not
// run.
func scriptCommands(script string) (ran, envs, notRun map[string]bool) {
	ran, envs, notRun = map[string]bool{}, map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := notRunLine.FindStringSubmatch(line); m != nil {
			notRun[squeeze(m[1])] = true
			continue
		}
		if rest, ok := strings.CutPrefix(line, "env "); ok {
			for _, kv := range strings.Fields(rest) {
				if name, _, ok := strings.Cut(kv, "="); ok {
					envs[name] = true
				}
			}
			continue
		}
		if loc := scriptPrefix.FindStringIndex(line); loc != nil {
			cmd := line[loc[1]:]
			if i := strings.LastIndex(cmd, " &"); i >= 0 && strings.HasSuffix(cmd, "&") {
				cmd = cmd[:i]
			}
			ran[squeeze(cmd)] = true
		}
	}
	return ran, envs, notRun
}

type block struct {
	lang string
	body string
	line int // the line of the opening fence
}

// fencedBlocks returns a Markdown file's ``` blocks with their language.
func fencedBlocks(doc string) []block {
	var out []block
	var cur *block
	for i, line := range strings.SplitAfter(doc, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &block{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line
		}
	}
	return out
}

// shellCommands returns a sh block's commands: comments and blank lines
// dropped, a trailing "  # …" comment cut, continued lines joined, runs
// of spaces made one.
func shellCommands(body string) []string {
	var out []string
	var cont string
	for line := range strings.SplitSeq(body, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.Index(line, "  #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if c, ok := strings.CutSuffix(line, `\`); ok {
			cont += c + " "
			continue
		}
		line = cont + line
		cont = ""
		if line != "" {
			out = append(out, squeeze(line))
		}
	}
	return out
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }
