#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side UDP peer for sem_udp.py: a dual-stack datagram server on PORT
(default 9101) and a second socket on PORT+1 for replies from another port.

Each datagram received on PORT is a command (first word):
  other ...   reply the datagram from PORT+1 instead of PORT
  multi N     reply N datagrams "m0" .. "m<N-1>"
  size        reply the received length as text
  anything    echo it back unchanged (also empty datagrams)
Runs until killed.
"""
import socket
import sys


def sock(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("::", port))
    return s


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9101
    s = sock(port)
    o = sock(port + 1)
    while True:
        d, a = s.recvfrom(65536)
        w = d.split(b" ")
        try:
            if w[0] == b"other":
                o.sendto(d, a)
            elif w[0] == b"multi":
                for i in range(int(w[1])):
                    s.sendto(b"m%d" % i, a)
            elif w[0] == b"size":
                s.sendto(b"%d" % len(d), a)
            else:
                s.sendto(d, a)
        except (OSError, ValueError, IndexError) as e:
            sys.stderr.write("udp_peer: %s\n" % e)


main()
