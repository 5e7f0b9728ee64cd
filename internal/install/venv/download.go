package venv

import (
	"errors"

	"github.com/envup/envup/internal/system"
)

// DownloadCmd is the pip call that fetches every package the venv asks
// for into dest, for a wheelhouse (`envup wheels`): python -m pip download
// -d DEST, then the packages, -r for each requirements file (pip reads
// those itself, with their -r, -c and --hash lines), the pip pin, and
// the recipe's index options and find_links. It never
// says --no-index: an offline venv's wheelhouse is what it fills. python
// is the interpreter to run pip with (the venv's base); what it
// downloads is for that Python and this platform.
func (v *Venv) DownloadCmd(python, dest string) (system.Cmd, error) {
	if python == "" || dest == "" {
		return system.Cmd{}, errors.New("download: needs a python and a folder")
	}
	argv := []string{python, "-m", "pip", "download", "-d", dest}
	argv = append(argv, v.indexArgs(&wanted{}, true)...)
	if !v.pip.Empty() {
		argv = append(argv, "pip"+v.pip.String())
	}
	for _, r := range v.packages {
		argv = append(argv, r.args()...)
	}
	for _, f := range v.spec.Requirements {
		argv = append(argv, "-r", localOrURL(f, v.recipeDir))
	}
	return system.Cmd{Argv: argv, Env: pipEnv}, nil
}
