#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: envup contributors
# Apache License 2.0 (see LICENSE in the repository's root)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: snapshot
short_description: Record what a machine has, as envup sees it, into a fact
version_added: "1.0.0"
description:
  - Runs C(envup snapshot --output json) on the target and returns the snapshot as the fact C(envup_snapshot).
  - A snapshot holds the platform, interpreters, virtualenvs with their packages, services, user fonts,
    editor settings and OS packages installed on purpose; paths under the home folder are written C(~/),
    so two users' snapshots compare. C(envup.envup.diff) compares two of them.
  - It reads and changes nothing, so it runs the same in check mode.
author:
  - envup contributors
options:
  recipe:
    description:
      - Also record the virtualenvs these recipes on the target name (C(--recipe)).
    type: list
    elements: path
    default: []
  venv_root:
    description:
      - Also record the virtualenvs in these folders' subfolders (C(--venv-root)).
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - envup.envup.binary
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
seealso:
  - module: envup.envup.diff
"""

EXAMPLES = r"""
- name: Record each seat
  envup.envup.snapshot:
    binary: ~/.local/bin/envup

- name: Show a seat's virtualenvs
  ansible.builtin.debug:
    var: ansible_facts.envup_snapshot.virtualenvs
"""

RETURN = r"""
ansible_facts:
  description: The facts this module sets.
  returned: success
  type: complex
  contains:
    envup_snapshot:
      description:
        - The snapshot (envup_snapshot schema 1, docs/snapshot.md), as C(envup snapshot) writes it.
      type: dict
      sample:
        envup_snapshot: 1
        taken: "2026-11-25T08:36:57Z"
        platform: {os: linux, version: "12", arch: amd64}
        virtualenvs: [{name: lab, path: ~/envs/lab, packages: {seatbook: "1.2.0"}}]
        skipped: []
cmd:
  description: The command that ran, as a list.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.envup.envup.plugins.module_utils.envup import BINARY, envup_binary, run_envup, tail


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binary=BINARY,
            recipe=dict(type="list", elements="path", default=[]),
            venv_root=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    p = module.params
    argv = [envup_binary(module, p["binary"]), "snapshot"]
    for r in p["recipe"]:
        argv += ["--recipe", r]
    for r in p["venv_root"]:
        argv += ["--venv-root", r]
    rc, doc, err = run_envup(module, argv)
    if rc != 0 or doc.get("error"):
        module.fail_json(msg=doc.get("error") or tail(err), rc=rc, cmd=argv, stderr=err)
    for key in ("envup_output", "kind"):  # the output's envelope, not the snapshot's
        doc.pop(key, None)
    module.exit_json(changed=False, ansible_facts={"envup_snapshot": doc}, cmd=argv)


if __name__ == "__main__":
    main()
