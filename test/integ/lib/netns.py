# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Network namespaces and veth pairs for integration tests; everything created is removed."""

import json
import os
import subprocess


def sh(*args, check=True, ns=None, **kw):
    """Runs a command (optionally inside netns ns) and returns its CompletedProcess."""
    cmd = list(args)
    if ns is not None:
        cmd = ["ip", "netns", "exec", ns] + cmd
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


class Lab:
    """Owns namespaces and links; cleanup() removes them in reverse order of creation."""

    def __init__(self, tag):
        self.tag = tag
        self.namespaces = []

    def netns(self, name):
        ns = f"{name}-{self.tag}"
        sh("ip", "netns", "add", ns)
        self.namespaces.append(ns)
        sh("ip", "link", "set", "lo", "up", ns=ns)
        return ns

    def veth(self, ns_a, name_a, ns_b, name_b):
        """A veth pair with name_a in ns_a and name_b in ns_b, both up."""
        sh("ip", "link", "add", name_a, "netns", ns_a, "type", "veth",
           "peer", "name", name_b, "netns", ns_b)
        for ns, name in ((ns_a, name_a), (ns_b, name_b)):
            # No IPv6 autoconfiguration noise on links dxtr owns or tests capture on.
            sh("sysctl", "-qw", f"net.ipv6.conf.{name}.disable_ipv6=1", ns=ns, check=False)
            sh("ip", "link", "set", name, "up", ns=ns)

    def link_info(self, ns, name):
        out = sh("ip", "-j", "link", "show", name, ns=ns).stdout
        return json.loads(out)[0]

    def cleanup(self):
        for ns in reversed(self.namespaces):
            sh("ip", "netns", "pids", ns, check=False)
            pids = sh("ip", "netns", "pids", ns, check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, ValueError):
                    pass
            sh("ip", "netns", "del", ns, check=False)
        self.namespaces = []
