package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestParseOSRelease: each want is what systemd 252's load_env_file_pairs
// read from the same bytes (testdata/systemd/envfile.c), not a guess.
func TestParseOSRelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{
			name: "bare, double and single quoted",
			in:   "ID=debian\nNAME=\"Debian GNU/Linux\"\nVERSION_ID='12'\n",
			want: map[string]string{"ID": "debian", "NAME": "Debian GNU/Linux", "VERSION_ID": "12"},
		},
		{
			name: "an unquoted value runs to the end of the line (Wind River Linux 7)",
			in:   "ID=wrlinux\nNAME=Wind River Linux\nPRETTY_NAME=Wind River Linux 7.0.0.2 \t\n",
			want: map[string]string{"ID": "wrlinux", "NAME": "Wind River Linux", "PRETTY_NAME": "Wind River Linux 7.0.0.2"},
		},
		{
			name: "comments are whole lines, with # or ;",
			in:   "# a comment\n\n  # indented comment\n; another\nID=arch\n\nBUILD_ID=rolling # not a comment\n",
			want: map[string]string{"ID": "arch", "BUILD_ID": "rolling # not a comment"},
		},
		{
			name: "quotes only quote at the start; after one, text is appended",
			in:   "A=x \"y\" z  \nB=\"a\" # c\nC='one'\"two\"three\n",
			want: map[string]string{"A": `x "y" z`, "B": "a# c", "C": "onetwothree"},
		},
		{
			name: "escapes in double quotes",
			in:   `PRETTY_NAME="say \"hi\" for \$5 \` + "`x\\`" + ` \\ \n \a"` + "\n",
			want: map[string]string{"PRETTY_NAME": `say "hi" for $5 ` + "`x`" + ` \ \n \a`},
		},
		{
			name: "no escapes in single quotes",
			in:   `NAME='a \"b\" $c'` + "\n",
			want: map[string]string{"NAME": `a \"b\" $c`},
		},
		{
			name: "backslashes in a bare value, and one keeping a trailing blank",
			in:   `NAME=a\ b\$c` + "\n" + `K  = v  \  ` + "\n",
			want: map[string]string{"NAME": "a b$c", "K": "v   "},
		},
		{
			name: "backslash-newline joins lines",
			in:   "C=a\\\nb\nD=\"x\\\ny\"\n",
			want: map[string]string{"C": "ab", "D": "xy"},
		},
		{
			name: "no expansion",
			in:   "A=1\nB=\"$A ${A}\"\n",
			want: map[string]string{"A": "1", "B": "$A ${A}"},
		},
		{
			name: "empty values",
			in:   "VERSION_CODENAME=\"\"\nVARIANT=\nOTHER=''\nLAST=",
			want: map[string]string{"VERSION_CODENAME": "", "VARIANT": "", "OTHER": "", "LAST": ""},
		},
		{
			name: "CRLF, a lone CR and no final newline",
			in:   "ID=\"rocky\"\r\nA=1\rVERSION_ID=\"9.3\"",
			want: map[string]string{"ID": "rocky", "A": "1", "VERSION_ID": "9.3"},
		},
		{
			name: "quoted value over two lines",
			in:   "NOTE=\"one\ntwo\"\nID=x\n",
			want: map[string]string{"NOTE": "one\ntwo", "ID": "x"},
		},
		{
			name: "a quote left open runs to the end of the file",
			in:   "ID=x\nNAME=\"Debian\nVERSION_ID=1\n",
			want: map[string]string{"ID": "x", "NAME": "Debian\nVERSION_ID=1\n"},
		},
		{
			name: "lines without = are ignored",
			in:   "ID=x\n../usr/lib/os-release\nnokey\n",
			want: map[string]string{"ID": "x"},
		},
		{
			name: "keys are anything before =, less blanks around",
			in:   "MY KEY = 1 \n=a=b\n",
			want: map[string]string{"MY KEY": "1", "=a": "b"},
		},
		{
			name: "later assignment wins",
			in:   "ID=a\nID=b\n",
			want: map[string]string{"ID": "b"},
		},
		{
			name: "UTF-8, and bytes that only make UTF-8 once unquoted",
			in:   "VERSION=\"19 (Schrödinger’s Cat)\"\nA=\"\xc3\"\xa9\n",
			want: map[string]string{"VERSION": "19 (Schrödinger’s Cat)", "A": "é"},
		},
		{
			name: "bytes that are not UTF-8 in a comment or a line without =",
			in:   "A=ok\n#\xff\n\xffnokey\n",
			want: map[string]string{"A": "ok"},
		},
		{
			name: "a backslash ending a comment does not carry it on (systemd 254)",
			in:   "# c \\\nA=1\n",
			want: map[string]string{"A": "1"},
		},
		{
			name: "empty file",
			in:   "",
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOSRelease([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestParseOSReleaseErrors: what systemd refuses the whole file for (a
// NUL byte, a key or value that is not UTF-8) is an error at the first
// such byte; every other assignment is still read.
func TestParseOSReleaseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		vars           map[string]string
	}{
		{
			"NUL byte", "ID=x\nNAME=De\x00bian\nVERSION_ID=1\n",
			"line 2, column 8: NUL byte (systemd refuses the file)",
			map[string]string{"ID": "x", "VERSION_ID": "1"},
		},
		{
			"NUL byte in a comment", "# \x00\nID=x\n",
			"line 1, column 3: NUL byte (systemd refuses the file)",
			map[string]string{"ID": "x"},
		},
		{
			"value not UTF-8", "ID=x\nNAME=\"Debi\xffan\"\n",
			"line 2, column 11: NAME: not valid UTF-8 (systemd refuses the file)",
			map[string]string{"ID": "x"},
		},
		{
			"key not UTF-8", "K\xc3Y=1\nID=a\n",
			`line 1, column 2: "K\xc3Y": not valid UTF-8 (systemd refuses the file)`,
			map[string]string{"ID": "a"},
		},
		{
			"a noncharacter", "ID=a\nX=\xef\xbf\xbe\n",
			"line 2, column 3: X: not valid UTF-8 (systemd refuses the file)",
			map[string]string{"ID": "a"},
		},
		{
			"the first of two", "A=\xff\nB=\x00\n",
			"line 1, column 3: A: not valid UTF-8 (systemd refuses the file)",
			map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOSRelease([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, got %q", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if !maps.Equal(got, tt.vars) {
				t.Errorf("read %q, want %q", got, tt.vars)
			}
		})
	}
}

// corpora is the shared folder of real files beside the project
// (../shared/corpora from its root); see its README.
const corpora = "../../../shared/corpora"

// TestParseOSReleaseCorpus reads each of the 458 real os-release files of
// the shared corpus and compares the reading with systemd's own, recorded
// in testdata/systemd/corpus.tsv by gen.sh there (systemd 252's
// load_env_file_pairs): the same assignments, byte for byte, by digest;
// ID, VERSION_ID and NAME by value.
func TestParseOSReleaseCorpus(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(corpora, "os-release", "files")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("the os-release corpus is not beside the project: %v", err)
	}
	want := systemdReadings(t)
	if len(entries) != 458 || len(want) != len(entries) {
		t.Fatalf("%d files and %d readings of systemd's, want 458 of each", len(entries), len(want))
	}
	for _, e := range entries {
		w, ok := want[e.Name()]
		if !ok {
			t.Errorf("%s: not in corpus.tsv", e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		vars, err := ParseOSRelease(data)
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		lines := envLines(vars)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n") + "\n"))
		got := []string{strconv.Itoa(len(vars)), hex.EncodeToString(sum[:8]),
			envField(vars, "ID"), envField(vars, "VERSION_ID"), envField(vars, "NAME")}
		if !slices.Equal(got, w) {
			t.Errorf("%s: read %q, systemd %q; all read:\n%s", e.Name(), got, w, strings.Join(lines, "\n"))
		}
	}
}

// systemdReadings reads corpus.tsv: file name, then assignments, digest,
// ID, VERSION_ID, NAME.
func systemdReadings(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "systemd", "corpus.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	readings := make(map[string][]string)
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			t.Fatalf("corpus.tsv:%d: %d fields, want 6", i+1, len(f))
		}
		readings[f[0]] = f[1:]
	}
	return readings
}

// envLines are vars as envfile.c prints them: "KEY"="VALUE" sorted, with
// " and \ escaped and control bytes as \xNN.
func envLines(vars map[string]string) []string {
	lines := make([]string, 0, len(vars))
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		lines = append(lines, envQuote(k)+"="+envQuote(vars[k]))
	}
	return lines
}

func envField(vars map[string]string, key string) string {
	v, ok := vars[key]
	if !ok {
		return ""
	}
	return envQuote(v)
}

func envQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestParseOSReleaseFixtures parses every os-release-format file among
// the real systems' files: none may fail.
func TestParseOSReleaseFixtures(t *testing.T) {
	t.Parallel()
	n := 0
	err := filepath.WalkDir(filepath.Join("testdata", "linux"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		switch filepath.Base(path) {
		case "os-release", "lsb-release", "os-release.orig", "armbian-release", "oem-release":
		default:
			return nil
		}
		n++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		vars, err := ParseOSRelease(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if strings.HasSuffix(path, "os-release") && vars["ID"] == "" {
			t.Errorf("%s: no ID", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 60 {
		t.Errorf("parsed %d files, want the fixtures' 60 or more", n)
	}
}

func TestParseReleaseLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want releaseLine
	}{
		{"CentOS release 5.11 (Final)", releaseLine{"CentOS", "5.11", "Final"}},
		{"CentOS Linux release 7.1.1503 (Core) ", releaseLine{"CentOS Linux", "7.1.1503", "Core"}},
		{"Red Hat Enterprise Linux Server release 5.11 (Tikanga)", releaseLine{"Red Hat Enterprise Linux Server", "5.11", "Tikanga"}},
		{"CloudLinux Server release 6.8 (Oleg Makarov)", releaseLine{"CloudLinux Server", "6.8", "Oleg Makarov"}},
		{"Fedora release 19 (Schrödinger’s Cat)", releaseLine{"Fedora", "19", "Schrödinger’s Cat"}},
		{"Gentoo Base System release 2.2", releaseLine{"Gentoo Base System", "2.2", ""}},
		{"Mageia release 5 (Official) for x86_64", releaseLine{"Mageia", "5", "Official"}},
		{"openSUSE 42.1 (x86_64)", releaseLine{"openSUSE", "42.1", "x86_64"}},
		{"Slackware 14.1", releaseLine{"Slackware", "14.1", ""}},
		{"Amazon Linux AMI release 2014.03", releaseLine{"Amazon Linux AMI", "2014.03", ""}},
		{"Manjaro Linux", releaseLine{"Manjaro Linux", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			if got := parseReleaseLine(tt.line); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
