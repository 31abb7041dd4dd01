# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Locator-status-bits from a trusted peer take its locators out of use and back; an untrusted
configuration ignores them."""

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import build

MAP_B = ("map-cache", "add", "198.51.100.0/24", "rloc", "2001:db8:ffff::2", "rloc", "198.18.0.2")


def lisp_frame(mac, lsbs):
    # From B's RLOC to A's, N and L set, I clear: 32 LSBs; bit 0 = 198.18.0.2 (IPv4 first),
    # bit 1 = 2001:db8:ffff::2.
    return (f"Ether(dst='{mac}')/IP(src='198.18.0.2', dst='198.18.0.1')/UDP(sport=49152, dport=4341)"
            f"/Raw(b'\\xc0\\x00\\x00\\x01' + ({lsbs}).to_bytes(4, 'big'))"
            "/IP(src='198.51.100.10', dst='192.0.2.10')/ICMP()")


def states(xa):
    e = [e for e in xa.show("map-cache")["map_cache"] if e["prefix"] == "198.51.100.0/24"][0]
    return {loc["address"]: loc["state"] for loc in e["locators"]}


def send(xa, xb, lsbs):
    mac = xa.show("ports")["ports"][1]["mac"]
    sh("/usr/bin/python3", "-c", "from scapy.all import *\nconf.verb = 0\n"
       f"sendp([{lisp_frame(mac, lsbs)}] * 3, iface='xb-rloc')\n", ns=xb.ns)


@pytest.mark.parametrize("trusted", [True, False])
def test_lsbs(lab, tmp_path, trusted):
    d = build(lab, tmp_path, 0,
              extra_a=f"mapping-system: {{trusted: {'true' if trusted else 'false'}}}\n")
    try:
        xa, xb = d["xa"], d["xb"]
        assert xa.ctl(*MAP_B).returncode == 0
        # Locators are kept in RFC order whatever the order given: IPv4 first.
        assert list(states(xa)) == ["198.18.0.2", "2001:db8:ffff::2"]
        send(xa, xb, 0x2)
        if not trusted:
            poll(lambda: xa.show("stats")["decap-ipv4"] >= 3, what="the packets decapsulated")
            assert states(xa) == {"198.18.0.2": "up", "2001:db8:ffff::2": "up"}
            assert xa.show("stats")["lsb-change"] == 0
            return
        poll(lambda: states(xa) == {"198.18.0.2": "down", "2001:db8:ffff::2": "up"},
             what="B's IPv4 locator to go down")
        lsb = xa.show("mapping-system")["locator_status_bits"]
        assert lsb["trusted"] and lsb["down"] == 1
        send(xa, xb, 0x3)
        poll(lambda: states(xa) == {"198.18.0.2": "up", "2001:db8:ffff::2": "up"},
             what="B's IPv4 locator back up")
        assert xa.show("mapping-system")["locator_status_bits"]["up"] == 1
    finally:
        for k in ("xa", "xb"):
            d[k].stop()
