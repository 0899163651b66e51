#!/bin/bash
# shellcheck disable=SC1010,SC1091
# IPv6: host -> guest server over fd00:88::2, guest -> host server over
# fd00:88::1, and an IPv6 published port
. "$(dirname "$0")/lib.sh"

d=$T_TMP
mkdir -p "$d/srv"
echo "v6-$$" >"$d/srv/index.html"
mkns a; ns=$NS

bg "$ns" "$RUNSC" do -p '[::1]:18086:80' -- busybox httpd -f -p 80 -h "$d/srv"
wait_tcp "$ns" 10.88.0.2 80 15 || fail "guest httpd (v4) not reachable"
wait_v6 "$ns" fd00:88::1
wait_tcp "$ns" fd00:88::2 80 15 || fail "guest httpd over IPv6 not reachable"
out=$(ip netns exec "$ns" curl -sS -m 10 'http://[fd00:88::2]/') || fail "curl v6"
[ "$out" = "v6-$$" ] || fail "curl v6 got '$out'"
note "host curl -> [fd00:88::2]:80 ok"
wait_tcp "$ns" ::1 18086 5 || fail "[::1]:18086 relay not listening"
out=$(ip netns exec "$ns" curl -sS -m 10 'http://[::1]:18086/') || fail "curl relay v6"
[ "$out" = "v6-$$" ] || fail "v6 relay got '$out'"
note "[::1]:18086 relay ok"
stop "$BGPID"

bg "$ns" "$PY" -m http.server --bind :: --directory "$d/srv" 18087
wait_tcp "$ns" ::1 18087 10 || fail "host http.server"
out=$(ip netns exec "$ns" timeout 60 "$RUNSC" do -- sh -c '
	for i in $(seq 50); do
		curl -sS -m 5 "http://[fd00:88::1]:18087/" 2>/dev/null && exit 0
		sleep 0.2
	done; exit 1') || fail "guest curl over IPv6 failed: $out"
[ "$out" = "v6-$$" ] || fail "guest curl v6 got '$out'"
note "guest curl -> [fd00:88::1] ok"
exit 0
