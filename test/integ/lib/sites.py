# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Two LISP sites, A and B, each a host behind a dxtr, joined by a veth underlay: the fixture
`lab2` (in conftest.py) builds them with build(); these helpers drive them."""

import os

from lib.dxtr import Dxtr
from lib.netns import sh

SITE = """
eal: {{control-lcore: 0, worker-lcores: [1], memory-mb: 512, file-prefix: {prefix}}}
control: {{socket: @SOCKET@}}
dataplane: {{mbufs: 4095}}
ports:
  - name: eid0
    device: net_af_packet0,iface={x}-eid
    role: eid
    iid: {iid}
    addresses: [{eid4}.1/24, "{eid6}::1/64"]
  - name: rloc0
    device: net_af_packet1,iface={x}-rloc
    role: rloc
    addresses: [198.18.0.{n}/24, "2001:db8:ffff::{n}/64"]
database:
  - iid: {iid}
    prefix: {eid4}.0/24
    locators: [{{address: 198.18.0.{n}}}]
  - iid: {iid}
    prefix: "{eid6}::/48"
    locators: [{{address: "2001:db8:ffff::{n}"}}]
"""

A = dict(x="xa", n=1, eid4="192.0.2", eid6="2001:db8:a", host="ha")
B = dict(x="xb", n=2, eid4="198.51.100", eid6="2001:db8:b", host="hb")


def build(lab, tmp_path, iid, extra="", extra_a=""):
    """Namespaces, links and both dxtr instances; returns {'xa': Dxtr, 'xb': Dxtr, 'iid': iid}.
    extra is YAML appended to both configurations (@PEER@ stands for the other site's number:
    198.18.0.@PEER@ is its RLOC), extra_a to site A's only."""
    sites = {}
    for s in (A, B):
        x = lab.netns(s["x"])
        h = lab.netns(s["host"])
        sh("ip", "link", "add", f"{s['x']}-eid", "netns", x, "type", "veth", "peer", "name",
           "h0", "netns", h)
        sh("ip", "link", "set", f"{s['x']}-eid", "up", ns=x)
        sh("ip", "addr", "add", f"{s['eid4']}.10/24", "dev", "h0", ns=h)
        sh("ip", "-6", "addr", "add", f"{s['eid6']}::10/64", "dev", "h0", "nodad", ns=h)
        sh("ip", "link", "set", "h0", "up", ns=h)
        # A veth leaves TCP/UDP checksums to be finished by offload, which a frame read by
        # net_af_packet never gets: hosts compute their checksums themselves.
        sh("ethtool", "-K", "h0", "tx", "off", ns=h)
        sh("ip", "route", "add", "default", "via", f"{s['eid4']}.1", ns=h)
        sh("ip", "-6", "route", "add", "default", "via", f"{s['eid6']}::1", ns=h)
        sites[s["x"]] = (x, h)
    xa, xb = sites["xa"][0], sites["xb"][0]
    sh("ip", "link", "add", "xa-rloc", "netns", xa, "type", "veth", "peer", "name", "xb-rloc",
       "netns", xb)
    for ns, name in ((xa, "xa-rloc"), (xb, "xb-rloc")):
        sh("sysctl", "-qw", f"net.ipv6.conf.{name}.disable_ipv6=1", ns=ns)
        sh("ip", "link", "set", name, "up", ns=ns)
    d = {}
    for s in (A, B):
        prefix = f"dxtr-test-{s['x']}{os.getpid()}"
        peer = str(B["n"] if s is A else A["n"])
        conf = (SITE.format(prefix=prefix, iid=iid, **s) + extra.replace("@PEER@", peer) +
                (extra_a if s is A else ""))
        d[s["x"]] = Dxtr(sites[s["x"]][0], str(tmp_path), conf, name=s["x"]).start()
        d[s["x"]].host = sites[s["x"]][1]
        d[s["x"]].prefix = prefix
        d[s["x"]].iid = iid
    d["iid"] = iid
    return d


def map_to(d, peer, outer):
    """Maps the peer site's EID prefixes to its RLOC of family outer (4 or 6)."""
    rloc = f"198.18.0.{peer['n']}" if outer == 4 else f"2001:db8:ffff::{peer['n']}"
    for prefix in (f"{peer['eid4']}.0/24", f"{peer['eid6']}::/48"):
        r = d.ctl("map-cache", "add", "iid", str(d.iid), prefix, "rloc", rloc)
        assert r.returncode == 0, r.stdout


def ping(ns, dst, count=3):
    flag = "-6" if ":" in dst else "-4"
    return sh("ping", flag, "-c", str(count), "-i", "0.2", "-W", "2", dst, ns=ns, check=False)


