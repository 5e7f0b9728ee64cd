package system

// Intent is what a change means beyond its verb and target: what a
// reader of the recorded steps (envup export, which writes them again as
// a script for another host) needs and cannot tell from an argv or a
// path. A resource says it where it knows it, through Intend.
type Intent struct {
	// Done is a path whose existence, once this step has made it, says
	// the resource's work is done: an install's marker, a venv's
	// pyvenv.cfg, a font's file. A script skips the resource when it is
	// there.
	Done string
	// Admin says why the step needs an administrator ("Chocolatey
	// installs for all users"); "" when it does not.
	Admin string
	// Produces is the program this step finishes installing: a later
	// step that runs it names it by Interpreter.
	Produces Product
	// Interpreter is, on a run, the resource ID of the interpreter that
	// argv[0] is ("interpreter/python"): its path is Produces' once that
	// interpreter is installed, whatever argv[0] says now (a plan's
	// stand-in for an interpreter not installed yet).
	Interpreter string
}

// Product is a program an install gives: the resource that installs it
// and the program's path once installed.
type Product struct {
	Resource string // "interpreter/python"
	Path     string // ~/.local/share/envup/python/3.12.13/bin/python3.12
}

// with is in with the fields o sets put over it.
func (in Intent) with(o Intent) Intent {
	if o.Done != "" {
		in.Done = o.Done
	}
	if o.Admin != "" {
		in.Admin = o.Admin
	}
	if o.Produces != (Product{}) {
		in.Produces = o.Produces
	}
	if o.Interpreter != "" {
		in.Interpreter = o.Interpreter
	}
	return in
}

// Intend returns sys with in attached to every change made through it.
// A DryRun records in on each Step (a view over the same steps and
// overlay); every other System makes changes and records none, so it is
// returned as it is. A resource scopes the intent by making only the
// change it means through the result:
//
//	system.Intend(sys, system.Intent{Done: marker}).WriteFile(marker, data, 0o644)
func Intend(sys System, in Intent) System {
	d, ok := sys.(*DryRun)
	if !ok || in == (Intent{}) {
		return sys
	}
	return &DryRun{tape: d.tape, intent: d.intent.with(in)}
}
