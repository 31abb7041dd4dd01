#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# Builds the libFuzzer targets (clang, ASan + UBSan) in their own build directory and runs each
# for SECONDS (default 60) from its checked-in seeds, one after the other, with the arguments of
# its meson test (dictionary, RSS limit) and a longer time. Prints one line per target: runs,
# coverage, corpus size, and the crash input if there is one. Exits non-zero if a target failed.
#
#   ./scripts/fuzz.sh                 every target for 60 s
#   ./scripts/fuzz.sh 600 decap_fuzz  one target for 10 minutes
#   FUZZ_BUILD=build-fuzz2 ./scripts/fuzz.sh 30
#
# New inputs go to BUILD/test/fuzz/<target>.d/corpus (kept between runs, never into the source
# tree), crash inputs to BUILD/test/fuzz/<target>.d/artifact-*, the output to .../fuzz.log.
# Reproduce a crash with: BUILD/test/fuzz/<target> BUILD/test/fuzz/<target>.d/artifact-crash-...
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-60}
shift $(($# > 0 ? 1 : 0))
build=${FUZZ_BUILD:-build-fuzz}
PY=/usr/bin/python3

case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [TARGET...]" >&2
	exit 2
	;;
esac

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dtests=disabled -Dfuzz=true >"$build.setup.log" 2>&1 || {
		cat "$build.setup.log"
		echo "fuzz: meson setup failed" >&2
		exit 1
	}
fi
ninja -C "$build" >"$build/fuzz-build.log" 2>&1 || {
	cat "$build/fuzz-build.log"
	echo "fuzz: build failed" >&2
	exit 1
}

# One line per fuzz test: name, then its command (executable and arguments), tab-separated.
tests=$(meson introspect "$build" --tests | $PY -c '
import json, sys
for t in json.load(sys.stdin):
    if any(s == "fuzz" or s.endswith(":fuzz") for s in t["suite"]):
        print("\t".join([t["name"]] + t["cmd"]))
') || { echo "fuzz: meson introspect failed" >&2; exit 1; }

# Where EAL keeps the runtime directory of a target that runs it (decap_fuzz: fuzz-<pid>).
if [ "$(id -u)" = 0 ]; then
	dpdk_run=/var/run/dpdk
else
	dpdk_run=${XDG_RUNTIME_DIR:-/tmp}/dpdk
fi

failed=0
summary=()
while IFS=$'\t' read -r -a t; do
	[ ${#t[@]} -gt 1 ] || continue
	name=${t[0]}
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	cmd=()
	for a in "${t[@]:1}"; do
		case $a in
		-max_total_time=*) a=-max_total_time=$secs ;;
		esac
		cmd+=("$a")
	done
	log=$build/test/fuzz/$name.d/fuzz.log
	mkdir -p "$(dirname "$log")"
	echo "=== $name: ${secs}s"
	"${cmd[@]}" >"$log" 2>&1 &
	pid=$!
	# libFuzzer stops itself after secs; this only catches a target stuck outside its loop.
	(
		trap 'kill $nap 2>/dev/null; exit 0' TERM
		sleep $((secs + 120)) &
		nap=$!
		wait $nap && kill -INT $pid 2>/dev/null || exit 0
		sleep 30 &
		nap=$!
		wait $nap && kill -KILL $pid 2>/dev/null
	) &
	watchdog=$!
	wait $pid
	rc=$?
	kill $watchdog 2>/dev/null
	wait $watchdog 2>/dev/null
	# A crashed run does not get to remove its EAL runtime directory.
	rm -rf "$dpdk_run/fuzz-$pid" 2>/dev/null
	stats=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -1 | sed -E 's/^.* (cov: .*) lim: .*/\1/')
	runs=$(sed -nE 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1 runs in \2 s/p' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		line="$name: ok, ${runs:-?}, ${stats:-no stats}"
	else
		failed=$((failed + 1))
		artifact=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
		what=$(grep -m1 -E '==[0-9]+== ?ERROR: |check failed: |runtime error: |^SUMMARY: ' "$log" |
			sed -E 's/^==[0-9]+== ?//')
		line="$name: FAILED (exit $rc): ${what:-see the log}; ${stats:-no stats}"
		line+="; input: ${artifact:-none}; log: $log"
		# The report: the harness's own message comes right before libFuzzer's or ASan's.
		grep -m1 -B4 -A8 -E '^==[0-9]+==ERROR|runtime error|check failed' "$log"
	fi
	echo "$line"
	summary+=("$line")
done <<<"$tests"

echo "=== summary"
for l in "${summary[@]}"; do echo "$l"; done
[ ${#summary[@]} -gt 0 ] || { echo "fuzz: no target ran" >&2; exit 1; }
[ $failed -eq 0 ]
