# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""The appliance skeleton: dxtr on net_af_packet ports in a namespace, driven by dxtr-ctl."""

import os
import pty
import select
import signal
import subprocess
import time

import pytest

from lib.dxtr import DXTR, Dxtr, poll
from lib.netns import sh

CONFIG = """
eal:
  control-lcore: 0
  worker-lcores: [1]
  memory-mb: 256
  hugepages: false
  file-prefix: @PREFIX@
log:
  level: info
control:
  socket: @SOCKET@
dataplane:
  mbufs: 2047
ports:
  - name: eid0
    device: net_af_packet0,iface=xa-eid
    role: eid
    iid: 7
    addresses: [192.0.2.1/24, "2001:db8:a::1/64"]
    mtu: 1500
  - name: rloc0
    device: net_af_packet1,iface=xa-rloc
    role: rloc
    addresses: [198.18.0.1/24]
    mtu: 1400
"""


@pytest.fixture
def site(lab, tmp_path):
    """Namespace with dxtr's two veths; their peers (host side, underlay side) in the same ns."""
    ns = lab.netns("dxa")
    lab.veth(ns, "xa-eid", ns, "ha")
    lab.veth(ns, "xa-rloc", ns, "ua")
    prefix = f"dxtr-test-{os.getpid()}"
    d = Dxtr(ns, str(tmp_path), CONFIG.replace("@PREFIX@", prefix))
    d.prefix = prefix
    yield d
    d.stop()


def runtime_dir(prefix):
    return f"/var/run/dpdk/{prefix}"


def test_show_ports_json(site, lab):
    site.start()
    ports = site.show("ports")["ports"]
    assert [p["name"] for p in ports] == ["eid0", "rloc0"]
    eid, rloc = ports
    assert eid["role"] == "eid" and eid["iid"] == 7
    assert rloc["role"] == "rloc" and rloc["iid"] is None
    assert eid["addresses"] == ["192.0.2.1/24", "2001:db8:a::1/64"]
    assert rloc["addresses"] == ["198.18.0.1/24"]
    assert eid["driver"] == "net_af_packet"
    assert eid["mtu"] == 1500 and rloc["mtu"] == 1400
    assert eid["link"] == "up"
    # The MAC is the veth's own (af_packet sends with the interface's address).
    assert eid["mac"] == lab.link_info(site.ns, "xa-eid")["address"]
    assert eid["rx_queues"] == 1
    for key in ("rx_packets", "rx_bytes", "rx_missed", "rx_errors", "tx_packets", "tx_bytes",
                "tx_errors", "worker_rx_packets"):
        assert isinstance(eid["counters"][key], int)


def test_worker_counts_received_frames(site):
    site.start()
    before = site.show("ports")["ports"][0]["counters"]["worker_rx_packets"]
    # 25 UDP frames into xa-eid from its peer, through the kernel's own veth.
    script = (
        "from scapy.all import Ether, IP, UDP, Raw, sendp\n"
        "sendp([Ether(dst='02:00:00:00:00:01')/IP(src='192.0.2.10', dst='198.51.100.10')/"
        "UDP(sport=1000+i, dport=53)/Raw(b'x'*32) for i in range(25)], iface='ha', verbose=0)\n"
    )
    sh("/usr/bin/python3", "-c", script, ns=site.ns)

    def counted():
        p = site.show("ports")["ports"][0]
        return p["counters"]["worker_rx_packets"] - before >= 25 and p
    p = poll(counted, what="25 frames counted on eid0")
    assert p["counters"]["worker_rx_bytes"] >= 25 * (14 + 20 + 8 + 32)
    lcores = site.show("lcores")["lcores"]
    assert [lc["role"] for lc in lcores] == ["control", "worker"]
    assert lcores[1]["running"] is True and lcores[1]["rx_packets"] >= 25


def test_commands(site):
    site.start()
    v = site.show("version")
    assert v["dxtr"] and v["dpdk"].startswith("DPDK 22.11")
    cfg = site.show("config")
    assert cfg["eal"]["worker-lcores"] == [1]
    assert cfg["ports"][1]["device"] == "net_af_packet1,iface=xa-rloc"
    assert cfg["control"]["socket-mode"] == "0600"
    # Text output of the same command.
    r = site.ctl("show", "ports")
    assert r.returncode == 0 and "- name: eid0" in r.stdout
    # Log levels from the shell.
    r = site.ctl("set", "log", "level", "dxtr.*", "debug")
    assert r.returncode == 0, r.stdout
    assert site.show("log")["types"]["dxtr.main"] == "debug"
    # Failures: a non-zero exit and an error text.
    for words in (("show", "nothing"), ("set", "log", "level", "nosuch.type", "info"),
                  ("set", "log", "level", "dxtr.*", "loud")):
        r = site.ctl(*words)
        assert r.returncode == 1, words
        assert r.stdout.startswith("error: "), (words, r.stdout)
    r = site.ctl("help")
    assert "show ports [json]" in r.stdout and "set log level" in r.stdout
    # The socket is private to its owner.
    assert os.stat(site.socket).st_mode & 0o777 == 0o600


def test_quit_cleans_up(site):
    site.start()
    r = site.ctl("quit")
    assert r.returncode == 0
    assert site.wait_exit() == 0
    assert not os.path.exists(site.socket)
    assert not os.path.exists(runtime_dir(site.prefix))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_cleans_up(site, sig):
    site.start()
    site.proc.send_signal(sig)
    assert site.wait_exit() == 0
    assert not os.path.exists(site.socket)
    assert not os.path.exists(runtime_dir(site.prefix))
    assert "dxtr stopped" in site.logtext()


def test_second_instance_refuses_live_socket(site):
    site.start()
    r = subprocess.run(["ip", "netns", "exec", site.ns, DXTR, "-c", site.config],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "control socket" in r.stderr
    # The first one still answers.
    assert site.ctl("show", "version").returncode == 0


def test_missing_interface_is_reported(site):
    with open(site.config) as f:
        text = f.read()
    with open(site.config, "w") as f:
        f.write(text.replace("iface=xa-rloc", "iface=nosuch0"))
    r = subprocess.run(["ip", "netns", "exec", site.ns, DXTR, "-c", site.config],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert f"{site.config}:" in r.stderr and "port 'rloc0'" in r.stderr
    assert not os.path.exists(runtime_dir(site.prefix))


def test_check_only(site, tmp_path):
    r = subprocess.run([DXTR, "--check", "-c", site.config], capture_output=True, text=True)
    assert r.returncode == 0 and "configuration OK" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("ports:\n  - name: x\n    role: eid\n    mtuu: 1\n")
    r = subprocess.run([DXTR, "--check", "-c", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.startswith(f"{bad}:4:5: "), r.stderr


def read_until(fd, token, timeout=20.0):
    buf = b""
    deadline = time.monotonic() + timeout
    while token not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {token!r} in {buf!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def test_interactive_shell(site):
    """dxtr -i on a terminal: prompt, tab completion, a command, quit."""
    master, slave = pty.openpty()
    site.start(extra=("-i",), terminal=slave)
    os.close(slave)
    try:
        os.write(master, b"\n")
        read_until(master, b"dxtr> ")
        os.write(master, b"show vers\t")
        read_until(master, b"show version ")
        os.write(master, b"json\n")
        out = read_until(master, b'"dpdk"')
        assert b'"dxtr"' in out
        os.write(master, b"quit\n")
        assert site.wait_exit() == 0
    finally:
        os.close(master)
