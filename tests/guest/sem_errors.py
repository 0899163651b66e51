#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Connection teardown: reset, EPIPE/SIGPIPE, MSG_NOSIGNAL, half-close,
close detection across fork."""
import os
import select
import signal
import socket
import struct
import time

from semlib import out, attempt, pair, recv_all, run, ename


def reset():
    c, a, l = pair()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    p = select.poll()
    p.register(c, select.POLLIN)
    out("after peer RST readable", bool(p.poll(5000)))
    time.sleep(0.1)
    c.settimeout(5)
    attempt("recv after peer RST", lambda: c.recv(10))
    attempt("recv again after RST", lambda: c.recv(10))
    attempt("send after RST", lambda: c.send(b"x", socket.MSG_NOSIGNAL))
    c.close()
    # RST with unread data on the resetting side's peer
    c, a, l = pair()
    c.sendall(b"unread")
    time.sleep(0.1)
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    time.sleep(0.2)
    c.settimeout(5)
    attempt("recv after RST (sent unread)", lambda: c.recv(10))
    c.close()
    # closing with unread received data sends RST
    c, a, l = pair()
    c.sendall(b"never read")
    time.sleep(0.1)
    a.close()
    time.sleep(0.2)
    c.settimeout(5)
    attempt("recv after peer closed with unread data", lambda: c.recv(10))
    c.close()
    l.close()


def child_send(sock, flags, sigpipe_default):
    pid = os.fork()
    if pid == 0:
        try:
            if sigpipe_default:
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            try:
                for _ in range(100):
                    sock.send(b"x" * 1000, flags)
                    time.sleep(0.01)
                os._exit(10)
            except OSError as e:
                os._exit(20 if ename(e) == "EPIPE" else 30)
        finally:
            os._exit(40)
    _, st = os.waitpid(pid, 0)
    if os.WIFSIGNALED(st):
        return "signal %s" % signal.Signals(os.WTERMSIG(st)).name
    return {10: "no error", 20: "EPIPE", 30: "other error"}.get(os.WEXITSTATUS(st), "?")


def epipe():
    c, a, l = pair()
    c.shutdown(socket.SHUT_WR)
    out("send after own SHUT_WR, SIGPIPE default", child_send(c, 0, True))
    out("send after own SHUT_WR, MSG_NOSIGNAL", child_send(c, socket.MSG_NOSIGNAL, True))
    out("send after own SHUT_WR, SIGPIPE ignored", child_send(c, 0, False))
    out("peer still reads EOF", recv_all(a))
    c.close(); a.close()
    c, a, l2 = pair()
    a.close()
    out("send to closed peer, SIGPIPE default", child_send(c, 0, True))
    c.close()
    c, a, l3 = pair()
    a.close()
    out("send to closed peer, MSG_NOSIGNAL", child_send(c, socket.MSG_NOSIGNAL, True))
    c.close()
    for s in (l, l2, l3):
        s.close()


def halfclose():
    c, a, l = pair()
    c.sendall(b"hello world")
    c.shutdown(socket.SHUT_WR)
    req = recv_all(a)
    out("server got request then EOF", req)
    a.sendall(b"got %d bytes" % len(req))
    a.sendall(b"x" * 100000)
    a.close()
    data = recv_all(c)
    out("client reads reply after SHUT_WR", data[:12])
    out("client reply length", len(data))
    attempt("shutdown SHUT_RD", lambda: c.shutdown(socket.SHUT_RD))
    c.close()
    c = socket.socket()
    attempt("shutdown unconnected", lambda: c.shutdown(socket.SHUT_RDWR))
    c.close()
    # server half-closes first; client can still send
    c, a, l2 = pair()
    a.shutdown(socket.SHUT_WR)
    out("client sees EOF", recv_all(c))
    c.sendall(b"late data")
    c.close()
    out("server reads after own SHUT_WR", recv_all(a))
    a.close()
    l.close(); l2.close()


def fork_close():
    c, a, l = pair()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        os.read(r, 1)  # wait for parent
        a.sendall(b"from child")
        a.close()
        os._exit(0)
    os.close(r)
    a.close()
    p = select.poll()
    p.register(c, select.POLLIN)
    out("parent closed its copy: client sees nothing", p.poll(300) == [])
    os.write(w, b"g")
    os.close(w)
    out("data from child", recv_all(c))
    os.waitpid(pid, 0)
    c.close()
    # dup keeps a connection open
    c, a, l2 = pair()
    d = os.dup(a.fileno())
    a.close()
    out("dup open: client sees nothing", p.poll(0) == [] if p.unregister(c) is None and p.register(c, select.POLLIN) is None else None)
    os.close(d)
    out("after last close: EOF", recv_all(c))
    c.close()
    l.close(); l2.close()


run([reset, epipe, halfclose, fork_close])
