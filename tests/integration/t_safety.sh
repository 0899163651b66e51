#!/bin/bash
# shellcheck disable=SC1010,SC1091
# The guest never gets a host TCP/IP socket: raw syscall(SYS_socket) from a
# static binary lands in lwIP, the guest's own network namespace stays empty,
# /proc/net/tcp{,6} show nothing, packet/netlink/raw families fail.
. "$(dirname "$0")/lib.sh"

[ -x "$GUEST_BIN/rawsock" ] || fail "$GUEST_BIN/rawsock missing (make tests)"
mkns a
ns=$NS
bg "$ns" "$PY" "$GUEST_PY/peer.py" 9100
wait_tcp "$ns" 127.0.0.1 9100 10 || fail "peer"

log=$T_TMP/out
ip netns exec "$ns" "$RUNSC" do -- sh -c \
	"for i in \$(seq 50); do $GUEST_BIN/rawsock 10.88.0.1 9100 4 && exit 0; sleep 0.2; done; exit 1" \
	>"$log" 2>&1 &
sb=$!
track $sb
for i in $(seq 100); do
	grep -q paused "$log" && break
	sleep 0.1
done
grep -q paused "$log" || { cat "$log"; fail "guest never paused"; }
# find the guest (a descendant of runsc named rawsock)
gpid=""
for p in $(pgrep -x rawsock); do
	q=$p
	for i in 1 2 3 4 5 6; do
		q=$(ps -o ppid= -p "$q" | tr -d ' ')
		[ "$q" = "$sb" ] && gpid=$p && break 2
		[ -z "$q" ] || [ "$q" -le 1 ] && break
	done
done
[ -n "$gpid" ] || fail "guest pid not found"
gns=$(readlink /proc/$gpid/ns/net)
[ "$gns" != "$(ip netns exec "$ns" readlink /proc/self/ns/net)" ] ||
	fail "guest shares the invoker's network namespace"
kss=$(nsenter -t "$gpid" -n ss -tanH 2>&1)
note "ss -tan in the guest's netns: '${kss}'"
[ -z "$kss" ] || fail "kernel sockets in the guest namespace: $kss"
klinks=$(nsenter -t "$gpid" -n ip -o link | awk '{print $2}' | tr '\n' ' ')
note "links in the guest's netns: $klinks"
# the peer sees the guest's connection arriving over the tap
ip netns exec "$ns" ss -tanH >"$T_TMP/ss"; sed "s/^/# host ss: /" "$T_TMP/ss"
grep -q "10\.88\.0\.2\]*:" "$T_TMP/ss" ||
	fail "no connection from 10.88.0.2 seen in the invoker's namespace"
wait $sb
rc=$?
cat "$log"
[ $rc -eq 0 ] || fail "guest exit $rc"
exp='raw socket: ok
raw connect: ok
raw echo: raw bytes
raw loopback connect+accept: ok ok
/proc/net/tcp entries: 0
/proc/net/tcp6 entries: 0
paused
AF_PACKET SOCK_RAW: EAFNOSUPPORT
AF_PACKET SOCK_DGRAM: EAFNOSUPPORT
AF_NETLINK NETLINK_SOCK_DIAG: EPROTONOSUPPORT'
got=$(head -n 10 "$log")
[ "$got" = "$exp" ] || fail "unexpected guest output (head)"
# NETLINK_ROUTE is emulated by the sentry (the sandbox's own view); every
# other netlink protocol fails as on a kernel without it (EPROTONOSUPPORT)
grep -qx 'AF_NETLINK NETLINK_ROUTE: ok' "$log" || fail "NETLINK_ROUTE"
grep -qx 'AF_NETLINK NETLINK_NETFILTER: EPROTONOSUPPORT' "$log" || fail NETFILTER
grep -qx 'AF_INET SOCK_RAW ICMP: ok' "$log" || fail "raw ICMP (emulated)"
grep -qx 'AF_INET SOCK_RAW: fails' "$log" || fail "raw AF_INET"
grep -qx 'AF_INET6 SOCK_RAW: fails' "$log" || fail "raw AF_INET6"
grep -qx 'socketpair AF_INET: fails' "$log" || fail "socketpair(AF_INET)"
grep -qx 'socketpair AF_UNIX: ok' "$log" || fail "socketpair(AF_UNIX)"
grep -qx 'unknown family: fails' "$log" || fail "unknown family"

# the same checks from python (libc wrappers) with a listener open
out=$(ip netns exec "$ns" timeout 60 "$RUNSC" do -- "$PY" -c '
import socket, errno
l = socket.socket(); l.bind(("0.0.0.0", 0)); l.listen(4)
l6 = socket.socket(socket.AF_INET6); l6.bind(("::", 0)); l6.listen(4)
c = socket.create_connection(("127.0.0.1", l.getsockname()[1])); a = l.accept()
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    print(f, len(open(f).read().splitlines()[1:]))
for fam, typ, proto in ((socket.AF_PACKET, socket.SOCK_RAW, 0x300),
                        (socket.AF_NETLINK, socket.SOCK_RAW, 4)):
    try:
        socket.socket(fam, typ, proto); print(fam.name, "ok?!")
    except OSError as e:
        print(fam.name, errno.errorcode[e.errno])
try:
    socket.socketpair(socket.AF_INET); print("socketpair AF_INET ok?!")
except OSError as e:
    print("socketpair AF_INET fails")
' 2>&1)
echo "$out"
[ "$out" = "/proc/net/tcp 0
/proc/net/tcp6 0
AF_PACKET EAFNOSUPPORT
AF_NETLINK EPROTONOSUPPORT
socketpair AF_INET fails" ] || fail "python checks"
exit 0
