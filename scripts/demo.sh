#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# A live lab in network namespaces, as rich as the code supports; today two LISP sites with
# static mappings (conf/site-a.yaml, conf/site-b.yaml) across an underlay router:
#
#   [host-a] 192.0.2.10              198.18.0.254 [underlay] bridge             [host-b] 198.51.100.10
#   2001:db8:a::10 -- xa-eid [dxtr-a] xa-rloc -- ua0  ===  ub0 -- xb-rloc [dxtr-b] xb-eid -- 2001:db8:b::10
#
# Both xTRs run on net_af_packet ports. On a terminal it opens site A's shell (type 'help';
# 'quit' ends the demo). Without a terminal it runs a scripted tour. Everything it creates is
# removed on exit.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
NAMESPACES="host-a dxtr-a underlay dxtr-b host-b"
DXTR=build/control/dxtr
CTL=build/control/dxtr-ctl
SOCK_A=/run/dxtr/site-a.sock
SOCK_B=/run/dxtr/site-b.sock
pid_a=
pid_b=

log() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

stop() { # pid
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1"
		wait "$1" || true
	fi
}

cleanup() {
	set +e
	stop "$pid_a"
	stop "$pid_b"
	for ns in $NAMESPACES; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -f "$SOCK_A" "$SOCK_B"
}

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (network namespaces)" >&2; exit 1; }
./scripts/deps.sh
if [ ! -f build/build.ninja ]; then
	meson setup build -Dtests=enabled >/dev/null
fi
ninja -C build >/dev/null

for ns in $NAMESPACES; do
	if ip netns list | grep -qw "$ns"; then
		echo "demo.sh: namespace $ns exists (another demo running?); remove it with 'ip netns del $ns'" >&2
		exit 1
	fi
done
trap cleanup EXIT INT TERM

log "namespaces: $NAMESPACES"
for ns in $NAMESPACES; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done

# The underlay: a bridge with the router's addresses, one port per xTR.
ip -n underlay link add br0 type bridge
ip -n underlay addr add 198.18.0.254/24 dev br0
ip -n underlay addr add 2001:db8:ffff::fe/64 dev br0 nodad
ip -n underlay link set br0 up
for s in a b; do
	ip link add "x$s-rloc" netns "dxtr-$s" type veth peer name "u${s}0" netns underlay
	ip -n underlay link set "u${s}0" master br0 up
	ip -n "dxtr-$s" link set "x$s-rloc" up
	ip link add "x$s-eid" netns "dxtr-$s" type veth peer name h0 netns "host-$s"
	ip -n "dxtr-$s" link set "x$s-eid" up
	ip -n "host-$s" link set h0 up
	# Checksums computed by the host itself: a veth would leave them to offload, which a frame
	# read by net_af_packet never gets.
	ip netns exec "host-$s" ethtool -K h0 tx off >/dev/null
done
ip -n host-a addr add 192.0.2.10/24 dev h0
ip -n host-a addr add 2001:db8:a::10/64 dev h0 nodad
ip -n host-a route add default via 192.0.2.1
ip -n host-a -6 route add default via 2001:db8:a::1
ip -n host-b addr add 198.51.100.10/24 dev h0
ip -n host-b addr add 2001:db8:b::10/64 dev h0 nodad
ip -n host-b route add default via 198.51.100.1
ip -n host-b -6 route add default via 2001:db8:b::1

wait_up() { # sock pid
	for _ in $(seq 300); do
		"$CTL" -s "$1" show version >/dev/null 2>&1 && return 0
		kill -0 "$2" 2>/dev/null || { echo "demo.sh: dxtr exited" >&2; exit 1; }
		sleep 0.1
	done
	echo "demo.sh: dxtr did not come up" >&2
	exit 1
}

log "starting dxtr for site B (conf/site-b.yaml)"
ip netns exec dxtr-b "$DXTR" -c conf/site-b.yaml >/tmp/dxtr-demo-b.log 2>&1 &
pid_b=$!
wait_up "$SOCK_B" "$pid_b"

if [ -t 0 ] && [ -t 1 ]; then
	log "starting dxtr for site A (conf/site-a.yaml) with its shell; try:"
	log "  show map-cache   show ports   show stats   show neighbors   help   quit"
	log "from another terminal: ip netns exec host-a ping 198.51.100.10 (or 2001:db8:b::10)"
	log "and $CTL -s $SOCK_B show stats for site B"
	ip netns exec dxtr-a "$DXTR" -c conf/site-a.yaml -i
	exit 0
fi

log "no terminal: a scripted tour"
ip netns exec dxtr-a "$DXTR" -c conf/site-a.yaml >/tmp/dxtr-demo-a.log 2>&1 &
pid_a=$!
wait_up "$SOCK_A" "$pid_a"
run() { # sock command...
	local sock=$1
	shift
	log "site ${sock##*/}> $*"
	"$CTL" -s "$sock" "$@"
}
run "$SOCK_A" show map-cache
log "host A pings host B across the LISP tunnel, IPv4 then IPv6"
ip netns exec host-a ping -c 3 -i 0.2 -W 2 198.51.100.10
ip netns exec host-a ping -c 3 -i 0.2 -W 2 2001:db8:b::10
run "$SOCK_A" show stats
run "$SOCK_B" show stats
run "$SOCK_A" show neighbors
run "$SOCK_A" show map-cache json
run "$SOCK_A" quit
wait "$pid_a" || true
pid_a=
run "$SOCK_B" quit
wait "$pid_b" || true
pid_b=
