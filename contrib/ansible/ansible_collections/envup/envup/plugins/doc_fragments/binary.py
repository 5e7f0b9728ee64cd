# -*- coding: utf-8 -*-
# Copyright: envup contributors
# Apache License 2.0 (see LICENSE in the repository's root)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """The binary option every envup module takes (module_utils.envup.BINARY)."""

    DOCUMENTATION = r"""
options:
  binary:
    description:
      - The envup binary where the module runs (the target; for C(envup.envup.diff), the host it is
        delegated to). A name is looked up on C(PATH) and in C(~/.local/bin); a path is used as it is.
    type: str
    default: envup
"""
