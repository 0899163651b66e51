#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Addresses, binding and socket options."""
import errno
import socket
import time

from semlib import V4, V6, out, attempt, listener, pair, recv_all, run, ename

AF = {"v4": socket.AF_INET, "v6": socket.AF_INET6}


def getsockopts():
    for tag, fam in AF.items():
        s = socket.socket(fam, socket.SOCK_STREAM)
        out("%s SO_TYPE" % tag, s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
        out("%s SO_DOMAIN" % tag, s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN))
        out("%s SO_PROTOCOL" % tag, s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
        out("%s SO_ACCEPTCONN before listen" % tag,
            s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
        out("%s SO_ERROR fresh" % tag, s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
        s.bind((V4 if fam == socket.AF_INET else V6, 0))
        s.listen(1)
        out("%s SO_ACCEPTCONN after listen" % tag,
            s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
        s.close()
    c, a, l = pair()
    out("accepted SO_ACCEPTCONN", a.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    out("accepted SO_TYPE", a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
    for s in (c, a, l):
        s.close()


def nodelay():
    c, a, l = pair()
    out("TCP_NODELAY default", c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    out("TCP_NODELAY after set 1", c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
    out("TCP_NODELAY after set 0", c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # 200 small request/response round trips complete promptly
    t = time.monotonic()
    a.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ok = True
    for i in range(200):
        c.sendall(b"q%03d" % (i % 1000))
        if a.recv(16) != b"q%03d" % (i % 1000):
            ok = False
        a.sendall(b"r")
        if c.recv(16) != b"r":
            ok = False
    out("200 nodelay round trips", ok)
    out("200 nodelay round trips under 5s", time.monotonic() - t < 5)
    attempt("SO_KEEPALIVE set", lambda: c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
    out("SO_KEEPALIVE get", c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) != 0)
    for s in (c, a, l):
        s.close()


def addrinuse():
    l = listener()
    port = l.getsockname()[1]
    s = socket.socket()
    attempt("bind port of listener, no SO_REUSEADDR", lambda: s.bind((V4, port)))
    s.close()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    attempt("bind port of listener, SO_REUSEADDR", lambda: s.bind((V4, port)))
    s.close()
    s6 = socket.socket(socket.AF_INET6)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    attempt("bind [::] dual-stack on port of v4 listener", lambda: s6.bind(("::", port)))
    s6.close()
    l.close()
    s = socket.socket()
    attempt("bind port after listener closed", lambda: s.bind((V4, port)))
    s.close()


def reuseaddr():
    # leave a TIME_WAIT on the server side (server closes first)
    l = listener()
    port = l.getsockname()[1]
    c = socket.create_connection((V4, port), timeout=10)
    a, _ = l.accept()
    a.close()
    recv_all(c)
    c.close()
    l.close()
    time.sleep(0.2)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    attempt("rebind TIME_WAIT port with SO_REUSEADDR", lambda: s.bind((V4, port)))
    attempt("listen on it", lambda: s.listen(4))
    c = socket.socket()
    attempt("connect to re-bound listener",
            lambda: c.connect((V4, port)))
    out("SO_REUSEADDR get", s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
    c.close()
    s.close()


def addrnotavail():
    s = socket.socket()
    attempt("bind 192.0.2.1 (not local)", lambda: s.bind(("192.0.2.1", 0)))
    s.close()
    s = socket.socket(socket.AF_INET6)
    attempt("bind 2001:db8::1 (not local)", lambda: s.bind(("2001:db8::1", 0)))
    s.close()
    s = socket.socket()
    attempt("bind 0.0.0.0:0", lambda: s.bind(("0.0.0.0", 0)))
    out("bound port nonzero", s.getsockname()[1] != 0)
    s.close()


def ephemeral():
    l = listener()
    host, port = l.getsockname()
    ports = set()
    conns = []
    for i in range(5):
        c = socket.create_connection((host, port), timeout=10)
        a, peer = l.accept()
        me = c.getsockname()
        out("client %d local addr" % i, me[0])
        ports.add(me[1])
        out("client %d local port is ephemeral" % i, me[1] != 0 and me[1] != port)
        out("client %d accepted peer matches" % i, peer == me and a.getpeername() == me)
        out("client %d getpeername" % i, c.getpeername() == (host, port))
        conns += [c, a]
    out("5 distinct ephemeral ports", len(ports) == 5)
    s = socket.socket()
    attempt("getpeername unconnected", s.getpeername)
    out("getsockname unbound", s.getsockname())
    for x in conns + [l, s]:
        x.close()


def refused():
    l = listener()
    port = l.getsockname()[1]
    l.close()
    for tag, fam, addr in (("v4", socket.AF_INET, V4), ("v6", socket.AF_INET6, V6)):
        s = socket.socket(fam)
        s.settimeout(10)
        attempt("%s connect to closed port" % tag, lambda: s.connect((addr, port)))
        out("%s SO_ERROR after refusal" % tag, s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
        s.close()


def dualstack():
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l.bind(("::", 0))
    l.listen(4)
    port = l.getsockname()[1]
    c = socket.create_connection((V4, port), timeout=10)
    a, peer = l.accept()
    out("v6 listener v4 peer", peer[0])
    out("v6 listener v4 local", a.getsockname()[0])
    c.sendall(b"dual")
    out("v6 listener v4 data", a.recv(10))
    c.close(); a.close()
    c = socket.create_connection((V6, port), timeout=10)
    a, peer = l.accept()
    out("v6 listener v6 peer", peer[0])
    c.close(); a.close(); l.close()
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    l.bind(("::", 0))
    l.listen(4)
    port = l.getsockname()[1]
    out("IPV6_V6ONLY get", l.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY))
    s = socket.socket()
    s.settimeout(10)
    attempt("v4 connect to V6ONLY listener", lambda: s.connect((V4, port)))
    s.close(); l.close()


run([getsockopts, nodelay, addrinuse, reuseaddr, addrnotavail, ephemeral,
     refused, dualstack])
