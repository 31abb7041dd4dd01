# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""The mapping daemon between two sites with no static mappings: each site's Map-Resolver is
the other site's RLOC, whose ETR answers the ECM-wrapped Map-Requests for its own EIDs."""

import subprocess

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import build, ping

MAPSYS = ("mapping-system: {map-resolvers: [198.18.0.@PEER@], "
          "map-request: {retries: 1, interval-ms: 300}, negative-ttl: 5}\n")

# Vector (c) of lisp-protocol.md §5.3: a Map-Reply whose nonce nobody asked for.
MAP_REPLY_C = bytes.fromhex(
    "20000001" "1122334455667788" "000005a0" "01101000" "00000001" "f0020000"
    "0164ff00" "00010001" "c6336402")


@pytest.fixture(params=[0, 5], ids=["iid0", "iid5"])
def sites(request, lab, tmp_path):
    d = build(lab, tmp_path, request.param, extra="")
    yield d
    for k in ("xa", "xb"):
        d[k].stop()


@pytest.fixture(params=[0, 5], ids=["iid0", "iid5"])
def resolving(request, lab, tmp_path):
    d = build(lab, tmp_path, request.param, extra=MAPSYS)
    yield d
    for k in ("xa", "xb"):
        d[k].stop()


@pytest.mark.parametrize("dst", ["198.51.100.10", "2001:db8:b::10"])
def test_first_packet_delivered_after_resolution(resolving, dst):
    xa, xb = resolving["xa"], resolving["xb"]
    # One echo request: held while A resolves B's EID, delivered, answered after B resolves A's.
    r = sh("ping", "-c", "1", "-W", "8", dst, ns=xa.host, check=False)
    assert r.returncode == 0, r.stdout
    e = [e for e in xa.show("map-cache")["map_cache"] if e["origin"] == "map-reply"]
    prefix = "198.51.100.0/24" if "." in dst else "2001:db8:b::/48"
    assert [x["prefix"] for x in e] == [prefix]
    assert e[0]["iid"] == resolving["iid"] and 86000 < e[0]["ttl_s"] <= 86400
    assert [l["address"] for l in e[0]["locators"]] == [
        "198.18.0.2" if "." in dst else "2001:db8:ffff::2"]
    ms_a, ms_b = xa.show("mapping-system"), xb.show("mapping-system")
    assert ms_a["itr"]["map_requests"] >= 1 and ms_a["itr"]["map_replies"] >= 1
    assert ms_a["itr"]["records_installed"] == 1
    assert ms_b["etr"]["map_replies"] >= 1 and ms_b["messages"]["received"]["ecm"] >= 1
    assert xa.show("pending")["counters"]["released"] == 1
    db = {e["prefix"]: e for e in xb.show("database")["database"]}
    assert db["198.51.100.0/24"]["iid"] == resolving["iid"]
    assert db["198.51.100.0/24"]["locators"] == [
        {"address": "198.18.0.2", "priority": 1, "weight": 100}]
    # Both ways now: more pings go straight through.
    assert ping(xa.host, dst, count=3).returncode == 0


def test_unanswered_requests_give_up(lab, tmp_path):
    # A asks a resolver that does not exist (nothing answers at 198.18.0.99), then B.
    d = build(lab, tmp_path, 0, extra_a="mapping-system: {map-resolvers: [198.18.0.99, 198.18.0.2], "
              "map-request: {retries: 1, interval-ms: 200}, negative-ttl: 3}\n")
    try:
        xa = d["xa"]
        # B (second resolver) does not own 203.0.113.0/24 either: nobody answers.
        sh("ping", "-c", "1", "-W", "1", "203.0.113.9", ns=xa.host, check=False)

        def gave_up():
            ms = xa.show("mapping-system")
            return ms["itr"]["gave_up"] == 1 and ms
        ms = poll(gave_up, timeout=20, what="the resolution to give up")
        assert ms["itr"]["failovers"] == 1 and ms["itr"]["retransmits"] >= 2
        neg = [e for e in xa.show("map-cache")["map_cache"] if e["origin"] == "negative-local"]
        assert neg and neg[0]["prefix"] == "203.0.113.9/32" and neg[0]["action"] == "drop"
        assert neg[0]["ttl_s"] <= 3
        # The negative entry expires at its TTL.
        poll(lambda: not any(e["origin"] == "negative-local"
                             for e in xa.show("map-cache")["map_cache"]),
             timeout=15, what="the negative entry to expire")
    finally:
        for k in ("xa", "xb"):
            d[k].stop()


def test_map_reply_with_unknown_nonce_is_dropped(sites):
    xa, xb = sites["xa"], sites["xb"]
    before = xa.show("mapping-system")["itr"]["bad_nonce"]
    mac_a = xa.show("ports")["ports"][1]["mac"]
    code = (
        "from scapy.all import *\nconf.verb = 0\n"
        f"sendp(Ether(dst='{mac_a}')/IP(src='198.18.0.2', dst='198.18.0.1')/"
        f"UDP(sport=4342, dport=4342)/Raw(bytes.fromhex('{MAP_REPLY_C.hex()}')), iface='xb-rloc')\n")
    sh("/usr/bin/python3", "-c", code, ns=xb.ns)
    poll(lambda: xa.show("mapping-system")["itr"]["bad_nonce"] == before + 1,
         what="the unsolicited Map-Reply to be counted")
    assert not any(e["prefix"] == "240.2.0.0/16" for e in xa.show("map-cache")["map_cache"])


def test_etr_ignores_requests_for_foreign_eids(sites):
    xa, xb = sites["xa"], sites["xb"]
    mac_b = xb.show("ports")["ports"][1]["mac"]
    # Vector (b): a Map-Request for 240.2.0.1, which B does not own.
    req = ("10000001" "1122334455667788" "00010a010001" "0001c0000201" "00200001f0020001")
    code = (
        "from scapy.all import *\nconf.verb = 0\n"
        f"sendp(Ether(dst='{mac_b}')/IP(src='198.18.0.1', dst='198.18.0.2')/"
        f"UDP(sport=4342, dport=4342)/Raw(bytes.fromhex('{req}')), iface='xa-rloc')\n")
    sh("/usr/bin/python3", "-c", code, ns=xa.ns)
    poll(lambda: xb.show("mapping-system")["etr"]["not_ours"] == 1, what="the request counted")
    assert xb.show("mapping-system")["etr"]["map_replies"] == 0


def test_smr_triggers_an_smr_invoked_request(resolving):
    xa, xb = resolving["xa"], resolving["xb"]
    assert sh("ping", "-c", "1", "-W", "8", "198.51.100.10", ns=xa.host, check=False).returncode == 0
    before = xa.show("mapping-system")["itr"]
    # B says "your mapping of me is stale": S and D set, source EID = B's host.
    iid = resolving["iid"]
    if iid:
        src = f"40030000" f"0200000a" f"{iid:08x}" "0001c633640a"  # [iid] 198.51.100.10
        eid = "0018" f"40030000" f"0200000a" f"{iid:08x}" "0001c0000200"  # /24 [iid] 192.0.2.0
    else:
        src = "0001c633640a"
        eid = "00180001c0000200"
    smr = "11002001" + "0102030405060708" + src + "0001c6120002" + eid
    mac_a = xa.show("ports")["ports"][1]["mac"]
    code = (
        "from scapy.all import *\nconf.verb = 0\n"
        f"sendp(Ether(dst='{mac_a}')/IP(src='198.18.0.2', dst='198.18.0.1')/"
        f"UDP(sport=4342, dport=4342)/Raw(bytes.fromhex('{smr}')), iface='xb-rloc')\n")
    sh("/usr/bin/python3", "-c", code, ns=xb.ns)

    def refreshed():
        itr = xa.show("mapping-system")["itr"]
        return (itr["smr_invoked"] == before["smr_invoked"] + 1 and
                itr["records_installed"] == before["records_installed"] + 1) and itr
    itr = poll(refreshed, what="an SMR-invoked Map-Request answered")
    assert itr["smr_received"] == before["smr_received"] + 1
    assert xa.show("mapping-system")["etr"]["dont_reply"] >= 1  # the SMR itself: D set, no reply


def test_database_change_reaches_the_peer_by_smr(resolving):
    xa, xb = resolving["xa"], resolving["xb"]
    iid = str(resolving["iid"])
    assert sh("ping", "-c", "1", "-W", "8", "198.51.100.10", ns=xa.host, check=False).returncode == 0

    def locators():
        e = [e for e in xa.show("map-cache")["map_cache"] if e["prefix"] == "198.51.100.0/24"]
        return [loc["address"] for loc in e[0]["locators"]] if e else []
    assert locators() == ["198.18.0.2"]
    # B moves its site to its IPv6 locator: A hears of it by SMR and asks again.
    r = xb.ctl("database", "add", "iid", iid, "198.51.100.0/24", "locator", "2001:db8:ffff::2")
    assert r.returncode == 0, r.stdout
    poll(lambda: locators() == ["2001:db8:ffff::2"], what="A to learn B's new locator")
    assert xa.show("mapping-system")["itr"]["smr_invoked"] >= 1
    assert [l["address"] for l in
            [e for e in xb.show("database")["database"] if e["prefix"] == "198.51.100.0/24"][0]
            ["locators"]] == ["2001:db8:ffff::2"]
    assert ping(xa.host, "198.51.100.10", count=2).returncode == 0
    # The running configuration shows the change.
    cfg = xb.show("config")
    db = [e for e in cfg["database"] if e["prefix"] == "198.51.100.0/24"][0]
    assert [l["address"] for l in db["locators"]] == ["2001:db8:ffff::2"]
    assert cfg["mapping-system"]["map-resolvers"] == ["198.18.0.1"]
    # Bad changes are refused with a reason.
    for words in (("database", "add", "198.51.100.0/24", "locator", "198.18.0.9"),
                  ("database", "add", "iid", "77", "198.51.100.0/24", "locator", "198.18.0.2"),
                  ("database", "del", "203.0.113.0/24")):
        r = xb.ctl(*words)
        assert r.returncode == 1 and r.stdout.startswith("error: "), (words, r.stdout)
