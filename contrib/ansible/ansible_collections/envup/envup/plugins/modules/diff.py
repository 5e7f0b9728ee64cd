#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: envup contributors
# Apache License 2.0 (see LICENSE in the repository's root)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: diff
short_description: Compare two envup snapshots, or a snapshot and a recipe
version_added: "1.0.0"
description:
  - Runs C(envup diff A B --output json) and returns the differences as data.
  - Each side is a snapshot (the C(envup_snapshot) fact C(envup.envup.snapshot) sets, or a snapshot file)
    or a recipe file (what it wants, read for the other side's platform).
  - Meant to run on the controller (C(delegate_to=localhost) and C(run_once=true) on the task),
    on snapshots gathered from the seats; it needs envup on the controller.
  - It compares and changes nothing, so it runs the same in check mode.
author:
  - envup contributors
options:
  a:
    description:
      - The first side. A dict is a snapshot (a seat's C(envup_snapshot) fact); a string is the path
        of a snapshot file or of a recipe.
    type: raw
    required: true
  b:
    description:
      - The second side, as I(a).
    type: raw
    required: true
  ignore:
    description:
      - Leave out differences at paths matching these patterns, or under them (C(--ignore)),
        e.g. C(packages) or C(virtualenvs/*/packages/pip).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - envup.envup.binary
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
seealso:
  - module: envup.envup.snapshot
"""

EXAMPLES = r"""
- name: Compare seat 1 with seat 2
  envup.envup.diff:
    a: "{{ hostvars['seat1'].envup_snapshot }}"
    b: "{{ hostvars['seat2'].envup_snapshot }}"
    ignore: [packages]
  delegate_to: localhost
  run_once: true
  register: seats

- name: Compare a seat with what the recipe wants
  envup.envup.diff:
    a: recipes/lab/lab.yml
    b: "{{ hostvars['seat3'].envup_snapshot }}"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
equal:
  description: Whether the two sides are the same, for what is compared.
  returned: success
  type: bool
  sample: false
differences:
  description: Each difference, with its C(path), C(kind) (C(only_a), C(only_b) or C(changed)),
    the two values C(a) and C(b), and C(text) saying it in words.
  returned: success
  type: list
  elements: dict
  sample:
    - path: virtualenvs/lab/packages/tinymath
      kind: changed
      a: "0.4.0"
      b: "0.3.1"
      text: "virtualenvs lab: tinymath 0.4.0 here, 0.3.1 there"
notes:
  description: What could not be compared, and why.
  returned: success
  type: list
  elements: str
a:
  description: The first side as envup read it (C(name), C(kind), C(platform)).
  returned: success
  type: dict
b:
  description: The second side as envup read it.
  returned: success
  type: dict
"""

import json
import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.six import string_types
from ansible_collections.envup.envup.plugins.module_utils.envup import BINARY, envup_binary, run_envup, tail


def side(module, value, name, tmp):
    """The argument envup diff takes for one side: a path as given, or a
    snapshot dict written to a file in tmp."""
    if isinstance(value, string_types):
        return value
    if not isinstance(value, dict) or "envup_snapshot" not in value:
        module.fail_json(msg="%s: want a snapshot (a dict with envup_snapshot, the fact "
                             "envup.envup.snapshot sets) or a path, got %s" % (name, type(value).__name__))
    path = os.path.join(tmp, "%s.json" % name)
    with open(path, "w") as f:
        json.dump(value, f)
    return path


def main():
    module = AnsibleModule(
        argument_spec=dict(
            a=dict(type="raw", required=True),
            b=dict(type="raw", required=True),
            ignore=dict(type="list", elements="str", default=[]),
            binary=BINARY,
        ),
        supports_check_mode=True,
    )
    p = module.params
    tmp = tempfile.mkdtemp(prefix="envup-diff-")
    try:
        argv = [envup_binary(module, p["binary"]), "diff"]
        for pattern in p["ignore"]:
            argv += ["--ignore", pattern]
        argv += ["--", side(module, p["a"], "a", tmp), side(module, p["b"], "b", tmp)]
        rc, doc, err = run_envup(module, argv)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rc not in (0, 2) or doc.get("error"):
        module.fail_json(msg=doc.get("error") or tail(err), rc=rc, cmd=argv, stderr=err)
    module.exit_json(changed=False, equal=doc.get("equal", rc == 0),
                     differences=doc.get("differences") or [], notes=doc.get("notes") or [],
                     a=doc.get("a", {}), b=doc.get("b", {}))


if __name__ == "__main__":
    main()
