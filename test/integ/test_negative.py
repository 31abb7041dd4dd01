# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Negative map-cache entries (drop, natively-forward, send-map-request) and the underlay's
static default route, whose gateway dxtr resolves at start."""

import subprocess

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import build

# Site A's underlay default route points at site B's RLOC, which plays the router here.
ROUTES = """
routes:
  - {prefix: 0.0.0.0/0, via: 198.18.0.2}
  - {prefix: "::/0", via: "2001:db8:ffff::2"}
"""


@pytest.fixture
def sites(lab, tmp_path):
    d = build(lab, tmp_path, 0, extra_a=ROUTES)
    yield d
    for k in ("xa", "xb"):
        d[k].stop()


def test_gateway_resolved_at_start(sites):
    xa = sites["xa"]
    routes = xa.show("routes")["routes"]
    assert {"prefix": "0.0.0.0/0", "type": "static", "via": "198.18.0.2", "port": "rloc0",
            "source": "198.18.0.1"} in routes
    assert any(r["prefix"] == "198.18.0.0/24" and r["type"] == "connected" for r in routes)

    def resolved():
        n = {x["address"]: x for x in xa.show("neighbors")["neighbors"]}
        return all(n.get(a, {}).get("state") == "reachable" for a in
                   ("198.18.0.2", "2001:db8:ffff::2")) and n
    n = poll(resolved, what="the gateways to resolve")
    mac_b = sites["xb"].show("ports")["ports"][1]["mac"]
    assert n["198.18.0.2"]["mac"] == mac_b and n["2001:db8:ffff::2"]["mac"] == mac_b


def test_negative_drop_sends_unreachable(sites):
    xa = sites["xa"]
    assert xa.ctl("map-cache", "add", "203.0.113.0/24", "negative", "drop").returncode == 0
    r = sh("ping", "-c", "1", "-W", "2", "203.0.113.5", ns=xa.host, check=False)
    assert r.returncode != 0 and "Destination Host Unreachable" in r.stdout, r.stdout
    assert xa.show("drops")["negative-drop"] == 1
    e = [e for e in xa.show("map-cache")["map_cache"] if e["prefix"] == "203.0.113.0/24"]
    assert e[0]["action"] == "drop" and e[0]["locators"] == []


def test_natively_forward(sites):
    xa, xb = sites["xa"], sites["xb"]
    assert xa.ctl("map-cache", "add", "203.0.113.0/24", "negative",
                  "natively-forward").returncode == 0
    # The packet leaves A unencapsulated toward the gateway (B's RLOC port sees it).
    sniff = subprocess.Popen(
        ["ip", "netns", "exec", xb.ns, "/usr/bin/python3", "-c",
         "from scapy.all import *\nconf.verb = 0\n"
         "p = sniff(iface='xb-rloc', timeout=10, count=1, lfilter=lambda p: ICMP in p and "
         "p[IP].dst == '203.0.113.5', started_callback=lambda: print('started', flush=True))\n"
         "print(p[0][IP].src, p[0][IP].ttl if p else 'none')"],
        stdout=subprocess.PIPE, text=True)
    assert sniff.stdout.readline().strip() == "started"
    sh("ping", "-c", "1", "-W", "1", "203.0.113.5", ns=xa.host, check=False)
    out, _ = sniff.communicate(timeout=20)
    assert out.split() == ["192.0.2.10", "63"], out
    assert xa.show("stats")["native-forward"] == 1


def test_send_map_request_action_is_a_miss(sites):
    xa = sites["xa"]
    assert xa.ctl("map-cache", "add", "203.0.113.0/24", "negative",
                  "send-map-request").returncode == 0
    sh("ping", "-c", "1", "-W", "1", "203.0.113.7", ns=xa.host, check=False)
    p = xa.show("pending")
    assert [x["destination"] for x in p["pending"]] == ["203.0.113.7"]


def test_shell_rejects_bad_map_cache_commands(sites):
    xa = sites["xa"]
    for words in (("map-cache", "add", "203.0.113.1/24", "negative", "drop"),  # host bits
                  ("map-cache", "add", "203.0.113.0/24", "negative", "explode"),
                  ("map-cache", "add", "203.0.113.0/24", "rloc", "nonsense"),
                  ("map-cache", "add", "203.0.113.0/24", "rloc", "198.18.0.2", "weight", "101"),
                  ("map-cache", "add", "iid", "99999999", "203.0.113.0/24", "negative", "drop"),
                  ("map-cache", "del", "203.0.113.0/24"),
                  ("show", "map-cache", "iid", "x")):
        r = xa.ctl(*words)
        assert r.returncode == 1 and r.stdout.startswith("error: "), (words, r.stdout)
    # Filters.
    xa.ctl("map-cache", "add", "iid", "3", "203.0.113.0/24", "negative", "drop")
    assert [e["iid"] for e in xa.show("map-cache", "iid", "3")["map_cache"]] == [3]
    assert xa.show("map-cache", "iid", "3", "203.0.113.0/24")["map_cache"][0]["action"] == "drop"
    assert xa.ctl("map-cache", "del", "iid", "3", "203.0.113.0/24").returncode == 0
    assert xa.show("map-cache", "iid", "3")["map_cache"] == []
