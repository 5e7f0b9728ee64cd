package editor

import (
	"strings"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// needing is what an editor resource needs: the virtualenvs whose paths
// its settings name (python.defaultInterpreterPath), so settings that
// point at a venv that failed are skipped rather than written.
type needing struct{ ids []install.ID }

// Needs are the virtualenvs the editor's settings name.
func (n needing) Needs() []install.ID { return n.ids }

// venvsNamed are the virtualenvs among built whose path one of spec's
// strings (settings values, JetBrains options, vim lines) holds.
func venvsNamed(spec *recipe.Editor, built []install.Resource) []install.ID {
	var texts []string
	texts = appendStrings(texts, spec.Settings)
	for _, components := range spec.Options {
		for _, options := range components {
			for _, v := range options {
				texts = append(texts, v)
			}
		}
	}
	texts = append(texts, spec.Lines...)
	var out []install.ID
	for _, b := range built {
		v, ok := install.As[interface{ Path() string }](b)
		if !ok || b.ID().Kind != "virtualenv" || v.Path() == "" {
			continue
		}
		for _, t := range texts {
			if names(t, v.Path()) {
				out = append(out, b.ID())
				break
			}
		}
	}
	return out
}

// appendStrings adds every string in a settings value, nested or not.
func appendStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, e := range v {
			out = appendStrings(out, e)
		}
	case map[string]any:
		for _, e := range v {
			out = appendStrings(out, e)
		}
	}
	return out
}

// names says whether text holds path as a whole path: ~/envs/lab names
// the venv at ~/envs/lab, not the one at ~/envs/lab2.
func names(text, path string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], path)
		if j < 0 {
			return false
		}
		end := i + j + len(path)
		if end == len(text) || strings.ContainsRune(`/\"' ;:,`, rune(text[end])) {
			return true
		}
		i += j + 1
	}
}
