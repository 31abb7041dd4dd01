# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Registration with a Map-Server: site A registers its database with 198.18.0.2, where a
Python stub (lib/msmr_stub.py) stands in for the Map-Server once site B's dxtr is stopped. The
stub checks the HMAC and the records and answers with a signed Map-Notify; A shows the server
"registered", and drops a Map-Notify signed with another key."""

import json
import os
import subprocess

import pytest

from lib.dxtr import poll
from lib.netns import sh
from lib.sites import A, build

STUB = os.path.join(os.path.dirname(__file__), "lib", "msmr_stub.py")
MS = "198.18.0.2"
KEY = "lisp-key"
MAPSYS = ("mapping-system: {{map-servers: [{{address: {ms}, key: \"{key}\", algorithm: {alg}}}], "
          "register-interval: 10}}\n")


@pytest.fixture
def stub_site(request, lab, tmp_path):
    """Site A registering with a stub Map-Server on B's side of the RLOC link."""
    alg, iid = request.param
    d = build(lab, tmp_path, iid, extra_a=MAPSYS.format(ms=MS, key=KEY, alg=alg))
    xb = d["xb"]
    xb.stop()
    # The stub owns the link now: the kernel answers ARP for the Map-Server's address.
    sh("ip", "link", "set", "xb-rloc", "up", ns=xb.ns)
    sh("ip", "addr", "add", f"{MS}/24", "dev", "xb-rloc", ns=xb.ns)
    sh("ethtool", "-K", "xb-rloc", "tx", "off", ns=xb.ns)  # finished UDP checksums, see sites.py
    log = tmp_path / "ms.jsonl"
    errf = open(tmp_path / "ms.err", "w")
    stub = subprocess.Popen(["ip", "netns", "exec", xb.ns, "/usr/bin/python3", STUB, "serve",
                             "--bind", MS, "--key", KEY, "--log", str(log)],
                            stdout=subprocess.DEVNULL, stderr=errf)
    errf.close()
    d["log"] = log
    d["alg"] = {"hmac-sha-1-96": 1, "hmac-sha-256-128": 2}[alg]
    yield d
    stub.terminate()
    stub.wait(timeout=10)
    d["xa"].stop()


def registers(log):
    """The Map-Registers the stub received so far."""
    if not log.exists():
        return []
    with open(log) as f:
        return [e for e in map(json.loads, f) if e["type"] == 3]


def server_view(xa):
    [s] = xa.show("mapping-system")["registration"]["map_servers"]
    return s


@pytest.mark.parametrize("stub_site", [("hmac-sha-1-96", 0), ("hmac-sha-256-128", 5)],
                         ids=["sha1-iid0", "sha256-iid5"], indirect=True)
def test_register_with_map_server(stub_site):
    xa, log, iid = stub_site["xa"], stub_site["log"], stub_site["iid"]
    reg = poll(lambda: registers(log), timeout=30, what="a Map-Register at the stub")[0]
    assert "error" not in reg, reg
    assert reg["auth_ok"], reg
    assert reg["src"] == "198.18.0.1" and reg["sport"] == 4342
    assert reg["alg"] == stub_site["alg"] and reg["key_id"] == 0
    assert reg["auth_len"] == (20 if reg["alg"] == 1 else 32)
    assert reg["want_map_notify"]
    recs = {r["eid"]: r for r in reg["records"]}
    assert sorted(recs) == sorted([f"{A['eid4']}.0/24", f"{A['eid6']}::/48"])
    for eid, loc in ((f"{A['eid4']}.0/24", "198.18.0.1"),
                     (f"{A['eid6']}::/48", "2001:db8:ffff::1")):
        r = recs[eid]
        assert r["iid"] == iid and r["ttl"] == 1440 and r["authoritative"] and r["act"] == 0
        assert r["locators"] == [dict(address=loc, priority=1, weight=100, mpriority=255,
                                      mweight=0, flags=0x0005)]  # L and R

    # The stub answered with a signed Map-Notify: registered.
    s = poll(lambda: (lambda s: s["state"] == "registered" and s)(server_view(xa)),
             what="the map-server to show registered")
    assert s["address"] == MS and s["notifies_ok"] >= 1
    assert s["registers_sent"] >= 1 and s["last_registered_age_s"] <= 10
    assert s["dropped"] == {"bad_nonce": 0, "bad_auth": 0}
    assert xa.show("mapping-system")["messages"]["sent"]["map_register"] >= 1

    # A Map-Notify for the last Map-Register, signed with another key: dropped, counted.
    last = registers(log)[-1]
    sh("/usr/bin/python3", STUB, "notify", "--to", "198.18.0.1", "--register-hex", last["hex"],
       "--key", "not-the-key", ns=stub_site["xb"].ns)
    s = poll(lambda: (lambda s: s["dropped"]["bad_auth"] == 1 and s)(server_view(xa)),
             what="the forged Map-Notify to be counted")
    assert s["state"] == "registered" and s["dropped"]["bad_nonce"] == 0
    assert xa.show("mapping-system")["registration"]["dropped"]["unknown_server"] == 0

    # Refreshed every register-interval (10 s, plus up to 1 s), each time with a new nonce.
    regs = poll(lambda: (lambda r: len({e["nonce"] for e in r}) >= 2 and r)(registers(log)),
                timeout=20, what="the next Map-Register")
    assert all(e["auth_ok"] for e in regs)
    poll(lambda: server_view(xa)["notifies_ok"] >= 2, what="the refresh to be confirmed")
