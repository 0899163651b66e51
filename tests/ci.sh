#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ci.sh - every test the CI runs, with one combined result line
#
# Usage: tests/ci.sh            (root; after `make`, `make tests` and
#                                `make SAN=1 all tests`)
#
# Runs the cmocka unit tests (ASan/UBSan build, through tests/run-unit.sh)
# the integration suite (tests/integration/run.sh build) and the Docker
# end-to-end suite (tests/docker/run.sh: installs docker.io, starts and
# stops its own dockerd, imports the test images), then prints, as the
# very last line, "N passed, N failed" summed over all. Exits 0 only if
# nothing failed.

cd "$(dirname "$0")/.." || exit 1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
passed=0
failed=0

tally() {	# tally RC: add the last "N passed, N failed" of $out
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "ci: no result line (exit $1)" >&2
		failed=$((failed + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$1" -ne 0 ] && [ "$f" -eq 0 ] && failed=$((failed + 1))
}

echo "=== unit tests (make SAN=1 check-unit)"
make -s SAN=1 check-unit 2>&1 | tee "$out"
tally "${PIPESTATUS[0]}"

echo "=== style checks (make check-style)"
if make -s check-style; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "=== integration tests (tests/integration/run.sh build)"
tests/integration/run.sh build 2>&1 | tee "$out"
tally "${PIPESTATUS[0]}"

echo "=== Docker end-to-end (tests/docker/run.sh build/runsc)"
tests/docker/run.sh build/runsc 2>&1 | tee "$out"
tally "${PIPESTATUS[0]}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
