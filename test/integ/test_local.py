# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""dxtr answers for its own addresses (ARP, ICMP echo, ND, ICMPv6 echo) and names every drop."""

import json
import os
import socket

import pytest

from lib.dxtr import Dxtr, poll
from lib.netns import sh

CONFIG = """
eal: {control-lcore: 0, worker-lcores: [1], memory-mb: 256, file-prefix: @PREFIX@}
control: {socket: @SOCKET@}
dataplane: {mbufs: 2047}
ports:
  - name: eid0
    device: net_af_packet0,iface=xa-eid
    role: eid
    addresses: [192.0.2.1/24, "2001:db8:a::1/64"]
"""


@pytest.fixture
def site(lab, tmp_path):
    dns = lab.netns("dxl")
    hns = lab.netns("hl")
    sh("ip", "link", "add", "xa-eid", "netns", dns, "type", "veth", "peer", "name", "ha0",
       "netns", hns)
    sh("ip", "link", "set", "xa-eid", "up", ns=dns)
    sh("ip", "addr", "add", "192.0.2.10/24", "dev", "ha0", ns=hns)
    sh("ip", "-6", "addr", "add", "2001:db8:a::10/64", "dev", "ha0", "nodad", ns=hns)
    sh("ip", "link", "set", "ha0", "up", ns=hns)
    prefix = f"dxtr-test-l{os.getpid()}"
    d = Dxtr(dns, str(tmp_path), CONFIG.replace("@PREFIX@", prefix))
    d.prefix = prefix
    d.host = hns
    d.start()
    yield d
    d.stop()


def scapy(ns, code):
    """Runs Scapy code in ns (Scapy is Debian's, under /usr/bin/python3)."""
    sh("/usr/bin/python3", "-c", "from scapy.all import *\nconf.verb = 0\n" + code, ns=ns)


def test_ping_both_families(site):
    r = sh("ping", "-c", "3", "-i", "0.2", "-W", "2", "192.0.2.1", ns=site.host, check=False)
    assert r.returncode == 0, r.stdout
    r = sh("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "2001:db8:a::1", ns=site.host,
           check=False)
    assert r.returncode == 0, r.stdout
    # Counters are added at the end of the worker's loop iteration, after the replies left.
    st = poll(lambda: (x := site.show("stats"))["icmp-echo-reply"] == 3 and
              x["icmp6-echo-reply"] == 3 and x, what="the echo replies counted")
    assert st["arp-reply"] >= 1 and st["nd-advert"] >= 1
    assert st["tx"] >= 8
    # The host learnt dxtr's MAC from the replies.
    mac = site.show("ports")["ports"][0]["mac"]
    neigh = sh("ip", "-j", "neigh", "show", "dev", "ha0", ns=site.host).stdout
    assert mac in {n.get("lladdr") for n in json.loads(neigh)}


def test_echo_reply_on_the_wire(site):
    """Scapy checks the reply's addresses, type, TTL and checksum."""
    mac = site.show("ports")["ports"][0]["mac"]
    out = sh("/usr/bin/python3", "-c", f"""
from scapy.all import *
conf.verb = 0
p = Ether(dst='{mac}')/IP(src='192.0.2.10', dst='192.0.2.1', ttl=9)/ICMP(id=77, seq=5)/Raw(b'dxtr'*8)
r = srp1(p, iface='ha0', timeout=3)
assert r is not None, 'no reply'
ip = r[IP]
chk = ip.chksum; del ip.chksum; ic = r[ICMP].chksum; del r[ICMP].chksum
r2 = Ether(raw(r))
assert ip.src == '192.0.2.1' and ip.dst == '192.0.2.10' and ip.ttl == 64
assert r2[IP].chksum == chk and r2[ICMP].chksum == ic, 'bad checksum'
assert r[ICMP].type == 0 and r[ICMP].id == 77 and r[ICMP].seq == 5
assert bytes(r[ICMP].payload) == b'dxtr'*8
assert r[Ether].src == '{mac}'
print('ok')
""", ns=site.host).stdout
    assert out.strip() == "ok"


def test_every_drop_is_named(site):
    # Not here: ip-fragment-local. net_af_packet's socket joins a fanout group with the kernel's
    # defragmentation flag, so fragments reach dxtr reassembled (or not at all) on these ports.
    mac = site.show("ports")["ports"][0]["mac"]
    before = site.show("drops")
    scapy(site.host, f"""
e = Ether(dst='{mac}', src='02:00:00:00:00:10')
sendp([
    Ether(dst='02:00:00:00:00:99')/IP(src='192.0.2.10', dst='192.0.2.1')/ICMP(),  # not-for-us
    e/IP(src='192.0.2.10', dst='192.0.2.1', chksum=0x1234)/ICMP(),  # ip4-malformed
    e/IP(src='192.0.2.10', dst='192.0.2.1', len=2000)/ICMP(),  # ip4-malformed
    e/IP(src='192.0.2.10', dst='192.0.2.1')/UDP(dport=9)/Raw(b'x'),  # local-unhandled
    Ether(dst='ff:ff:ff:ff:ff:ff', src='02:00:00:00:00:10')/ARP(pdst='192.0.2.99', psrc='192.0.2.10'),  # arp-other
    Ether(dst='ff:ff:ff:ff:ff:ff', src='02:00:00:00:00:10', type=0x0806)/Raw(b'\\x00\\x01'),  # arp-malformed
    e/Raw(b'\\x88\\xb5' + b'z'*50),  # ethertype (0x88b5 = local experimental)
    Ether(dst='{mac}', src='02:00:00:00:00:10', type=0x88b5)/Raw(b'z'*50),  # ethertype
    e/IPv6(src='2001:db8:a::10', dst='2001:db8:a::1', plen=500)/ICMPv6EchoRequest(),  # ip6-malformed
    e/IPv6(src='2001:db8:a::10', dst='2001:db8:a::1')/UDP(dport=9),  # local-unhandled
    e/IP(src='192.0.2.10', dst='198.51.100.7')/ICMP(),  # not-local
], iface='ha0')
""")
    expect = {"not-for-us": 1, "ip4-malformed": 2, "local-unhandled": 2,
              "arp-other": 1, "arp-malformed": 1, "ethertype": 1, "ip6-malformed": 1,
              "not-local": 1}

    def grown():
        now = site.show("drops")
        diff = {k: now[k] - before[k] for k in expect}
        assert all(diff[k] >= n for k, n in expect.items()), str(diff)
        return now
    now = poll(grown, what="every crafted frame counted under its reason")
    # Nothing else was dropped on the way, and nothing was answered.
    assert now["tx-full"] == before["tx-full"] and now["no-mbuf"] == before["no-mbuf"]
    # The shell still answers, and clear stats zeroes what it shows.
    assert site.ctl("clear", "stats").returncode == 0
    assert site.show("drops")["ip4-malformed"] == 0
    assert site.show("ports")["ports"][0]["counters"]["rx_packets"] < 5


def telemetry(prefix, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(f"/var/run/dpdk/{prefix}/dpdk_telemetry.v2")
    s.recv(4096)  # the greeting
    s.send(cmd.encode())
    reply = json.loads(s.recv(65536))
    s.close()
    return reply[cmd.split(",")[0]]


def test_telemetry(site):
    sh("ping", "-c", "2", "-i", "0.2", "-W", "2", "192.0.2.1", ns=site.host)
    # The worker adds its counters at the end of its loop iteration, after the reply left.
    stats = poll(lambda: (s := telemetry(site.prefix, "/dxtr/stats"))["icmp_echo_reply"] == 2
                 and s, what="both echo replies counted")
    assert stats["rx"] >= 3
    drops = telemetry(site.prefix, "/dxtr/drops")
    assert set(drops) >= {"not_for_us", "ip4_malformed", "tx_full"}
    assert telemetry(site.prefix, "/dxtr/ports") == ["eid0"]
    assert telemetry(site.prefix, "/dxtr/port,eid0")["tx_packets"] >= 2
    # Telemetry counts since start: clear stats does not touch it.
    site.ctl("clear", "stats")
    assert telemetry(site.prefix, "/dxtr/stats")["icmp_echo_reply"] == 2
