package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/lab"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/snapshot"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/verify"
)

// reportOptions are envup report's arguments and flags.
type reportOptions struct {
	url     string
	recipe  string
	token   string
	install installFlags
}

func newReportCmd(g *globals) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report URL [RECIPE]",
		Short: "Tell the lab (envup serve --lab at URL) how this seat stands against the recipe; change nothing",
		Long: `report looks at this seat as check does (the resources against the
recipe, its checks) and sends the result, with a snapshot of the seat, to
the lab envup serve --lab runs at URL. RECIPE defaults to the recipe of
the last apply. The lab's token comes from --token or ENVUP_LAB_TOKEN.

A report that cannot be sent is kept under the state folder and sent
before the next one (report's or apply --report's).`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.url = args[0]
			if len(args) == 2 {
				opts.recipe = args[1]
			}
			return runReport(cmd.Context(), g, opts)
		},
	}
	addTokenFlag(cmd, &opts.token)
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func addTokenFlag(cmd *cobra.Command, token *string) {
	cmd.Flags().StringVar(token, "token", "", "the lab's token, as envup serve --lab printed it (default: $"+labTokenEnv+")")
}

// labToken is --token, else ENVUP_LAB_TOKEN, for the lab at url (given
// as flagName), which must be an address to send to.
func (g *globals) labToken(flagName, url, flag string) (string, error) {
	if err := lab.CheckURL(url); err != nil {
		return "", usagef("%s%v", flagName, err)
	}
	if flag != "" {
		return flag, nil
	}
	if t := g.getenv(labTokenEnv); t != "" {
		return t, nil
	}
	return "", usage(errNoLabToken)
}

func runReport(ctx context.Context, g *globals, opts *reportOptions) error {
	token, err := g.labToken("", opts.url, opts.token)
	if err != nil {
		return err
	}
	if opts.recipe == "" {
		p, err := g.detectPlatform()
		if err != nil {
			return err
		}
		if opts.recipe, err = host.LastRecipe(p.Dirs.State); err != nil {
			return err
		}
	}
	h, r, p, err := g.load(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	ro := system.NewReadOnly(h.Sys)
	outcomes := plan.Observe(ctx, ro, p.Resources)
	rep := plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	rep.Checks, _ = checkResults(ctx, ro, append(verify.Resources(outcomes), verify.Recipe(h.Platform, p.Checks)...))
	sent, err := sendReport(ctx, g, "report", opts.url, token, h, r, rep)
	if err != nil {
		return err
	}
	writeSent(g, opts.url, sent)
	if g.output == "json" {
		return g.emit("report", reportJS{URL: opts.url, Seat: sent.Seat, State: sent.State, Earlier: sent.Earlier, Dropped: nonNil(sent.Dropped)})
	}
	return nil
}

// reportJS is envup report's --output json document.
type reportJS struct {
	URL     string   `json:"url"`
	Seat    string   `json:"seat"`    // the host name the lab filed it under
	State   string   `json:"state"`   // ready, pending or failed, as the lab read it
	Earlier int      `json:"earlier"` // kept reports sent before it
	Dropped []string `json:"dropped"` // kept reports the lab refused, and why
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeSent says what a report's sending did (on stdout in text), and
// warns of the kept reports the lab refused, which are gone, whatever the
// output.
func writeSent(g *globals, url string, sent lab.Sent) {
	if g.output == "text" {
		fmt.Fprintf(g.stdout, "report sent to %s: seat %s is %s\n", url, sent.Seat, sent.State)
		if sent.Earlier > 0 {
			fmt.Fprintf(g.stdout, "sent %d kept report(s) before it\n", sent.Earlier)
		}
	}
	for _, d := range sent.Dropped {
		fmt.Fprintf(g.stderr, "envup: warning: a kept report the lab refused was dropped: %s\n", d)
	}
}

// sendReport makes this seat's report of rep (what apply or report
// found) with a snapshot, and sends it to the lab at url; one that cannot
// be sent is kept, and the error says where.
func sendReport(ctx context.Context, g *globals, command, url, token string, h *host.Host, r *recipe.Recipe, rep plan.Report) (lab.Sent, error) {
	snap, _, err := g.snapshotHere(ctx, snapshotFlags{}, snapshot.RecipeVenvs(r), h.State, h.Memo, false)
	if err != nil {
		return lab.Sent{}, fmt.Errorf("report: snapshot: %w", err)
	}
	digest := ""
	if data, err := h.Sys.ReadFile(r.Path); err == nil {
		digest = lab.Digest(data)
	}
	var snapJS json.RawMessage
	if snapJS, err = json.Marshal(snap); err != nil {
		return lab.Sent{}, err
	}
	data, err := json.Marshal(lab.Report{
		Schema: lab.Schema, Sent: time.Now().UTC(), Command: command,
		Host: snap.Host, User: h.Platform.User, Platform: h.Platform.String(), Envup: Version(),
		Recipe:    lab.Recipe{Name: filepath.Base(r.Path), Digest: digest},
		Resources: lab.Resources(rep), Checks: lab.Checks(rep.Checks), ChecksSkipped: rep.ChecksSkipped,
		Snapshot: snapJS,
	})
	if err != nil {
		return lab.Sent{}, err
	}
	s := &lab.Sender{
		URL: url, Token: token, Sys: h.Sys,
		Outbox: filepath.Join(h.Platform.Dirs.State, lab.OutboxDir),
	}
	sent, err := s.Send(ctx, data)
	var refused *lab.RefusedError
	switch {
	case errors.As(err, &refused):
		return sent, fmt.Errorf("report not sent to %s: %w", url, err)
	case err != nil && sent.Kept != "":
		return sent, fmt.Errorf("report not sent to %s: %w; kept in %s, to send with the next report", url, err, sent.Kept)
	case err != nil:
		return sent, fmt.Errorf("report not sent to %s: %w (and not kept)", url, err)
	}
	return sent, nil
}
