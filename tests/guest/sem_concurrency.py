#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SCM_RIGHTS, threads, signals: multi-threaded accept, EINTR/SA_RESTART on a
blocking accept."""
import ctypes
import os
import signal
import socket
import threading
import time

from semlib import V4, out, attempt, listener, pair, recv_all, run, ename

libc = ctypes.CDLL(None, use_errno=True)


def scm_rights():
    l = listener()
    u1, u2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        u1.close()
        msg, fds, _, _ = socket.recv_fds(u2, 16, 2)
        s = socket.socket(fileno=fds[0])
        s.connect(l.getsockname())
        s.sendall(b"child connected a passed socket")
        s.close()
        msg, fds, _, _ = socket.recv_fds(u2, 16, 2)
        s = socket.socket(fileno=fds[0])
        s.sendall(b"child used a passed connection:" + msg)
        s.close()
        os._exit(0)
    u2.close()
    # an unconnected socket goes over, the child connects it
    s = socket.socket()
    socket.send_fds(u1, [b"s"], [s.fileno()])
    s.close()
    l.settimeout(10)
    a, _ = l.accept()
    out("passed unconnected socket", recv_all(a))
    a.close()
    # a connected socket goes over, the child writes to it
    c = socket.create_connection(l.getsockname(), timeout=10)
    a, _ = l.accept()
    socket.send_fds(u1, [b"c"], [c.fileno()])
    c.close()
    out("passed connected socket", recv_all(a))
    os.waitpid(pid, 0)
    a.close()
    # a passed listener accepts in the receiver; getsockopt works on it
    u1b, u2b = socket.socketpair()
    socket.send_fds(u1b, [b"l"], [l.fileno()])
    _, fds, _, _ = socket.recv_fds(u2b, 16, 1)
    l2 = socket.socket(fileno=fds[0])
    out("passed listener SO_ACCEPTCONN", l2.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    out("passed listener same name", l2.getsockname() == l.getsockname())
    c = socket.create_connection(l.getsockname(), timeout=10)
    l2.settimeout(10)
    a, _ = l2.accept()
    c.sendall(b"via passed listener")
    c.close()
    out("accepted on passed listener", recv_all(a))
    for x in (a, l2, l, u1, u1b, u2b):
        x.close()


def mt_accept():
    l = listener(backlog=64)
    counts = [0] * 4
    lock = threading.Lock()

    def worker(i):
        while True:
            a, _ = l.accept()
            d = a.recv(16)
            if d == b"quit":
                a.close()
                return
            a.sendall(d.upper())
            a.close()
            with lock:
                counts[i] += 1

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    time.sleep(0.2)
    ok = 0

    def client(n):
        nonlocal ok
        for _ in range(n):
            c = socket.create_connection(l.getsockname(), timeout=10)
            c.sendall(b"echo me")
            if recv_all(c) == b"ECHO ME":
                with lock:
                    ok += 1
            c.close()

    cs = [threading.Thread(target=client, args=(25,)) for _ in range(8)]
    for t in cs:
        t.start()
    for t in cs:
        t.join(60)
    for _ in ts:
        c = socket.create_connection(l.getsockname(), timeout=10)
        c.sendall(b"quit")
        c.close()
    for t in ts:
        t.join(30)
    out("4 accept threads, 200 connections echoed", ok)
    out("accepted total", sum(counts))
    out("threads all exited", not any(t.is_alive() for t in ts))
    l.close()


def eintr_accept():
    fired = []
    signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    # without SA_RESTART: accept(2) fails with EINTR
    signal.siginterrupt(signal.SIGALRM, True)
    l = listener()
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    t = time.monotonic()
    r = libc.accept(l.fileno(), None, None)
    err = ctypes.get_errno()
    out("accept without SA_RESTART", "fd" if r >= 0 else ename(err))
    out("  signal delivered", len(fired))
    out("  returned promptly", time.monotonic() - t < 5)
    # the listener still works afterwards
    c = socket.create_connection(l.getsockname(), timeout=10)
    l.settimeout(10)
    a, _ = l.accept()
    out("accept after EINTR", "ok")
    c.close(); a.close()
    # with SA_RESTART: accept(2) keeps waiting and returns the connection
    fired.clear()
    signal.siginterrupt(signal.SIGALRM, False)
    l.settimeout(None)

    def late_connect():
        time.sleep(1.0)
        s = socket.create_connection(l.getsockname(), timeout=10)
        s.sendall(b"late")
        s.close()

    th = threading.Thread(target=late_connect)
    th.start()
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    r = libc.accept(l.fileno(), None, None)
    err = ctypes.get_errno()
    out("accept with SA_RESTART", "fd" if r >= 0 else ename(err))
    out("  signal delivered", len(fired))
    if r >= 0:
        a = socket.socket(fileno=r)
        out("  data on restarted accept", recv_all(a))
        a.close()
    th.join(20)
    # recv interrupted the same way
    c, a, l2 = pair()
    signal.siginterrupt(signal.SIGALRM, True)
    buf = ctypes.create_string_buffer(16)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    r = libc.recv(c.fileno(), buf, 16, 0)
    out("recv without SA_RESTART", r if r >= 0 else ename(ctypes.get_errno()))
    signal.siginterrupt(signal.SIGALRM, True)
    # connect to a black hole interrupted
    s = socket.socket()
    sa = ctypes.create_string_buffer(socket.inet_aton("10.88.0.99"), 4)
    addr = (ctypes.c_ubyte * 16)(2, 0, 0, 80, *socket.inet_aton(os.environ.get("SEM_BLACKHOLE", "10.88.0.99")))
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    r = libc.connect(s.fileno(), addr, 16)
    out("blocking connect interrupted", r if r >= 0 else ename(ctypes.get_errno()))
    s.close()
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    for x in (c, a, l, l2):
        x.close()


run([scm_rights, mt_accept, eintr_accept])
