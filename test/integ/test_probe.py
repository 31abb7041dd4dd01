# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""RLOC-probing drives failover: site B has two locators on two links, primary and backup;
when the primary's link goes down, traffic moves to the backup within the probe time, and
back when it returns."""

import os

import pytest

from lib.dxtr import Dxtr, poll
from lib.netns import sh

SITE = """
eal: {{control-lcore: 0, worker-lcores: [1], memory-mb: 512, file-prefix: {prefix}}}
control: {{socket: @SOCKET@}}
dataplane: {{mbufs: 4095}}
ports:
  - {{name: eid0, device: "net_af_packet0,iface={x}-eid", role: eid, addresses: [{eid}.1/24]}}
  - {{name: rloc0, device: "net_af_packet1,iface={x}-r0", role: rloc, addresses: [198.18.0.{n}/24]}}
  - {{name: rloc1, device: "net_af_packet2,iface={x}-r1", role: rloc, addresses: [198.18.1.{n}/24]}}
database:
  - prefix: {eid}.0/24
    locators: [{{address: 198.18.0.{n}, priority: 1}}, {{address: 198.18.1.{n}, priority: 2}}]
map-cache:
  - prefix: {peer_eid}.0/24
    locators: [{{address: 198.18.0.{peer}, priority: 1}}, {{address: 198.18.1.{peer}, priority: 2}}]
mapping-system: {{rloc-probing: {{interval: 5, retries: 1}}}}
"""


@pytest.fixture
def two_links(lab, tmp_path):
    sites = {"xa": dict(n=1, peer=2, eid="192.0.2", peer_eid="198.51.100"),
             "xb": dict(n=2, peer=1, eid="198.51.100", peer_eid="192.0.2")}
    ns = {x: (lab.netns(x), lab.netns("h" + x[1])) for x in sites}
    for x, s in sites.items():
        xn, hn = ns[x]
        sh("ip", "link", "add", f"{x}-eid", "netns", xn, "type", "veth", "peer", "name", "h0",
           "netns", hn)
        sh("ip", "link", "set", f"{x}-eid", "up", ns=xn)
        sh("ip", "addr", "add", f"{s['eid']}.10/24", "dev", "h0", ns=hn)
        sh("ip", "link", "set", "h0", "up", ns=hn)
        sh("ip", "route", "add", "default", "via", f"{s['eid']}.1", ns=hn)
    for link in ("r0", "r1"):
        sh("ip", "link", "add", f"xa-{link}", "netns", ns["xa"][0], "type", "veth", "peer",
           "name", f"xb-{link}", "netns", ns["xb"][0])
        for x in ("xa", "xb"):
            sh("ip", "link", "set", f"{x}-{link}", "up", ns=ns[x][0])
    d = {}
    for x, s in sites.items():
        prefix = f"dxtr-test-p{x}{os.getpid()}"
        d[x] = Dxtr(ns[x][0], str(tmp_path), SITE.format(prefix=prefix, x=x, **s), name=x)
        d[x].start()
        d[x].host = ns[x][1]
    yield d
    for x in d.values():
        x.stop()


def locator_states(d, prefix):
    e = [e for e in d.show("map-cache")["map_cache"] if e["prefix"] == prefix][0]
    return {l["address"]: l["state"] for l in e["locators"]}


def ping_ok(d):
    return sh("ping", "-c", "1", "-W", "1", "198.51.100.10", ns=d.host, check=False).returncode == 0


def test_failover_and_back(two_links):
    xa, xb = two_links["xa"], two_links["xb"]
    assert poll(lambda: ping_ok(xa), what="the first ping")
    assert locator_states(xa, "198.51.100.0/24") == {"198.18.0.2": "up", "198.18.1.2": "up"}
    poll(lambda: xa.show("mapping-system")["rloc_probing"]["answered"] >= 2,
         what="probes to be answered")
    # The primary link fails: both sides stop hearing their primary peer locator.
    sh("ip", "link", "set", "xb-r0", "down", ns=xb.ns)
    poll(lambda: locator_states(xa, "198.51.100.0/24")["198.18.0.2"] == "down", timeout=30,
         what="A to mark B's primary locator down")
    poll(lambda: ping_ok(xa), timeout=30, what="traffic over the backup locator")
    assert locator_states(xa, "198.51.100.0/24")["198.18.1.2"] == "up"
    assert xa.show("mapping-system")["rloc_probing"]["went_down"] >= 1
    # The link returns: the primary answers its probes and takes the traffic back.
    sh("ip", "link", "set", "xb-r0", "up", ns=xb.ns)
    poll(lambda: locator_states(xa, "198.51.100.0/24")["198.18.0.2"] == "up", timeout=30,
         what="A to mark B's primary locator up again")
    assert xa.show("mapping-system")["rloc_probing"]["came_up"] >= 1
    assert poll(lambda: ping_ok(xa), timeout=20, what="traffic back on the primary")
