#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# capture.sh OUTDIR - record the rtnetlink dumps a Docker container's network
# namespace gives (root; makes and removes two namespaces of its own)
#
# The "container" gets what Docker's prestart hook gives it: a veth eth0
# with 172.17.0.2/16 and fd00:17::2/64 (nodad, as libnetwork adds them),
# MTU 1500, default routes via 172.17.0.1 and fd00:17::1. The replies to
# RTM_GETLINK, RTM_GETADDR (AF_UNSPEC), RTM_GETROUTE (AF_INET, AF_INET6)
# dumps, sequence numbers 1 to 4, are written as link.bin, addr.bin,
# route4.bin and route6.bin: every datagram, back to back, NLMSG_DONE
# included. tests/unit/sentry_ifscrape.c parses them.
set -eu
out=$1
c=ifscr-$$-c
h=ifscr-$$-h
trap 'ip netns del $c 2>/dev/null; ip netns del $h 2>/dev/null' EXIT
ip netns add $c
ip netns add $h
ip link add veth$$ netns $h type veth peer name eth0 netns $c
ip -n $c link set eth0 address 02:42:ac:11:00:02
ip -n $c link set lo up
ip -n $c link set eth0 up
ip -n $h link set veth$$ up
ip -n $c addr add 172.17.0.2/16 dev eth0
ip -n $c -6 addr add fd00:17::2/64 dev eth0 nodad
ip -n $c route add default via 172.17.0.1
ip -n $c -6 route add default via fd00:17::1
sleep 1 # the link-local address leaves DAD
ip netns exec $c /usr/bin/python3 - "$out" <<'PY'
import socket, struct, sys
out = sys.argv[1]
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
reqs = [("link", 18, 0, 16), ("addr", 22, 0, 8), ("route4", 26, 2, 12),
        ("route6", 26, 10, 12)]
for seq, (name, typ, fam, blen) in enumerate(reqs, 1):
    body = bytes([fam]) + bytes(blen - 1)
    s.send(struct.pack("=IHHII", 16 + blen, typ, 0x301, seq, 0) + body)
    data = b""
    while True:
        d = s.recv(32768)
        data += d
        done = False
        off = 0
        while off < len(d):
            ln, t = struct.unpack_from("=IH", d, off)
            if t == 3:
                done = True
            off += (ln + 3) & ~3
        if done:
            break
    open(f"{out}/{name}.bin", "wb").write(data)
PY
