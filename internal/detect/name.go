package detect

import "strings"

// NormalizeName folds a platform name for comparison: lower case, with
// spaces, hyphens and underscores removed, so "Mountain Lion",
// "mountain-lion" and "mountainlion" are all "mountainlion".
func NormalizeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// NameMatches tells whether name (as a recipe writes it) is a name of p:
// its Name ("xp", "server 2022", "sonoma", "ubuntu 22.04"), compared with
// NormalizeName; "xp" also names XP x64; a Windows server name also
// without "server" ("2022", "2008 r2"); on Linux the distribution ID
// alone ("ubuntu").
func NameMatches(p Platform, name string) bool {
	want := NormalizeName(name)
	if want == "" {
		return false
	}
	for _, n := range platformNames(p) {
		if NormalizeName(n) == want {
			return true
		}
	}
	return false
}

// platformNames are the names NameMatches accepts for p.
func platformNames(p Platform) []string {
	names := []string{p.Name}
	switch p.OS {
	case "windows":
		if p.Name == "xp x64" {
			names = append(names, "xp")
		}
		if rest, ok := strings.CutPrefix(p.Name, "server "); ok {
			names = append(names, rest)
		}
	case "linux":
		if p.Distro.ID != "" {
			names = append(names, p.Distro.ID)
		}
	}
	return names
}
