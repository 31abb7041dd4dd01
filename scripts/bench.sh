#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# Data-plane benchmark. Builds test/bench/dp_bench in build-bench (buildtype=release, -Dbench=true)
# and runs the real worker code on net_ring ports, one worker lcore, 64-byte frames; then
# dpdk-testpmd io forwarding on two net_null ports in the same run, as the harness ceiling.
# Prints a table, or with --json exactly one JSON object on stdout (everything else goes to
# stderr). As root it reserves 2 MB hugepages and mounts hugetlbfs on a temporary mount point
# for the run (both undone at exit); otherwise, or with --no-huge, it runs with --no-huge.
# What is timed: see docs/performance.md and the "timed_region" field.
#
#   ./scripts/bench.sh [--json] [--no-huge] [--seconds S] [--cases encap4_1k,decap4,...]
#                      [--bin PATH]   (an already built dp_bench, e.g. of another tree)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PY=/usr/bin/python3
TESTPMD=/usr/bin/dpdk-testpmd
BUILD=build-bench
JSON=0
HUGE=1
SECONDS_PER_MODE=1.5
CASES=""
BIN=""
HUGE_PAGES=1024 # 2 GB of 2 MB pages: the 1M-entry case peaks at ~930 MB

while [ $# -gt 0 ]; do
	case $1 in
	--json) JSON=1 ;;
	--no-huge) HUGE=0 ;;
	--seconds) SECONDS_PER_MODE=$2; shift ;;
	--cases) CASES=$2; shift ;;
	--bin) BIN=$2; shift ;;
	-h|--help) sed -n '3,14p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

log() { echo "bench.sh: $*" >&2; }

prefix="dxtr_bench_$$"
tmp=$(mktemp -d /tmp/dxtr-bench.XXXXXX)
huge_dir=""
huge_old=""
tp_pid=""

cleanup() {
	if [ -n "$tp_pid" ] && kill -0 "$tp_pid" 2>/dev/null; then
		kill "$tp_pid" 2>/dev/null
		wait "$tp_pid" 2>/dev/null
	fi
	if [ -n "$huge_dir" ]; then
		umount "$huge_dir" 2>/dev/null
		rmdir "$huge_dir" 2>/dev/null
	fi
	if [ -n "$huge_old" ]; then
		echo "$huge_old" >/proc/sys/vm/nr_hugepages 2>/dev/null
	fi
	rm -rf "/var/run/dpdk/$prefix" "/var/run/dpdk/${prefix}_tp" "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Build ---
if [ -n "$BIN" ]; then
	[ -x "$BIN" ] || { log "$BIN: not an executable"; exit 2; }
elif [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" --buildtype=release -Dbench=true -Dtests=disabled \
		>"$BUILD.setup.log" 2>&1 || { cat "$BUILD.setup.log" >&2; log "meson setup failed"; exit 1; }
else
	meson configure "$BUILD" -Dbuildtype=release -Dbench=true >/dev/null 2>&1
fi
if [ -z "$BIN" ]; then
	if ! ninja -C "$BUILD" test/bench/dp_bench >"$BUILD.build.log" 2>&1; then
		cat "$BUILD.build.log" >&2
		log "build failed"
		exit 1
	fi
	BIN=$BUILD/test/bench/dp_bench
fi

# --- Memory: hugepages (root) or --no-huge ---
mem_mode="no-huge (4 KB pages, -m 2048)"
eal_mem=(--no-huge -m 2048 --no-shconf)
tp_mem=(--no-huge -m 1024 --no-shconf)
if [ "$HUGE" = 1 ] && [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/nr_hugepages ]; then
	huge_old=$(cat /proc/sys/vm/nr_hugepages)
	free_before=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	echo $((huge_old + HUGE_PAGES)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	free_after=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	huge_dir=$(mktemp -d /tmp/dxtr-bench-huge.XXXXXX)
	if [ $((free_after - free_before)) -ge $((HUGE_PAGES * 3 / 4)) ] &&
		mount -t hugetlbfs -o pagesize=2M nodev "$huge_dir" 2>/dev/null; then
		mem_mode="hugepages (2 MB, $((free_after - free_before)) reserved, --in-memory)"
		eal_mem=(--in-memory --huge-dir "$huge_dir")
		tp_mem=(--in-memory --huge-dir "$huge_dir")
	else
		log "cannot reserve or mount hugepages: falling back to --no-huge"
		rmdir "$huge_dir" 2>/dev/null
		huge_dir=""
		echo "$huge_old" >/proc/sys/vm/nr_hugepages 2>/dev/null
		huge_old=""
	fi
fi
log "memory: $mem_mode"

# --- The data plane ---
# The two vCPUs slow each other down: anything else running skews the numbers.
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
	log "warning: load average $load: other processes are running, the numbers will be high"
fi
bench_args=(--json "$tmp/dp.json" --seconds "$SECONDS_PER_MODE")
[ -n "$CASES" ] && bench_args+=(--cases "$CASES")
# EAL logs to stdout: keep it off ours.
if ! "$BIN" -l 0,1 "${eal_mem[@]}" --file-prefix "$prefix" --no-pci \
	--no-telemetry --log-level=lib.eal:warning -- "${bench_args[@]}" >&2; then
	log "dp_bench failed"
	exit 1
fi

# --- testpmd io forwarding on two net_null ports, the harness ceiling ---
tp_json='null'
if [ ! -x "$TESTPMD" ] && [ "$(id -u)" = 0 ]; then
	log "installing dpdk-dev (dpdk-testpmd)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpdk-dev \
		>/dev/null 2>&1
fi
if [ -x "$TESTPMD" ] && { [ -z "$CASES" ] || [[ ",$CASES," == *,testpmd_io,* ]]; }; then
	tp_secs=3
	# Interactive mode fed by a script: forwarding starts at once (--auto-start); the first
	# "show port stats" sets the rate baseline, the second gives Rx-pps over tp_secs seconds.
	{
		sleep 2
		echo "show port stats all"
		sleep "$tp_secs"
		echo "show port stats all"
		echo "stop"
		sleep 0.5
		echo "quit"
	} | timeout 60 "$TESTPMD" -l 0,1 "${tp_mem[@]}" --file-prefix "${prefix}_tp" --no-pci \
		--no-telemetry --log-level=lib.eal:warning --vdev net_null0 --vdev net_null1 -- \
		-i --forward-mode=io --auto-start --nb-cores=1 --total-num-mbufs=8192 \
		--record-core-cycles >"$tmp/testpmd.log" 2>&1 &
	tp_pid=$!
	wait "$tp_pid"
	tp_pid=""
	tp_json=$($PY - "$tmp/testpmd.log" <<'PYEOF'
import json, re, sys
text = open(sys.argv[1], errors="replace").read()
# The second "show port stats all" block: Rx-pps of each port over the interval.
blocks = text.split("show port stats all")
pps = [int(x) for x in re.findall(r"Rx-pps:\s+(\d+)", blocks[-1])] if len(blocks) > 2 else []
m = re.search(r"CPU cycles/packet=([\d.]+)", text)
print(json.dumps({"rx_pps": sum(pps), "reported_cycles_per_pkt": float(m.group(1)) if m else None}
                 if pps else None))
PYEOF
)
	[ "$tp_json" = null ] && { log "could not read testpmd's rates:"; tail -20 "$tmp/testpmd.log" >&2; }
else
	log "no dpdk-testpmd (package dpdk-dev): testpmd_io skipped"
fi

# --- Report ---
$PY - "$tmp/dp.json" "$tp_json" "$mem_mode" "$JSON" "$load" <<'PYEOF'
import json, sys
res = json.load(open(sys.argv[1]))
tp = json.loads(sys.argv[2])
hz = res["tsc_hz"]
if tp is not None:
    cpp = hz / tp["rx_pps"]
    res["testpmd_io"] = {"cycles_per_pkt": round(cpp, 2), "mpps": round(tp["rx_pps"] / 1e6, 2),
                         "reported_cycles_per_pkt": tp["reported_cycles_per_pkt"],
                         "what": "dpdk-testpmd --forward-mode=io, two net_null ports, one forwarding core"}
else:
    res["testpmd_io"] = None
res["memory"] = sys.argv[3]
res["hugepages"] = sys.argv[3].startswith("hugepages")
res["loadavg_at_start"] = float(sys.argv[5])
if "encap4_1m" in res:
    res["mc_build_1m_s"] = res["encap4_1m"]["build_s"]
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except (OSError, StopIteration):
    cpu = "?"
import os
res["cpu"] = "%s, %d vCPUs" % (cpu, os.cpu_count())
if sys.argv[4] == "1":
    print(json.dumps(res, indent=1))
    sys.exit(0)
targets = {"encap4_1k": 50, "encap4_1m": 120, "decap4": 30}
print("dxtr data-plane benchmark: %s, TSC %.2f GHz, memory: %s" % (res["cpu"], hz / 1e9, res["memory"]))
print("TSC cycles per packet, one worker lcore, %d-frame bursts, %d-byte frames" % (res["burst"], res["frame_bytes"]))
print("timed: " + res["timed_region"])
print("load average at start: %.2f" % res["loadavg_at_start"])
print()
print("%-17s %10s %8s %10s %10s %8s" % ("case", "cyc/pkt", "Mpps", "min-max", "loop cyc", "target"))
for name, r in res.items():
    if not isinstance(r, dict) or name == "testpmd_io":
        continue
    t = targets.get(name)
    verdict = "" if t is None else ("<=%d %s" % (t, "ok" if r["cycles_per_pkt"] <= t else "MISS"))
    print("%-17s %10.1f %8.1f %10s %10.1f %8s" % (name, r["cycles_per_pkt"], r["mpps"],
          "%.0f-%.0f" % (r["cycles_min"], r["cycles_max"]), r["loop_cycles_per_pkt"], verdict))
tp = res["testpmd_io"]
if tp:
    print("%-17s %10.1f %8.1f %10s %10s %8s" % ("testpmd_io", tp["cycles_per_pkt"], tp["mpps"], "", "", ""))
print()
if "encap4_1m" in res:
    print("1M-entry map-cache built in %.2f s" % res["encap4_1m"]["build_s"])
print("harness, not timed: frame reset %.1f cycles/packet; timer overhead %.2f cycles/packet"
      % (res["harness_reset_cycles_per_pkt"], res["timer_overhead_cycles_per_pkt"]))
PYEOF
