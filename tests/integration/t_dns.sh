#!/bin/bash
# shellcheck disable=SC1010,SC1091
# glibc resolver, python getaddrinfo and busybox nslookup in the sandbox,
# through dnsmasq on the host side of the tap (10.88.0.1 and fd00:88::1):
# the answers must be the zone's. The same script runs natively (veth) too,
# so a failure there is the test's, not runsc's.
. "$(dirname "$0")/lib.sh"

command -v dnsmasq >/dev/null || skip "dnsmasq not installed (apt: dnsmasq-base)"

native_ns nat
nat=$NS
mkns sb
sb=$NS
# native resolv.conf: ip netns exec bind-mounts /etc/netns/NS/resolv.conf
mkdir -p "/etc/netns/$nat"
trap 'rc=$?; rm -rf "/etc/netns/$nat"; rmdir /etc/netns 2>/dev/null; (exit $rc); _cleanup' EXIT

# --bind-interfaces would miss the tap (it appears later): wildcard for sb
bg "${nat}h" timeout 120 dnsmasq -k -p 53 --no-resolv --no-hosts \
	--conf-file=/dev/null --pid-file= --user=root \
	--address=/test.example/10.1.2.3 --address=/test.example/fd00:1::3 \
	--address=/v4.example/10.1.2.4 --local=/nx.example/
bg "$sb" timeout 120 dnsmasq -k -p 53 --no-resolv --no-hosts \
	--conf-file=/dev/null --pid-file= --user=root \
	--address=/test.example/10.1.2.3 --address=/test.example/fd00:1::3 \
	--address=/v4.example/10.1.2.4 --local=/nx.example/
wait_v6 "${nat}h" fd00:88::1
sleep 0.5

exp() {
	cat <<EOT
ahostsv4 test.example: 10.1.2.3 
ahostsv6 test.example: fd00:1::3 
ahostsv4 v4.example: 10.1.2.4 
hosts nx.example: exit 2
getaddrinfo test.example: ['10.1.2.3', 'fd00:1::3']
getaddrinfo v4.example: ['10.1.2.4']
gethostbyname test.example: 10.1.2.3
gethostbyname nx.example: EAI_NONAME
nslookup -type=A test.example @$1: 10.1.2.3 
nslookup -type=AAAA test.example @$1: fd00:1::3 
nslookup nx.example: exit 1
EOT
}

rc=0
for srv in 10.88.0.1 fd00:88::1; do
	exp "$srv" >"$T_TMP/expected"
	echo "nameserver $srv" >"/etc/netns/$nat/resolv.conf"
	ip netns exec "$nat" timeout 30 sh "$GUEST_PY/dns.sh" "$srv" >"$T_TMP/native" 2>&1
	if ! diff -u "$T_TMP/expected" "$T_TMP/native" >&2; then
		echo "FAIL: native lookups via $srv are not the zone's (test problem)" >&2
		rc=1
	fi
	# the guest writes its own resolv.conf (throw-away overlay); retry the
	# first lookup while the tap's v6 address finishes DAD
	ip netns exec "$sb" timeout 60 "$RUNSC" do -- sh -c "
		echo 'nameserver $srv' >/etc/resolv.conf || exit 99
		for i in \$(seq 50); do
			getent ahostsv4 test.example >/dev/null && break
			sleep 0.2
		done
		exec sh '$GUEST_PY/dns.sh' '$srv'" >"$T_TMP/sandbox" 2>&1
	note "sandbox via $srv: runsc exit $?"
	if diff -u "$T_TMP/expected" "$T_TMP/sandbox" >&2; then
		note "sandbox lookups via $srv: as expected ($(wc -l <"$T_TMP/sandbox") lines)"
	else
		echo "FAIL: sandbox lookups via $srv differ from the zone" >&2
		rc=1
	fi
done
exit $rc
