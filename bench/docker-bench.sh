#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/docker-bench.sh - runc vs runsc (and Debian's gVisor) under Docker,
# in one run on one machine
#
#   bench/docker-bench.sh RUNSC_BINARY                   (root; ~4 minutes)
#   BENCH_ALLOW_RUNC=1 bench/docker-bench.sh /usr/sbin/runc
#                         validates the harness: runc in both columns
#
# Knobs (environment):
#   START_N=15       start-up runs per runtime (after one warm-up)
#   WRK_SECS=10      wrk duration          AB_N=20000   ab requests
#   BULK_TRIES=3     100 MiB downloads per runtime and round
#   ROUNDS=2         rounds of wrk, ab and downloads (interleaved across the
#                    runtimes; the best figure of all rounds counts)
#   GVISOR=auto|1|0  third column with Debian's gVisor (package runsc, whose
#                    /usr/bin/runsc is not our binary): auto = if it
#                    installs, 1 = required, 0 = never
#
# Runtimes: runc (docker's own), runsc-test (RUNSC_BINARY, as in
# tests/docker/run.sh), gvisor (a wrapper around /usr/bin/runsc written to
# /var/tmp/runsc-e2e/gvisor-wrap: for `start` only it runs gVisor in a
# private mount namespace with a tmpfs over /proc/sys holding only
# vm/mmap_min_addr and kernel/cap_last_cap, because gVisor's sandbox network
# refuses to start when it sees /proc/sys/net/core/rmem_default, which every
# netns has on this kernel. gVisor never gets --network=host here: its
# sandbox network strips the addresses it scrapes.)
#
# Figures (the same images for every runtime; runs interleaved across the
# runtimes so that the machine's drift hits them alike):
#   start-up    median wall time of `docker run --rm IMAGE /bin/true`
#               (runsc-busybox)
#   memory      idle: summed Pss (/proc/PID/smaps_rollup) of the processes
#               of a test-apache-app container (its memory cgroup, the shim
#               excluded), 2 s after it answered, with no other test
#               container running (Pss splits shared page cache)
#   keep-alive  requests/s, wrk -t2 -c32 -d WRK_SECS to test-apache-app
#               published with -p 127.0.0.1:PORT:80 (docker-proxy relays)
#   new-conn    requests/s, ab -c16 -n AB_N (a connection per request)
#   bulk        MiB/s, curl of the 100 MiB big.bin to /dev/null
# Throughput figures are the best of ROUNDS rounds.
# Traffic goes only to 127.0.0.1. Every load is bounded in time.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=tests/docker/lib.sh
. "$ROOT/tests/docker/lib.sh"

START_N=${START_N:-15}
WRK_SECS=${WRK_SECS:-10}
AB_N=${AB_N:-20000}
BULK_TRIES=${BULK_TRIES:-3}
ROUNDS=${ROUNDS:-2}
GVISOR=${GVISOR:-auto}
GVISOR_BIN=/usr/bin/runsc

[ $# -ge 1 ] || { echo "usage: [BENCH_ALLOW_RUNC=1] $0 RUNSC_BINARY" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { e2e_err "needs root"; exit 2; }
BIN=$(realpath "$1" 2>/dev/null)
[ -n "$BIN" ] && [ -x "$BIN" ] || { e2e_err "$1: not an executable"; exit 2; }
if is_runc "$BIN" && [ "${BENCH_ALLOW_RUNC:-0}" != 1 ]; then
	e2e_err "$BIN is runc: set BENCH_ALLOW_RUNC=1 to validate the benchmark with it"
	exit 2
fi
is_runc "$BIN" || E2E_INSTALL_BIN=$BIN

RT=runsc-test
GV=gvisor
BB=$E2E_BB_IMAGE
WEB=$E2E_APACHE_IMAGE
TAG=$$
C=runsc-bench-$$

cleanup() {
	local rc=$? ids
	trap - EXIT INT TERM
	if [ -n "$DOCKER" ] && _docker_answers; then
		ids=$(dk ps -aq --filter "label=$E2E_LABEL=bench-$TAG")
		# shellcheck disable=SC2086
		[ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
	fi
	unregister_all
	docker_down
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for t in wrk:wrk ab:apache2-utils curl:curl; do
	e2e_need "${t%%:*}" "${t#*:}" || exit 1
done

gvisor_ok() { "$GVISOR_BIN" --version 2>/dev/null | grep '^runsc version' >/dev/null; }

# write_gvisor_wrap FILE
write_gvisor_wrap() {
	cat >"$1" <<-EOF
		#!/bin/sh
		# written by bench/docker-bench.sh: Debian's gVisor; for \`start\`
		# only, /proc/sys is a tmpfs holding vm/mmap_min_addr and
		# kernel/cap_last_cap (in a private mount namespace)
		for a in "\$@"; do
			[ "\$a" = start ] || continue
			mm=\$(cat /proc/sys/vm/mmap_min_addr)
			cl=\$(cat /proc/sys/kernel/cap_last_cap)
			exec unshare -m --propagation private /bin/sh -c '
				mount -t tmpfs -o mode=755,size=64k procsys-shim /proc/sys || exit 125
				mkdir -p /proc/sys/vm /proc/sys/kernel
				echo "\$1" >/proc/sys/vm/mmap_min_addr
				echo "\$2" >/proc/sys/kernel/cap_last_cap
				shift 2
				exec $GVISOR_BIN "\$@"' procsys "\$mm" "\$cl" "\$@"
		done
		exec $GVISOR_BIN "\$@"
	EOF
	chmod 755 "$1"
}

docker_up || exit 1
"$ROOT/tests/docker/images.sh" || { e2e_err "building the images failed"; exit 1; }
register_runtime "$RT" "$BIN" || exit 1
RUNTIMES="runc $RT"
if [ "$GVISOR" != 0 ]; then
	if ! [ -x "$GVISOR_BIN" ] || ! gvisor_ok; then
		_e2e_apt_install runsc
	fi
	if gvisor_ok; then
		write_gvisor_wrap "$E2E_DIR/gvisor-wrap"
		register_runtime "$GV" "$E2E_DIR/gvisor-wrap" && RUNTIMES="$RUNTIMES $GV"
	fi
	case " $RUNTIMES " in
	*" $GV "*) ;;
	*)
		[ "$GVISOR" = 1 ] && { e2e_err "gVisor required (GVISOR=1) but not usable"; exit 1; }
		e2e_note "no gVisor column"
		;;
	esac
fi
e2e_note "runc: /usr/sbin/runc; $RT: $BIN$(is_runc "$BIN" && echo ' (runc: harness validation)')"

declare -A R	# R[runtime,metric]
declare -A CID PORT	# container id and published port per runtime

median() { sort -n | awk '{a[NR] = $1} END {if (NR) printf "%.0f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# bench_start: R[RUNTIME,start] = median start-up (ms) of each runtime; the
# runs of all runtimes are interleaved so that drift hits them alike
bench_start() {
	local rt i t0 ok=" "
	declare -A ts
	for rt in $RUNTIMES; do	# warm-up (and does it work at all?)
		dk run --rm --runtime="$rt" --label "$E2E_LABEL=bench-$TAG" "$BB" /bin/true >/dev/null 2>&1 &&
			ok="$ok$rt " || e2e_note "$rt: docker run --rm $BB /bin/true failed"
	done
	for i in $(seq "$START_N"); do
		for rt in $RUNTIMES; do
			case "$ok" in *" $rt "*) ;; *) continue ;; esac
			t0=$(date +%s%N)
			dk run --rm --runtime="$rt" --label "$E2E_LABEL=bench-$TAG" "$BB" /bin/true >/dev/null 2>&1 || continue
			ts[$rt]="${ts[$rt]:-} $((($(date +%s%N) - t0) / 1000000))"
		done
	done
	for rt in $RUNTIMES; do
		# shellcheck disable=SC2086
		[ -n "${ts[$rt]:-}" ] && R[$rt,start]=$(printf '%s\n' ${ts[$rt]} | median)
	done
}

web_up() {	# RUNTIME: test-apache-app as $C-RUNTIME on a free port; PORT[RUNTIME]
	local rt=$1 port
	port=$(free_port) || return 1
	CID[$rt]=$(dk run -d --name "$C-$rt" --label "$E2E_LABEL=bench-$TAG" --runtime="$rt" \
		-p "127.0.0.1:$port:80" "$WEB") || return 1
	PORT[$rt]=$port
	wait_for 60 curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && return 0
	e2e_err "$rt: apache does not answer: $(dk logs "$C-$rt" 2>&1 | tail -n 3)"
	web_down "$rt"
	return 1
}
web_down() { dk rm -f "$C-$1" >/dev/null 2>&1; unset "PORT[$1]"; }

# bench_memory RUNTIME: R[RUNTIME,mem] with its container the only one
# running (page cache of the image is shared between containers, and Pss
# splits shared pages among their users)
bench_memory() {
	local rt=$1 pids
	web_up "$rt" || return 1
	sleep 2
	pids=$(container_pids "${CID[$rt]}")
	# shellcheck disable=SC2086
	R[$rt,mem]=$(awk -v k="$(pss_kib $pids)" 'BEGIN {printf "%.1f", k / 1024}')
	R[$rt,procs]=$(echo "$pids" | wc -w)
	web_down "$rt"
}

best() {	# RUNTIME METRIC VALUE: keep the larger
	[ -n "$3" ] || return 0
	awk -v a="${R[$1,$2]:-0}" -v b="$3" 'BEGIN {exit !(b > a)}' && R[$1,$2]=$3
	return 0
}

no_result() {	# RUNTIME TOOL OUTPUT: why a load gave no figure
	e2e_note "$1 $2: no result: $(printf '%s' "$3" | grep . | head -n 4 | tr -s ' \n' ' ' | head -c 300)"
	container_running "$C-$1" || e2e_note "$1: container $C-$1 is $(dk inspect -f '{{.State.Status}} (exit {{.State.ExitCode}})' "$C-$1" 2>&1)"
}

bench_wrk() {	# RUNTIME
	local out v
	out=$(timeout -k 5 $((WRK_SECS + 30)) wrk -t2 -c32 -d"${WRK_SECS}s" "http://127.0.0.1:${PORT[$1]}/" 2>&1)
	v=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
	[ -n "$v" ] || no_result "$1" wrk "$out"
	best "$1" ka "$v"
	v=$(printf '%s\n' "$out" | grep -E 'Socket errors|Non-2xx' | tr -s ' ' | tr '\n' ';')
	[ -n "$v" ] && e2e_note "$1 wrk: $v"
	return 0
}

bench_ab() {	# RUNTIME
	local out v
	out=$(timeout -k 5 300 ab -q -r -c16 -n "$AB_N" "http://127.0.0.1:${PORT[$1]}/" 2>&1)
	v=$(printf '%s\n' "$out" | awk '/^Failed requests:/ {print $3}')
	if [ "${v:-0}" != 0 ]; then
		# a figure that counts failures as requests is no figure
		no_result "$1" ab "$v failed requests; $out"
		return 0
	fi
	v=$(printf '%s\n' "$out" | awk '/^Requests per second:/ {printf "%.0f", $4}')
	[ -n "$v" ] || no_result "$1" ab "$out"
	best "$1" nc "$v"
	return 0
}

bench_bulk() {	# RUNTIME
	local out i
	for i in $(seq "$BULK_TRIES"); do
		out=$(curl -s -o /dev/null --max-time 120 -w '%{size_download} %{speed_download}' \
			"http://127.0.0.1:${PORT[$1]}/big.bin")
		[ "${out%% *}" = 104857600 ] || { no_result "$1" bulk "short download (bytes, bytes/s: $out)"; continue; }
		best "$1" bulk "$(awk -v s="${out#* }" 'BEGIN {printf "%.0f", s / 1048576}')"
	done
}

e2e_note "start-up: $START_N runs per runtime, interleaved"
bench_start
e2e_note "idle memory: each runtime's container alone"
for rt in $RUNTIMES; do
	bench_memory "$rt" || e2e_note "$rt: test-apache-app did not start"
done
e2e_note "load: all containers up, $ROUNDS rounds, each load interleaved across runtimes; best counts"
up=""
for rt in $RUNTIMES; do
	web_up "$rt" && up="$up $rt"
done
for rt in $up; do	# warm-up
	timeout -k 5 30 wrk -t2 -c32 -d2s "http://127.0.0.1:${PORT[$rt]}/" >/dev/null 2>&1
done
for i in $(seq "$ROUNDS"); do
	for f in bench_wrk bench_ab bench_bulk; do
		for rt in $up; do
			"$f" "$rt"
		done
	done
done
for rt in $up; do
	web_down "$rt"
done

# ratio METRIC RUNTIME: RUNTIME's figure over runc's
ratio() {
	local a=${R[$2,$1]:-} b=${R[runc,$1]:-}
	[ -n "$a" ] && [ -n "$b" ] || { echo -; return; }
	awk -v a="$a" -v b="$b" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'
}

# verdict METRIC RUNTIME LIMIT le|ge
verdict() {
	local r
	r=$(ratio "$1" "$2")
	[ "$r" = - ] && { echo "-"; return; }
	awk -v r="$r" -v l="$3" -v d="$4" 'BEGIN {
		ok = (d == "le") ? (r <= l) : (r >= l)
		printf "%s %s %s", (d == "le") ? "<=" : ">=", l, ok ? "met" : "missed" }'
}

row() {	# LABEL METRIC LIMIT le|ge
	local gv="-" gvr="-"
	case " $RUNTIMES " in *" $GV "*) gv=${R[$GV,$2]:--}; gvr=$(ratio "$2" "$GV") ;; esac
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${R[runc,$2]:--}" "${R[$RT,$2]:--}" \
		"$(ratio "$2" "$RT")" "$gv" "$gvr" "$(verdict "$2" "$RT" "$3" "$4")"
}

echo
echo "Docker benchmark, $(date -u +%F), $(nproc) CPUs; ratio = runtime / runc"
echo
echo "| metric | runc | runsc | ratio | gvisor | ratio | target (runsc) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
row "start-up, docker run --rm /bin/true (ms, median of $START_N)" start 1.2 le
row "Apache keep-alive (req/s, wrk -t2 -c32 -d${WRK_SECS}s, best of $ROUNDS)" ka 0.7 ge
row "Apache new connection per request (req/s, ab -c16 -n $AB_N, best of $ROUNDS)" nc 0.5 ge
row "100 MiB download (MiB/s, best of $((ROUNDS * BULK_TRIES)))" bulk 0.5 ge
row "idle memory (MiB, summed Pss)" mem 2 le
echo
for rt in $RUNTIMES; do
	e2e_note "$rt: idle memory over ${R[$rt,procs]:-?} processes"
done
