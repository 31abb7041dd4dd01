#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# A live lab in network namespaces. What it holds grows with the code; today: dxtr site A
# (conf/site-a.yaml) between a host namespace and an underlay namespace, on net_af_packet ports:
#
#   [host-a] ha0 192.0.2.10 --- xa-eid [dxtr-a: dxtr] xa-rloc --- ua0 198.18.0.254 [underlay]
#
# On a terminal it opens dxtr's shell (type 'help'; 'quit' ends the demo). Without a terminal
# it runs a short scripted tour. Everything it creates is removed on exit.
#
#   ./scripts/demo.sh [--keep-build]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
NS_DXTR=dxtr-a
NS_HOST=host-a
NS_UNDER=underlay
CONF=conf/site-a.yaml
SOCK=/run/dxtr/site-a.sock
DXTR=build/control/dxtr
CTL=build/control/dxtr-ctl
pid=

log() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

cleanup() {
	set +e
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		wait "$pid"
	fi
	for ns in "$NS_HOST" "$NS_UNDER" "$NS_DXTR"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -f "$SOCK"
}

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (network namespaces)" >&2; exit 1; }
./scripts/deps.sh
if [ ! -f build/build.ninja ]; then
	meson setup build -Dtests=enabled >/dev/null
fi
ninja -C build >/dev/null

for ns in "$NS_HOST" "$NS_UNDER" "$NS_DXTR"; do
	if ip netns list | grep -qw "$ns"; then
		echo "demo.sh: namespace $ns exists (another demo running?); remove it with 'ip netns del $ns'" >&2
		exit 1
	fi
done
trap cleanup EXIT INT TERM

log "namespaces $NS_HOST, $NS_DXTR, $NS_UNDER"
for ns in "$NS_HOST" "$NS_UNDER" "$NS_DXTR"; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip link add xa-eid netns "$NS_DXTR" type veth peer name ha0 netns "$NS_HOST"
ip link add xa-rloc netns "$NS_DXTR" type veth peer name ua0 netns "$NS_UNDER"
ip -n "$NS_DXTR" link set xa-eid up
ip -n "$NS_DXTR" link set xa-rloc up
ip -n "$NS_HOST" addr add 192.0.2.10/24 dev ha0
ip -n "$NS_HOST" link set ha0 up
ip -n "$NS_HOST" route add default via 192.0.2.1
ip -n "$NS_UNDER" addr add 198.18.0.254/24 dev ua0
ip -n "$NS_UNDER" link set ua0 up

if [ -t 0 ] && [ -t 1 ]; then
	log "starting dxtr with $CONF; its shell follows (try 'show ports', 'help'; 'quit' ends)"
	log "from another terminal: ip netns exec $NS_HOST ping 192.0.2.1, and $CTL -s $SOCK show ports"
	ip netns exec "$NS_DXTR" "$DXTR" -c "$CONF" -i
	exit 0
fi

log "no terminal: a scripted tour"
ip netns exec "$NS_DXTR" "$DXTR" -c "$CONF" &
pid=$!
for _ in $(seq 200); do
	"$CTL" -s "$SOCK" show version >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || { echo "demo.sh: dxtr exited" >&2; exit 1; }
	sleep 0.1
done
for cmd in "show version" "show lcores" "show ports"; do
	log "dxtr> $cmd"
	"$CTL" -s "$SOCK" $cmd
done
log "the host pings its gateway: dxtr answers ARP and ICMP itself (IPv4 and IPv6)"
ip netns exec "$NS_HOST" ping -c 3 -i 0.2 -W 1 192.0.2.1 || true
log "dxtr> show stats"
"$CTL" -s "$SOCK" show stats
log "dxtr> show drops"
"$CTL" -s "$SOCK" show drops
log "dxtr> show ports json"
"$CTL" -s "$SOCK" show ports json
log "dxtr> quit"
"$CTL" -s "$SOCK" quit
wait "$pid"
pid=
