# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""A Scapy layer for the LISP data header (Scapy 2.5 has none), bound to UDP 4341."""

from scapy.all import BitField, ByteField, FlagsField, IP, IPv6, Packet, UDP, X3BytesField, bind_layers


class LISPData(Packet):
    name = "LISP data"
    fields_desc = [
        FlagsField("flags", 0, 8, ["KK0", "KK1", "R", "I", "V", "E", "L", "N"]),
        X3BytesField("nonce", 0),
        BitField("iid_lsb", 0, 32),
    ]

    def guess_payload_class(self, payload):
        v = payload[0] >> 4 if payload else 0
        return IP if v == 4 else IPv6 if v == 6 else Packet.guess_payload_class(self, payload)

    def iid(self):
        return self.iid_lsb >> 8 if self.flags.I else 0


bind_layers(UDP, LISPData, dport=4341)
