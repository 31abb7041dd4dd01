# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Hostile traffic at an xTR: malformed LISP data and control messages, unexpected protocols and
a flood of misses. Each is dropped under its named counter while legitimate traffic keeps flowing
and the shell keeps answering; the flood never pushes Map-Requests past the configured rate."""

import time

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import build, ping

RATE = 20
MAPSYS = ("mapping-system: {map-resolvers: [198.18.0.@PEER@], "
          f"map-request: {{rate-limit: {RATE}, retries: 1, interval-ms: 500}}, negative-ttl: 30}}\n"
          "lisp: {miss: {rate-limit: 1000, hold-packets: 2, hold-total: 64}}\n")


@pytest.fixture
def sites(lab, tmp_path):
    d = build(lab, tmp_path, 0, extra=MAPSYS)
    # Legitimate traffic first: both sites resolve each other.
    assert sh("ping", "-c", "1", "-W", "8", "198.51.100.10", ns=d["xa"].host,
              check=False).returncode == 0
    yield d
    for k in ("xa", "xb"):
        d[k].stop()


def inject(site_from, frames, iface):
    """Sends Scapy frames (a Python expression list, with MAC as A's RLOC MAC) on iface."""
    sh("/usr/bin/python3", "-c",
       "from scapy.all import *\nconf.verb = 0\n"
       f"sendp({frames}, iface='{iface}')\n", ns=site_from.ns, timeout=60)


def grown(d, kind, expect, before):
    def check():
        now = d.show(kind)
        diff = {k: now[k] - before[k] for k in expect}
        assert all(diff[k] >= n for k, n in expect.items()), str(diff)
        return now
    return poll(check, what=f"{kind} counters {expect}")


def test_malformed_lisp_data(sites):
    xa, xb = sites["xa"], sites["xb"]
    mac = xa.show("ports")["ports"][1]["mac"]
    before = xa.show("drops")
    u = "Ether(dst=MAC)/IP(src='198.18.0.2', dst='198.18.0.1')/UDP(sport=50000, dport=4341"
    inner_ok = "IP(src='198.51.100.10', dst='192.0.2.10')/ICMP()"
    frames = f"""[
        {u}, len=500)/Raw(b'\\x80' + b'\\0' * 7)/{inner_ok},            # udp-length
        {u})/Raw(b'\\x80\\0\\0\\0\\0\\0\\0\\0' + b'\\x45\\0'),              # lisp-short
        {u})/Raw(b'\\x83' + b'\\0' * 7)/{inner_ok},                       # lisp-crypto
        {u})/Raw(b'\\x88\\0\\0\\0\\0\\0\\x63\\0')/{inner_ok},               # unknown-iid (99)
        {u})/Raw(b'\\x80' + b'\\0' * 7)/IP(src='198.51.100.10', dst='203.0.113.1')/ICMP(),  # not-local-eid
        {u})/Raw(b'\\x80' + b'\\0' * 7 + b'\\x55' + b'\\0' * 40),          # inner-version
        {u}, chksum=0x1234)/Raw(b'\\x80' + b'\\0' * 7)/{inner_ok},         # udp-checksum
        {u})/Raw(b'\\x80' + b'\\0' * 7)/IP(src='198.51.100.10', dst='192.0.2.10', len=999)/ICMP(),  # decap-inner-malformed
    ]""".replace("MAC", repr(mac))
    inject(xb, frames, "xb-rloc")
    grown(xa, "drops", {"udp-length": 1, "lisp-short": 1, "lisp-crypto": 1, "unknown-iid": 1,
                        "not-local-eid": 1, "inner-version": 1, "udp-checksum": 1,
                        "decap-inner-malformed": 1}, before)
    assert ping(xa.host, "198.51.100.10", count=2).returncode == 0
    assert xa.ctl("show", "version").returncode == 0


def test_malformed_control_messages(sites):
    xa, xb = sites["xa"], sites["xb"]
    mac = xa.show("ports")["ports"][1]["mac"]
    before = xa.show("mapping-system")["messages"]["dropped"]
    c = "Ether(dst=MAC)/IP(src='198.18.0.2', dst='198.18.0.1')/UDP(sport=4342, dport=4342)"
    req_hdr = "b'\\x10\\0\\0\\x01' + b'\\x11' * 8"
    frames = f"""[
        {c}/Raw(b'\\x10\\0\\0'),                                            # short Map-Request
        {c}/Raw({req_hdr} + b'\\0\\x63\\0\\0'),                              # unknown source-EID AFI 99
        {c}/Raw(b'\\x10\\0\\0\\xff' + b'\\x11' * 8 + b'\\0\\0\\0\\x01\\xc0\\0\\x02\\x02'),  # 255 records, none there
        {c}/Raw(b'\\x20\\0\\0\\xff' + b'\\x11' * 8),                        # Map-Reply, 255 records
        {c}/Raw(b'\\x20\\0\\0\\x01' + b'\\x11' * 8 + b'\\0\\0\\x05\\xa0\\xff\\x18\\x10\\0\\0\\0\\0\\x01\\xc6\\x33\\x64\\0'),  # 255 locators
        {c}/Raw(b'\\x80\\0\\0\\0' + b'\\x45' + b'\\0' * 10),                # ECM with a cut inner header
        {c}/Raw(b'\\xf0' + b'\\0' * 20),                                   # type 15
        {c}/Raw(b'\\x30\\0\\0\\x01' + b'\\0' * 12),                         # Map-Register (short)
        {c}/Raw(b'\\x20\\0\\0\\x01' + b'\\x11' * 8)/Raw(b'\\x41' * 1200),    # garbage after a header
    ]""".replace("MAC", repr(mac))
    inject(xb, frames, "xb-rloc")

    def counted():
        now = xa.show("mapping-system")["messages"]["dropped"]
        return (now["malformed"] + now["unexpected_type"] -
                before["malformed"] - before["unexpected_type"]) >= 9 and now
    poll(counted, what="every malformed control message counted")
    # A Map-Reply whose checksum is wrong never reaches the decoder.
    inject(xb, f"[{c.replace('dport=4342)', 'dport=4342, chksum=0x4242)')}/Raw(b'\\x20\\0\\0\\0' + b'\\x11' * 8)]"
           .replace("MAC", repr(mac)), "xb-rloc")
    poll(lambda: xa.show("mapping-system")["messages"]["dropped"]["bad_checksum"] >=
         before["bad_checksum"] + 1, what="the bad checksum counted")
    assert ping(xa.host, "198.51.100.10", count=2).returncode == 0


def test_unexpected_protocols(sites):
    xa, xb = sites["xa"], sites["xb"]
    mac = xa.show("ports")["ports"][1]["mac"]
    before = xa.show("drops")
    ip = "Ether(dst=MAC)/IP(src='198.18.0.2', dst='198.18.0.1'"
    frames = f"""[{ip}, proto=47)/Raw(b'\\0' * 24), {ip})/TCP(dport=179),
                  {ip})/UDP(dport=53)/Raw(b'x'), {ip})/ICMP(type=13)]""".replace("MAC", repr(mac))
    inject(xb, frames, "xb-rloc")
    grown(xa, "drops", {"local-unhandled": 4}, before)


def test_miss_flood(sites):
    xa = sites["xa"]
    before = xa.show("mapping-system")["itr"]
    t0 = time.monotonic()
    # 3000 packets to random unmapped destinations, as fast as Scapy sends.
    mac = xa.show("ports")["ports"][0]["mac"]
    sh("/usr/bin/python3", "-c",
       "from scapy.all import *\nimport random\nconf.verb = 0\n"
       f"sendp([Ether(dst='{mac}')/IP(src='192.0.2.10', dst='100.%d.%d.%d' % "
       "(random.randint(64, 127), random.randint(0, 255), random.randint(1, 254)))/UDP(dport=9)"
       " for _ in range(3000)], iface='h0')\n", ns=xa.host, timeout=120)
    # Legitimate traffic and the shell keep working during and after it.
    assert ping(xa.host, "198.51.100.10", count=3).returncode == 0
    p = xa.show("pending")
    elapsed = time.monotonic() - t0 + 1
    itr = xa.show("mapping-system")["itr"]
    sent = itr["map_requests"] - before["map_requests"]
    # Never above the configured rate (plus one second's burst).
    assert sent <= RATE * (elapsed + 1), (sent, elapsed)
    assert itr["rate_limited"] > before["rate_limited"]
    # Bounded memory: pending destinations and held packets stay within their limits.
    assert len(p["pending"]) <= 4096
    assert sum(x["held"] for x in p["pending"]) <= 64
    assert p["counters"]["hold_dropped"] > 0 or p["counters"]["table_full"] > 0 or \
        xa.show("drops")["miss-rate-limited"] > 0
