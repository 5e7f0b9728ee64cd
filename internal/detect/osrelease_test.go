package detect

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
			name: "comments and blank lines",
			in:   "# a comment\n\n  # indented comment\nID=arch\n\nBUILD_ID=rolling # trailing comment\n",
			want: map[string]string{"ID": "arch", "BUILD_ID": "rolling"},
		},
		{
			name: "escapes in double quotes",
			in:   `PRETTY_NAME="say \"hi\" for \$5 \` + "`x\\`" + ` \\ \n"` + "\n",
			want: map[string]string{"PRETTY_NAME": `say "hi" for $5 ` + "`x`" + ` \ \n`},
		},
		{
			name: "no escapes in single quotes",
			in:   `NAME='a \"b\" $c'` + "\n",
			want: map[string]string{"NAME": `a \"b\" $c`},
		},
		{
			name: "backslash in a bare value",
			in:   `NAME=a\ b\$c` + "\n",
			want: map[string]string{"NAME": "a b$c"},
		},
		{
			name: "no expansion",
			in:   "A=1\nB=\"$A ${A}\"\n",
			want: map[string]string{"A": "1", "B": "$A ${A}"},
		},
		{
			name: "empty values",
			in:   "VERSION_CODENAME=\"\"\nVARIANT=\nOTHER=''\n",
			want: map[string]string{"VERSION_CODENAME": "", "VARIANT": "", "OTHER": ""},
		},
		{
			name: "CRLF line ends and no final newline",
			in:   "ID=\"rocky\"\r\nVERSION_ID=\"9.3\"",
			want: map[string]string{"ID": "rocky", "VERSION_ID": "9.3"},
		},
		{
			name: "quoted value over two lines",
			in:   "NOTE=\"one\ntwo\"\nID=x\n",
			want: map[string]string{"NOTE": "one\ntwo", "ID": "x"},
		},
		{
			name: "later assignment wins",
			in:   "ID=a\nID=b\n",
			want: map[string]string{"ID": "b"},
		},
		{
			name: "UTF-8",
			in:   "VERSION=\"19 (Schrödinger’s Cat)\"\n",
			want: map[string]string{"VERSION": "19 (Schrödinger’s Cat)"},
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

// TestParseOSReleaseErrors: the first bad line is the error; the good
// lines, before and after it, are still read.
func TestParseOSReleaseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		vars           map[string]string
	}{
		{
			"not an assignment", "ID=x\n../usr/lib/os-release",
			`line 2: want KEY=value, got "../usr/lib/os-release"`,
			map[string]string{"ID": "x"},
		},
		{
			"unterminated double quote", "ID=x\nNAME=\"Debian\nVERSION_ID=1\n",
			`line 2: NAME: unterminated " quote`,
			map[string]string{"ID": "x", "VERSION_ID": "1"},
		},
		{
			"unterminated single quote", "NAME='Debian\n",
			`line 1: NAME: unterminated ' quote`,
			map[string]string{},
		},
		{
			"unquoted space", "NAME=Debian GNU/Linux\nID=debian\n",
			`line 1: NAME: unquoted space before "GNU/Linux"`,
			map[string]string{"ID": "debian"},
		},
		{
			"key with a space", "MY KEY=1\nID=a\nbad\n",
			`line 1: want KEY=value, got "MY KEY=1"`,
			map[string]string{"ID": "a"},
		},
		{
			"line count after a quoted newline", "A=\"1\n2\"\nB=2\noops\n",
			`line 4: want KEY=value, got "oops"`,
			map[string]string{"A": "1\n2", "B": "2"},
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
