#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""UDP semantics: local datagrams over SEM_V4 / SEM_V6 (loopback or the own
address), and across the link against udp_peer.py on SEM_PEER4 / SEM_PEER6
(default 10.88.0.1 / fd00:88::1, port 9101; SEM_PEER=none skips that part).

Covered: bind/autobind/getsockname, connect/getpeername, unconnect
(AF_UNSPEC), sendto/sendmsg/sendmmsg, recvfrom/recvmsg/recvmmsg, read()
mixed with recvfrom(), MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, datagram
boundaries and empty datagrams, size limits, poll/epoll/select readiness,
held blocking receives, SO_BROADCAST, v4-mapped addresses, ICMP port
unreachable -> ECONNREFUSED on receives with an address (recvfrom/recvmsg;
plain recv() on a connected socket is a documented runsc limitation and is
not tested). No ports are printed, only whether they match."""
import ctypes
import os
import select
import signal
import socket
import struct
import threading
import time

from semlib import V4, V6, out, attempt, run, ename

P4 = os.environ.get("SEM_PEER4", "10.88.0.1")
P6 = os.environ.get("SEM_PEER6", "fd00:88::1")
REMOTE = os.environ.get("SEM_PEER", "") != "none"
PORT = 9101
CLOSED = 9199

FAMS = (("v4", socket.AF_INET, V4), ("v6", socket.AF_INET6, V6))
DG = socket.SOCK_DGRAM
IN, OUT = select.POLLIN, select.POLLOUT


def udp(fam=socket.AF_INET, addr=None, timeout=10):
    s = socket.socket(fam, DG)
    if addr is not None:
        s.bind((addr, 0))
    if timeout is not None:
        s.settimeout(timeout)
    return s


def dst(s):
    return s.getsockname()[:2]


def src(a, s):
    """A recvfrom address, with 'sender port' if it is s's port."""
    if not a:
        return "no address"
    return "%s %s" % (a[0], "sender port" if a[1] == s.getsockname()[1] else "other port %s" % ("set" if a[1] else 0))


def sockname(s):
    a = s.getsockname()
    return "%s port %s" % (a[0], "set" if a[1] else 0)


def pflags(s, timeout_ms=0):
    p = select.poll()
    p.register(s, IN | OUT)
    r = p.poll(timeout_ms)
    v = r[0][1] if r else 0
    return "|".join(n for n, b in (("IN", IN), ("OUT", OUT), ("HUP", select.POLLHUP),
                                   ("ERR", select.POLLERR)) if v & b) or "none"


def wait_in(s, timeout_ms=5000):
    p = select.poll()
    p.register(s, IN)
    return bool(p.poll(timeout_ms))


def drain(s):
    """Read whatever is still queued (keeps one divergence from cascading)."""
    time.sleep(0.2)
    while True:
        try:
            s.recv(65536, socket.MSG_DONTWAIT)
        except OSError:
            return


class Alarm:
    """Bound a blocking call: SIGALRM after SECS raises TimeoutError."""

    def __init__(self, secs=10):
        self.secs = secs

    def __enter__(self):
        def h(*_):
            raise TimeoutError("alarm")
        self.old = signal.signal(signal.SIGALRM, h)
        signal.alarm(self.secs)

    def __exit__(self, *a):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)


# --- libc: sendmmsg / recvmmsg / connect(AF_UNSPEC) ---------------------------

libc = ctypes.CDLL(None, use_errno=True)


class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class Msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(Iovec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class Mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", Msghdr), ("len", ctypes.c_uint)]


def sa_pack(addr):
    host, port = addr[:2]
    if ":" in host:
        return struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", port, 0) + \
            socket.inet_pton(socket.AF_INET6, host) + struct.pack("=I", 0)
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
        socket.inet_aton(host) + b"\0" * 8


def sa_unpack(b, n):
    if n < 2:
        return None
    fam = struct.unpack("=H", b[:2])[0]
    if fam == socket.AF_INET:
        return (socket.inet_ntoa(b[4:8]), struct.unpack("!H", b[2:4])[0])
    if fam == socket.AF_INET6:
        return (socket.inet_ntop(socket.AF_INET6, b[8:24]), struct.unpack("!H", b[2:4])[0])
    return ("family %d" % fam, 0)


def sendmmsg(s, msgs, flags=0):
    """msgs: list of (bytes, addr or None). Returns count or errno name."""
    n = len(msgs)
    vec = (Mmsghdr * n)()
    keep = []
    for i, (data, addr) in enumerate(msgs):
        buf = ctypes.create_string_buffer(data, len(data) or 1)
        iov = Iovec(ctypes.cast(buf, ctypes.c_void_p), len(data))
        keep += [buf, iov]
        vec[i].hdr.iov = ctypes.pointer(iov)
        vec[i].hdr.iovlen = 1
        if addr is not None:
            sa = ctypes.create_string_buffer(sa_pack(addr))
            keep.append(sa)
            vec[i].hdr.name = ctypes.cast(sa, ctypes.c_void_p)
            vec[i].hdr.namelen = len(sa.raw) - 1
    r = libc.sendmmsg(s.fileno(), vec, n, flags)
    if r < 0:
        return ename(ctypes.get_errno())
    return "%d sent, lens %s" % (r, ",".join(str(vec[i].len) for i in range(r)))


def recvmmsg(s, n, flags=0, size=2048):
    """Returns (count or errno name, [(data, addr, msg_flags)])."""
    vec = (Mmsghdr * n)()
    keep = []
    for i in range(n):
        buf = ctypes.create_string_buffer(size)
        iov = Iovec(ctypes.cast(buf, ctypes.c_void_p), size)
        sa = ctypes.create_string_buffer(128)
        keep.append((buf, iov, sa))
        vec[i].hdr.iov = ctypes.pointer(iov)
        vec[i].hdr.iovlen = 1
        vec[i].hdr.name = ctypes.cast(sa, ctypes.c_void_p)
        vec[i].hdr.namelen = 128
    r = libc.recvmmsg(s.fileno(), vec, n, flags, None)
    if r < 0:
        return ename(ctypes.get_errno()), []
    res = []
    for i in range(r):
        buf, _, sa = keep[i]
        res.append((buf.raw[:vec[i].len], sa_unpack(sa.raw, vec[i].hdr.namelen),
                    vec[i].hdr.flags))
    return r, res


def unconnect(s):
    sa = struct.pack("=H", socket.AF_UNSPEC) + b"\0" * 14
    r = libc.connect(s.fileno(), sa, len(sa))
    return "ok" if r == 0 else ename(ctypes.get_errno())


# --- local checks ---------------------------------------------------------------

def basics():
    for tag, fam, addr in FAMS:
        s = udp(fam, timeout=None)
        out("%s unbound getsockname" % tag, sockname(s))
        attempt("%s unbound getpeername" % tag, s.getpeername)
        # sendmsg, not send: a plain send() runs natively on the socketpair
        # and cannot fail (documented limit: the datagram is dropped)
        attempt("%s send without address, unconnected" % tag, lambda: s.sendmsg([b"x"]))
        attempt("%s recvfrom unbound MSG_DONTWAIT" % tag,
                lambda: s.recvfrom(10, socket.MSG_DONTWAIT))
        r = udp(fam, addr)
        out("%s bound getsockname" % tag, sockname(r))
        out("%s sendto" % tag, s.sendto(b"hello", dst(r)))
        out("%s autobound getsockname" % tag, sockname(s))
        with Alarm(10):
            d, a = r.recvfrom(100)
        out("%s recvfrom" % tag, "%r from %s" % (d, src(a, s)))
        x = socket.socket(fam, DG)
        attempt("%s bind in use" % tag, lambda: x.bind(dst(r)))
        x.close()
        attempt("%s bind twice" % tag, lambda: r.bind((addr, 0)))
        attempt("%s SO_TYPE" % tag, lambda: r.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
        for o in (s, r):
            o.close()


def boundaries():
    for tag, fam, addr in FAMS:
        s, r = udp(fam, addr), udp(fam, addr)
        for d in (b"a" * 10, b"b" * 20, b"", b"c" * 5):
            s.sendto(d, dst(r))
        got = []
        for _ in range(4):
            d, a = r.recvfrom(100)
            got.append("%d%s" % (len(d), "" if a[1] == s.getsockname()[1] else "?"))
        out("%s datagram lengths received" % tag, " ".join(got))
        # a small buffer truncates and the rest of that datagram is gone
        s.sendto(b"0123456789" * 10, dst(r))
        s.sendto(b"next", dst(r))
        out("%s recv(10) of 100" % tag, r.recv(10))
        out("%s following recv" % tag, r.recv(100))
        s.sendto(b"z" * 100, dst(r))
        buf = bytearray(10)
        wait_in(r)
        out("%s recv_into MSG_TRUNC" % tag, "%d %r" % (r.recv_into(buf, 10, socket.MSG_TRUNC), bytes(buf)))
        s.sendto(b"y" * 100, dst(r))
        d, _, fl, a = r.recvmsg(10)
        out("%s recvmsg short buffer" % tag, "%r trunc=%d %s" % (d, bool(fl & socket.MSG_TRUNC), src(a, s)))
        s.sendto(b"w" * 50, dst(r))
        wait_in(r)
        n, a = r.recvfrom_into(buf, 10, socket.MSG_TRUNC)
        out("%s recvfrom_into MSG_TRUNC" % tag, "%d %s" % (n, src(a, s)))
        s.sendto(b"v" * 8, dst(r))
        d, _, fl, a = r.recvmsg(100)
        out("%s recvmsg exact" % tag, "%r trunc=%d" % (d, bool(fl & socket.MSG_TRUNC)))
        s.close()
        r.close()


def limits():
    # IPv6: lwIP's 16-bit packet length caps UDP payloads at 65487 bytes
    # (Linux: 65527), a documented limit; the check stays below it
    for tag, fam, addr, mx in (("v4", socket.AF_INET, V4, 65507), ("v6", socket.AF_INET6, V6, 65487)):
        s, r = udp(fam, addr), udp(fam, addr)
        r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        attempt("%s sendto %d" % (tag, mx), lambda: s.sendto(b"L" * mx, dst(r)))
        r.settimeout(2)
        attempt("%s recv largest" % tag, lambda: len(r.recv(70000)))
        if fam == socket.AF_INET:
            attempt("%s sendto %d" % (tag, mx + 1), lambda: s.sendto(b"L" * (mx + 1), dst(r)))
        s.sendto(b"after", dst(r))
        out("%s next after too-large" % tag, r.recv(100))
        s.close()
        r.close()


def peek():
    for tag, fam, addr in FAMS:
        s, s2, r = udp(fam, addr), udp(fam, addr), udp(fam, addr)
        s.sendto(b"first", dst(r))
        s2.sendto(b"second", dst(r))
        d, a = r.recvfrom(100, socket.MSG_PEEK)
        out("%s peek" % tag, "%r from %s" % (d, src(a, s)))
        d, a = r.recvfrom(100, socket.MSG_PEEK)
        out("%s peek again" % tag, "%r from %s" % (d, src(a, s)))
        out("%s recv after peek" % tag, r.recv(100))
        wait_in(r)
        d, a = r.recvfrom(3, socket.MSG_PEEK)
        out("%s short peek" % tag, "%r from %s" % (d, src(a, s2)))
        buf = bytearray(3)
        out("%s peek MSG_TRUNC" % tag, r.recv_into(buf, 3, socket.MSG_PEEK | socket.MSG_TRUNC))
        d, _, fl, a = r.recvmsg(100, 0, socket.MSG_PEEK)
        out("%s recvmsg peek" % tag, "%r from %s" % (d, src(a, s2)))
        d, a = r.recvfrom(100)
        out("%s recvfrom after peeks" % tag, "%r from %s" % (d, src(a, s2)))
        for o in (s, s2, r):
            o.close()


def dontwait():
    for tag, fam, addr in FAMS:
        s, r = udp(fam, addr), udp(fam, addr, timeout=None)
        attempt("%s recv MSG_DONTWAIT empty" % tag, lambda: r.recv(10, socket.MSG_DONTWAIT))
        attempt("%s recvfrom MSG_DONTWAIT empty" % tag, lambda: r.recvfrom(10, socket.MSG_DONTWAIT))
        attempt("%s recvmsg MSG_DONTWAIT empty" % tag, lambda: r.recvmsg(10, 0, socket.MSG_DONTWAIT))
        out("%s recvmmsg MSG_DONTWAIT empty" % tag, recvmmsg(r, 2, socket.MSG_DONTWAIT)[0])
        out("%s still blocking" % tag, r.getblocking())
        s.sendto(b"dw", dst(r))
        wait_in(r)
        attempt("%s recvfrom MSG_DONTWAIT ready" % tag,
                lambda: "%r from %s" % (lambda d, a: (d, src(a, s)))(*r.recvfrom(10, socket.MSG_DONTWAIT)))
        r.setblocking(False)
        attempt("%s non-blocking recvfrom empty" % tag, lambda: r.recvfrom(10))
        attempt("%s non-blocking read empty" % tag, lambda: os.read(r.fileno(), 10))
        s.close()
        r.close()


def readiness():
    for tag, fam, addr in FAMS:
        s, r = udp(fam, addr), udp(fam, addr)
        out("%s idle poll" % tag, pflags(r, 100))
        e = select.epoll()
        e.register(r, select.EPOLLIN | select.EPOLLOUT)
        ev = e.poll(0.1)
        out("%s idle epoll" % tag, "in=%d out=%d" % (bool(ev and ev[0][1] & select.EPOLLIN),
                                                     bool(ev and ev[0][1] & select.EPOLLOUT)))
        s.sendto(b"r", dst(r))
        out("%s data arrives poll" % tag, wait_in(r))
        out("%s data poll" % tag, pflags(r, 0))
        ev = e.poll(1)
        out("%s data epoll" % tag, "in=%d out=%d" % (bool(ev and ev[0][1] & select.EPOLLIN),
                                                     bool(ev and ev[0][1] & select.EPOLLOUT)))
        rl, wl, _ = select.select([r], [r], [], 1)
        out("%s data select" % tag, "r=%d w=%d" % (len(rl), len(wl)))
        r.recv(10)
        out("%s drained poll" % tag, pflags(r, 100))
        # edge-triggered: one event per arrival
        et = select.epoll()
        et.register(r, select.EPOLLIN | select.EPOLLET)
        s.sendto(b"e1", dst(r))
        out("%s ET first" % tag, len(et.poll(5)))
        out("%s ET again" % tag, len(et.poll(0.1)))
        s.sendto(b"e2", dst(r))
        out("%s ET second datagram" % tag, len(et.poll(5)))
        out("%s ET both queued" % tag, "%r %r" % (r.recv(10), r.recv(10)))
        for o in (e, et, s, r):
            o.close()


def blocking():
    """Receives on a blocking socket held until the datagram arrives."""
    for tag, fam, addr in FAMS:
        s, r = udp(fam, addr), udp(fam, addr, timeout=None)
        for how in ("recvfrom", "recvmsg", "read", "recvmmsg"):
            t = threading.Timer(0.3, lambda: s.sendto(b"late " + how.encode(), dst(r)))
            t.start()
            try:
                with Alarm(10):
                    if how == "recvfrom":
                        d, a = r.recvfrom(100)
                        res = "%r from %s" % (d, src(a, s))
                    elif how == "recvmsg":
                        d, _, _, a = r.recvmsg(100)
                        res = "%r from %s" % (d, src(a, s))
                    elif how == "read":
                        res = repr(os.read(r.fileno(), 100))
                    else:
                        n, m = recvmmsg(r, 1)
                        res = "%s %s" % (n, ["%r from %s" % (d, src(a, s)) for d, a, _ in m])
                out("%s blocking %s" % (tag, how), res)
            except OSError as e:
                out("%s blocking %s" % (tag, how), ename(e))
            t.join()
        s.close()
        r.close()


def connected():
    for tag, fam, addr in FAMS:
        a, b, c = udp(fam, addr), udp(fam, addr), udp(fam, addr)
        a.connect(dst(b))
        out("%s getpeername is b" % tag, a.getpeername()[:2] == dst(b))
        out("%s connected getsockname" % tag, sockname(a))
        a.send(b"a->b")
        d, f = b.recvfrom(100)
        out("%s b got" % tag, "%r from %s" % (d, src(f, a)))
        c.sendto(b"from c (filtered)", dst(a))
        time.sleep(0.2)
        b.sendto(b"from b", dst(a))
        d, f = a.recvfrom(100)
        out("%s connected receives" % tag, "%r from %s" % (d, src(f, b)))
        out("%s nothing else queued" % tag, pflags(a, 200))
        out("%s sendto other on connected" % tag, a.sendto(b"a->c", dst(c)))
        d, f = c.recvfrom(100)
        out("%s c got" % tag, "%r from %s" % (d, src(f, a)))
        attempt("%s send after connect" % tag, lambda: a.send(b"again"))
        out("%s b got again" % tag, b.recv(100))
        # reconnect to c: now b is filtered
        a.connect(dst(c))
        out("%s reconnected peer is c" % tag, a.getpeername()[:2] == dst(c))
        b.sendto(b"from b (filtered)", dst(a))
        time.sleep(0.2)
        c.sendto(b"from c", dst(a))
        out("%s reconnected receives" % tag, a.recv(100))
        # AF_UNSPEC dissolves the association
        out("%s connect AF_UNSPEC" % tag, unconnect(a))
        attempt("%s getpeername after unconnect" % tag, a.getpeername)
        attempt("%s send after unconnect" % tag, lambda: a.sendmsg([b"x"]))
        out("%s getsockname after unconnect" % tag, sockname(a))
        b.sendto(b"from b after unconnect", dst(a))
        d, f = a.recvfrom(100)
        out("%s unconnected receives" % tag, "%r from %s" % (d, src(f, b)))
        out("%s connect AF_UNSPEC again" % tag, unconnect(a))
        # an unbound socket connected gets an address and a port
        u = udp(fam)
        u.connect(dst(b))
        out("%s connect autobinds" % tag, sockname(u))
        u.close()
        for o in (a, b, c):
            o.close()


def mixed():
    """read() and recvfrom() on the same socket, datagrams from two senders."""
    for tag, fam, addr in FAMS:
        r, b, c = udp(fam, addr), udp(fam, addr), udp(fam, addr)
        for s, d in ((b, b"one"), (c, b"two"), (b, b"three"), (c, b"four"), (b, b"five")):
            s.sendto(d, dst(r))
            time.sleep(0.05)
        wait_in(r)
        time.sleep(0.2)
        out("%s read" % tag, os.read(r.fileno(), 100))
        d, f = r.recvfrom(100)
        out("%s recvfrom" % tag, "%r from %s" % (d, src(f, c)))
        out("%s read" % tag, os.read(r.fileno(), 100))
        d, _, _, f = r.recvmsg(100)
        out("%s recvmsg" % tag, "%r from %s" % (d, src(f, c)))
        d, f = r.recvfrom(100)
        out("%s recvfrom" % tag, "%r from %s" % (d, src(f, b)))
        for o in (r, b, c):
            o.close()


def msgs():
    for tag, fam, addr in FAMS:
        s, r = udp(fam, addr), udp(fam, addr)
        out("%s sendmsg iov" % tag, s.sendmsg([b"ab", b"cd", b"", b"ef"], [], 0, dst(r)))
        d, anc, fl, a = r.recvmsg(100)
        out("%s recvmsg" % tag, "%r anc=%d flags=%d from %s" % (d, len(anc), fl, src(a, s)))
        s.sendmsg([b"0123456789"], [], 0, dst(r))
        b1, b2 = bytearray(3), bytearray(10)
        n, _, fl, a = r.recvmsg_into([b1, b2])
        out("%s recvmsg_into scatter" % tag, "%d %r %r from %s" % (n, bytes(b1), bytes(b2[:n - 3]), src(a, s)))
        out("%s sendmmsg" % tag, sendmmsg(s, [(b"mm0", dst(r)), (b"mm1" * 3, dst(r)), (b"", dst(r))]))
        r.settimeout(None)
        with Alarm(10):
            n, m = recvmmsg(r, 3)
        out("%s recvmmsg" % tag, "%s %s" % (n, ["%r from %s" % (d, src(a, s)) for d, a, _ in m]))
        s.connect(dst(r))
        out("%s sendmmsg connected" % tag, sendmmsg(s, [(b"c0", None), (b"c1", None)]))
        with Alarm(10):
            n, m = recvmmsg(r, 2, 0, 1)
        out("%s recvmmsg short buffers" % tag,
            "%s %s" % (n, ["%r trunc=%d" % (d, bool(fl & socket.MSG_TRUNC)) for d, _, fl in m]))
        drain(r)
        u = udp(fam)
        out("%s sendmmsg without address, unconnected" % tag, sendmmsg(u, [(b"x", None)]))
        for o in (s, r, u):
            o.close()


def mapped():
    r6 = udp(socket.AF_INET6)
    r6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    r6.bind(("::", 0))
    port = r6.getsockname()[1]
    s4 = udp(socket.AF_INET, V4)
    s4.sendto(b"v4 to dual", (V4, port))
    d, a = r6.recvfrom(100)
    out("dual-stack receives v4", "%r from %s" % (d, src(a, s4)))
    r6.sendto(b"dual to v4", ("::ffff:" + V4, s4.getsockname()[1]))
    d, a = s4.recvfrom(100)
    out("v4 receives from dual-stack", "%r from %s" % (d, a[0]))
    o = udp(socket.AF_INET6)
    o.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    attempt("v6only sendto mapped", lambda: o.sendto(b"x", ("::ffff:" + V4, port)))
    for x in (r6, s4, o):
        x.close()


def closed_port(fam, addr):
    t = socket.socket(fam, DG)
    t.bind((addr, 0))
    p = t.getsockname()[1]
    t.close()
    return p


def refused():
    """ICMP port unreachable reported on receives with an address."""
    for tag, fam, addr in FAMS:
        p = closed_port(fam, addr)
        s = udp(fam, addr, timeout=2)
        s.connect((addr, p))
        s.send(b"nobody")
        attempt("%s recvfrom after port unreachable" % tag, lambda: s.recvfrom(100))
        s.settimeout(0.3)
        attempt("%s recvfrom again (error consumed)" % tag, lambda: s.recvfrom(100))
        s.settimeout(2)
        s.send(b"nobody 2")
        attempt("%s recvmsg after port unreachable" % tag, lambda: s.recvmsg(100))
        s.send(b"nobody 3")
        out("%s poll wakes on port unreachable" % tag, wait_in(s, 2000))
        attempt("%s recvfrom after poll" % tag, lambda: s.recvfrom(100))
        # still usable: reconnect to a live socket
        r = udp(fam, addr)
        s.connect(dst(r))
        s.send(b"alive")
        out("%s usable after errors" % tag, r.recv(100))
        r.close()
        s.close()
        # unconnected: no error reported
        u = udp(fam, addr, timeout=0.3)
        u.sendto(b"nobody", (addr, p))
        attempt("%s unconnected recvfrom after port unreachable" % tag, lambda: u.recvfrom(100))
        u.close()


def broadcast():
    s = udp(socket.AF_INET)
    out("SO_BROADCAST default", s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST))
    attempt("sendto 255.255.255.255 without SO_BROADCAST",
            lambda: s.sendto(b"b", ("255.255.255.255", CLOSED)))
    attempt("sendto 10.88.0.255 without SO_BROADCAST",
            lambda: s.sendto(b"b", ("10.88.0.255", CLOSED)))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    out("SO_BROADCAST set", s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST))
    s.close()


# --- across the link --------------------------------------------------------------

def wait_peer():
    for h in (P4, P6):
        s = udp(socket.AF_INET6 if ":" in h else socket.AF_INET, timeout=0.2)
        for _ in range(100):
            try:
                s.sendto(b"hello", (h, PORT))
                s.recvfrom(100)
                break
            except OSError:
                pass
        s.close()


def echo_from(s):
    d, a = s.recvfrom(100)
    return d, a[0], a[1] == PORT


def remote():
    for tag, h in (("v4", P4), ("v6", P6)):
        fam = socket.AF_INET6 if tag == "v6" else socket.AF_INET
        s = udp(fam)
        s.sendto(b"echo hi", (h, PORT))
        out("%s remote unconnected getsockname" % tag, sockname(s))
        d, a = s.recvfrom(100)
        out("%s remote echo" % tag, "%r from %s port %s" % (d, a[0], a[1] == PORT))
        s.sendto(b"other x", (h, PORT))
        d, a = s.recvfrom(100)
        out("%s remote reply from other port" % tag, "%r port+1 %s" % (d, a[1] == PORT + 1))
        s.sendto(b"multi 5", (h, PORT))
        out("%s remote multi" % tag, " ".join(s.recv(100).decode() for _ in range(5)))
        for n in (1000, 1472, 3000, 8000, 30000):
            s.sendto(b"size " + b"s" * (n - 5), (h, PORT))
            out("%s remote size %d" % (tag, n), s.recv(100))
        s.sendto(b"E" * 8000, (h, PORT))
        out("%s remote 8000 echo" % tag, s.recv(10000) == b"E" * 8000)
        s.close()

        c = udp(fam)
        c.connect((h, PORT))
        out("%s remote connected getsockname" % tag, sockname(c))
        c.send(b"echo c")
        out("%s remote connected echo" % tag, c.recv(100))
        c.send(b"other filtered")
        time.sleep(0.3)
        c.send(b"echo after")
        out("%s remote connected filters other port" % tag, c.recv(100))
        out("%s remote sendmmsg" % tag, sendmmsg(c, [(b"x1", None), (b"x2", None), (b"x3", None)]))
        c.settimeout(None)
        with Alarm(10):
            n, m = recvmmsg(c, 3)
        out("%s remote recvmmsg" % tag, "%s %s" % (n, ["%r %s" % (d, a[0]) for d, a, _ in m]))
        drain(c)
        out("%s remote unconnect" % tag, unconnect(c))
        c.sendto(b"other y", (h, PORT))
        d, a = c.recvfrom(100)
        out("%s remote unconnected accepts other port" % tag, "%r port+1 %s" % (d, a[1] == PORT + 1))
        c.close()

        e = udp(fam, timeout=2)
        e.connect((h, CLOSED))
        e.send(b"nobody")
        attempt("%s remote recvfrom after port unreachable" % tag, lambda: e.recvfrom(100))
        e.close()

    b = udp(socket.AF_INET)
    b.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    for h in ("10.88.0.255", "255.255.255.255"):
        attempt("broadcast to %s" % h, lambda: b.sendto(b"bcast " + h.encode(), (h, PORT)))
        attempt("broadcast echo", lambda: "%r from %s port %s" % echo_from(b))
    b.close()


checks = [basics, boundaries, limits, peek, dontwait, readiness, blocking,
          connected, mixed, msgs, mapped, refused, broadcast]
if REMOTE:
    wait_peer()
    checks.append(remote)
run(checks)
