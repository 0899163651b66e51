#!/bin/bash
# shellcheck disable=SC1010,SC1091
# --network=host: guest sockets are host kernel sockets of the invoker's
# namespace (the test's): a guest listener shows in that namespace's ss
. "$(dirname "$0")/lib.sh"

d=$T_TMP
mkdir -p "$d/srv"
echo "hostnet-$$" >"$d/srv/index.html"
mkns a; ns=$NS
bg "$ns" "$RUNSC" do --network=host -- busybox httpd -f -p 127.0.0.1:18090 -h "$d/srv"
wait_tcp "$ns" 127.0.0.1 18090 15 || fail "guest listener not reachable"
ip netns exec "$ns" ss -tln | grep -q '127.0.0.1:18090' ||
	fail "guest listener not in the namespace's ss -tln"
out=$(ip netns exec "$ns" curl -sS -m 10 http://127.0.0.1:18090/) || fail curl
[ "$out" = "hostnet-$$" ] || fail "got '$out'"
ip -n "$ns" -o link | grep -q runsc && fail "a tap was created in host mode"
note "guest listener visible in host ss, served by kernel"
# and the guest reaches a host server on loopback
bg "$ns" busybox httpd -f -p 127.0.0.1:18091 -h "$d/srv"
wait_tcp "$ns" 127.0.0.1 18091 10 || fail "host httpd"
out=$(ip netns exec "$ns" timeout 30 "$RUNSC" do --network=host -- \
	curl -sS -m 10 http://127.0.0.1:18091/) || fail "guest curl: $out"
[ "$out" = "hostnet-$$" ] || fail "guest curl got '$out'"
exit 0
