#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-unit.sh - run cmocka unit test binaries and sum their results
#
# Usage: tests/run-unit.sh BINARY...
#
# Prints each binary's cmocka output, then one line "N passed, N failed"
# summed over all binaries. A binary that crashes or exits non-zero without
# reporting a failure counts as one failed test. Exits 1 on any failure.

passed=0
failed=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

for bin in "$@"; do
	echo "== $bin"
	"$bin" >"$out" 2>&1
	rc=$?
	cat "$out"
	run=$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' "$out" |
		tail -n 1)
	nfail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$out" |
		tail -n 1)
	nerr=$(grep -c '^\[  ERROR   \]' "$out")
	run=${run:-0}
	nfail=${nfail:-0}
	[ "$nerr" -gt "$nfail" ] && nfail=$nerr
	if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		echo "run-unit: $bin exited with status $rc" >&2
		nfail=1
	fi
	[ "$nfail" -gt "$run" ] && run=$nfail
	passed=$((passed + run - nfail))
	failed=$((failed + nfail))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
