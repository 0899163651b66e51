#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ifview.sh - print the interface view through every tool t_netlink.sh
# checks, each section headed "== NAME"
g=$(dirname "$0")
sec() { echo "== $1"; shift; "$@" 2>&1; echo "rc=$?"; }
sec ip4 ip -o -4 addr show
sec ip6 ip -o -6 addr show
sec route4 ip -4 route show
sec route6 ip -6 route show
sec link ip -o link show
sec json python3 -c '
import json, subprocess
d = json.loads(subprocess.run(["ip", "-j", "addr"], capture_output=True, check=True).stdout)
for i in d:
    print(i["ifindex"], i["ifname"], i.get("address"),
          " ".join("%s/%s" % (a["local"], a["prefixlen"]) for a in i.get("addr_info", [])))'
sec hostname_I hostname -I
sec ifconfig busybox ifconfig
sec ifconfig_a busybox ifconfig -a
sec ioctl python3 "$g/ifinfo.py"
