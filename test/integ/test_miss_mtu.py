# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Misses (first packets held, then delivered or timed out) and path MTU (fragmentation and
ICMP too big), between two sites."""

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import A, B, build, map_to, ping


@pytest.fixture
def sites(lab, tmp_path):
    d = build(lab, tmp_path, 0, extra="lisp: {miss: {hold-packets: 4, hold-timeout-ms: 1500}}\n")
    yield d
    for k in ("xa", "xb"):
        d[k].stop()


def test_first_packet_is_held_and_delivered(sites):
    xa, xb = sites["xa"], sites["xb"]
    map_to(xb, A, 4)  # B knows A; A has no mapping for B yet
    # A long wait: the echo request sits in A's control plane until the mapping arrives.
    pinger = __import__("subprocess").Popen(
        ["ip", "netns", "exec", xa.host, "ping", "-c", "1", "-W", "10", "198.51.100.10"],
        stdout=__import__("subprocess").PIPE, text=True)

    def pending():
        p = xa.show("pending")
        return p["pending"] and p
    p = poll(pending, what="the destination to show up as pending")
    assert p["pending"][0]["destination"] == "198.51.100.10"
    assert p["pending"][0]["held"] == 1
    assert xa.show("stats")["miss"] >= 1
    entries = xa.show("map-cache")["map_cache"]
    assert any(e["prefix"] == "198.51.100.10/32" and e["origin"] == "pending" for e in entries)
    # The mapping arrives: the held request goes out and the ping gets its answer.
    map_to(xa, B, 4)
    out, _ = pinger.communicate(timeout=20)
    assert pinger.returncode == 0, out
    assert "1 received" in out
    p = xa.show("pending")
    assert p["pending"] == [] and p["counters"]["released"] == 1
    assert not any(e["origin"] == "pending" for e in xa.show("map-cache")["map_cache"])


def test_pending_times_out(sites):
    xa = sites["xa"]
    r = ping(xa.host, "198.51.100.10", count=2)
    assert r.returncode != 0
    poll(lambda: xa.show("pending")["pending"] == [], what="the pending destination to time out")
    c = xa.show("pending")["counters"]
    assert c["misses"] >= 1 and c["timed_out"] >= 1 and c["released"] == 0
    assert not any(e["origin"] == "pending" for e in xa.show("map-cache")["map_cache"])


def test_hold_is_bounded(sites):
    xa = sites["xa"]
    # 10 packets to one unmapped destination: at most hold-packets (4) are kept.
    sh("ping", "-c", "10", "-i", "0.01", "-W", "1", "198.51.100.10", ns=xa.host, check=False)
    p = xa.show("pending")
    held = p["pending"][0]["held"] if p["pending"] else 0
    assert held <= 4
    assert p["counters"]["held"] <= 4 and p["counters"]["hold_dropped"] >= 1


@pytest.mark.parametrize("outer,inner_max", [(4, 1464), (6, 1444)])
def test_too_big_gets_icmp(sites, outer, inner_max):
    xa, xb = sites["xa"], sites["xb"]
    map_to(xa, B, outer)
    map_to(xb, A, outer)
    assert ping(xa.host, "198.51.100.10", count=1).returncode == 0
    # 1500-byte packets with DF: the host learns the tunnel's MTU from dxtr.
    r = sh("ping", "-M", "do", "-s", "1472", "-c", "2", "-W", "2", "198.51.100.10", ns=xa.host,
           check=False)
    assert f"mtu = {inner_max}" in r.stdout + r.stderr or f"mtu={inner_max}" in r.stdout + r.stderr, r.stdout + r.stderr
    assert xa.show("drops")["too-big"] >= 1
    # IPv6 inner: ICMPv6 packet too big, and the host caches the smaller path MTU.
    r = sh("ping", "-6", "-M", "do", "-s", "1452", "-c", "2", "-W", "2", "2001:db8:b::10",
           ns=xa.host, check=False)
    route = sh("ip", "-6", "route", "get", "2001:db8:b::10", ns=xa.host).stdout
    assert f"mtu {inner_max}" in route, route + r.stdout + r.stderr


def test_fragments_inner_ipv4_without_df(sites):
    xa, xb = sites["xa"], sites["xb"]
    map_to(xa, B, 4)
    map_to(xb, A, 4)
    r = sh("ping", "-M", "dont", "-s", "1472", "-c", "2", "-W", "3", "198.51.100.10",
           ns=xa.host, check=False)
    info = [{k: v for k, v in x.show(w).items() if v} for x in (xa, xb) for w in ("stats", "drops")]
    assert r.returncode == 0, (r.stdout, info)
    assert xa.show("stats")["fragmented"] >= 2
    assert xb.show("stats")["fragmented"] >= 2  # the replies are as large
