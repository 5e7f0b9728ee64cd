#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: envup contributors
# Apache License 2.0 (see LICENSE in the repository's root)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: apply
short_description: Make a machine match an envup recipe
version_added: "1.0.0"
description:
  - Runs C(envup apply RECIPE --output json) on the target and reports each resource of the recipe.
  - In check mode it runs C(envup apply --dry-run) instead (the same as C(envup plan), taking every flag
    apply takes), which observes the machine and changes nothing.
  - The task is C(changed) only when a resource changed (apply) or would change (check mode);
    a second run of the same recipe reports C(changed=false).
  - With C(--diff), each changed resource gets a diff entry listing what changed and why
    (and, in check mode, the steps apply would take).
author:
  - envup contributors
options:
  recipe:
    description:
      - The recipe on the target, a C(.yml) file or a bundle (C(.tar)) made by C(envup bundle).
    type: path
    required: true
  mirror:
    description:
      - Folders or URLs to take downloads (and a virtualenv's wheels) from first, each passed as C(--mirror).
      - C(envup serve) on the controller serves a mirror folder as C(http://CONTROLLER:PORT).
    type: list
    elements: str
    default: []
  offline:
    description:
      - Never download from the origin (C(--offline)), only from the download cache and the mirrors.
    type: bool
    default: false
  locked:
    description:
      - Fail instead of resolving anything the recipe's lock does not hold (C(--locked)).
    type: bool
    default: false
  extra_args:
    description:
      - More arguments for envup, put before the recipe, for example C(--fail-fast) or C(--source-strict).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - envup.envup.binary
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Runs as the connecting user; envup installs into that user's home and needs root only for OS packages.
  - Windows targets are not supported by this module (it is Python); see the collection's README.
seealso:
  - module: envup.envup.snapshot
  - module: envup.envup.diff
"""

EXAMPLES = r"""
- name: Make the seat match the lab's recipe, from the controller's mirror
  envup.envup.apply:
    recipe: ~/recipes/lab/lab.yml
    binary: ~/.local/bin/envup
    mirror: ["http://10.0.0.1:8080"]
    offline: true

- name: Apply a bundle, pinned to its lock
  envup.envup.apply:
    recipe: /srv/lab.tar
    locked: true
    extra_args: [--fail-fast]
"""

RETURN = r"""
resources:
  description: Every resource of the recipe, in the order envup applies them.
  returned: when envup ran
  type: list
  elements: dict
  contains:
    id:
      description: The resource, C(kind/name), the home folder written C(~).
      type: str
      sample: file/~/lab/README.txt
    status:
      description: C(applied), C(unchanged), C(skipped) or C(failed); in check mode C(pending) for what would change.
      type: str
      sample: applied
    reason:
      description: Why it is unchanged or skipped, when envup says.
      type: str
      sample: python 3.11.2 at /usr/bin/python3.11 (system)
    error:
      description: What went wrong, for a failed resource.
      type: str
    changes:
      description: What changed (or would), each with C(action), C(subject) and C(why).
      type: list
      elements: dict
  sample:
    - id: virtualenv/lab
      status: applied
      changes: [{action: create, subject: seatbook, why: not installed}]
summary:
  description: Counts of resources by what happened to them.
  returned: when envup ran
  type: dict
  sample: {create: 4, update: 0, unchanged: 1, skipped: 0, failed: 0}
platform:
  description: The platform envup detected on the target.
  returned: when envup ran
  type: str
  sample: linux/debian/12/amd64
cmd:
  description: The command that ran, as a list.
  returned: always
  type: list
  elements: str
rc:
  description: envup's exit code (see docs/cli.md).
  returned: always
  type: int
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.envup.envup.plugins.module_utils.envup import BINARY, envup_binary, run_envup, tail

MARKS = {"applied": "~", "pending": "~", "failed": "!"}


def resource_view(r):
    """The parts of a resource a playbook reads."""
    out = {"id": r.get("id", ""), "status": r.get("status", "")}
    for key in ("reason", "error", "changes"):
        if r.get(key):
            out[key] = r[key]
    return out


def resource_diff(r):
    """One diff entry for a changed resource: its changes and steps as text."""
    lines = ["%s %s" % (MARKS.get(r.get("status"), "~"), r.get("id", ""))]
    for c in r.get("changes") or []:
        mark = "+" if c.get("action") == "create" else "~"
        lines.append("    %s %s: %s" % (mark, c.get("subject", ""), c.get("why", "")))
    for s in r.get("steps") or []:
        detail = " (%s)" % s["detail"] if s.get("detail") else ""
        lines.append("      %s %s%s" % (s.get("verb", ""), s.get("target", ""), detail))
    if r.get("error"):
        lines.append("    error: %s" % r["error"].splitlines()[0])
    return {"before_header": r.get("id", ""), "after_header": r.get("id", ""),
            "prepared": "\n".join(lines) + "\n"}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            recipe=dict(type="path", required=True),
            binary=BINARY,
            mirror=dict(type="list", elements="str", default=[]),
            offline=dict(type="bool", default=False),
            locked=dict(type="bool", default=False),
            extra_args=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    p = module.params
    argv = [envup_binary(module, p["binary"]), "apply"]
    if module.check_mode:
        # apply --dry-run is plan, and takes apply's flags (extra_args).
        argv.append("--dry-run")
        if module._diff:
            argv.append("--verbose")  # the steps apply would take, in the JSON
    for m in p["mirror"]:
        argv += ["--mirror", m]
    if p["offline"]:
        argv.append("--offline")
    if p["locked"]:
        argv.append("--locked")
    argv += p["extra_args"]
    argv += ["--", p["recipe"]]

    rc, doc, err = run_envup(module, argv)
    changing = "pending" if module.check_mode else "applied"
    resources = doc.get("resources") or []
    shown = [r for r in resources if r.get("status") in (changing, "failed")]
    result = dict(
        changed=any(r.get("status") == changing for r in resources),
        resources=[resource_view(r) for r in resources],
        summary=doc.get("summary", {}),
        platform=doc.get("platform", ""),
        cmd=argv,
        rc=rc,
    )
    if module._diff:
        result["diff"] = [resource_diff(r) for r in shown]
    if rc != 0 or doc.get("error"):
        failed = ["%s: %s" % (r.get("id"), (r.get("error") or "").splitlines()[0])
                  for r in resources if r.get("status") == "failed" and r.get("error")]
        msg = doc.get("error") or tail(err) or "envup exited %d" % rc
        if failed:
            msg += ": " + "; ".join(failed)
        module.fail_json(msg=msg, stderr=err, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
