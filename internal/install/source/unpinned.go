package source

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// fetchError is a way's file that could not be had: its download failed.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// unreachable says whether err holds a download that failed for want of
// the file (offline and no mirror has it, the network, an HTTP error),
// not because its bytes were wrong or the run was cancelled.
func unreachable(err error) bool {
	var (
		fe *fetchError
		de *fetch.DigestError
	)
	return errors.As(err, &fe) && !errors.As(fe.err, &de) &&
		!errors.Is(fe.err, context.Canceled) && !errors.Is(fe.err, context.DeadlineExceeded)
}

// unpinned is what Install does when the lock's pinned files could not be
// fetched (err): the recipe's sources other than the pinned plan's are
// tried as without the lock, said loudly on Options.Log, so a lab whose
// origin is down still gets the interpreter the recipe allows. --locked
// and --source-strict refuse instead.
func (e *Install) unpinned(ctx context.Context, sys system.System, id install.ID, plan []Choice, err error) (*Found, error) {
	var used []string
	for _, ch := range plan {
		if !slices.Contains(used, ch.Source) {
			used = append(used, ch.Source)
		}
	}
	why := strings.ReplaceAll(err.Error(), "\n", "; ")
	pinned := fmt.Sprintf("the lock pins %s %s from %s, which could not be fetched (%s)", e.Kind.Name, plan[0].Version, strings.Join(used, " or "), why)
	switch {
	case e.Opts.Locked:
		return nil, fmt.Errorf("--locked: %s", pinned)
	case e.Opts.SourceStrict:
		return nil, fmt.Errorf("--source-strict: %s", pinned)
	}
	rest := *e.Unpinned
	rest.Sources = slices.DeleteFunc(slices.Clone(rest.Sources), func(s string) bool { return slices.Contains(used, s) })
	if len(rest.Sources) == 0 {
		return nil, fmt.Errorf("%s, and the recipe names no other source", pinned)
	}
	e.say("%s: %s; trying the recipe's other sources: %s", id, pinned, strings.Join(rest.Sources, ", "))
	have, err := rest.Satisfying(ctx, sys)
	if err != nil {
		return nil, fmt.Errorf("%s; the recipe's other sources: %w", pinned, err)
	}
	if have == nil {
		ways, _, err := rest.Plan(ctx, sys) // its error says what each source lacks
		if err == nil {
			have, err = rest.ways(ctx, sys, id, ways)
		}
		if err != nil {
			return nil, fmt.Errorf("%s; the recipe's other sources: %w", pinned, err)
		}
	}
	e.say("%s: instead of the lock's %s %s, %s %s (%s)", id, e.Kind.Name, plan[0].Version, e.Kind.Name, have.Version, have.Origin)
	return have, nil
}
