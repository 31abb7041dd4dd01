#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# Installs every Debian package dxtr needs to build, test and run the demo. Idempotent and
# non-interactive: does nothing when everything is present.
set -eu

PACKAGES="
	build-essential clang libclang-rt-14-dev meson ninja-build pkg-config
	libdpdk-dev dpdk libyaml-dev libcmocka-dev libssl-dev libmnl-dev
	python3 python3-pytest python3-scapy tshark
	iproute2 iputils-ping ethtool procps frr
"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
