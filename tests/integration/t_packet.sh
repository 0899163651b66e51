#!/bin/bash
# shellcheck disable=SC1010,SC1091
# The packet-socket link, as under Docker: a "container" namespace holds a
# veth eth0 with 10.89.0.2/24, fd00:89::2/64 and default routes, its peer
# (10.89.0.1, fd00:89::1) sits in a second namespace. pktprobe
# (tests/tools/pktprobe.c) runs in the container namespace: ifscrape_take()
# moves eth0's addresses from the kernel to lwIP, tap_packet_open() carries
# the frames. Checked, with the veth MTU at 1500 and at 9000:
#  - the scraped configuration, and no address left on eth0 in the kernel
#  - ping (56 and 8000 bytes, IPv4; IPv6) from the peer gets lwIP's replies
#  - TCP to a closed port gets lwIP's RST (IPv4, IPv6)
#  - bulk TCP both ways; UDP_SEGMENT super-frames arrive as datagrams;
#    lwIP's segments leave as TSO super-frames
#  - frames for another MAC (PACKET_OTHERHOST) are not answered
#  - with eth0's transmit checksum offload off, lwIP's partial checksums
#    are completed by the kernel (the peer verifies them)
#  - once pktprobe is gone, nobody answers: the kernel had let go
#  - in a namespace with only lo, ifscrape_take() says -ENODEV
# Everything happens in the two namespaces made here (removed at exit, also
# on failure); no interface or address of the invoking namespace is touched.
. "$(dirname "$0")/lib.sh"

PROBE=$(dirname "$RUNSC")/tests/tools/pktprobe
[ -x "$PROBE" ] || skip "$PROBE not built (make tests)"
rc=0
bad() {
	echo "FAIL: $*" >&2
	rc=1
}

# ethtool_tx NS IF 0|1: transmit checksum offload of IF (SIOCETHTOOL)
ethtool_tx() {
	ip netns exec "$1" timeout 10 "$PY" - "$2" "$3" <<'EOF'
import ctypes, fcntl, socket, struct, sys
v = ctypes.create_string_buffer(struct.pack("II", 0x17, int(sys.argv[2])))
ifr = struct.pack("16sQ", sys.argv[1].encode(), ctypes.addressof(v))
fcntl.ioctl(socket.socket(socket.AF_INET, socket.SOCK_DGRAM), 0x8946, ifr)
EOF
}

# peer NS ARGS...: the peer's side of the checks; prints "ok ..."/"bad ..."
peer() {
	local ns=$1
	shift
	ip netns exec "$ns" timeout 60 "$PY" - "$@" <<'EOF'
import socket, sys, time
mode = sys.argv[1]
v4, v6 = "10.89.0.2", "fd00:89::2"

def refused(host):
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    s.settimeout(3)
    try:
        s.connect((host, 9))
        return "bad %s: connected to a closed port" % host
    except ConnectionRefusedError:
        return "ok rst %s" % host
    except OSError as e:
        return "bad %s: %s" % (host, e)

def bulk(port, secs=2.0):
    s = socket.create_connection((v4, port), timeout=10)
    buf, n, t0 = bytes(1 << 20), 0, time.time()
    while time.time() - t0 < secs:
        if port == 5001:
            n += s.send(buf)
        else:
            d = s.recv(1 << 20)
            if not d:
                break
            n += len(d)
    dt = time.time() - t0
    s.close()
    name = "peer->lwip" if port == 5001 else "lwip->peer"
    word = "ok" if n >= 10 << 20 else "bad"
    return "%s bulk %s %d MB %.2f Gbit/s" % (word, name, n >> 20,
                                               n * 8 / dt / 1e9)

if mode == "tcp":
    print(refused(v4))
    print(refused(v6))
    print(bulk(5001))
    print(bulk(5002))
elif mode == "udp":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_UDP, 103, 1000)   # UDP_SEGMENT
    for i in range(10):
        u.sendto(bytes(8000), (v4, 5003))       # 8 datagrams each
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
        bytes(1200), (v4, 5003))
    print("ok udp sent")
elif mode == "silent":
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((v4, 9))
        print("bad connected with no one there")
    except socket.timeout:
        print("ok silent")
    except OSError as e:
        print("bad answered: %s" % e)
EOF
}

# pings NS ARGS...: 2 pings, all answered
pings() {
	local ns=$1
	shift
	ip netns exec "$ns" timeout 15 ping -q -c 2 -i 0.2 -W 2 "$@" >/dev/null 2>&1
}

# one_case MTU TAG [IFNAME] [CSUM_OFF]
one_case() {
	local mtu=$1 tag=$2 ifname=${3:-} csum_off=${4:-} c h v out line
	mkns "c$tag"
	c=$NS
	mkns "h$tag"
	h=$NS
	v=rtp$$$tag
	ip link add "$v" netns "$h" mtu "$mtu" type veth peer name eth0 \
		netns "$c" mtu "$mtu" || fail "veth"
	ip -n "$c" addr add 10.89.0.2/24 dev eth0
	ip -n "$c" -6 addr add fd00:89::2/64 dev eth0 nodad
	ip -n "$h" addr add 10.89.0.1/24 dev "$v"
	ip -n "$h" -6 addr add fd00:89::1/64 dev "$v" nodad
	ip -n "$c" link set eth0 up
	ip -n "$h" link set "$v" up
	ip -n "$c" route add default via 10.89.0.1
	ip -n "$c" -6 route add default via fd00:89::1
	[ -n "$csum_off" ] && { ethtool_tx "$c" eth0 0 || bad "$tag: offload off"; }
	out=$T_TMP/probe.$tag
	bg "$c" timeout 90 "$PROBE" ${ifname:+-i "$ifname"} -t 80 -d 5001 \
		-s 5002 -u 5003 >"$out" 2>&1
	for _ in $(seq 100); do
		grep -q '^ready' "$out" && break
		kill -0 "$BGPID" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^ready' "$out" || { cat "$out" >&2; fail "$tag: pktprobe not ready"; }
	line=$(grep '^cfg' "$out")
	note "$tag: $line"
	case $line in
	*" mtu=$mtu addr4=10.89.0.2/24 gw4=10.89.0.1 addr6=fd00:89::2/64 gw6=fd00:89::1") ;;
	*) bad "$tag: scraped configuration" ;;
	esac
	if ip -n "$c" addr show dev eth0 | grep -q 'inet'; then
		bad "$tag: addresses left on eth0:"
		ip -n "$c" addr show dev eth0 >&2
	fi
	[ "$(ip netns exec "$c" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ] ||
		bad "$tag: IPv6 still on for eth0"
	[ "$(ip netns exec "$c" cat /proc/sys/net/ipv4/conf/eth0/arp_ignore)" = 8 ] ||
		bad "$tag: the kernel may still answer ARP on eth0"
	ip -n "$c" link show eth0 | grep -q '[<,]UP[,>]' || bad "$tag: eth0 down"

	pings "$h" 10.89.0.2 || bad "$tag: ping 10.89.0.2"
	pings "$h" -s 8000 10.89.0.2 || bad "$tag: ping -s 8000 10.89.0.2"
	pings "$h" fd00:89::2 || bad "$tag: ping fd00:89::2"
	pings "$h" -s 8000 fd00:89::2 || bad "$tag: ping -s 8000 fd00:89::2"
	peer "$h" tcp >"$T_TMP/peer.$tag" 2>&1
	[ -z "$csum_off" ] && peer "$h" udp >>"$T_TMP/peer.$tag" 2>&1
	sed "s/^/# $tag: /" "$T_TMP/peer.$tag"
	grep -q '^ok' "$T_TMP/peer.$tag" || bad "$tag: peer checks did not run"
	grep -v '^ok' "$T_TMP/peer.$tag" | grep -q . && bad "$tag: peer checks"

	# frames for another MAC: the socket filter drops them
	ip -n "$h" neigh replace 10.89.0.2 lladdr 02:00:00:00:00:99 dev "$v"
	pings "$h" -W 1 10.89.0.2 && bad "$tag: answered a frame for another MAC"
	ip -n "$h" neigh del 10.89.0.2 dev "$v"
	pings "$h" 10.89.0.2 || bad "$tag: ping after the neighbour came back"

	stop "$BGPID"
	sed "s/^/# $tag: /" "$out" | grep -v '# [a-z0-9]*: \(cfg\|ready\)'
	line=$(grep '^stats' "$out")
	case $line in
	*" drops=0 "*) ;;
	*) bad "$tag: frames dropped" ;;
	esac
	# lwip->peer bulk: runs of segments left as TSO super-frames (cut
	# by the kernel in software when eth0 has no checksum offload)
	case $line in
	*" tx_tso=0 "*) bad "$tag: no TSO super-frame sent" ;;
	esac
	if [ -z "$csum_off" ]; then
		# 10 super-frames of 8 datagrams of 1000 bytes, one of 1200
		case $line in
		*" udp_n=81 udp_max=1200 udp_bytes=81200") ;;
		*) bad "$tag: UDP super-frames not cut into their datagrams" ;;
		esac
		case $line in
		*" big=0 "*) bad "$tag: no TCP super-frame from the peer" ;;
		esac
	fi
	# the kernel let go: with pktprobe gone, nobody answers
	pings "$h" -W 1 10.89.0.2 && bad "$tag: answered with pktprobe gone"
	peer "$h" silent | grep -q '^ok' || bad "$tag: TCP answered with pktprobe gone"
	ip netns del "$c"
	ip netns del "$h"
}

# no interface to take: -ENODEV (the sentry then runs loopback-only)
mkns e
ip netns exec "$NS" timeout 10 "$PROBE" -t 1 >"$T_TMP/probe.e" 2>&1 &&
	bad "pktprobe ran without an interface"
grep -q 'ifscrape_take: No such device' "$T_TMP/probe.e" ||
	bad "no -ENODEV without an interface: $(cat "$T_TMP/probe.e")"
ip netns exec "$NS" timeout 10 "$PROBE" -i nope0 -t 1 >"$T_TMP/probe.e" 2>&1
grep -q 'ifscrape_take: No such device' "$T_TMP/probe.e" ||
	bad "no -ENODEV for a missing interface: $(cat "$T_TMP/probe.e")"
ip netns del "$NS"

one_case 1500 a
one_case 9000 b eth0
one_case 1500 c "" csum_off
left=$(ip netns list | grep -c "^rtest-${T_NAME#t_}-$$-")
[ "$left" -eq 0 ] || bad "$left namespaces left behind"
exit $rc
