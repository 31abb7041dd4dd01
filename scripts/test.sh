#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
#
# Every test: installs dependencies, builds, runs the unit suite (plain and ASan+UBSan builds),
# the fuzz smoke runs and the integration suite (as root: network namespaces), the latter also
# against the ASan+UBSan build. Prints "N passed, N failed" last and exits non-zero on any
# failure.
#
#   ./scripts/test.sh            everything
#   SUITES="unit integ" ./scripts/test.sh   a subset (unit, asan, fuzz, integ, integ-asan)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SUITES=${SUITES:-"unit asan fuzz integ integ-asan"}
PY=/usr/bin/python3
passed=0
failed=0
failures=()

./scripts/deps.sh || { echo "deps.sh failed"; echo "0 passed, 1 failed"; exit 1; }

# Adds the counts of a meson test run from its JSON log.
count_meson() { # builddir suite
	local log=$1/meson-logs/testlog.json
	[ -f "$log" ] || { failed=$((failed + 1)); failures+=("$2: no test log"); return; }
	local res
	res=$($PY - "$log" <<'PYEOF'
import json, sys
ok = bad = 0
names = []
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t["result"] in ("OK", "EXPECTEDFAIL", "SKIP"):
        ok += 1
    else:
        bad += 1
        names.append(t["name"])
print(ok, bad, " ".join(names))
PYEOF
)
	local ok bad names
	read -r ok bad names <<<"$res"
	passed=$((passed + ok))
	failed=$((failed + bad))
	[ "$bad" = 0 ] || failures+=("$2: $names")
}

# meson_suite BUILDDIR LABEL MESON-SUITE SETUP-ARGS...
meson_suite() {
	local dir=$1 suite=$2 msuite=$3
	shift 3
	echo "=== $suite ($dir)"
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || {
			cat "$dir.setup.log"
			failed=$((failed + 1)); failures+=("$suite: meson setup"); return; }
	fi
	if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
		cat "$dir.build.log"
		failed=$((failed + 1)); failures+=("$suite: build"); return
	fi
	meson test -C "$dir" --suite "$msuite" --print-errorlogs --num-processes 2 || true
	count_meson "$dir" "$suite"
}

for s in $SUITES; do
	case $s in
	unit)
		meson_suite build unit unit -Dtests=enabled --werror
		;;
	asan)
		meson_suite build-asan asan unit -Dtests=enabled -Db_sanitize=address,undefined \
			-Db_lundef=false
		;;
	fuzz)
		CC=clang meson_suite build-fuzz fuzz fuzz -Dtests=disabled -Dfuzz=true
		;;
	integ | integ-asan)
		dir=build
		[ "$s" = integ-asan ] && dir=build-asan
		if [ ! -x "$dir/control/dxtr" ]; then
			if [ "$s" = integ ]; then
				meson_suite build unit unit -Dtests=enabled --werror
			else
				meson_suite build-asan asan unit -Dtests=enabled -Db_sanitize=address,undefined \
					-Db_lundef=false
			fi
		fi
		echo "=== $s ($dir)"
		if [ "$(id -u)" != 0 ]; then
			echo "$s: needs root (network namespaces); skipped"
			failed=$((failed + 1)); failures+=("$s: not root")
			continue
		fi
		# UBSan reports stop dxtr (and fail the test) instead of scrolling by.
		DXTR_BUILD="$top/$dir" UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			$PY -m pytest -q -p no:cacheprovider --junitxml="$dir/integ.xml" test/integ
		res=$($PY - "$dir/integ.xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r if r.tag == "testsuite" else r.find("testsuite")
t, f, e, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
print(t - f - e - sk, f + e, sk)
PYEOF
) || res="0 1 0"
		read -r ok bad _ <<<"$res"
		passed=$((passed + ok))
		failed=$((failed + bad))
		[ "$bad" = 0 ] || failures+=("$s: $bad failed")
		;;
	*)
		echo "unknown suite $s"; failed=$((failed + 1))
		;;
	esac
done

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
