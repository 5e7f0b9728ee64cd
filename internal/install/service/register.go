package service

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the service kind: one resource per recipe service, by key.
var Kind = install.Kind{
	Name: "service",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var packages []install.ID
		for _, b := range env.Built {
			if b.ID().Kind == "packages" {
				packages = append(packages, b.ID())
			}
		}
		return install.Each(r.Services, func(key string, spec *recipe.Service) (install.Resource, error) {
			s, err := New(key, spec, env.Platform, env.Options)
			if err != nil {
				return nil, err
			}
			s.needs = packages
			return install.Erase(s), nil
		})
	},
}
