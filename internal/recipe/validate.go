package recipe

import (
	"slices"
	"sort"
	"strconv"
)

// crossCheck runs the checks that look at more than one value, on the
// effective tree before `when` filtering: every entry is checked on every
// platform, whether or not it applies here.
func crossCheck(eff *node, e *errs) {
	interps := eff.get("interpreters")
	if interps != nil {
		for _, p := range interps.pairs {
			if p.val.get("tool") == nil && !slices.Contains(Tools, p.key) {
				e.add(p.kpos, keyPath("interpreters", p.key), "missing tool (a key other than python or node says tool: python or tool: node)")
			}
		}
	}
	if svcs := eff.get("services"); svcs != nil {
		for _, p := range svcs.pairs {
			if p.val.get("kind") == nil && !slices.Contains(ServiceKinds, p.key) {
				e.add(p.kpos, keyPath("services", p.key), "missing kind (a key other than redis or valkey says kind: redis or kind: valkey)")
			}
		}
	}
	if venvs := eff.get("virtualenvs"); venvs != nil {
		index := map[string]*pair{}
		var keys []string
		if interps != nil {
			for _, q := range interps.pairs {
				index[q.key] = q
				keys = append(keys, q.key)
			}
		}
		for _, p := range venvs.pairs {
			venvPython(p, index, keys, e)
		}
	}
	if files := eff.get("files"); files != nil {
		for _, p := range files.pairs {
			if v := p.val.get("vars"); v != nil && v.text == "true" && p.val.get("content") != nil {
				e.add(v.pos, keyPath(keyPath("files", p.name()), "vars"), "only for source (content has its vars expanded already)")
			}
		}
	}
	if checks := eff.get("checks"); checks != nil {
		checkNames(checks, e)
	}
}

// venvPython checks that a virtualenv names a python interpreter, one
// of interps (by key; keys in written order, for the nearest name).
func venvPython(p *pair, interps map[string]*pair, keys []string, e *errs) {
	path := keyPath("virtualenvs", p.key)
	name, at := "python", p.kpos
	if v := p.val.get("python"); v != nil {
		name, at, path = v.text, v.pos, path+".python"
	}
	ip := interps[name]
	if ip == nil {
		if e.full() {
			keys = nil // counted only: no nearest name
		}
		e.add(at, path, "no interpreter %q in interpreters%s", name, hint(name, keys, 5))
		return
	}
	tool := name
	if t := ip.val.get("tool"); t != nil {
		tool = t.text
	}
	if tool != "python" {
		e.add(at, path, "interpreter %q is %s, not python", name, tool)
	}
}

// platformCheck runs the checks that depend on what this platform keeps
// after `when` filtering, on the decoded recipe with its defaults.
func platformCheck(r *Recipe, dropped map[string]*Selector, e *errs) {
	for _, k := range sortedKeys(r.Virtualenvs) {
		v := r.Virtualenvs[k]
		if _, ok := r.Interpreters[v.Python]; !ok {
			if sel, gone := dropped["interpreters/"+v.Python]; gone {
				e.add(v.Pos, keyPath("virtualenvs", k), "interpreter %q is left out on this platform (when: %s)", v.Python, sel)
			}
		}
	}
	defaults := map[string]string{}
	for _, k := range byPos(r.Interpreters, func(in *Interpreter) Pos { return in.Pos }) {
		in := r.Interpreters[k]
		if !in.Default {
			continue
		}
		if other, ok := defaults[in.Tool]; ok {
			e.add(in.Pos, keyPath("interpreters", k), "a second default %s (the first is interpreters.%s)", in.Tool, other)
			continue
		}
		defaults[in.Tool] = k
	}
	ports := map[int]string{}
	for _, k := range byPos(r.Services, func(s *Service) Pos { return s.Pos }) {
		s := r.Services[k]
		if other, ok := ports[s.Port]; ok {
			e.add(s.Pos, keyPath("services", k), "port %s is taken by services.%s", strconv.Itoa(s.Port), other)
			continue
		}
		ports[s.Port] = k
	}
}

// byPos lists a section's keys in the order they were written.
func byPos[V any](m map[string]V, pos func(V) Pos) []string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := pos(m[keys[i]]), pos(m[keys[j]])
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
	})
	return keys
}
