# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""A Map-Server stub (lisp-protocol.md §2.7, §2.8): it checks the HMAC of the Map-Registers it
receives with Python's hmac module, decodes their records, logs each one as a JSON line, and
answers those that ask for it (M bit) with a Map-Notify signed with the same key and nonce.

Run it in the namespace that owns the Map-Server's address:
    msmr_stub.py serve --bind 198.18.0.2 --key KEY --log FILE
    msmr_stub.py notify --to 198.18.0.1 --register-hex HEX --key KEY [--nonce N]
The second sends one Map-Notify built from a logged Map-Register (with another key, say)."""

import argparse
import hashlib
import hmac
import ipaddress
import json
import socket
import struct
import sys

PORT = 4342
HASHES = {1: (hashlib.sha1, 20), 2: (hashlib.sha256, 32)}


def mac(msg, key, alg):
    """The message with its authentication data filled in (HMAC over it, the field zeroed)."""
    h, n = HASHES[alg]
    zeroed = msg[:16] + bytes(n) + msg[16 + n:]
    return msg[:16] + hmac.new(key.encode(), zeroed, h).digest() + msg[16 + n:]


def auth_ok(msg, key):
    alg, n = msg[13], struct.unpack("!H", msg[14:16])[0]
    if alg not in HASHES or HASHES[alg][1] != n:
        return False
    return hmac.compare_digest(mac(msg, key, alg)[16:16 + n], msg[16:16 + n])


def _addr(b, off):
    """(text, iid, offset after) of the AFI-prefixed address at off."""
    afi = struct.unpack("!H", b[off:off + 2])[0]
    off += 2
    if afi == 1:
        return str(ipaddress.IPv4Address(b[off:off + 4])), 0, off + 4
    if afi == 2:
        return str(ipaddress.IPv6Address(b[off:off + 16])), 0, off + 16
    if afi == 16387:
        typ, length = b[off + 2], struct.unpack("!H", b[off + 4:off + 6])[0]
        assert typ == 2, f"LCAF type {typ}"
        iid = struct.unpack("!I", b[off + 6:off + 10])[0]
        text, _, end = _addr(b, off + 10)
        assert end == off + 6 + length
        return text, iid, end
    raise ValueError(f"AFI {afi}")


def parse(msg):
    """A Map-Register/Notify as a dict."""
    typ, count = msg[0] >> 4, msg[3]
    n = struct.unpack("!H", msg[14:16])[0]
    r = dict(type=typ, want_map_notify=bool(msg[2] & 1), nonce=struct.unpack("!Q", msg[4:12])[0],
             key_id=msg[12], alg=msg[13], auth_len=n, records=[])
    off = 16 + n
    for _ in range(count):
        ttl, nloc, mlen, flags = struct.unpack("!IBBB", msg[off:off + 7])
        eid, iid, off = _addr(msg, off + 10)
        rec = dict(ttl=ttl, eid=f"{eid}/{mlen}", iid=iid, authoritative=bool(flags & 0x10),
                   act=flags >> 5, locators=[])
        for _ in range(nloc):
            prio, weight, mprio, mweight, lflags = struct.unpack("!BBBBH", msg[off:off + 6])
            loc, _, off = _addr(msg, off + 6)
            rec["locators"].append(dict(address=loc, priority=prio, weight=weight,
                                        mpriority=mprio, mweight=mweight, flags=lflags))
        r["records"].append(rec)
    assert off == len(msg), "trailing bytes"
    return r


def notify_for(register, key, nonce=None, typ=4):
    """The Map-Notify answering a Map-Register: same content, type 4, no M, signed with key."""
    b = bytearray(register)
    b[0] = typ << 4
    b[1] = b[2] = 0
    if nonce is not None:
        b[4:12] = struct.pack("!Q", nonce)
    return mac(bytes(b), key, b[13])


def serve(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((args.bind, PORT))
    with open(args.log, "a") as log:
        while True:
            msg, (src, sport) = s.recvfrom(65535)
            entry = dict(src=src, sport=sport, hex=msg.hex(), type=msg[0] >> 4)
            try:
                entry.update(parse(msg))
                entry["auth_ok"] = auth_ok(msg, args.key)
            except (ValueError, AssertionError, struct.error) as e:
                entry["error"] = str(e)
            log.write(json.dumps(entry) + "\n")
            log.flush()
            if entry.get("type") == 3 and entry.get("auth_ok") and entry["want_map_notify"]:
                s.sendto(notify_for(msg, args.key), (src, sport))


def notify(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(notify_for(bytes.fromhex(args.register_hex), args.key, args.nonce), (args.to, PORT))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("serve")
    a.add_argument("--bind", required=True)
    a.add_argument("--key", required=True)
    a.add_argument("--log", required=True)
    a = sub.add_parser("notify")
    a.add_argument("--to", required=True)
    a.add_argument("--register-hex", required=True)
    a.add_argument("--key", required=True)
    a.add_argument("--nonce", type=int)
    args = p.parse_args()
    serve(args) if args.cmd == "serve" else notify(args)


if __name__ == "__main__":
    sys.exit(main())
