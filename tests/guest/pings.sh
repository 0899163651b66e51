#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pings.sh TARGET... - busybox ping and (if installed) iputils ping, 2 echo
# requests each; one line per tool and target:
#   "busybox 10.88.0.1: ok" or "... FAIL exit N" followed by its output
# (a reply must come from the target itself)
run() {	# run TOOL TARGET CMD...
	tool=$1 t=$2
	shift 2
	out=$(timeout 10 "$@" 2>&1)
	rc=$?
	n=$(echo "$out" | grep -c "bytes from ${t}[]:]")
	if [ $rc -eq 0 ] && [ "$n" -eq 2 ]; then
		echo "$tool $t: ok"
	else
		echo "$tool $t: FAIL exit $rc, $n replies from $t"
		echo "$out" | sed 's/^/    /'
	fi
}
ip=
for p in /usr/bin/ping /bin/ping; do
	[ -x $p ] && $p -V 2>&1 | grep -q iputils && ip=$p && break
done
[ -n "$ip" ] || echo "iputils ping: not installed"
for t in "$@"; do
	run busybox "$t" busybox ping -c 2 -i 0.2 -W 3 -w 5 "$t"
	[ -n "$ip" ] && run iputils "$t" "$ip" -c 2 -i 0.2 -W 3 -w 5 "$t"
done
