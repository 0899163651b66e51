#!/bin/bash
# shellcheck disable=SC1010,SC1091
# request load on a fork-per-connection server (busybox httpd and a python
# os.fork server) and a thread-per-connection server: 200 requests each,
# 20 at a time, from the host side
. "$(dirname "$0")/lib.sh"

n=${REQUESTS:-200}
d=$T_TMP
mkdir -p "$d/srv"
printf 'load-test-body\n' >"$d/srv/index.html"
mkns a
ns=$NS
rc=0
run_load() {
	local name=$1 port=$2 out r
	shift 2
	bg "$ns" "$RUNSC" do -- "$@"
	out=$(ip netns exec "$ns" timeout 120 "$PY" "$GUEST_PY/conns.py" http 10.88.0.2 "$port" "$n" 20 2>&1)
	r=$?
	echo "$out" | tail -5
	if [ $r -ne 0 ]; then
		echo "FAIL: $name: $(echo "$out" | tail -1) of $n" >&2
		rc=1
	else
		note "$name: $n requests ok"
	fi
	stop "$BGPID"
}
run_load "busybox httpd (fork per connection)" 80 busybox httpd -f -p 80 -h "$d/srv"
run_load "python fork server" 9501 "$PY" "$GUEST_PY/conns.py" fork-server 9501
run_load "python thread server" 9502 "$PY" "$GUEST_PY/conns.py" thread-server 9502
exit $rc
