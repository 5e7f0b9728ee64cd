# -*- coding: utf-8 -*-
# Copyright: envup contributors
# Apache License 2.0 (see LICENSE in the repository's root)
"""Running envup with --output json from a module: the one place that
finds the binary, builds the common flags and reads the document."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

# The binary option of every module (its documentation: the doc fragment
# envup.envup.binary).
BINARY = dict(type="str", default="envup")


def envup_binary(module, binary):
    """The path of the envup binary: binary as given when it names a path,
    else found on PATH or in ~/.local/bin (where envup's install.sh puts it)."""
    if os.sep in binary or (os.altsep and os.altsep in binary):
        path = os.path.expanduser(binary)
        if not os.access(path, os.X_OK):
            module.fail_json(msg="envup binary %s is not an executable file" % path)
        return path
    found = module.get_bin_path(binary, opt_dirs=[os.path.expanduser("~/.local/bin")])
    if not found:
        module.fail_json(msg="envup binary %r is not on PATH nor in ~/.local/bin: "
                             "set binary, or install envup (the envup.envup.seat role does)" % binary)
    return found


def run_envup(module, argv):
    """Runs argv (a list, no shell: the binary, the command, its arguments)
    with --output json after the command, and returns (rc, doc, stderr). A
    run whose stdout is not one JSON document fails the module with the
    command, its exit code and stderr."""
    argv = list(argv[:2]) + ["--output", "json", "--color", "never"] + list(argv[2:])
    rc, out, err = module.run_command(argv, environ_update={"NO_COLOR": "1"})
    try:
        doc = json.loads(out)
    except ValueError:
        module.fail_json(msg="envup printed no JSON document (exit %d): %s" % (rc, tail(err)),
                         cmd=argv, rc=rc, stdout=out, stderr=err)
    if not isinstance(doc, dict) or doc.get("envup_output") != 1:
        module.fail_json(msg="envup printed a document of another output version "
                             "(want envup_output 1): %s" % out[:200], cmd=argv, rc=rc)
    return rc, doc, err


def tail(text, lines=10):
    """The last lines of text that say something."""
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])
