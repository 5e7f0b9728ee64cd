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
		return install.Each(r.Services, func(key string, spec *recipe.Service) (install.Resource, error) {
			return install.Erased(New(key, spec, env.Platform, env.Options))
		})
	},
}
