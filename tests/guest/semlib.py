# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers for the sem_*.py socket-semantics scripts.

Each script prints one deterministic line per check (no ports, pids or
timings) so that its output natively and inside runsc can be compared.
Addresses come from the environment: SEM_V4 / SEM_V6 (the local address to
serve on, default loopback) and SEM_BLACKHOLE (an on-link address nobody
answers for).
"""
import errno
import os
import socket
import sys

V4 = os.environ.get("SEM_V4", "127.0.0.1")
V6 = os.environ.get("SEM_V6", "::1")
BLACKHOLE = os.environ.get("SEM_BLACKHOLE", "10.88.0.99")


def out(name, value):
    print("%s: %s" % (name, value), flush=True)


def ename(e):
    """Symbolic errno of an exception or number."""
    n = e.errno if isinstance(e, OSError) else e
    if n is None:
        return "%s" % type(e).__name__
    return errno.errorcode.get(n, str(n))


def attempt(name, fn):
    """Run fn; print its result or its errno."""
    try:
        r = fn()
        out(name, "ok" if r is None else r)
    except OSError as e:
        out(name, ename(e))
    except Exception as e:  # noqa: BLE001 - reported, never hidden
        out(name, "EXC %s" % type(e).__name__)


def listener(fam=socket.AF_INET, backlog=16, addr=None):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr or (V4 if fam == socket.AF_INET else V6), 0))
    s.listen(backlog)
    return s


def pair(fam=socket.AF_INET):
    """A connected (client, server) pair and the listener."""
    l = listener(fam)
    c = socket.create_connection(l.getsockname()[:2], timeout=10)
    l.settimeout(10)
    a, _ = l.accept()
    return c, a, l


def recv_all(s, timeout=10):
    s.settimeout(timeout)
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            return data
        data += b


def run(checks):
    """Run every check function in order; an unexpected exception in one is
    printed and the next still runs."""
    for fn in checks:
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            out(fn.__name__, "UNEXPECTED %s %s" % (type(e).__name__,
                                                   ename(e) if isinstance(e, OSError) else ""))
    sys.stdout.flush()
