#!/bin/bash
# shellcheck disable=SC1010,SC1091
# --network=none: loopback works inside, nothing else is reachable, no tap
. "$(dirname "$0")/lib.sh"

mkns a; ns=$NS
before=$(ip -n "$ns" -o link | awk '{print $2}')
out=$(ip netns exec "$ns" timeout 60 "$RUNSC" do --network=none -- "$PY" -c '
import socket, errno, threading
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4)
c = socket.create_connection(l.getsockname(), timeout=5)
a, _ = l.accept(); c.sendall(b"ping"); print("loopback", a.recv(10).decode())
for addr in (("10.88.0.1", 80), ("8.8.8.8", 53)):
    s = socket.socket(); s.settimeout(5)
    try:
        s.connect(addr); print("connect", addr[0], "SUCCEEDED")
    except OSError as e:
        print("connect", addr[0], "failed", "ok" if e.errno in
              (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED,
               errno.EADDRNOTAVAIL) else errno.errorcode.get(e.errno, e))
' 2>&1) || fail "guest failed: $out"
echo "$out"
exp='loopback ping
connect 10.88.0.1 failed ok
connect 8.8.8.8 failed ok'
[ "$out" = "$exp" ] || fail "unexpected output"
after=$(ip -n "$ns" -o link | awk '{print $2}')
[ "$before" = "$after" ] || fail "links changed: $before -> $after"
# host side sees no listener created by the guest
exit 0
