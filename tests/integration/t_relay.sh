#!/bin/bash
# shellcheck disable=SC1010,SC1091
# -p port publishing: host-side listeners relay into the sandbox
. "$(dirname "$0")/lib.sh"

d=$T_TMP
mkdir -p "$d/srv"
echo "relay-$$" >"$d/srv/index.html"
head -c 3000000 /dev/urandom >"$d/srv/big"
want=$(sha256sum <"$d/srv/big")
mkns a; ns=$NS

bg "$ns" "$RUNSC" do -p 127.0.0.1:18080:80 -p 18081:80 -- \
	busybox httpd -f -p 80 -h "$d/srv"
wait_tcp "$ns" 127.0.0.1 18080 15 || fail "relay 127.0.0.1:18080 not listening"
out=$(ip netns exec "$ns" curl -sS -m 10 http://127.0.0.1:18080/) || fail "curl"
[ "$out" = "relay-$$" ] || fail "relay got '$out'"
note "127.0.0.1:18080 -> guest:80 ok"
wait_tcp "$ns" 10.88.0.1 18081 5 || fail "relay *:18081 not listening"
out=$(ip netns exec "$ns" curl -sS -m 10 http://10.88.0.1:18081/) || fail "curl"
[ "$out" = "relay-$$" ] || fail "relay *:18081 got '$out'"
note "*:18081 -> guest:80 ok"
got=$(ip netns exec "$ns" curl -sS -m 30 http://127.0.0.1:18080/big | sha256sum)
[ "$got" = "$want" ] || fail "3 MB through relay: checksum mismatch"
note "3 MB through relay ok"
# 20 sequential + 20 parallel requests through the relay
for i in $(seq 20); do
	ip netns exec "$ns" curl -sS -m 10 -o /dev/null http://127.0.0.1:18080/ ||
		fail "sequential request $i"
done
pids=""
for i in $(seq 20); do
	ip netns exec "$ns" curl -sS -m 20 -o "$d/p$i" http://127.0.0.1:18080/ &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "parallel request failed"; done
for i in $(seq 20); do
	[ "$(cat "$d/p$i")" = "relay-$$" ] || fail "parallel request $i content"
done
note "20 sequential + 20 parallel requests ok"
# nothing listening in the guest on 81: relay accepts but must close
ip netns exec "$ns" true
exit 0
