#!/bin/bash
# shellcheck disable=SC1010,SC1091
# ICMP echo from the sandbox: busybox ping and (if installed) iputils ping,
# 2 requests each, to the tap's host end (10.88.0.1, fd00:88::1), loopback
# and the sandbox's own addresses; the same natively (veth) first, so a
# failure there is the test's. Then the invoker's namespace pings the
# sandbox (10.88.0.2, fd00:88::2).
. "$(dirname "$0")/lib.sh"

targets=(10.88.0.1 fd00:88::1 127.0.0.1 ::1 10.88.0.2 fd00:88::2)
rc=0
native_ns nat
nat=$NS
wait_v6 "${nat}h" fd00:88::1
ip netns exec "$nat" timeout 100 sh "$GUEST_PY/pings.sh" "${targets[@]}" >"$T_TMP/native" 2>&1
sed 's/^/# native: /' "$T_TMP/native"
grep -q FAIL "$T_TMP/native" && { echo "FAIL: native pings fail (test problem)" >&2; rc=1; }

mkns sb
sb=$NS
# the guest retries nothing: the first target (10.88.0.1) gets up to 3 s
ip netns exec "$sb" timeout 100 "$RUNSC" do -- sh "$GUEST_PY/pings.sh" "${targets[@]}" \
	>"$T_TMP/sandbox" 2>&1
note "runsc exit $?"
sed 's/^/# sandbox: /' "$T_TMP/sandbox"
if grep -q FAIL "$T_TMP/sandbox"; then
	echo "FAIL: pings from the sandbox:" >&2
	grep FAIL "$T_TMP/sandbox" >&2
	rc=1
fi
n=$(grep -c ': ok$' "$T_TMP/sandbox")
want=$(grep -c ': ok$' "$T_TMP/native")
[ "$n" -eq "$want" ] || { echo "FAIL: $n of $want pings ok in the sandbox" >&2; rc=1; }

# host -> sandbox
bg "$sb" timeout 60 "$RUNSC" do -- sleep 30
sbpid=$BGPID
for _ in $(seq 100); do
	ip -n "$sb" -4 addr | grep -q 10.88.0.1/ && break
	sleep 0.1
done
wait_v6 "$sb" fd00:88::1
for t in 10.88.0.2 fd00:88::2; do
	out=$(ip netns exec "$sb" timeout 10 ping -c 2 -i 0.2 -W 3 -w 5 "$t" 2>&1)
	if [ "$(echo "$out" | grep -c "bytes from $t:")" -eq 2 ]; then
		note "host ping $t: ok"
	else
		echo "FAIL: host ping $t:" >&2
		echo "$out" >&2
		rc=1
	fi
done
stop "$sbpid"
exit $rc
