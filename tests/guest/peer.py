#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side peer for sem_remote.py: a command server on PORT (default 9100).

Each connection sends one command line:
  echo            echo until EOF, then close
  rst             close at once with SO_LINGER 0 (RST)
  halfclose       read until EOF, reply "got N bytes", close
  big N           send N bytes of 'b', close
  sink            read until EOF, reply the byte count, close
  connect H P     connect to H:P, send "hi from peer", SHUT_WR, echo back
                  what arrives, reply "done"
"""
import socket
import struct
import sys
import threading


def recv_all(s):
    d = b""
    while True:
        b = s.recv(65536)
        if not b:
            return d
        d += b


def line(s):
    d = b""
    while not d.endswith(b"\n"):
        b = s.recv(1)
        if not b:
            break
        d += b
    return d.decode().split()


def serve(c):
    try:
        cmd = line(c)
        if not cmd:
            return
        if cmd[0] == "echo":
            while True:
                b = c.recv(65536)
                if not b:
                    break
                c.sendall(b)
        elif cmd[0] == "rst":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif cmd[0] == "halfclose":
            d = recv_all(c)
            c.sendall(b"got %d bytes" % len(d))
        elif cmd[0] == "big":
            n = int(cmd[1])
            chunk = b"b" * 65536
            while n > 0:
                c.sendall(chunk[:min(n, len(chunk))])
                n -= min(n, len(chunk))
        elif cmd[0] == "sink":
            c.sendall(b"%d" % len(recv_all(c)))
        elif cmd[0] == "connect":
            s = socket.create_connection((cmd[1], int(cmd[2])), timeout=10)
            s.sendall(b"hi from peer")
            s.shutdown(socket.SHUT_WR)
            d = recv_all(s)
            s.close()
            c.sendall(b"done " + d)
    except OSError as e:
        sys.stderr.write("peer: %s\n" % e)
    finally:
        c.close()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9100
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l.bind(("::", port))
    l.listen(128)
    while True:
        c, _ = l.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


main()
