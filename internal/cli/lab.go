package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/lab"
	"github.com/envup/envup/internal/mirror"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
)

// labTokenEnv holds the lab's token: serve --lab takes it from there
// when set, and the seats' report and apply --report when --token is not
// given.
const labTokenEnv = "ENVUP_LAB_TOKEN"

// labRoom is serve --lab's lab: its store and server, and what
// announceServe says of it.
type labRoom struct {
	store     *lab.Store
	server    *lab.Server
	recipe    string // the recipe's path, as given
	db        string // the database file
	token     string
	madeToken string // the token when serve made it (else ENVUP_LAB_TOKEN gave it)
}

// openLab opens the lab of serve --lab: the recipe planned for this
// machine (the page's columns), the store beside the folder and the
// token.
func openLab(ctx context.Context, g *globals, opts serveOptions) (*labRoom, error) {
	h, r, p, err := g.load(opts.lab, &installFlags{})
	if err != nil {
		return nil, err
	}
	data, err := h.Sys.ReadFile(r.Path)
	if err != nil {
		return nil, err
	}
	var cols []string
	for _, res := range p.Resources {
		cols = append(cols, plan.Tilde(res.ID().String(), h.Platform.Home))
	}
	db, err := labDB(opts.dir, opts.labDB)
	if err != nil {
		return nil, err
	}
	store, err := lab.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	room := &labRoom{store: store, recipe: opts.lab, db: db, token: g.getenv(labTokenEnv)}
	if room.token == "" {
		// Made once and kept with the reports: a restart keeps the seats' token.
		if room.token, err = store.Token(ctx, rand.Text()); err != nil {
			store.Close()
			return nil, err
		}
		room.madeToken = room.token
	}
	path := r.Path
	room.server = lab.NewServer(store, room.token, lab.Lab{
		Name:      filepath.Base(path),
		Digest:    lab.Digest(data),
		Resources: cols,
		Load:      func(p detect.Platform) (*recipe.Recipe, error) { return recipe.Load(path, p) },
	})
	return room, nil
}

// labDB is where the lab keeps its reports: flag, else DIR.lab.db beside
// the folder. Never inside it: the mirror stays as fetch made it.
func labDB(dir, flag string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	db := flag
	if db == "" {
		db = filepath.Join(filepath.Dir(absDir), filepath.Base(absDir)+".lab.db")
	}
	abs, err := filepath.Abs(db)
	if err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(absDir, abs); err == nil && filepath.IsLocal(rel) {
		return "", usage(fmt.Errorf("--lab-db %s is inside the mirror folder %s, which serve never writes to", db, dir))
	}
	return db, nil
}

// mounts are the lab's paths beside the mirror's files: the page and the
// API, both served by the lab's server.
func (l *labRoom) mounts() []mirror.Mount {
	return []mirror.Mount{
		{Path: "/lab", Handler: l.server, Stop: l.server.Stop},
		{Path: "/api", Handler: l.server},
	}
}

// announce says where the teacher sees the room, and what the seats run.
func (l *labRoom) announce(w io.Writer, url string) error {
	token := "$" + labTokenEnv
	if l.madeToken != "" {
		token = l.madeToken
	}
	_, err := fmt.Fprintf(w, "lab of %s at %s/lab/ (reports kept in %s)\nseats: envup apply --report %s --token %s %s\n",
		l.recipe, url, l.db, url, token, filepath.Base(l.recipe))
	return err
}

// errNoLabToken is report's refusal without a token.
var errNoLabToken = errors.New("no lab token: give --token, or set " + labTokenEnv + " (serve --lab prints it)")
