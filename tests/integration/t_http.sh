#!/bin/bash
# shellcheck disable=SC1010,SC1091
# busybox httpd as guest server (host curl over v4), guest busybox wget and
# guest curl against a server on the host side of the tap
. "$(dirname "$0")/lib.sh"

d=$T_TMP
mkdir -p "$d/srv" "$d/host"
echo "from-guest-$$" >"$d/srv/index.html"
echo "from-host-$$" >"$d/host/index.html"
mkns a; ns=$NS

bg "$ns" "$RUNSC" do -- busybox httpd -f -p 80 -h "$d/srv"
sb=$BGPID
wait_tcp "$ns" 10.88.0.2 80 15 || fail "guest httpd not reachable"
out=$(ip netns exec "$ns" curl -sS -m 10 http://10.88.0.2/) || fail "curl"
[ "$out" = "from-guest-$$" ] || fail "curl got '$out'"
note "host curl -> guest httpd ok"
stop "$sb"

# bound to any address: 10.88.0.1 only exists while a sandbox runs
bg "$ns" busybox httpd -f -p 8081 -h "$d/host"
wait_tcp "$ns" 127.0.0.1 8081 10 || fail "host httpd"
# the guest retries while the tap comes up
out=$(ip netns exec "$ns" timeout 60 "$RUNSC" do -- sh -c '
	for i in $(seq 50); do
		timeout 10 busybox wget -q -O- http://10.88.0.1:8081/ 2>/dev/null && exit 0
		sleep 0.2
	done; exit 1') || fail "guest wget failed: $out"
[ "$out" = "from-host-$$" ] || fail "guest wget got '$out'"
note "guest busybox wget -> host httpd ok"

out=$(ip netns exec "$ns" timeout 60 "$RUNSC" do -- sh -c '
	for i in $(seq 50); do
		curl -sS -m 5 http://10.88.0.1:8081/ 2>/dev/null && exit 0
		sleep 0.2
	done; exit 1') || fail "guest curl failed: $out"
[ "$out" = "from-host-$$" ] || fail "guest curl got '$out'"
note "guest curl -> host httpd ok"
exit 0
