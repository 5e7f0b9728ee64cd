package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Part records the servers envup knows on a machine (Inspect): read from
// the same layout, markers and configs a service's Observe reads.
var Part = install.Record[[]Seen]("services", func() []Seen { return []Seen{} }, part{})

type part struct{}

func (part) Inspect(ctx context.Context, sys system.System, look install.Look) ([]Seen, error) {
	return Inspect(ctx, sys, look.Platform, look.Memo)
}

func (part) Count(seen []Seen) int { return len(seen) }

func (part) Tilde(seen []Seen, home detect.Path) {
	for i := range seen {
		seen[i].Path = home.Collapse(seen[i].Path)
	}
}

func (part) Facts(seen []Seen, fs install.Facts) {
	for _, sv := range seen {
		k := "services/" + install.Seg(sv.Name)
		fs.Group(k, strings.TrimSpace(fmt.Sprintf("(%s %s %s)", sv.Kind, sv.Version, sv.Path)))
		fs.Put(k+"/kind", sv.Kind)
		if sv.Version != "" {
			fs.Put(k+"/version", sv.Version).Show = strings.TrimSpace(sv.Version + " (" + sv.Origin + ")")
		}
		if sv.Port != 0 {
			fs.Put(k+"/port", strconv.Itoa(sv.Port))
		}
		fs.Put(k+"/running", strconv.FormatBool(sv.Running))
		for d, v := range sv.Config {
			fs.Put(k+"/config/"+install.Seg(d), v)
		}
	}
}

func (part) Wants(r *recipe.Recipe, _ detect.Platform, fs install.Facts) error {
	for _, key := range slices.Sorted(maps.Keys(r.Services)) {
		sv := r.Services[key]
		k := "services/" + install.Seg(key)
		fs.Group(k, fmt.Sprintf("(%s %s)", sv.Kind, sv.Version))
		fs.Put(k+"/kind", sv.Kind)
		c, err := catalog.ParseConstraint(sv.Version)
		if err != nil {
			return fmt.Errorf("services.%s: %w", key, err)
		}
		fs.Put(k+"/version", sv.Version).Match = c.Check
		fs.Put(k+"/port", strconv.Itoa(sv.Port))
		if sv.Start {
			fs.Put(k+"/running", "true")
		}
		for d, val := range sv.Config {
			if strings.EqualFold(d, "bind") && (val == "127.0.0.1" || val == "127.0.0.1 -::1") {
				continue // what envup writes itself: a snapshot does not tell it apart
			}
			fs.Put(k+"/config/"+install.Seg(strings.ToLower(d)), val)
		}
	}
	return nil
}

func (part) Words(path []string) (string, string, string) {
	return install.NamedWords("service", path)
}

// Capture writes each service envup runs with its version, port and
// config; an install no service of envup's runs is said, not written.
func (part) Capture(seen []Seen, c *install.Captured) {
	r := c.Recipe
	for _, sv := range seen {
		switch {
		case sv.Version == "":
			c.Left = append(c.Left, fmt.Sprintf("service %s: no installed server was found for it", sv.Name))
			continue
		case sv.Port == 0:
			// Installed, but no service of envup's runs it: a recipe entry
			// would configure and run one, which this machine does not.
			c.Left = append(c.Left, fmt.Sprintf("%s %s (%s): installed, not run by envup", sv.Kind, sv.Version, sv.Path))
			continue
		}
		if r.Services == nil {
			r.Services = map[string]*recipe.Service{}
		}
		r.Services[sv.Name] = &recipe.Service{Kind: sv.Kind, Version: sv.Version, Port: sv.Port, Config: sv.Config, Start: sv.Running}
	}
}
