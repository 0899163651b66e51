#!/bin/bash
# shellcheck disable=SC1010,SC1091
# 1000 connections open at once, each echoing a message: host client ->
# guest server, and guest client -> host server
. "$(dirname "$0")/lib.sh"

n=${CONNS:-1000}
ulimit -n 8192
mkns a
ns=$NS
rc=0
bg "$ns" "$RUNSC" do -- "$PY" "$GUEST_PY/conns.py" echo-server 9400
out=$(ip netns exec "$ns" timeout 120 "$PY" "$GUEST_PY/conns.py" open 10.88.0.2 9400 "$n" 2>&1)
r=$?
echo "$out"
[ $r -eq 0 ] || { echo "FAIL: host -> guest server, $n connections" >&2; rc=1; }
stop "$BGPID"

bg "$ns" "$PY" "$GUEST_PY/conns.py" echo-server 9401
out=$(ip netns exec "$ns" timeout 120 "$RUNSC" do -- sh -c \
	"ulimit -n 8192; exec $PY $GUEST_PY/conns.py open 10.88.0.1 9401 $n" 2>&1)
r=$?
echo "$out"
[ $r -eq 0 ] || { echo "FAIL: guest -> host server, $n connections" >&2; rc=1; }
exit $rc
