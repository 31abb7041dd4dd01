# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Two dxtr sites with static mappings: hosts talk across, both ways, in all four inner/outer
combinations; Scapy checks the encapsulation on the underlay and tshark decodes it."""

import json
import os
import subprocess

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import A, B, map_to, ping

CAPTURE = """
from scapy.all import *
import json, sys
sys.path.insert(0, {lib!r})
from lisp_scapy import LISPData
pkts = sniff(iface='xb-rloc', timeout={timeout}, count={count},
             lfilter=lambda p: UDP in p and p[UDP].dport == 4341 and p[Ether].src == '{mac}',
             started_callback=lambda: print('started', flush=True))
wrpcap({pcap!r}, pkts)
out = []
for p in pkts:
    o = p[IP] if IP in p and p[IP].proto == 17 and p.haslayer(LISPData) and p[Ether].type == 0x800 else p[IPv6]
    u = p[UDP]
    l = p[LISPData]
    inner = l.payload
    rec = dict(outer=o.src + '>' + o.dst, sport=u.sport, dport=u.dport, ucsum=u.chksum,
               flags=int(l.flags), nonce=l.nonce, iid=l.iid(),
               ttl=o.ttl if IP in p and o is p[IP] else o.hlim,
               inner=inner.src + '>' + inner.dst,
               ittl=inner.ttl if inner.version == 4 else inner.hlim,
               df=bool(o.flags.DF) if o.version == 4 else None,
               ulen=u.len, ilen=len(bytes(inner)))
    if o.version == 6:
        c = u.chksum
        del u.chksum
        rec['ucsum_ok'] = IPv6(raw(o))[UDP].chksum == c
    out.append(rec)
print(json.dumps(out))
"""


def capture_during(d, fn, count, tmp_path, name):
    """Sniffs LISP data packets from site A where they arrive at site B while fn() runs (dxtr's
    af_packet sockets bypass the qdisc, so its own side of the link does not see them)."""
    mac = d["xa"].show("ports")["ports"][1]["mac"]
    pcap = str(tmp_path / f"{name}.pcap")
    lib = os.path.join(os.path.dirname(__file__), "lib")
    proc = subprocess.Popen(
        ["ip", "netns", "exec", d["xb"].ns, "/usr/bin/python3", "-c",
         CAPTURE.format(lib=lib, timeout=15, count=count, mac=mac, pcap=pcap)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Send only once Scapy listens.
    assert proc.stdout.readline().strip() == "started", proc.stderr.read()
    fn()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return json.loads(out), pcap


def tshark_ok(pcap):
    r = subprocess.run(["tshark", "-r", pcap, "-d", "udp.port==4341,lisp-data", "-V"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Locator/ID Separation Protocol (Data)" in r.stdout
    assert "Malformed" not in r.stdout and "[Expert Info (Error" not in r.stdout
    return r.stdout


@pytest.mark.parametrize("outer", [4, 6])
def test_ping_across(lab2, outer, tmp_path):
    xa, xb = lab2["xa"], lab2["xb"]
    xa.iid = xb.iid = lab2["iid"]
    map_to(xa, B, outer)
    map_to(xb, A, outer)
    for inner, dst in ((4, "198.51.100.10"), (6, "2001:db8:b::10")):
        def go():
            r = ping(xa.host, dst, count=3)
            assert r.returncode == 0, r.stdout + r.stderr
        recs, pcap = capture_during(lab2, go, 3, tmp_path, f"ping{inner}in{outer}")
        assert len(recs) == 3, recs
        for rec in recs:
            src_rloc = "198.18.0.1" if outer == 4 else "2001:db8:ffff::1"
            dst_rloc = "198.18.0.2" if outer == 4 else "2001:db8:ffff::2"
            assert rec["outer"] == f"{src_rloc}>{dst_rloc}"
            assert rec["dport"] == 4341 and 0xC000 <= rec["sport"] <= 0xFFFF
            src_eid = "192.0.2.10" if inner == 4 else "2001:db8:a::10"
            assert rec["inner"] == f"{src_eid}>{dst}"
            # The host sent TTL 64; the ITR decremented it and copied it outside.
            assert rec["ittl"] == 63 and rec["ttl"] == 63
            assert rec["flags"] & 0x80, "N bit"
            assert bool(rec["flags"] & 0x08) == (lab2["iid"] != 0), "I bit"
            assert rec["iid"] == lab2["iid"]
            assert rec["ulen"] == 16 + rec["ilen"]
            if outer == 4:
                assert rec["df"] is True and rec["ucsum"] == 0
            else:
                assert rec["ucsum_ok"], "IPv6 outer UDP checksum"
        # Echo requests of one flow share their source port; nonces differ.
        assert len({r["sport"] for r in recs}) == 1
        assert len({r["nonce"] for r in recs}) == 3
        tshark_ok(pcap)
    # Counters are added at the end of a worker loop iteration: let the last one land.
    poll(lambda: xa.show("stats")["decap-ipv6"] >= 3 and xb.show("stats")["decap-ipv6"] >= 3,
         what="the counters of the last replies")
    st_a, st_b = xa.show("stats"), xb.show("stats")
    info = (st_a, st_b, xa.show("drops"), xb.show("drops"), xa.show("neighbors"),
            xb.show("neighbors"), xb.show("pending"))
    assert st_a[f"encap-ipv{outer}"] >= 6 and st_a[f"decap-ipv4"] >= 3, info
    assert st_b[f"encap-ipv{outer}"] >= 6 and st_b["decap-ipv6"] >= 3
    mcache = xa.show("map-cache")["map_cache"]
    hit = [e for e in mcache if e["prefix"] == "198.51.100.0/24"]
    assert hit and hit[0]["packets"] >= 3 and hit[0]["origin"] == "static"


FLOW = """
import socket, sys
fam = socket.AF_INET6 if ':' in {dst!r} else socket.AF_INET
kind = socket.SOCK_STREAM if {tcp} else socket.SOCK_DGRAM
if sys.argv[1] == 'server':
    s = socket.socket(fam, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('', 5001))
    s.settimeout(20)
    if {tcp}:
        s.listen(1)
        print('ready', flush=True)
        c, _ = s.accept()
        data = b''
        while True:  # until the client's FIN: closing with unread data would send a RST
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data == bytes(range(256)) * 400, len(data)
        c.sendall(data[:1000])
        c.close()
    else:
        print('ready', flush=True)
        for _ in range(20):
            d, peer = s.recvfrom(2000)
            s.sendto(d, peer)
else:
    s = socket.socket(fam, kind)
    s.settimeout(5)
    if {tcp}:
        s.connect(({dst!r}, 5001))
        s.sendall(bytes(range(256)) * 400)
        s.shutdown(socket.SHUT_WR)
        back = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            back += chunk
        assert back == (bytes(range(256)) * 400)[:1000], len(back)
    else:
        for i in range(20):
            s.sendto(b'u%d' % i + b'x' * 1000, ({dst!r}, 5001))
            d, _ = s.recvfrom(2000)
            assert d == b'u%d' % i + b'x' * 1000
    print('ok')
"""


@pytest.mark.parametrize("proto", ["tcp", "udp"])
@pytest.mark.parametrize("inner,outer", [(4, 4), (6, 6), (4, 6), (6, 4)])
def test_flows_across(lab2, proto, inner, outer):
    xa, xb = lab2["xa"], lab2["xb"]
    xa.iid = xb.iid = lab2["iid"]
    map_to(xa, B, outer)
    map_to(xb, A, outer)
    dst = "198.51.100.10" if inner == 4 else "2001:db8:b::10"
    code = FLOW.format(dst=dst, tcp=proto == "tcp")
    server = subprocess.Popen(["ip", "netns", "exec", xb.host, "/usr/bin/python3", "-c", code,
                               "server"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        r = sh("/usr/bin/python3", "-c", code, "client", ns=xa.host, check=False, timeout=60)
        assert r.returncode == 0 and "ok" in r.stdout, r.stdout + r.stderr
        assert server.wait(timeout=20) == 0
    finally:
        server.kill()
    assert xa.show("drops")["itr-inner-malformed"] == 0
