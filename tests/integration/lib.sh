# shellcheck shell=bash disable=SC1010
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - helpers for integration tests (sourced by t_*.sh)
#
# Environment from run.sh: RUNSC, GUEST_BIN, REPO.  Every network namespace a
# test creates is named rtest-*, is registered for deletion and is removed by
# the EXIT trap together with every background process the test started.

set -u

: "${REPO:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RUNSC:=$REPO/build/runsc}"
: "${GUEST_BIN:=$REPO/build/tests/guest}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
: "${GUEST_PY:=$REPO/tests/guest}"

_T_NS=""
_T_PIDS=""
_T_TMP=""
_T_MOUNTS=""
T_NAME=$(basename "$0" .sh)

skip() { echo "# SKIP $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# per-test scratch directory under /var/tmp (guests get a fresh /tmp, so
# anything a guest must read lives here); removed at exit
T_TMP=$(mktemp -d /var/tmp/rtest.XXXXXX) || exit 1
chmod 755 "$T_TMP"
_T_TMP=$T_TMP

# mkns SUFFIX: create network namespace rtest-$T_NAME-$$-SUFFIX with lo up;
# its name is left in $NS (not a subshell, so the cleanup knows it)
mkns() {
	NS="rtest-${T_NAME#t_}-$$-$1"
	ip netns add "$NS" || fail "ip netns add $NS"
	_T_NS="$_T_NS $NS"
	ip -n "$NS" link set lo up
}

# bg NS CMD...: run CMD in NS in the background; pid in $BGPID
bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	BGPID=$!
	_T_PIDS="$_T_PIDS $BGPID"
}

# track PID: kill PID at exit
track() { _T_PIDS="$_T_PIDS $1"; }

# tmount DIR [OPTIONS]: a private tmpfs on DIR (created), unmounted at exit
tmount() {
	mkdir -p "$1" || return 1
	mount -t tmpfs -o "${2:-size=1m}" rtest-tmpfs "$1" || return 1
	_T_MOUNTS="$1 $_T_MOUNTS"
	mount --make-private "$1"
}

# stop PID: SIGTERM, then SIGKILL after 5 s; returns the exit status
stop() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

_cleanup() {
	local rc=$? p ns
	for p in $_T_PIDS; do
		kill -0 "$p" 2>/dev/null && stop "$p"
	done
	for ns in $_T_NS; do
		# anything still running in the namespace was started by us
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	for p in $_T_MOUNTS; do
		umount -l "$p" 2>/dev/null
	done
	[ -n "$_T_TMP" ] && rm -rf "$_T_TMP"
	exit $rc
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_tcp NS HOST PORT [SECONDS]: wait until HOST:PORT accepts connections
wait_tcp() {
	local ns=$1 host=$2 port=$3 secs=${4:-10} i
	for i in $(seq $((secs * 10))); do
		if ip netns exec "$ns" timeout 2 "$PY" -c '
import socket,sys
s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=1)
' "$host" "$port" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "wait_tcp: $host:$port in $ns not reachable after ${secs}s" >&2
	return 1
}

# native_ns SUFFIX: a plain namespace that looks like the sandbox from inside:
# lo plus a veth holding 10.88.0.2/24 and fd00:88::2/64 whose peer (10.88.0.1,
# fd00:88::1) sits in namespace "$ns-h"; nobody answers for 10.88.0.99
# its name is left in $NS
native_ns() {
	local g
	mkns "$1"
	g=$NS
	mkns "$1h"
	veth_pair "$NS" "$g"
	wait_v6 "$g" fd00:88::2
	NS=$g
}

# veth_pair NS_HOST NS_GUEST: link two namespaces like runsc's tap does
# (host 10.88.0.1 + fd00:88::1, guest 10.88.0.2 + fd00:88::2)
veth_pair() {
	local h=$1 g=$2
	ip link add rth$$ netns "$h" type veth peer name rtg$$ netns "$g" >&2 ||
		fail "veth"
	ip -n "$h" addr add 10.88.0.1/24 dev rth$$
	ip -n "$h" -6 addr add fd00:88::1/64 dev rth$$ nodad
	ip -n "$g" addr add 10.88.0.2/24 dev rtg$$
	ip -n "$g" -6 addr add fd00:88::2/64 dev rtg$$ nodad
	ip -n "$h" link set rth$$ up
	ip -n "$g" link set rtg$$ up
}

# wait_v6 NS ADDR: wait until ADDR is no longer tentative in NS
wait_v6() {
	local ns=$1 addr=$2 i
	for i in $(seq 100); do
		ip -n "$ns" -6 addr show | grep -q "$addr.*tentative" || return 0
		sleep 0.1
	done
	return 1
}

# cmp_out NAME EXPECTED ACTUAL: compare two output files, show diff on mismatch
cmp_out() {
	if diff -u "$2" "$3" >"$T_TMP/diff.$$" 2>&1; then
		note "$1: outputs identical ($(wc -l <"$2") lines)"
		return 0
	fi
	echo "FAIL: $1: native vs sandbox differ:" >&2
	cat "$T_TMP/diff.$$" >&2
	return 1
}

# sem_compare SCRIPT: run tests/guest/SCRIPT natively (plain namespace with a
# veth, see native_ns) and inside runsc, once over loopback and once over the
# sandbox's own addresses; fail unless the outputs are identical
sem_compare() {
	local script=$1 nat sb tag v4 v6 rc=0
	native_ns nat
	nat=$NS
	mkns sb
	sb=$NS
	for tag in lo own; do
		if [ $tag = lo ]; then v4=127.0.0.1 v6=::1; else v4=10.88.0.2 v6=fd00:88::2; fi
		(cd "$GUEST_PY" && SEM_V4=$v4 SEM_V6=$v6 ip netns exec "$nat" \
			timeout 120 "$PY" "$script") >"$T_TMP/native.$tag" 2>&1
		# the sandbox's own v6 address may still be in DAD at start: the
		# script itself waits by retrying binds? no: wait here instead
		(cd "$GUEST_PY" && SEM_V4=$v4 SEM_V6=$v6 ip netns exec "$sb" \
			timeout 120 "$RUNSC" do -- "$PY" "$script") >"$T_TMP/sandbox.$tag" 2>&1
		note "$script ($tag): runsc exit $?"
		cmp_out "$script ($tag)" "$T_TMP/native.$tag" "$T_TMP/sandbox.$tag" || rc=1
	done
	return $rc
}

# oci_bundle DIR [APPLET...]: a busybox-static bundle in DIR (rootfs/ with
# /bin/busybox, a link per APPLET, /etc/passwd and /etc/group); the config
# comes from oci_config
oci_bundle() {
	local b=$1 a
	shift
	mkdir -p "$b/rootfs/bin" "$b/rootfs/etc" "$b/rootfs/proc" "$b/rootfs/dev"
	cp /bin/busybox "$b/rootfs/bin/busybox"
	for a in "$@"; do
		ln -s /bin/busybox "$b/rootfs/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$b/rootfs/etc/passwd"
	echo 'root:x:0:' >"$b/rootfs/etc/group"
}

# oci_config FILE ARGS_JSON CGROUP [PYTHON-EDITS]: write a config.json like
# Docker's (proc, /dev tmpfs, devpts, ro sysfs; pid, network, ipc, uts and
# mount namespaces; Docker's default capabilities) to FILE; the edits are
# Python run with the dict in c (json is imported)
oci_config() {
	"$PY" - "$@" <<'PYEOF'
import json, sys
path, args, cg = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
edits = sys.argv[4] if len(sys.argv) > 4 else ""
caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
        "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
        "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE"]
c = {"ociVersion": "1.0.2-dev",
     "process": {"user": {"uid": 0, "gid": 0}, "args": args,
                 "env": ["PATH=/bin", "HOSTNAME=ocitest"], "cwd": "/",
                 "capabilities": {"bounding": caps, "effective": caps,
                                  "permitted": caps}},
     "root": {"path": "rootfs"}, "hostname": "ocitest",
     "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                     "mode=0620"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]}],
     "linux": {"namespaces": [{"type": t} for t in
                              ("pid", "network", "ipc", "uts", "mount")],
               "cgroupsPath": cg,
               "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list"],
               "readonlyPaths": ["/proc/sys"]}}
exec(edits)
json.dump(c, open(path, "w"))
PYEOF
}

# gofers: how many runsc-gofer processes the machine has (none of a test's
# may outlive its sandbox)
gofers() { grep -l '^runsc-gofer' /proc/[0-9]*/cmdline 2>/dev/null | wc -l; }

# gofer_of PID: the pid of the runsc-gofer whose parent is PID (a sentry),
# or nothing
gofer_of() {
	local f p
	for f in $(grep -l '^runsc-gofer' /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/cmdline}
		[ "$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)" = "$1" ] && echo "$p"
	done
	return 0
}
