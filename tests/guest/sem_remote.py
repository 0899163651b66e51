#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Client-side semantics against peer.py on the other end of the link
(SEM_PEER4 / SEM_PEER6, default 10.88.0.1 / fd00:88::1): every byte crosses
the tap, so in the sandbox this exercises lwIP rather than loopback."""
import os
import select
import socket
import time

from semlib import out, attempt, recv_all, run, ename

P4 = os.environ.get("SEM_PEER4", "10.88.0.1")
P6 = os.environ.get("SEM_PEER6", "fd00:88::1")
PORT = 9100


def cmd(c, host=P4):
    s = socket.create_connection((host, PORT), timeout=10)
    s.sendall(c.encode() + b"\n")
    return s


def wait_peer():
    for _ in range(100):
        try:
            socket.create_connection((P4, PORT), timeout=1).close()
            socket.create_connection((P6, PORT), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def echo():
    for tag, h in (("v4", P4), ("v6", P6)):
        s = cmd("echo", h)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ok = True
        for i in range(100):
            s.sendall(b"ping %d" % i)
            if s.recv(100) != b"ping %d" % i:
                ok = False
        out("%s 100 echo round trips" % tag, ok)
        out("%s peer address" % tag, s.getpeername()[0])
        out("%s local address" % tag, s.getsockname()[0])
        s.shutdown(socket.SHUT_WR)
        out("%s EOF after SHUT_WR" % tag, recv_all(s))
        s.close()


def refused():
    for tag, h in (("v4", P4), ("v6", P6)):
        s = socket.socket(socket.AF_INET if tag == "v4" else socket.AF_INET6)
        s.settimeout(10)
        attempt("%s connect to closed remote port" % tag, lambda: s.connect((h, 9199)))
        s.close()
        s = socket.socket(socket.AF_INET if tag == "v4" else socket.AF_INET6)
        s.setblocking(False)
        r = s.connect_ex((h, 9199))
        out("%s nb connect refused rc" % tag, ename(r) if r else "0")
        p = select.poll()
        p.register(s, select.POLLOUT)
        out("%s nb connect refused writable" % tag, bool(p.poll(5000)))
        out("%s nb connect refused SO_ERROR" % tag,
            ename(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)))
        s.close()


def reset():
    s = cmd("rst")
    s.settimeout(10)
    time.sleep(0.3)
    attempt("recv after remote RST", lambda: s.recv(10))
    attempt("send after remote RST", lambda: s.send(b"x", socket.MSG_NOSIGNAL))
    s.close()


def halfclose():
    s = cmd("halfclose")
    s.sendall(b"x" * 300000)
    s.shutdown(socket.SHUT_WR)
    out("reply after SHUT_WR", recv_all(s))
    s.close()


def bulk():
    s = cmd("big 20000000")
    n = len(recv_all(s, 60))
    out("received from peer", n)
    s.close()
    s = cmd("sink")
    s.sendall(b"s" * 20000000)
    s.shutdown(socket.SHUT_WR)
    out("peer counted", recv_all(s, 60))
    s.close()


def nb_connect():
    s = socket.socket()
    s.setblocking(False)
    r = s.connect_ex((P4, PORT))
    out("nb connect remote rc", ename(r) if r else "0")
    p = select.poll()
    p.register(s, select.POLLOUT)
    out("nb connect remote writable", bool(p.poll(5000)))
    out("nb connect remote SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    s.setblocking(True)
    s.sendall(b"echo\nabc")
    s.shutdown(socket.SHUT_WR)
    out("nb connect remote echo", recv_all(s))
    s.close()


def server():
    for tag, fam, any_ in (("v4", socket.AF_INET, "0.0.0.0"), ("v6", socket.AF_INET6, "::")):
        l = socket.socket(fam)
        l.bind((any_, 0))
        l.listen(4)
        me = os.environ.get("SEM_SELF4" if tag == "v4" else "SEM_SELF6",
                            "10.88.0.2" if tag == "v4" else "fd00:88::2")
        p = select.poll()
        p.register(l, select.POLLIN)
        s = cmd("connect %s %d" % (me, l.getsockname()[1]))
        out("%s listener readable on remote connect" % tag, bool(p.poll(10000)))
        a, peer = l.accept()
        out("%s accepted peer" % tag, peer[0])
        out("%s accepted local" % tag, a.getsockname()[0])
        out("%s data from remote" % tag, recv_all(a))
        a.sendall(b"reply")
        a.close()
        out("%s remote saw" % tag, recv_all(s))
        s.close()
        l.close()


wait_peer()
run([echo, refused, reset, halfclose, bulk, nb_connect, server])
