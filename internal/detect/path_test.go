package detect

import "testing"

func TestPath(t *testing.T) {
	t.Parallel()
	win := Platform{OS: "windows"}
	lin := Platform{OS: "linux"}
	for _, tt := range []struct{ name, got, want string }{
		{"windows join", win.Path(`C:\Users\lab\`).Join("AppData", "Local").String(), `C:\Users\lab\AppData\Local`},
		{"a --platform host's folders keep /", win.Path("~/AppData/Local").Join("envup").String(), "~/AppData/Local/envup"},
		{"native", win.Path("~").Native().Join("envs", "x").String(), `~\envs\x`},
		{"normal rewrites", win.Path("~/envs/x").Normal().String(), `~\envs\x`},
		{"posix normal", lin.Path("/a/b").Normal().String(), "/a/b"},
		{"posix root", lin.Path("/").Join("opt").String(), "/opt"},
		{"drive root", win.Path("C:").Native().Join("Python27").String(), `C:\Python27`},
		{"empty stays empty", win.Path("").Join("x").String(), ""},
		{"empty elements", lin.Path("/a").Join("", "b").String(), "/a/b"},
		{"posix backslash is a name", lin.Path(`/a\b`).Base(), `a\b`},
		{"posix joins after a backslash name", lin.Join(`/home/a\b`, "c"), `/home/a\b/c`},
		{"collapse posix", lin.Path("/home/lab").Collapse("/home/lab/envs/x"), "~/envs/x"},
		{"collapse is by folder", lin.Path("/home/lab").Collapse("/home/labs/x"), "/home/labs/x"},
		{"collapse the home", lin.Path("/home/lab/").Collapse("/home/lab"), "~"},
		{"collapse windows ignores case", win.Path(`C:\Users\Lab`).Collapse(`c:\users\lab\envs\x`), `~\envs\x`},
		{"collapse windows either separator", win.Path("C:/Users/lab").Collapse(`C:\Users\lab\x`), `~\x`},
		{"collapse without home", lin.Path("~").Collapse("/x"), "/x"},
		{"collapse with home at the root", lin.Path("/").Collapse("/usr/bin/python3"), "/usr/bin/python3"},
		{"windows base", win.Path(`C:\Fonts\a.ttf`).Base(), "a.ttf"},
		{"windows dir", win.Path(`C:\x`).Dir().String(), `C:\`},
		{"posix dir", lin.Path("/usr/bin/python3").Dir().String(), "/usr/bin"},
		{"expand posix", lin.Path("/home/lab").Expand("~/envs/x"), "/home/lab/envs/x"},
		{"expand windows", win.Path(`C:\Users\lab`).Expand("~/envs/x"), `C:\Users\lab\envs\x`},
		{"expand --platform windows", win.Path("~").Native().Expand(`~/envs/x\Scripts`), `~\envs\x\Scripts`},
		{"expand home", lin.Path("/home/lab/").Expand("~"), "/home/lab/"},
		{"expand ~user", lin.Path("/home/lab").Expand("~bob/x"), "~bob/x"},
		{"expand without home", lin.Path("").Expand("~/x"), "~/x"},
		{"tilde", lin.Path("/home/lab").Tilde(`"/home/lab/x" /home/labs /home/lab`), `"~/x" /home/labs ~`},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestPathRel(t *testing.T) {
	t.Parallel()
	win := Platform{OS: "windows"}
	lin := Platform{OS: "linux"}
	for _, tt := range []struct {
		p, dir Path
		rel    string
		ok     bool
	}{
		{win.Path(`C:\Users\Lab\envs`), win.Path(`c:/users/lab`), "envs", true},
		{win.Path(`C:\Users\Lab`), win.Path(`C:\Users\lab\`), "", true},
		{win.Path(`C:\Users\Labs`), win.Path(`C:\Users\lab`), "", false},
		{lin.Path("/home/Lab/x"), lin.Path("/home/lab"), "", false},
		{lin.Path("/home/lab/x/y"), lin.Path("/home/lab"), "x/y", true},
		// The root has every absolute path under it (FuzzDirsFor found
		// "/envup" was not under XDG_CACHE_HOME=/).
		{lin.Path("/envup"), lin.Path("/"), "envup", true},
		{lin.Path("/"), lin.Path("/"), "", true},
		{lin.Path("envup"), lin.Path("/"), "", false},
		{lin.Path("/envup"), lin.Path(""), "", false},
		{win.Path(`C:\envup`), win.Path(`C:\`), "envup", true},
		{win.Path(`D:\envup`), win.Path(`C:\`), "", false},
	} {
		rel, ok := tt.p.Rel(tt.dir)
		if rel != tt.rel || ok != tt.ok {
			t.Errorf("%s.Rel(%s) = %q, %v; want %q, %v", tt.p, tt.dir, rel, ok, tt.rel, tt.ok)
		}
	}
	if !win.Path(`C:\A\b`).Equal(win.Path("c:/a/B/")) || lin.Path("/a/b").Equal(lin.Path("/A/b")) {
		t.Error("Equal: Windows ignores case and the kind of separator; POSIX does not")
	}
}
