package service

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Seen is a Redis or Valkey as found on a host, whether or not a recipe
// names it: what `envup snapshot` records.
type Seen struct {
	Name    string            `json:"name"` // the services key envup ran it as; the kind for an install no service uses
	Kind    string            `json:"kind"` // redis or valkey
	Version string            `json:"version,omitempty"`
	Path    string            `json:"path,omitempty"`   // the server program
	Origin  string            `json:"origin,omitempty"` // envup or system
	Port    int               `json:"port,omitempty"`   // from envup's config; 0 when it has none
	Config  map[string]string `json:"config,omitempty"` // the recipe's directives: envup's own lines left out
	Running bool              `json:"running"`
}

// Inspect finds the servers envup knows on the host: every service envup
// configured (a folder under <state>/services holding a redis.conf or
// valkey.conf), with the newest install of its kind (envup's own, else the
// one on the PATH), and every install of a kind no service uses. It reads
// markers, configs and pidfiles; the only program it may run is a server
// on the PATH for its --version, remembered in memo.
func Inspect(ctx context.Context, sys system.System, p detect.Platform, memo *state.Memo) ([]Seen, error) {
	var out []Seen
	for _, name := range slices.Sorted(maps.Keys(kinds)) {
		probe, err := New(name, &recipe.Service{Kind: name}, p, Options{Memo: memo})
		if err != nil {
			return nil, err
		}
		have := probe.src.Installed(sys)
		if have == nil {
			if have, err = probe.onPath(ctx, sys); err != nil {
				have = nil // a server that does not say its version is not one envup knows
			}
		}
		used := false
		for _, key := range configured(sys, p, name) {
			s, err := New(key, &recipe.Service{Kind: name}, p, Options{Memo: memo})
			if err != nil {
				return nil, err
			}
			conf, err := sys.ReadFile(s.layout().conf)
			if err != nil {
				continue
			}
			seen := Seen{Name: key, Kind: name, Config: recipeConfig(conf, s.layout())}
			seen.Port, _ = strconv.Atoi(configValue(conf, "port"))
			if proc, err := s.running(ctx, sys, conf); err == nil && proc != nil {
				seen.Running = true
			}
			if have != nil {
				seen.Version, seen.Path, seen.Origin = have.Version, have.Path, have.Origin
			}
			out = append(out, seen)
			used = true
		}
		if !used && have != nil {
			out = append(out, Seen{Name: name, Kind: name, Version: have.Version, Path: have.Path, Origin: have.Origin})
		}
	}
	slices.SortFunc(out, func(a, b Seen) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind))
	})
	return out, nil
}

// configured lists the services keys with a config file of kind name.
func configured(sys system.System, p detect.Platform, name string) []string {
	entries, err := sys.ReadDir(p.Join(p.Dirs.State, "services"))
	if err != nil {
		return nil
	}
	var keys []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := sys.Stat(p.Join(p.Dirs.State, "services", e.Name(), name+".conf")); err == nil {
			keys = append(keys, e.Name())
		}
	}
	return keys
}

// envupOwn are the directives configFor always writes itself.
var envupOwn = map[string]bool{"port": true, "daemonize": true, "pidfile": true}

// recipeConfig is what a config file holds beyond envup's own lines: the
// recipe's config: directives. bind, logfile and dir are envup's when they
// have the values envup writes.
func recipeConfig(conf []byte, l layout) map[string]string {
	ours := map[string]string{"logfile": l.log, "dir": l.data}
	out := map[string]string{}
	for _, d := range parseConfig(conf) {
		v := unquote(d.value)
		switch {
		case envupOwn[d.name]:
			continue
		case d.name == "bind" && (v == "127.0.0.1" || v == "127.0.0.1 -::1"):
			continue
		case ours[d.name] != "" && ours[d.name] == v:
			continue
		}
		out[d.name] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
