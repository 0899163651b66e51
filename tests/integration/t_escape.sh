#!/bin/bash
# shellcheck disable=SC1010,SC1091,SC2016,SC2317
# File isolation (issue 6): OCI bundles through the real binary try to reach
# the host's files and fail. Mount destinations through symlinks and "..",
# a magic-link bind source,
# a symlink swapped while containers are set up, /proc/*/root and cwd,
# inherited descriptors, the sentry's own root (only /proc, read-only),
# device nodes, setuid with noNewPrivileges, the root
# overlay (--overlay, --overlay-size, root.readonly) and read-only volumes
# (every way round a read-only bind). One "PASS: name" or "FAIL: name: why"
# line per check; the test fails if any check does.
. "$(dirname "$0")/lib.sh"

[ -x "$GUEST_BIN/fsprobe" ] || fail "$GUEST_BIN/fsprobe missing (make tests)"
command -v busybox >/dev/null || skip "needs busybox-static"

rc=0
WHY=""
root=$T_TMP/state
log=$T_TMP/log.json
cg=/runsc-etest-$$
rs() { timeout -k 5 60 "$RUNSC" --root "$root" --log "$log" --log-format json "$@"; }
lasterr() { grep '"level":"error"' "$log" 2>/dev/null | tail -n 1; }
why() { WHY=$*; return 1; }

# check NAME FUNC: run FUNC, print PASS or FAIL with the reason it left
check() {
	WHY=""
	: >"$log" # lasterr() speaks of this check only
	if "$2"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: ${WHY:-failed}" >&2
		rc=1
	fi
}

# host_mounts: mount points of the host below the test's directory
host_mounts() { awk -v t="$T_TMP" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort; }
# listing DIR: names, types and sizes below DIR, to compare before/after
listing() { find "$1" -mindepth 1 -printf '%P %y %s\n' 2>/dev/null | sort; }

b=$T_TMP/bundle
r=$b/rootfs
oci_bundle "$b" sh ls cat echo rm mkdir touch test readlink grep dd sync \
	sleep true id ln mv pidof
cp "$GUEST_BIN/fsprobe" "$r/bin/fsprobe"
mounts_before=$(host_mounts)

# config ARGS_JSON [PYTHON-EDITS]: write $b/config.json
config() { oci_config "$b/config.json" "$1" "$cg" "${2:-}"; }
# mnt DEST TYPE SOURCE OPTIONS_JSON: a Python edit adding one mount
mnt() { echo "c['mounts'].append({'destination': '$1', 'type': '$2', 'source': '$3', 'options': $4})"; }

# a. a mount destination that is a symlink in the image pointing outside
# the rootfs: resolved inside the rootfs, the host's directory untouched
t_symlink_dest() {
	local out
	mkdir -p "$T_TMP/hostdir" "$T_TMP/hostdir2" "$T_TMP/src" \
		"$r$T_TMP/hostdir" "$r$T_TMP/hostdir2"
	echo s >"$T_TMP/src/s-marker"
	ln -s "$T_TMP/hostdir" "$r/etc/evil"
	ln -s "../../../../../../../../..$T_TMP/hostdir2" "$r/etc/evil2"
	config "[\"sh\",\"-c\",\"echo in >/etc/evil/f; ls /etc/evil2 $T_TMP/hostdir\"]" \
		"$(mnt /etc/evil tmpfs tmpfs '["nosuid"]')
$(mnt /etc/evil2 bind "$T_TMP/src" '["rbind"]')"
	out=$(rs run --bundle "$b" esym 2>&1) || why "run: $out $(lasterr)" || return 1
	echo "$out" | grep -qx s-marker || why "bind not seen at /etc/evil2: $out" || return 1
	echo "$out" | grep -qx f || why "tmpfs not at the resolved path inside: $out" || return 1
	[ -z "$(listing "$T_TMP/hostdir")$(listing "$T_TMP/hostdir2")$(listing "$r$T_TMP/hostdir2")" ] ||
		why "host directory written: $(listing "$T_TMP/hostdir") $(listing "$T_TMP/hostdir2")" || return 1
	[ "$(host_mounts)" = "$mounts_before" ] || why "host mounts: $(host_mounts)"
}

# a'. the same to a target missing inside the rootfs: refused or made
# inside, never on the host
t_symlink_dest_missing() {
	local out
	mkdir -p "$T_TMP/hostdir3"
	ln -s "$T_TMP/hostdir3/sub" "$r/etc/evil3"
	config '["sh","-c","echo in >/etc/evil3/f && echo wrote"]' \
		"$(mnt /etc/evil3 tmpfs tmpfs '["nosuid"]')"
	if out=$(rs run --bundle "$b" esym2 2>&1); then
		echo "$out" | grep -qx wrote || why "mount not usable: $out" || return 1
	else
		[ -n "$(lasterr)" ] || why "refused without an error: $out" || return 1
		note "symlink to a missing target refused: $(lasterr)"
	fi
	[ -z "$(listing "$T_TMP/hostdir3")" ] || why "host directory written: $(listing "$T_TMP/hostdir3")" || return 1
	[ "$(host_mounts)" = "$mounts_before" ] || why "host mounts: $(host_mounts)"
}

# b. ".." in mount destinations stays inside the rootfs or is refused
t_dotdot() {
	local dst host inside i=0 out
	for dst in "/../../../../..$T_TMP/dotdot-a:$T_TMP/dotdot-a:$T_TMP/dotdot-a" \
		"/a/../../rtest-dotdot-$$:/rtest-dotdot-$$:/rtest-dotdot-$$" \
		"../../../../..$T_TMP/dotdot-c:$T_TMP/dotdot-c:$T_TMP/dotdot-c"; do
		i=$((i + 1))
		inside=${dst##*:}
		host=${dst#*:}
		host=${host%%:*}
		dst=${dst%%:*}
		config "[\"sh\",\"-c\",\"grep -c ' $inside ' /proc/self/mountinfo\"]" \
			"$(mnt "$dst" tmpfs tmpfs '["nosuid"]')"
		if out=$(rs run --bundle "$b" edot$i 2>&1); then
			[ "$out" = 1 ] || why "$dst: not mounted at $inside inside: $out" || return 1
		else
			{ lasterr | grep -qF "mount point $dst: Invalid argument" ||
				lasterr | grep -qF "destination: must be an absolute path"; } ||
				why "$dst refused without a clear error: $out $(lasterr)" || return 1
			note "$dst refused: $(lasterr)"
		fi
		if [ -e "$host" ]; then
			mountpoint -q "$host" && umount -l "$host"
			rmdir "$host" 2>/dev/null
			why "$dst created $host on the host" || return 1
		fi
	done
	[ "$(host_mounts)" = "$mounts_before" ] || why "host mounts: $(host_mounts)"
}

# swapper DIR LINK: exchange DIR with the symlink LINK (renameat2
# RENAME_EXCHANGE) every 0.2 ms until killed, 60 s or 10^6 times; pid in
# $SWAPPER. (Faster, nearly every openat2(RESOLVE_IN_ROOT) of the runtime
# gets EAGAIN: any rename on the machine makes it fail that way.)
swapper() {
	"$PY" - "$1" "$2" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
d, l = (os.fsencode(a) for a in sys.argv[1:3])
end = time.monotonic() + 60
for i in range(1000000):
    libc.renameat2(-100, d, -100, l, 2)  # AT_FDCWD, RENAME_EXCHANGE
    time.sleep(0.0002)
    if i % 1000 == 0 and time.monotonic() > end:
        break
EOF
	SWAPPER=$!
	track "$SWAPPER"
}

# swap_reset: $r/mnt/swap a directory again, no swap.lnk
swap_reset() {
	if [ -L "$r/mnt/swap" ]; then
		rm -f "$r/mnt/swap"
		mv -T "$r/mnt/swap.lnk" "$r/mnt/swap"
	fi
	rm -f "$r/mnt/swap.lnk"
}

# c. a mount destination swapped with a symlink to a host directory while
# containers are created, started and deleted: nothing reaches the host
t_swap_race() {
	local victim=$T_TMP/victim before i n=0 t0=$SECONDS lnk
	mkdir -p "$victim" "$r/mnt/swap"
	echo v >"$victim/keep"
	before=$(listing "$victim")
	config '["true"]' "$(mnt /mnt/swap/sub/deeper tmpfs tmpfs '["nosuid"]')
$(mnt /mnt/swap/b bind "$T_TMP/src" '["rbind"]')"
	for lnk in "$victim" "../../../../../../../../..$victim"; do
		swap_reset
		ln -s "$lnk" "$r/mnt/swap.lnk"
		swapper "$r/mnt/swap" "$r/mnt/swap.lnk"
		for i in $(seq 10); do
			[ $((SECONDS - t0)) -lt 120 ] || break
			rs create --bundle "$b" "erace$i" >/dev/null 2>&1 &&
				rs start "erace$i" >/dev/null 2>&1 && n=$((n + 1))
			rs delete --force "erace$i" >/dev/null 2>&1
			[ "$(listing "$victim")" = "$before" ] ||
				why "victim changed ($lnk, round $i): $(listing "$victim")" || break
			if grep -qF " $victim " /proc/self/mountinfo; then
				why "a mount on the victim ($lnk, round $i)"
				break
			fi
		done
		stop "$SWAPPER"
		[ -n "$WHY" ] && break
	done
	swap_reset
	note "swap race: $n of 20 containers started"
	[ -z "$WHY" ] && [ "$(host_mounts)" = "$mounts_before" ] ||
		why "${WHY:-host mounts: $(host_mounts)}"
}

# d. /proc/self/root and cwd of the workload (pid 2 under runsc-init) and
# of an exec'd process are the guest's root; pid 1's, if the guest can read
# it at all, is too; seen from the host, every process in the guest's pid
# namespace has the guest's root
t_proc_root() {
	local probe out p
	echo host >"$T_TMP/host-only-marker"
	echo guest >"$r/guest-marker"
	probe="for p in /proc/self/root /proc/\$\$/root /proc/self/root/../../.. /proc/\$\$/cwd/../../.. /proc/1/root /proc/1/cwd/../../..; do
		test -e \$p$T_TMP/host-only-marker && echo LEAK \$p
		case \$p in /proc/1/*) continue ;; esac
		test -e \$p/guest-marker || echo MISSING \$p
	done; readlink /proc/self/root; readlink /proc/\$\$/cwd"
	config "$("$PY" -c 'import json,sys; print(json.dumps(["sh","-c",sys.argv[1]]))' "$probe")"
	out=$(rs run --bundle "$b" eproc 2>&1) || why "run: $out $(lasterr)" || return 1
	[ "$out" = "$(printf '/\n/')" ] || why "workload: $out" || return 1
	config '["sleep","1000"]'
	rs create --bundle "$b" eproc2 && rs start eproc2 || why "eproc2: $(lasterr)" || return 1
	out=$(rs exec eproc2 sh -c "$probe" 2>&1)
	[ "$out" = "$(printf '/\n/')" ] || why "exec: $out"
	for p in $(rs ps --format json eproc2 | tr -d '[]' | tr ',' ' '); do
		[ "$(readlink "/proc/$p/ns/pid")" = "$(readlink /proc/self/ns/pid)" ] && continue
		[ -e "/proc/$p/root$T_TMP/host-only-marker" ] &&
			why "$WHY host: $(cat "/proc/$p/comm") $p has the host's root"
		[ -e "/proc/$p/root/guest-marker" ] ||
			why "$WHY host: $(cat "/proc/$p/comm") $p: guest root not seen"
	done
	rs delete --force eproc2
	[ -z "$WHY" ]
}

# e. the workload starts with exactly 0, 1 and 2, even when the caller of
# the runtime has more open
t_fds() {
	local out p
	exec 7</etc/passwd 8>"$T_TMP/fd8"
	config '["/bin/fsprobe","fds"]'
	out=$(rs run --bundle "$b" efd1 2>&1)
	[ "$out" = "0 1 2" ] || why "run: fds '$out' $(lasterr)" || { exec 7<&- 8>&-; return 1; }
	config '["sleep","1000"]'
	rs create --bundle "$b" efd2 >/dev/null 2>&1 && rs start efd2 ||
		why "efd2: $(lasterr)" || { exec 7<&- 8>&-; return 1; }
	out="$(rs exec efd2 sh -c 'ls /proc/$(pidof sleep)/fd' 2>&1 | tr '\n' ' ')|$(rs exec efd2 /bin/fsprobe fds 2>&1)"
	for p in $(rs ps --format json efd2 | tr -d '[]' | tr ',' ' '); do
		[ "$(cat "/proc/$p/comm")" = sleep ] &&
			out="$out|$(ls "/proc/$p/fd" | sort -n | tr '\n' ' ')"
	done
	rs delete --force efd2
	exec 7<&- 8>&-
	[ "$out" = "0 1 2 |0 1 2|0 1 2 " ] ||
		why "workload seen by an exec | exec'd process | workload seen by the host: '$out'"
}

# a''. a bind source that is a magic link (/proc/self/root: the host's
# root as seen by whoever resolves it) is refused by the gofer, not bound
t_magic_source() {
	local out
	config '["ls","/h"]' "$(mnt /h bind /proc/self/root '["rbind"]')"
	out=$(rs run --bundle "$b" emagic 2>&1) && why "ran: $out" && return 1
	lasterr | grep -qF 'bind source /proc/self/root: Too many levels of symbolic links' ||
		why "refused without the reason: $out $(lasterr)" || return 1
	[ ! -e "$root/emagic" ] || why "state left: $(ls "$root/emagic")"
}

# e'. the sentry (which parses the guest's input) has given up the host's
# files: its root holds /proc alone, read-only; the gofer is gone once the
# tree is built
t_sentry_root() {
	local out pid
	config '["sleep","1000"]'
	rs create --bundle "$b" esr >/dev/null 2>&1 && rs start esr ||
		why "esr: $(lasterr)" || return 1
	pid=$(rs state esr | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	out="$(ls -A "/proc/$pid/root/" 2>&1 | tr '\n' ' ')|$(cat "/proc/$pid/comm")"
	out="$out|$(touch "/proc/$pid/root/x" 2>&1 >/dev/null && echo writable)"
	out="$out|$(gofer_of "$pid" | sed 's/^/gofer /')"
	rs delete --force esr
	case $out in "proc |runsc-sandbox|"*"Read-only file system"*"|") ;;
	*) why "sentry root (entries|comm|write|gofer children): '$out'" ;; esac
}

# f. device nodes in the image cannot be opened; without CAP_MKNOD the guest
# cannot make one; with it (Docker's default) what it makes cannot be
# opened either
t_devnodes() {
	local dev out m h n k
	dev=$(mountpoint -d /) || why "root device" || return 1
	mknod "$r/mem" c 1 1
	mknod "$r/hostdisk" b "${dev%:*}" "${dev#*:}"
	config '["sh","-c","for f in /mem /hostdisk /dev/null; do fsprobe read $f; done; fsprobe mknod /newnode"]' \
		"c['process']['capabilities'] = {k: [x for x in v if x != 'CAP_MKNOD'] for k, v in c['process']['capabilities'].items()}"
	read -r m h n k <<<"$(rs run --bundle "$b" edev1 2>&1 | tr '\n' ' ')"
	rm -f "$r/newnode"
	[ "$m" != ok ] || why "/mem (char 1:1) opened" || return 1
	[ "$h" != ok ] || why "/hostdisk (block $dev) opened" || return 1
	[ "$n" = ok ] || why "control: /dev/null: $n $(lasterr)" || return 1
	[ "$k" != ok ] || why "mknod without CAP_MKNOD worked" || return 1
	config "[\"sh\",\"-c\",\"fsprobe mknod /newnode b ${dev%:*} ${dev#*:} && fsprobe read /newnode\"]"
	out=$(rs run --bundle "$b" edev2 2>&1 | tr '\n' ' ')
	rm -f "$r/newnode"
	note "devnodes: /mem $m, /hostdisk $h, /dev/null $n, mknod $k; with CAP_MKNOD: $out"
	[ "$out" != "ok ok " ] || why "with CAP_MKNOD a block node ($dev) the guest made opens" || return 1
	# c 1:3 is allowed by the device cgroup: only the root's nodev stops it
	config '["sh","-c","fsprobe mknod /null2 c 1 3 && fsprobe read /null2"]'
	out=$(rs run --bundle "$b" edev3 2>&1 | tr '\n' ' ')
	rm -f "$r/null2"
	[ "$out" != "ok ok " ] || why "a null device the guest made on the root was opened"
}

# g. a setuid-root binary: noNewPrivileges keeps euid 1000; without it (the
# control) the binary runs as 0
t_setuid() {
	local out
	cp "$GUEST_BIN/fsprobe" "$r/bin/suid"
	chown 0:0 "$r/bin/suid"
	chmod 4755 "$r/bin/suid"
	config '["/bin/suid","euid"]' \
		"c['process']['user'] = {'uid': 1000, 'gid': 1000}; c['process']['noNewPrivileges'] = True"
	out=$(rs run --bundle "$b" esuid1 2>&1)
	[ "$out" = 1000 ] || why "noNewPrivileges: euid '$out' $(lasterr)" || return 1
	config '["/bin/suid","euid"]' "c['process']['user'] = {'uid': 1000, 'gid': 1000}"
	out=$(rs run --bundle "$b" esuid2 2>&1)
	[ "$out" = 0 ] || why "control without noNewPrivileges: euid '$out' $(lasterr)"
}

# h1. default --overlay=memory: the guest's writes and removals do not
# reach the bundle's rootfs
t_overlay_memory() {
	local before out
	cp /bin/busybox "$r/bin/sh-copy"
	before=$(listing "$r")
	config '["sh","-c","echo x >/newfile && cat /newfile && rm /bin/sh-copy && echo removed"]'
	out=$(rs run --bundle "$b" eov1 2>&1)
	[ "$out" = "$(printf 'x\nremoved')" ] || why "guest: $out $(lasterr);"
	[ -e "$r/newfile" ] && why "$WHY /newfile reached the rootfs;"
	[ -e "$r/bin/sh-copy" ] || why "$WHY /bin/sh-copy removed from the rootfs"
	WHY=${WHY# }
	rm -f "$r/newfile"
	[ -e "$r/bin/sh-copy" ] || cp /bin/busybox "$r/bin/sh-copy"
	[ -z "$WHY" ] && [ "$(listing "$r")" = "$before" ] || why "${WHY:-rootfs changed}"
}

# h2. --overlay=none writes through to the rootfs
t_overlay_none() {
	local out
	config '["sh","-c","echo y >/newfile-none"]'
	out=$(timeout -k 5 60 "$RUNSC" --root "$root" --log "$log" --log-format json \
		--overlay=none run --bundle "$b" eov2 2>&1) || why "run: $out $(lasterr)" || return 1
	[ "$(cat "$r/newfile-none" 2>/dev/null)" = y ] || why "write not in the rootfs"
	rm -f "$r/newfile-none"
}

# h3. --overlay-size=1m: 512 KiB fit, 4 MiB give ENOSPC; the rootfs keeps
# neither
t_overlay_size() {
	local out
	config '["sh","-c","dd if=/dev/zero of=/small bs=64k count=8 2>/dev/null && echo small-ok; rm -f /small; dd if=/dev/zero of=/big bs=64k count=64 2>&1 >/dev/null | grep -o \"No space left\"; rm -f /big"]'
	out=$(timeout -k 5 60 "$RUNSC" --root "$root" --log "$log" --log-format json \
		--overlay-size=1m run --bundle "$b" eov3 2>&1)
	rm -f "$r/small" "$r/big"
	[ "$out" = "$(printf 'small-ok\nNo space left')" ] || why "guest: '$out' $(lasterr)" || return 1
	if timeout -k 5 60 "$RUNSC" --root "$root" --overlay-size=1x run \
		--bundle "$b" eov3b >/dev/null 2>&1; then
		why "--overlay-size=1x accepted"
	fi
}

# h4. root.readonly: writes to the root fail with EROFS
t_readonly_root() {
	local out
	config '["sh","-c","fsprobe write /ro-file; touch /ro-file2 2>&1"]' \
		"c['root']['readonly'] = True"
	out=$(rs run --bundle "$b" eov4 2>&1)
	rm -f "$r/ro-file" "$r/ro-file2"
	echo "$out" | head -n 1 | grep -qx EROFS && echo "$out" | grep -q 'Read-only file system' ||
		why "guest: $out $(lasterr)"
}

# i. an ["rbind","ro"] volume with a nested mount cannot be written through
# any path; reading works
t_ro_volume() {
	local v=$T_TMP/vol before out line
	mkdir -p "$v"
	echo orig >"$v/f"
	tmount "$v/sub" || why "cannot mount a tmpfs on $v/sub" || return 1
	echo orig >"$v/sub/g"
	before="$(listing "$v")|$(cat "$v/f" "$v/sub/g")"
	config '["sh","-c","for op in \"read /vol/f\" \"write /vol/f\" \"write /vol/new\" \"reopen /vol/f\" \"opath /vol/f\" \"link /vol/f /linked\" \"rename /vol/f /renamed\" \"read /vol/sub/g\" \"write /vol/sub/g\" \"write /vol/sub/new\" \"reopen /vol/sub/g\" \"opath /vol/sub/g\" \"link /vol/sub/g /linked2\" \"rename /vol/sub/g /renamed2\"; do echo \"$op: $(fsprobe $op)\"; done; mkdir /vol/d 2>/dev/null && echo mkdir-ok; rm /vol/f 2>/dev/null && echo rm-ok"]' \
		"$(mnt /vol bind "$v" '["rbind", "ro"]')"
	out=$(rs run --bundle "$b" evol 2>&1)
	rm -f "$r/linked" "$r/linked2" "$r/renamed" "$r/renamed2"
	[ "$(echo "$out" | grep -c ': ')" = 14 ] || why "guest: $out $(lasterr)" || return 1
	while IFS= read -r line; do
		case $line in
		read\ *': ok') ;;
		read\ *) WHY="$WHY; $line (read must work)" ;;
		*': ok' | mkdir-ok | rm-ok) WHY="$WHY; $line (read-only volume written)" ;;
		esac
	done <<<"$out"
	WHY=${WHY#; }
	[ -n "$WHY" ] && return 1
	[ "$(listing "$v")|$(cat "$v/f" "$v/sub/g")" = "$before" ] || why "volume changed on the host"
}

check symlink_dest t_symlink_dest
check symlink_dest_missing t_symlink_dest_missing
check dotdot_dest t_dotdot
check magic_source t_magic_source
check swap_race t_swap_race
check proc_root t_proc_root
check fds t_fds
check sentry_root t_sentry_root
check devnodes t_devnodes
check setuid_nnp t_setuid
check overlay_memory t_overlay_memory
check overlay_none t_overlay_none
check overlay_size t_overlay_size
check readonly_root t_readonly_root
check ro_volume t_ro_volume

# nothing left: processes, cgroups, state, mounts
for i in $(seq 50); do
	pgrep -f -- "--root $root" >/dev/null || break
	sleep 0.1
done
pgrep -f -- "--root $root" >/dev/null &&
	echo "FAIL: leftovers: processes $(pgrep -af -- "--root $root")" >&2 && rc=1
for h in /sys/fs/cgroup/*/; do
	[ -d "$h$cg" ] && echo "FAIL: leftovers: cgroup $h$cg" >&2 && rc=1
	rmdir "$h$cg" 2>/dev/null
done
[ -z "$(ls "$root" 2>/dev/null)" ] || { echo "FAIL: leftovers: state $(ls "$root")" >&2; rc=1; }
for p in $_T_MOUNTS; do
	umount -l "$p" && _T_MOUNTS=${_T_MOUNTS/$p /}
done
[ "$(host_mounts)" = "$mounts_before" ] ||
	{ echo "FAIL: leftovers: mounts $(host_mounts)" >&2; rc=1; }
exit $rc
