#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""poll/epoll/select readiness on listeners and connections, non-blocking
connect, listen backlog."""
import errno
import select
import socket
import time

from semlib import V4, BLACKHOLE, out, attempt, listener, pair, run, ename

IN, OUT = select.POLLIN, select.POLLOUT


def pflags(fd, timeout_ms=0, mask=IN | OUT | select.POLLRDHUP):
    p = select.poll()
    p.register(fd, mask)
    r = p.poll(timeout_ms)
    v = r[0][1] if r else 0
    names = [n for n, b in (("IN", IN), ("OUT", OUT), ("RDHUP", select.POLLRDHUP),
                            ("HUP", select.POLLHUP), ("ERR", select.POLLERR)) if v & b]
    return "|".join(names) or "none"


def sel(fd, timeout=0):
    r, w, _ = select.select([fd], [fd], [], timeout)
    return "r=%d w=%d" % (len(r), len(w))


def ep(fd, timeout=0):
    e = select.epoll()
    e.register(fd, select.EPOLLIN | select.EPOLLOUT | select.EPOLLRDHUP)
    r = e.poll(timeout)
    e.close()
    v = r[0][1] if r else 0
    return "in=%d out=%d rdhup=%d" % (bool(v & select.EPOLLIN), bool(v & select.EPOLLOUT),
                                      bool(v & select.EPOLLRDHUP))


def listener_readiness():
    l = listener()
    out("listener idle poll", pflags(l, 100))
    out("listener idle select", sel(l, 0.1))
    out("listener idle epoll", ep(l, 0.1))
    c = socket.create_connection(l.getsockname(), timeout=10)
    out("listener pending poll", pflags(l, 5000, IN))
    out("listener pending select", sel(l, 5))
    out("listener pending epoll", ep(l, 5))
    # edge-triggered epoll reports a new connection once
    e = select.epoll()
    e.register(l, select.EPOLLIN | select.EPOLLET)
    out("listener ET first", len(e.poll(5)))
    out("listener ET again", len(e.poll(0.1)))
    c2 = socket.create_connection(l.getsockname(), timeout=10)
    out("listener ET second conn", len(e.poll(5)))
    a, _ = l.accept()
    a2, _ = l.accept()
    out("listener drained poll", pflags(l, 100))
    l.setblocking(False)
    attempt("accept on drained non-blocking listener", l.accept)
    e.close()
    for s in (c, c2, a, a2, l):
        s.close()


def conn_readiness():
    c, a, l = pair()
    out("conn idle poll", pflags(c, 100))
    out("conn idle select", sel(c, 0.1))
    out("conn idle epoll", ep(c, 0.1))
    a.sendall(b"x")
    out("conn data poll", pflags(c, 5000, IN))
    out("conn data select", sel(c, 5))
    out("conn data epoll", ep(c, 5))
    c.recv(1)
    a.shutdown(socket.SHUT_WR)
    out("conn peer FIN poll", pflags(c, 5000, IN | select.POLLRDHUP))
    time.sleep(0.2)
    out("conn peer FIN poll full", pflags(c, 100))
    out("conn peer FIN epoll", ep(c, 1))
    out("conn read at FIN", c.recv(10))
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.3)
    out("conn both shut poll", pflags(c, 100))
    for s in (c, a, l):
        s.close()


def fill_write():
    # a writer that never gets read eventually stops being writable, and
    # becomes writable again once the reader drains
    c, a, l = pair()
    c.setblocking(False)
    total = 0
    chunk = b"z" * 65536
    t = time.monotonic()
    full = False
    while time.monotonic() - t < 20 and not full:
        try:
            total += c.send(chunk)
        except BlockingIOError:
            # buffered layers may still drain: full means no POLLOUT for 0.5 s
            full = pflags(c, 500, OUT) == "none"
    out("send buffer filled without reader", full and 0 < total < 256 * 1024 * 1024)
    out("full writer poll", pflags(c, 200, OUT))
    got = 0
    a.settimeout(10)
    while got < total:
        got += len(a.recv(1 << 20))
    out("all queued bytes arrive", got == total)
    out("drained writer poll", pflags(c, 5000, OUT))
    for s in (c, a, l):
        s.close()


def nonblocking_connect():
    l = listener()
    s = socket.socket()
    s.setblocking(False)
    r = s.connect_ex(l.getsockname())
    out("nb connect to listener", ename(r) if r else "0")
    out("nb connect writable", pflags(s, 5000, OUT))
    out("nb connect SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    r = s.connect_ex(l.getsockname())
    out("nb connect again", ename(r) if r else "0")
    s.close()
    port = l.getsockname()[1]
    l.close()
    s = socket.socket()
    s.setblocking(False)
    r = s.connect_ex((V4, port))
    out("nb connect refused rc", "EINPROGRESS/0" if r in (0, errno.EINPROGRESS) else ename(r))
    f = pflags(s, 5000, OUT)
    out("nb connect refused writable", "OUT" in f)
    out("nb connect refused SO_ERROR", ename(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)))
    out("nb connect refused SO_ERROR cleared", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    s.close()
    # nobody answers: no POLLOUT before the handshake
    s = socket.socket()
    s.setblocking(False)
    r = s.connect_ex((BLACKHOLE, 80))
    out("nb connect blackhole rc", ename(r) if r else "0")
    out("nb connect blackhole poll 1s", pflags(s, 1000))
    out("nb connect blackhole select", sel(s, 0.2))
    out("nb connect blackhole SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    attempt("nb connect blackhole again", lambda: s.connect((BLACKHOLE, 80)))
    attempt("send before handshake", lambda: s.send(b"x"))
    s.close()
    # blocking connect with a timeout
    s = socket.socket()
    s.settimeout(1)
    try:
        s.connect((BLACKHOLE, 80))
        out("blocking connect blackhole", "connected?!")
    except socket.timeout:
        out("blocking connect blackhole", "timeout")
    except OSError as e:
        out("blocking connect blackhole", ename(e))
    s.close()


def backlog():
    l = socket.socket()
    l.bind((V4, 0))
    l.listen(2)
    addr = l.getsockname()
    cs = []
    for i in range(6):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(addr)
        cs.append(s)
    time.sleep(0.5)
    l.setblocking(False)
    n = 0
    acc = []
    while True:
        try:
            a, _ = l.accept()
            acc.append(a)
            n += 1
        except BlockingIOError:
            break
    out("backlog 2: first accept round at least 2", n >= 2)
    out("backlog 2: first accept round at most 6", n <= 6)
    t = time.monotonic()
    while n < 6 and time.monotonic() - t < 15:
        r, _, _ = select.select([l], [], [], 0.5)
        if r:
            try:
                a, _ = l.accept()
                acc.append(a)
                n += 1
            except BlockingIOError:
                pass
    out("backlog 2: all 6 accepted eventually", n)
    ok = True
    for i, s in enumerate(cs):
        s.setblocking(True)
        s.settimeout(10)
        try:
            s.sendall(b"%d" % i)
        except OSError:
            ok = False
    got = sorted(int(a.recv(10) or b"-1") for a in acc if a.settimeout(10) is None)
    out("backlog 2: data on every connection", ok and got == list(range(6)))
    for s in cs + acc + [l]:
        s.close()
    l = socket.socket()
    l.bind((V4, 0))
    l.listen(0)
    c = socket.create_connection(l.getsockname(), timeout=10)
    l.settimeout(10)
    a, _ = l.accept()
    out("listen(0) accepts", True)
    for s in (c, a, l):
        s.close()


run([listener_readiness, conn_readiness, fill_write, nonblocking_connect, backlog])
