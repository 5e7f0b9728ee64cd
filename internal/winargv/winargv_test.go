package winargv

import "testing"

// The table follows Microsoft's "Parsing C command-line arguments": each
// written form reads back as the argument.
func TestQuote(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		force bool
		want  string
	}{
		{`plain`, false, `plain`},
		{``, false, `""`},
		{`two words`, false, `"two words"`},
		{"tab\there", false, "\"tab\there\""},
		{`say"hi`, false, `say\"hi`},
		{`say "hi"`, false, `"say \"hi\""`},
		{`C:\Program Files\`, false, `"C:\Program Files\\"`},
		{`a\\b`, false, `a\\b`},
		{`a\"b`, false, `a\\\"b`},
		{`C:\x`, true, `"C:\x"`},
		{`Zoë Ådams`, false, `"Zoë Ådams"`},
	} {
		if got := Quote(c.in, c.force); got != c.want {
			t.Errorf("Quote(%q, %v) = %s, want %s", c.in, c.force, got, c.want)
		}
	}
	if got := Join([]string{`C:\a b\npm-cli.js`, "install", ""}); got != `"C:\a b\npm-cli.js" install ""` {
		t.Errorf("Join = %s", got)
	}
}

func TestJoinAsTheLauncherWritesArgs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{`C:\envup\npm-cli.js`}, `C:\envup\npm-cli.js`},
		{[]string{`C:\Users\Zoë Ådams\npm-cli.js`, ""}, `"C:\Users\Zoë Ådams\npm-cli.js" ""`},
		// a quote alone needs no surrounding quotes: the C runtime reads
		// a\"b as a"b
		{[]string{`a"b`, `C:\dir with space\`}, `a\"b "C:\dir with space\\"`},
		{[]string{`x\\"y`}, `x\\\\\"y`},
	}
	for _, c := range cases {
		if got := Join(c.args); got != c.want {
			t.Errorf("Join(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
