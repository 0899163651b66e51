#!/bin/bash
# shellcheck disable=SC1010,SC1091
# sem_udp.py natively and in the sandbox, over loopback and over the own
# address, and (once) against udp_peer.py across the link (veth natively,
# runsc's tap in the sandbox): identical output
. "$(dirname "$0")/lib.sh"

native_ns nat
nat=$NS
# the sandbox has default routes via the tap's host end; so does the native side
ip -n "$nat" route add default via 10.88.0.1
ip -n "$nat" -6 route add default via fd00:88::1
bg "${nat}h" "$PY" "$GUEST_PY/udp_peer.py" 9101
wait_v6 "${nat}h" fd00:88::1
mkns sb
sb=$NS
bg "$sb" "$PY" "$GUEST_PY/udp_peer.py" 9101

rc=0
for tag in lo own; do
	# the remote part (against udp_peer.py) runs once, in the loopback pass
	if [ $tag = lo ]; then v4=127.0.0.1 v6=::1 peer=; else v4=10.88.0.2 v6=fd00:88::2 peer=none; fi
	(cd "$GUEST_PY" && SEM_V4=$v4 SEM_V6=$v6 SEM_PEER=$peer ip netns exec "$nat" \
		timeout 60 "$PY" sem_udp.py) >"$T_TMP/native.$tag" 2>&1
	note "native ($tag): exit $?"
	(cd "$GUEST_PY" && SEM_V4=$v4 SEM_V6=$v6 SEM_PEER=$peer ip netns exec "$sb" \
		timeout 60 "$RUNSC" do -- "$PY" sem_udp.py) >"$T_TMP/sandbox.$tag" 2>&1
	note "sandbox ($tag): runsc exit $?"
	cmp_out "sem_udp.py ($tag)" "$T_TMP/native.$tag" "$T_TMP/sandbox.$tag" || rc=1
done
[ $rc -eq 0 ] || sed 's/^/# native: /' "$T_TMP/native.lo"
exit $rc
