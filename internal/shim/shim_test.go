package shim

import (
	"strings"
	"testing"

	"github.com/envup/envup/internal/winargv"
)

func TestRestKeepsTheArgumentsByteForByte(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, cmdline, rest string }{
		{"unquoted name", `python --echo x`, ` --echo x`},
		{"quoted name with a space", `"C:\Users\Ada L\bin\python.exe" -c "print(1)"`, ` -c "print(1)"`},
		{"tab after the name", "python\t-V", "\t-V"},
		{"cmd metacharacters", `python --echo "1&&2" "50%OS%" "a^b"`, ` --echo "1&&2" "50%OS%" "a^b"`},
		{"non-ASCII", `"C:\Users\Zoë Ådams\envup\bin\python.exe" "Zoë Ådams" 张伟`, ` "Zoë Ådams" 张伟`},
		{"no arguments", `python`, ``},
		{"quoted, no arguments", `"C:\a b\python.exe"`, ``},
		{"trailing blanks kept", `python  `, `  `},
		{"unterminated quote", `"C:\a b\python.exe`, ``},
		{"backslash-quote in the name is not an escape", `"C:\a\" b`, ` b`},
		{"text right after the quoted name", `"python"x y`, `x y`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := Rest(c.cmdline); got != c.rest {
				t.Errorf("Rest(%q) = %q, want %q", c.cmdline, got, c.rest)
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	py := File{Path: `C:\Users\Zoë Ådams\AppData\Local\envup\python\3.12.7\python.exe`}
	npm := File{Path: `C:\envup\node\22.1.0\node.exe`, Args: `"C:\envup\node\22.1.0\node_modules\npm\bin\npm-cli.js"`}
	cases := []struct {
		f          File
		rest, want string
	}{
		{py, ` --echo "1&&2" "50%OS%" "a^b"`, `"C:\Users\Zoë Ådams\AppData\Local\envup\python\3.12.7\python.exe" --echo "1&&2" "50%OS%" "a^b"`},
		{py, ``, `"C:\Users\Zoë Ådams\AppData\Local\envup\python\3.12.7\python.exe"`},
		{npm, ` install  -g x`, `"C:\envup\node\22.1.0\node.exe" "C:\envup\node\22.1.0\node_modules\npm\bin\npm-cli.js" install  -g x`},
		{npm, ``, `"C:\envup\node\22.1.0\node.exe" "C:\envup\node\22.1.0\node_modules\npm\bin\npm-cli.js"`},
		{py, `x y`, `"C:\Users\Zoë Ådams\AppData\Local\envup\python\3.12.7\python.exe" x y`},
	}
	for _, c := range cases {
		if got := CommandLine(c.f, c.rest); got != c.want {
			t.Errorf("CommandLine(%+v, %q) = %q, want %q", c.f, c.rest, got, c.want)
		}
	}
}

func TestFileRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []File{
		{Path: `C:\Users\Zoë Ådams\AppData\Local\envup\python\3.12.7\python.exe`},
		{Path: `C:\Users\张伟\AppData\Local\envup\node\22.1.0\node.exe`, Args: winargv.Join([]string{`C:\Users\张伟\AppData\Local\envup\node\22.1.0\node_modules\npm\bin\npm-cli.js`})},
		{Path: `C:\a\b.exe`, Args: `--flag "two words" 50%OS%`},
	} {
		data := f.Format()
		if !strings.HasPrefix(string(data), `path = "`+f.Path+"\"\r\n") {
			t.Errorf("Format(%+v) = %q: not scoop's form", f, data)
		}
		got, err := Parse(data)
		if err != nil || got != f {
			t.Errorf("Parse(Format(%+v)) = %+v, %v", f, got, err)
		}
	}
}

func TestParseReadsScoopsFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, data string
		want       File
	}{
		{"unquoted path, LF", "path = C:\\scoop\\apps\\git\\current\\bin\\git.exe\n", File{Path: `C:\scoop\apps\git\current\bin\git.exe`}},
		{"BOM, CRLF, args", "\xef\xbb\xbfpath = \"C:\\Program Files\\x\\x.exe\"\r\nargs = -a \"b c\"\r\n", File{Path: `C:\Program Files\x\x.exe`, Args: `-a "b c"`}},
		{"unknown keys ignored", "env:FOO = 1\npath=C:\\x.exe\n", File{Path: `C:\x.exe`}},
	}
	for _, c := range cases {
		got, err := Parse([]byte(c.data))
		if err != nil || got != c.want {
			t.Errorf("%s: Parse = %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
	if _, err := Parse([]byte("args = x\r\n")); err == nil {
		t.Error("a .shim without path parsed")
	}
}

func TestIsEnvupAndFor(t *testing.T) {
	t.Parallel()
	for argv0, want := range map[string]bool{
		"envup": true, "ENVUP.EXE": true, `C:\tools\envup.exe`: true, "/usr/local/bin/envup": true,
		"python3": false, `C:\Users\Zoë\AppData\Local\envup\bin\python3.exe`: false, "envup-shim.exe": false, "": false,
	} {
		if got := IsEnvup(argv0); got != want {
			t.Errorf("IsEnvup(%q) = %v", argv0, got)
		}
	}
	for exe, want := range map[string]string{
		`C:\Users\Zoë\AppData\Local\envup\bin\python3.12.exe`: `C:\Users\Zoë\AppData\Local\envup\bin\python3.12.shim`,
		`C:\v1.2\bin\npm.EXE`: `C:\v1.2\bin\npm.shim`,
		`C:\bin\python3.12`:   `C:\bin\python3.12.shim`,
	} {
		if got := For(exe); got != want {
			t.Errorf("For(%q) = %q, want %q", exe, got, want)
		}
	}
}
