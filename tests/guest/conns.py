#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Many connections at once, and request load.

  conns.py echo-server PORT             selector echo server (any address)
  conns.py thread-server PORT           thread-per-connection HTTP server
  conns.py fork-server PORT             fork-per-connection HTTP server
  conns.py open HOST PORT N             open N connections at once, then
                                        echo a distinct message on each;
                                        prints "N ok"
  conns.py http HOST PORT N PAR         N HTTP GETs, PAR at a time; prints
                                        "N ok"
"""
import http.client
import os
import selectors
import signal
import socket
import sys
import threading
import time

BODY = b"load-test-body\n"


def listen(port, backlog=1024):
    l = socket.socket(socket.AF_INET6)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l.bind(("::", port))
    l.listen(backlog)
    return l


def echo_server(port):
    l = listen(port)
    l.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(l, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is l:
                try:
                    while True:
                        c, _ = l.accept()
                        c.setblocking(False)
                        sel.register(c, selectors.EVENT_READ)
                except BlockingIOError:
                    pass
                continue
            try:
                d = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                d = b""
            if not d:
                sel.unregister(s)
                s.close()
                continue
            s.setblocking(True)
            s.sendall(d)
            s.setblocking(False)


def handle_http(c):
    c.settimeout(30)
    req = b""
    while b"\r\n\r\n" not in req:
        d = c.recv(4096)
        if not d:
            return
        req += d
    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
              % (len(BODY), BODY))
    c.shutdown(socket.SHUT_WR)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass


def thread_server(port):
    l = listen(port)

    def run(c):
        try:
            handle_http(c)
        finally:
            c.close()

    while True:
        c, _ = l.accept()
        threading.Thread(target=run, args=(c,), daemon=True).start()


def fork_server(port):
    l = listen(port)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # auto-reap
    while True:
        c, _ = l.accept()
        pid = os.fork()
        if pid == 0:
            l.close()
            try:
                handle_http(c)
            finally:
                os._exit(0)
        c.close()


def connect_retry(host, port, deadline):
    while True:
        try:
            return socket.create_connection((host, port), timeout=30)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def open_many(host, port, n):
    deadline = time.monotonic() + 20
    connect_retry(host, port, deadline).close()   # server is up
    socks = []
    errors = {}
    for i in range(n):
        s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s)
    sel = selectors.DefaultSelector()
    for i, s in enumerate(socks):
        sel.register(s, selectors.EVENT_WRITE, i)
    pending = set(range(n))
    t = time.monotonic()
    while pending and time.monotonic() - t < 60:
        for key, _ in sel.select(1):
            i = key.data
            err = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                errors[os.strerror(err)] = errors.get(os.strerror(err), 0) + 1
            sel.unregister(key.fileobj)
            pending.discard(i)
    print("connected: %d of %d (errors %s, pending %d)" % (n - len(pending) - sum(errors.values()), n, errors, len(pending)), flush=True)
    # all open at once now; echo on every one
    ok = 0
    for i, s in enumerate(socks):
        s.setblocking(True)
        s.settimeout(30)
        try:
            s.sendall(b"message %05d" % i)
        except OSError:
            pass
    for i, s in enumerate(socks):
        want = b"message %05d" % i
        got = b""
        try:
            while len(got) < len(want):
                d = s.recv(64)
                if not d:
                    break
                got += d
        except OSError:
            pass
        ok += got == want
    for s in socks:
        s.close()
    print("%d ok" % ok, flush=True)
    return ok == n


def http_load(host, port, n, par):
    deadline = time.monotonic() + 20
    connect_retry(host, port, deadline).close()
    lock = threading.Lock()
    count = [0, 0]
    todo = list(range(n))

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            try:
                c = http.client.HTTPConnection(host, port, timeout=30)
                c.request("GET", "/")
                r = c.getresponse()
                body = r.read()
                c.close()
                good = r.status == 200 and body == BODY
            except Exception as e:  # noqa: BLE001
                sys.stderr.write("request failed: %r\n" % e)
                good = False
            with lock:
                count[0 if good else 1] += 1

    ts = [threading.Thread(target=worker) for _ in range(par)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    print("%d ok" % count[0], flush=True)
    return count[0] == n


m = sys.argv[1]
if m == "echo-server":
    echo_server(int(sys.argv[2]))
elif m == "thread-server":
    thread_server(int(sys.argv[2]))
elif m == "fork-server":
    fork_server(int(sys.argv[2]))
elif m == "open":
    sys.exit(0 if open_many(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])) else 1)
elif m == "http":
    sys.exit(0 if http_load(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                            int(sys.argv[5])) else 1)
