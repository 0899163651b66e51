#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bulk TCP transfer with sha256 on both ends.

  bulk.py send HOST PORT BYTES      connect, send BYTES, print "sent N DIGEST"
  bulk.py recv-listen PORT          accept one connection, read to EOF,
                                    print "received N DIGEST"
The data is a 1 MiB random block repeated with a per-chunk counter, so a
lost, duplicated or reordered chunk changes the digest.
"""
import hashlib
import os
import socket
import struct
import sys
import time

CHUNK = 1 << 20


def send(host, port, total):
    for _ in range(300):
        try:
            s = socket.create_connection((host, port), timeout=30)
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("bulk: cannot connect")
    s.settimeout(120)
    block = bytearray(os.urandom(CHUNK))
    h = hashlib.sha256()
    n = i = 0
    while n < total:
        struct.pack_into("<Q", block, 0, i)
        m = min(CHUNK, total - n)
        view = memoryview(block)[:m]
        s.sendall(view)
        h.update(view)
        n += m
        i += 1
    s.shutdown(socket.SHUT_WR)
    s.recv(1)  # wait for the receiver's close
    s.close()
    print("sent %d %s" % (n, h.hexdigest()), flush=True)


def recv_listen(port):
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l.bind(("::", port))
    l.listen(1)
    print("listening", flush=True)
    c, _ = l.accept()
    c.settimeout(120)
    h = hashlib.sha256()
    n = 0
    buf = bytearray(CHUNK)
    while True:
        m = c.recv_into(buf)
        if not m:
            break
        h.update(memoryview(buf)[:m])
        n += m
    c.close()
    print("received %d %s" % (n, h.hexdigest()), flush=True)


if sys.argv[1] == "send":
    send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
else:
    recv_listen(int(sys.argv[2]))
