#!/bin/bash
# open-bench.sh [RUNSC] - cost of mediated opens (--file-access=mediated)
#
# tests/guest/openloop (static) opens and closes one existing file in a
# loop, natively, in `runsc do` (direct opens: the guest's kernel path),
# in `runsc do --file-access=mediated` (every open trapped, served by the
# gofer) and the same with --file-audit (one JSON line per open). Prints
# opens per second and the ratio to native, all from the same run.
# Bounded: COUNT opens or SECS seconds a run, 60 s a sandbox.
set -u
RUNSC=$(realpath "${1:-build/runsc}")
LOOP=$(realpath "${LOOP:-build/tests/guest/openloop}")
COUNT=${COUNT:-200000}
SECS=${SECS:-5}
F=/etc/hostname
T=$(mktemp -d /var/tmp/runsc-openb.XXXXXX)
trap 'rm -rf "$T"' EXIT
rate() { sed -n 's/.*: \([0-9]*\)\/s$/\1/p' | tail -n 1; }
run() { timeout 60 "$RUNSC" --network=none "$@" do -- "$LOOP" "$F" "$COUNT" "$SECS" 2>&1 | rate; }
native=$("$LOOP" "$F" "$COUNT" "$SECS" | rate)
direct=$(run)
med=$(run --file-access=mediated)
aud=$(run --file-access=mediated --file-audit="$T/audit.jsonl")
lines=$(wc -l <"$T/audit.jsonl" 2>/dev/null || echo 0)
ratio() { [ -n "$1" ] && [ "$1" != 0 ] && awk -v a="$1" -v b="$native" 'BEGIN { printf "%.3f", a / b }' || echo n/a; }
printf '%-28s %10s %8s\n' mode opens/s x-native
printf '%-28s %10s %8s\n' native "$native" 1.000
printf '%-28s %10s %8s\n' "runsc do (direct)" "${direct:-fail}" "$(ratio "$direct")"
printf '%-28s %10s %8s\n' "runsc do mediated" "${med:-fail}" "$(ratio "$med")"
printf '%-28s %10s %8s\n' "mediated + --file-audit" "${aud:-fail}" "$(ratio "$aud")"
echo "audit lines written: $lines"
