#!/bin/bash
# shellcheck disable=SC1010,SC1091
# sem_remote.py against peer.py across the link: natively over a veth
# between two namespaces, and from the sandbox over runsc's tap
. "$(dirname "$0")/lib.sh"

native_ns nat
nat=$NS
bg "${nat}h" "$PY" "$GUEST_PY/peer.py" 9100
wait_v6 "${nat}h" fd00:88::1
(cd "$GUEST_PY" && ip netns exec "$nat" timeout 120 "$PY" sem_remote.py) \
	>"$T_TMP/native" 2>&1

mkns sb
sb=$NS
bg "$sb" "$PY" "$GUEST_PY/peer.py" 9100
wait_tcp "$sb" 127.0.0.1 9100 10 || fail "peer did not start"
(cd "$GUEST_PY" && ip netns exec "$sb" timeout 120 "$RUNSC" do -- \
	"$PY" sem_remote.py) >"$T_TMP/sandbox" 2>&1
note "runsc exit $?"
cat "$T_TMP/native"
cmp_out sem_remote.py "$T_TMP/native" "$T_TMP/sandbox"
