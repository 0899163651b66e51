#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - run every tests/integration/t_*.sh against a build directory
#
# Usage: tests/integration/run.sh BUILD_DIR [PATTERN]
#
# Needs root. Each test gets RUNSC, GUEST_BIN, GUEST_PY and REPO in its
# environment,
# runs with a 300 s limit and returns 0 (pass), 77 (skip, counted as passed)
# or anything else (fail). Output is TAP-like, and the last line is exactly
# "N passed, N failed". Exits 0 only if nothing failed.

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
build=${1:-build}
pattern=${2:-}
case $build in /*) ;; *) build=$REPO/$build ;; esac

export REPO
export RUNSC=$build/runsc
export GUEST_BIN=$build/tests/guest
export GUEST_PY=$REPO/tests/guest
export RUNSC_SAN=${RUNSC_SAN:-$REPO/build-san/runsc}
stage=
# A sandbox sees a fresh /tmp (and its own /run, /proc, /sys, /dev): when the
# checkout lives there, the guests' programs are staged under /var/tmp.
case $REPO in
/tmp/* | /run/* | /dev/* | /proc/* | /sys/*)
	stage=$(mktemp -d /var/tmp/runsc-guest.XXXXXX) || exit 1
	cp -a "$GUEST_BIN" "$stage/bin" && cp -a "$GUEST_PY" "$stage/py" || exit 1
	export GUEST_BIN=$stage/bin GUEST_PY=$stage/py
	;;
esac
limit=${TEST_TIMEOUT:-300}

passed=0
failed=0
n=0
tests=$(ls "$here"/t_*.sh 2>/dev/null | sort)
total=$(echo "$tests" | grep -c .)
[ -n "$pattern" ] && tests=$(echo "$tests" | grep -- "$pattern")
total=$(echo "$tests" | grep -c .)
echo "1..$total"
log=$(mktemp) || exit 1
trap 'rm -f "$log"; [ -n "$stage" ] && rm -rf "$stage"' EXIT

for t in $tests; do
	n=$((n + 1))
	name=$(basename "$t" .sh)
	start=$(date +%s)
	timeout -k 10 "$limit" bash "$t" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	sed 's/^/    /' "$log"
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - $name (${secs}s)"
		passed=$((passed + 1))
	elif [ "$rc" -eq 77 ]; then
		reason=$(sed -n 's/^# SKIP //p' "$log" | tail -n 1)
		echo "ok $n - $name # SKIP ${reason:-skipped}"
		passed=$((passed + 1))
	else
		[ "$rc" -eq 124 ] && echo "    timed out after ${limit}s"
		echo "not ok $n - $name (exit $rc, ${secs}s)"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
