#!/bin/bash
# shellcheck disable=SC1010,SC1091
# The sandbox's own interface view through NETLINK_ROUTE and SIOCGIF*: ip
# addr/route/link (text and -j), if_nameindex(), hostname -I, busybox
# ifconfig and raw ioctls show lo (127.0.0.1/8, ::1) and eth0 (10.88.0.2/24,
# fd00:88::2/64, 02:52:53:xx:xx:xx) with default routes via 10.88.0.1 and
# fd00:88::1 - and nothing of the invoker's namespace (its tap, a decoy veth
# with 192.0.2.77 / 2001:db8::77).
. "$(dirname "$0")/lib.sh"

mkns sb
sb=$NS
ip -n "$sb" link add rtdx$$ type veth peer name rtdy$$ || fail "decoy veth"
ip -n "$sb" addr add 192.0.2.77/24 dev rtdx$$
ip -n "$sb" -6 addr add 2001:db8::77/64 dev rtdx$$ nodad
ip -n "$sb" link set rtdx$$ up
ip -n "$sb" link set rtdy$$ up

o=$T_TMP/out
ip netns exec "$sb" timeout 60 "$RUNSC" do -- sh "$GUEST_PY/ifview.sh" >"$o" 2>&1
note "runsc exit $?"
sed 's/^/# /' "$o"
sect() { awk -v s="== $1" '$0 == s {on = 1; next} /^== / {on = 0} on' "$o"; }
rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
# want NAME EXPECTED ACTUAL
want() { [ "$2" = "$3" ] || bad "$1: expected '$2', got '$3'"; }

mac=$(sect link | sed -n 's/.*eth0:.*link\/ether \([0-9a-f:]*\) .*/\1/p')
case $mac in 02:52:53:??:??:??) ;; *) bad "eth0 MAC '$mac' not 02:52:53:xx:xx:xx" ;; esac

want "ip -4 addr" "lo 127.0.0.1/8
eth0 10.88.0.2/24
rc=0" "$(sect ip4 | awk '/^rc=/ {print; next} {print $2, $4}')"
want "ip -6 addr (global)" "lo ::1/128
eth0 fd00:88::2/64
rc=0" "$(sect ip6 | awk '/^rc=/ {print; next} $4 !~ /^fe80:/ {print $2, $4}')"
sect ip6 | awk '$4 ~ /^fe80:/ && $2 != "eth0"' | grep -q . &&
	bad "link-local address outside eth0"
r4=$(sect route4)
grep -qx 'default via 10.88.0.1 dev eth0 *' <<<"$r4" || bad "no IPv4 default route via 10.88.0.1"
grep -q '^10\.88\.0\.0/24 dev eth0 ' <<<"$r4" || bad "no 10.88.0.0/24 route on eth0"
r6=$(sect route6)
grep -q '^default via fd00:88::1 dev eth0' <<<"$r6" || bad "no IPv6 default route via fd00:88::1"
grep -q '^fd00:88::/64 dev eth0' <<<"$r6" || bad "no fd00:88::/64 route on eth0"
grep -v '^rc=' <<<"$r4
$r6" | grep -v ' dev eth0\b' | grep -v ' dev lo\b' | grep -q . &&
	bad "routes over other devices"
want "ip link names" "lo eth0" "$(sect link | awk -F': ' '/^[0-9]/ {printf "%s%s", s, $2; s=" "}')"
sect link | grep -q 'eth0:.*<[^>]*\bUP\b' || bad "eth0 not UP"
want "ip -j addr" "1 lo 00:00:00:00:00:00 127.0.0.1/8 ::1/128
2 eth0 $mac 10.88.0.2/24 fd00:88::2/64 fe80::
rc=0" "$(sect json | sed 's/ fe80::[0-9a-f:]*\/64/ fe80::/')"
want "hostname -I" "10.88.0.2 fd00:88::2
rc=0" "$(sect hostname_I | sed 's/ *$//')"
for s in ifconfig ifconfig_a; do
	want "busybox $s names" "eth0 lo" "$(sect $s | awk '/^[a-z]/ && !/^rc=/ {printf "%s%s", p, $1; p=" "}')"
	want "busybox $s inet" "inet addr:10.88.0.2 Bcast:10.88.0.255 Mask:255.255.255.0
inet addr:127.0.0.1 Mask:255.0.0.0" "$(sect $s | sed -n 's/^ *\(inet addr:.*[0-9]\) *$/\1/p' | tr -s ' ')"
	sect $s | grep -qi "HWaddr $mac" || bad "busybox $s: no HWaddr $mac"
done
want "ioctls" "if_nameindex [(1, 'lo'), (2, 'eth0')]
SIOCGIFCONF lo 127.0.0.1
SIOCGIFCONF eth0 10.88.0.2
lo SIOCGIFINDEX 1
lo SIOCGIFADDR 127.0.0.1
lo SIOCGIFNETMASK 255.0.0.0
lo SIOCGIFMTU 65536
lo SIOCGIFFLAGS UP,LOOPBACK,RUNNING
lo SIOCGIFHWADDR 772 00:00:00:00:00:00
eth0 SIOCGIFINDEX 2
eth0 SIOCGIFADDR 10.88.0.2
eth0 SIOCGIFNETMASK 255.255.255.0
eth0 SIOCGIFMTU MTU
eth0 SIOCGIFFLAGS UP,BROADCAST,RUNNING,MULTICAST
eth0 SIOCGIFHWADDR 1 $mac
index1 SIOCGIFNAME lo
index2 SIOCGIFNAME eth0
index3 SIOCGIFNAME ENODEV
nosuch0 SIOCGIFINDEX ENODEV
rc=0" "$(sect ioctl | sed 's/^eth0 SIOCGIFMTU [0-9][0-9]*$/eth0 SIOCGIFMTU MTU/')"
# the MTU agrees between netlink, ifconfig and the ioctl
m1=$(sect link | sed -n 's/.*eth0:.* mtu \([0-9]*\) .*/\1/p')
m2=$(sect ioctl | sed -n 's/^eth0 SIOCGIFMTU //p')
if [ -z "$m1" ] || [ "$m1" != "$m2" ]; then
	bad "eth0 MTU: netlink '$m1', ioctl '$m2'"
fi

# nothing of the invoker's namespace
for leak in rtdx$$ rtdy$$ 192.0.2.77 2001:db8::77 'runsc[0-9]' 10.88.0.1/ fd00:88::1/; do
	grep -n -- "$leak" "$o" >&2 && bad "host detail '$leak' visible in the sandbox"
done
exit $rc
