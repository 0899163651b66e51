#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The interface view through SIOCGIF* ioctls and if_nameindex(): one line
per interface and query, e.g. "eth0 SIOCGIFADDR 10.88.0.2"."""
import array
import errno
import fcntl
import socket
import struct

SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS = 0x8910, 0x8912, 0x8913
SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK = 0x8915, 0x8919, 0x891B
SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX = 0x8921, 0x8927, 0x8933
FLAGS = ((0x1, "UP"), (0x2, "BROADCAST"), (0x8, "LOOPBACK"), (0x40, "RUNNING"),
         (0x1000, "MULTICAST"))


def req(s, code, name, data=b""):
    ifr = struct.pack("16s", name.encode()) + data.ljust(24, b"\0")
    return fcntl.ioctl(s, code, ifr)[16:]


def ip4(b):
    return socket.inet_ntoa(b[4:8])


def show(s, name, what, fn):
    try:
        print("%s %s %s" % (name, what, fn()))
    except OSError as e:
        print("%s %s %s" % (name, what, errno.errorcode.get(e.errno, e.errno)))


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("if_nameindex", socket.if_nameindex())
a = array.array("B", bytes(40 * 32))
ptr, _ = a.buffer_info()
ifc = struct.pack("@iP", len(a), ptr)
n = struct.unpack("@iP", fcntl.ioctl(s, SIOCGIFCONF, ifc))[0]
conf = bytes(a[:n])
names = []
for off in range(0, n, 40):
    nm = conf[off:off + 16].split(b"\0")[0].decode()
    names.append(nm)
    print("SIOCGIFCONF %s %s" % (nm, ip4(conf[off + 16:off + 40])))
for nm in names:
    show(s, nm, "SIOCGIFINDEX", lambda: struct.unpack("i", req(s, SIOCGIFINDEX, nm)[:4])[0])
    show(s, nm, "SIOCGIFADDR", lambda: ip4(req(s, SIOCGIFADDR, nm)))
    show(s, nm, "SIOCGIFNETMASK", lambda: ip4(req(s, SIOCGIFNETMASK, nm)))
    show(s, nm, "SIOCGIFMTU", lambda: struct.unpack("i", req(s, SIOCGIFMTU, nm)[:4])[0])
    show(s, nm, "SIOCGIFFLAGS", lambda: ",".join(
        f for b, f in FLAGS if struct.unpack("H", req(s, SIOCGIFFLAGS, nm)[:2])[0] & b))
    show(s, nm, "SIOCGIFHWADDR", lambda: "%d %s" % (
        struct.unpack("H", req(s, SIOCGIFHWADDR, nm)[:2])[0],
        req(s, SIOCGIFHWADDR, nm)[2:8].hex(":")))
for i in (1, 2, 3):
    show(s, "index%d" % i, "SIOCGIFNAME", lambda: fcntl.ioctl(
        s, SIOCGIFNAME, struct.pack("16si20x", b"", i))[:16].split(b"\0")[0].decode())
show(s, "nosuch0", "SIOCGIFINDEX", lambda: req(s, SIOCGIFINDEX, "nosuch0"))
