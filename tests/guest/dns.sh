#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dns.sh SERVER - name lookups through the resolver named in /etc/resolv.conf
# (glibc: getent, python getaddrinfo) and directly at SERVER (busybox
# nslookup), against the zone t_dns.sh serves with dnsmasq:
#   test.example   A 10.1.2.3, AAAA fd00:1::3
#   v4.example     A 10.1.2.4 (no AAAA)
#   nx.example     NXDOMAIN
# One deterministic line per result.
srv=$1
echo "ahostsv4 test.example: $(getent ahostsv4 test.example | awk '{print $1}' | sort -u | tr '\n' ' ')"
echo "ahostsv6 test.example: $(getent ahostsv6 test.example | awk '{print $1}' | sort -u | tr '\n' ' ')"
echo "ahostsv4 v4.example: $(getent ahostsv4 v4.example | awk '{print $1}' | sort -u | tr '\n' ' ')"
getent hosts nx.example >/dev/null
echo "hosts nx.example: exit $?"
python3 - <<'PY'
import socket
for name in ("test.example", "v4.example"):
    try:
        r = sorted({a[4][0] for a in socket.getaddrinfo(name, 53, type=socket.SOCK_DGRAM)})
    except socket.gaierror as e:
        r = "gaierror %s" % e.errno
    print("getaddrinfo %s: %s" % (name, r))
print("gethostbyname test.example:", socket.gethostbyname("test.example"))
try:
    socket.gethostbyname("nx.example")
    print("gethostbyname nx.example: found?!")
except socket.gaierror as e:
    print("gethostbyname nx.example: EAI_NONAME" if e.errno == socket.EAI_NONAME else "gaierror %s" % e.errno)
PY
# busybox nslookup prints the answers as "Address: X" after "Name:" lines
for q in A AAAA; do
	a=$(busybox nslookup -type=$q test.example "$srv" 2>&1 | sed -n '/^Name:/,$s/^Address:[[:space:]]*//p' | sort -u | tr '\n' ' ')
	echo "nslookup -type=$q test.example @$srv: $a"
done
busybox nslookup nx.example "$srv" >/dev/null 2>&1
echo "nslookup nx.example: exit $?"
