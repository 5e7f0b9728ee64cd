package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/mirror"
)

// serveOptions are envup serve's argument and flags.
type serveOptions struct {
	dir   string
	addr  string
	lab   string // --lab RECIPE: the room's page and reports API
	labDB string
}

func newServeCmd(g *globals) *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve DIR",
		Short: "Serve a mirror folder read-only over HTTP, so a classroom downloads each file once (seats: apply --mirror http://HOST:PORT --offline)",
		Long: `envup serve shares a mirror folder (filled by envup fetch or envup wheels)
with the seats of a classroom: each file is downloaded once, from this
machine, and the seats apply with --mirror http://HOST:PORT --offline.

It serves the folder's files by name, read-only: no uploads, no listings,
no hidden files, nothing outside the folder. /index.json is the folder's
index and "/" a page of links to its Python distributions, which pip reads
as --find-links (404 while the index is empty). Each request is logged on
stderr; Ctrl-C stops it and says what was served.

With --lab RECIPE it also shows the lab: seats send their reports
(envup apply --report URL, envup report URL) to /api/v1/reports with the
lab's token (ENVUP_LAB_TOKEN, else one made and printed), and /lab/ is a
page of every seat against the recipe, updated as reports arrive. The
reports are kept in a SQLite file beside the folder (--lab-db), never in
it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runServe(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", ":8080", "listen on this host:port (:0 picks a free port)")
	cmd.Flags().StringVar(&opts.lab, "lab", "", "also show the lab: seats' reports against this recipe, at /lab/")
	cmd.Flags().StringVar(&opts.labDB, "lab-db", "", "keep the lab's reports in this SQLite file (default: DIR.lab.db beside DIR)")
	return cmd
}

func runServe(ctx context.Context, g *globals, opts serveOptions) error {
	log := mirror.LogTo(g.stderr)
	if g.output == "json" {
		// The events share stdout with announceServe's and reportServed's:
		// one line at a time (Server logs one request at a time).
		log = func(r mirror.Request) {
			_ = g.event("serve", serveRequestJS{
				Event: "request", Remote: r.Remote, Method: r.Method, Path: r.Path,
				Status: r.Status, Bytes: r.Bytes, TookMS: ms(r.Took),
			})
		}
	}
	var (
		mounts []mirror.Mount
		room   *labRoom
	)
	if opts.lab != "" {
		// The folder first: a mistyped one gets no database beside it.
		if err := mirror.Servable(opts.dir); err != nil {
			return err
		}
		var err error
		if room, err = openLab(ctx, g, opts); err != nil {
			return err
		}
		defer room.store.Close()
		mounts = room.mounts()
	}
	counts, err := mirror.Serve(ctx, opts.dir, opts.addr, log, func(url string) error {
		return announceServe(g, opts.dir, url, room)
	}, mounts...)
	if err != nil {
		return err
	}
	return reportServed(g, counts)
}

// serve's --output json is JSON Lines: an event a line, "listening" once
// it listens, "request" for each request, "served" once stopped.
type (
	serveListeningJS struct {
		Event string      `json:"event"`
		Dir   string      `json:"dir"`
		URL   string      `json:"url"` // what the seats give --mirror
		Lab   *serveLabJS `json:"lab,omitempty"`
	}
	serveLabJS struct {
		Page   string `json:"page"`            // the room's page
		Recipe string `json:"recipe"`          // the recipe it shows the room against
		DB     string `json:"db"`              // where the reports are kept
		Token  string `json:"token,omitempty"` // the token made for this run; absent when ENVUP_LAB_TOKEN gave it
	}
	serveRequestJS struct {
		Event  string  `json:"event"`
		Remote string  `json:"remote"`
		Method string  `json:"method"`
		Path   string  `json:"path"` // escaped, as the seat sent it
		Status int     `json:"status"`
		Bytes  int64   `json:"bytes"`
		TookMS float64 `json:"took_ms"`
	}
	serveServedJS struct {
		Event  string         `json:"event"`
		Counts map[string]int `json:"counts"` // how many times each file was served whole
	}
)

// announceServe says where the seats find the mirror: the "serving" line
// a script waits for, or the "listening" event.
func announceServe(g *globals, dir, url string, room *labRoom) error {
	if g.output == "json" {
		ev := serveListeningJS{Event: "listening", Dir: dir, URL: url}
		if room != nil {
			ev.Lab = &serveLabJS{Page: url + "/lab/", Recipe: room.recipe, DB: room.db, Token: room.madeToken}
		}
		return g.event("serve", ev)
	}
	if _, err := fmt.Fprintf(g.stdout, "serving %s read-only at %s/ (seats: envup apply --mirror %s --offline recipe.yml)\n", dir, url, url); err != nil || room == nil {
		return err
	}
	return room.announce(g.stdout, url)
}

// reportServed says, once stopped, how many times each file was
// downloaded whole.
func reportServed(g *globals, counts map[string]int) error {
	if g.output == "json" {
		if counts == nil {
			counts = map[string]int{}
		}
		return g.event("serve", serveServedJS{Event: "served", Counts: counts})
	}
	names := slices.Sorted(maps.Keys(counts))
	if len(names) == 0 {
		_, err := fmt.Fprintln(g.stdout, "served no file whole")
		return err
	}
	for _, name := range names {
		times := "times"
		if counts[name] == 1 {
			times = "time"
		}
		if _, err := fmt.Fprintf(g.stdout, "served %s %d %s\n", name, counts[name], times); err != nil {
			return err
		}
	}
	return nil
}
