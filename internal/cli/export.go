package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/export"
	"github.com/envup/envup/internal/facts"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/host"
)

type exportOptions struct {
	format  string
	to      string
	probe   bool
	install installFlags
}

func newExportCmd(g *globals) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export RECIPE --platform P --format cmd|ps1|sh --to DIR",
		Short: "Write a script that applies the recipe on an old host envup cannot run on (Windows XP–8.1, old macOS and Linux)",
		Long: `export plans the recipe for the platform (--platform, or --facts from a
probe run on the real machine) and writes the plan as a script that runs
by itself there, with every file it needs beside it in DIR/files/:

  setup.cmd  plain batch, for Windows XP to 8.1
  setup.ps1  PowerShell 2.0, for Windows 7 to 8.1
  setup.sh   POSIX sh, for old macOS and old Linux

The script checks it runs on that platform, installs what the plan installs
(the vendor's quiet installers, venvs from the bundled wheels, settings
files computed now), skips what is already there, runs the recipe's checks,
and logs beside itself. A step with no script form is an error naming it.

  envup export --probe --format cmd > probe.cmd    run it on the old machine:
  probe.cmd > facts.json                           its platform, as JSON
  envup export --facts facts.json --format cmd --to usb/ lab.yml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.probe {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.probe {
				return runProbe(g, opts)
			}
			return runExport(cmd.Context(), g, args[0], opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "", "cmd, ps1 or sh")
	cmd.Flags().StringVar(&opts.to, "to", "", "the folder to write the script and its files into")
	cmd.Flags().BoolVar(&opts.probe, "probe", false, "write a script that prints the host's platform as JSON, for --facts")
	addDownloadFlags(cmd, &opts.install)
	return cmd
}

func runProbe(g *globals, opts *exportOptions) error {
	if _, ok := export.Formats[opts.format]; !ok {
		return usagef("--format: want cmd, ps1 or sh, got %q", opts.format)
	}
	if opts.to == "" && g.output == "text" {
		return export.WriteProbe(g.stdout, opts.format)
	}
	var buf strings.Builder
	if err := export.WriteProbe(&buf, opts.format); err != nil {
		return err
	}
	if opts.to == "" {
		return g.emit("probe", probeJS{Format: opts.format, Text: buf.String()})
	}
	if err := os.MkdirAll(opts.to, 0o755); err != nil {
		return err
	}
	name := filepath.Join(opts.to, "probe."+opts.format)
	if err := os.WriteFile(name, []byte(buf.String()), 0o755); err != nil {
		return err
	}
	if g.output == "json" {
		return g.emit("probe", probeJS{Format: opts.format, Script: name})
	}
	fmt.Fprintf(g.stdout, "wrote %s: run it on the machine, save what it prints as facts.json, then envup export --facts facts.json ...\n", name)
	return nil
}

func runExport(ctx context.Context, g *globals, path string, opts *exportOptions) error {
	if _, ok := export.Formats[opts.format]; !ok {
		return usagef("--format: want cmd, ps1 or sh, got %q", opts.format)
	}
	if opts.to == "" {
		return usage(errors.New("--to DIR is required: the folder for the script and its files"))
	}
	if g.platform == "" && g.facts == "" {
		return usage(errors.New("export is for another host: name it with --platform (windows/5.1/386) or --facts facts.json (from export --probe)"))
	}
	p, err := g.detectPlatform()
	if err != nil {
		return err
	}
	if err := export.Fits(opts.format, p); err != nil {
		return usage(err)
	}
	// The one loader every command uses: the recipe read once, pinned to
	// the host's entry in its lock (a stale lock is said and set aside).
	h, r, err := host.Open(path, p, g.hostOptions(&opts.install))
	if err != nil {
		return err
	}
	here, err := detect.Detect()
	if err != nil {
		return err
	}
	fetcher := fetch.New(fetch.Options{
		CacheDir: here.Dirs.Cache,
		Mirrors:  h.Mirrors,
		Offline:  h.Offline(),
		For:      p.String(),
		Progress: g.info,
		Log:      slog.Default(),
	})
	ex, err := export.Build(ctx, r, p, export.Options{
		Format: opts.format,
		Plan:   h.PlanOptions(),
		Fetch:  fetcher.Get,
	})
	if err != nil {
		return err
	}
	if err := ex.Write(opts.to, opts.format); err != nil {
		return err
	}
	var size int64
	_ = filepath.Walk(opts.to, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	script := filepath.Join(opts.to, "setup."+opts.format)
	if g.output == "json" {
		return g.emit("export", exportJS{
			Platform: p.String(), Format: opts.format, Dir: opts.to, Script: script,
			Steps: len(ex.Script.Ops), Files: len(ex.Files), Bytes: size,
		})
	}
	fmt.Fprintf(g.stdout, "wrote %s (%d steps, %d files, %.1f MB in all) for %s: run setup.%s there\n",
		script, len(ex.Script.Ops), len(ex.Files), float64(size)/1e6, p, opts.format)
	return nil
}

// exportJS is export's --output json document.
type exportJS struct {
	Platform string `json:"platform"` // the host the script is for
	Format   string `json:"format"`   // cmd, ps1 or sh
	Dir      string `json:"dir"`      // the folder written
	Script   string `json:"script"`   // the script in it
	Steps    int    `json:"steps"`    // the script's steps
	Files    int    `json:"files"`    // files beside it, in files/
	Bytes    int64  `json:"bytes"`    // the folder's size
}

// probeJS is export --probe's --output json document: the script written
// with --to, else its text.
type probeJS struct {
	Format string `json:"format"`
	Script string `json:"script,omitempty"`
	Text   string `json:"text,omitempty"`
}

// factsPlatform reads a probe's JSON (envup export --probe) as the
// platform to plan for; a file that is not one is a usage error.
func factsPlatform(name string) (detect.Platform, error) {
	p, err := facts.Read(name)
	if err != nil {
		return p, usage(err)
	}
	return p, nil
}
