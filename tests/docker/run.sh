#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2119
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - Docker end-to-end suite for an OCI runtime binary
#
#   tests/docker/run.sh RUNSC_BINARY [PATTERN]        (root)
#   E2E_ALLOW_RUNC=1 tests/docker/run.sh /usr/sbin/runc   (validates the
#                                                          harness itself)
#
# Knobs: DK_TIMEOUT=45 (seconds per docker command), E2E_BUDGET=600 (seconds
# for the tests; tests not started by then fail as not run), and those of
# tests/docker/lib.sh (E2E_DOCKERD_PIDNS=1, E2E_KEEP_DOCKERD=1, ...).
#
# Starts dockerd if none answers (and stops it at the end), builds the test
# images (tests/docker/images.sh), registers the binary as the runtimes
#   runsc-test        no runtimeArgs
#   runsc-test-host   runtimeArgs --network=host
#   runsc-test-none   runtimeArgs --network=none
#   runsc-test-mediated runtimeArgs --file-access=mediated --file-audit=F
#                     --file-deny=/tmp/secret (runc: none)
# (runc has no such flag: under E2E_ALLOW_RUNC all three are plain runc),
# runs every test whose name matches PATTERN (default: all), then the leak
# checks, and prints "PASS name" / "FAIL name: why" / "KNOWN name: why" (a
# known limit, not counted) and last "N passed, N failed". Exits 0 only if
# nothing failed. Everything is removed on exit: test containers, the user
# network, the runtime entries in /etc/docker/daemon.json, dockerd if ours.
#
# Checks that describe this runtime's design rather than Docker's (eth0 of
# the container's network namespace loses its kernel IPv4 address to the
# sandbox's netstack; runsc-test-none has only lo) expect runc's behaviour
# when the binary is runc.
#
# Network safety: test traffic goes to 127.0.0.1 (published ports) or stays
# inside the namespaces docker made for the test containers. Root-namespace
# addresses are compared (ip -br addr) around the --network=host tests.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
: "${DK_TIMEOUT:=45}"	# per docker command: a hung runtime costs 45 s, not more
# shellcheck source=tests/docker/lib.sh
. "$HERE/lib.sh"
E2E_BUDGET=${E2E_BUDGET:-600}	# seconds for the tests; the rest fail as not run

usage() { echo "usage: [E2E_ALLOW_RUNC=1] $0 RUNSC_BINARY [PATTERN]" >&2; exit 2; }
[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || { e2e_err "needs root"; exit 2; }
BIN=$(realpath "$1" 2>/dev/null)
[ -n "$BIN" ] && [ -x "$BIN" ] || { e2e_err "$1: not an executable"; exit 2; }
PATTERN=${2:-}
KIND=ours
if is_runc "$BIN"; then
	[ "${E2E_ALLOW_RUNC:-0}" = 1 ] || { e2e_err "$BIN is runc: set E2E_ALLOW_RUNC=1 to validate the harness with it"; exit 2; }
	KIND=runc
fi
[ "$KIND" = ours ] && E2E_INSTALL_BIN=$BIN

RT=runsc-test
RT_HOST=runsc-test-host
RT_NONE=runsc-test-none
RT_MED=runsc-test-mediated
BB=$E2E_BB_IMAGE
WEB=$E2E_APACHE_IMAGE
RUN_TAG=$$
P=runsc-e2e-$$	# container name prefix
NET=$P-net
STATE_ROOT=/run/docker/runtime-runc/moby
TMP=$(mktemp -d /var/tmp/runsc-e2e-run.XXXXXX) || exit 1
mkdir -p "$TMP/cids"
T_START=$SECONDS

# ---- state before the suite, for the leak checks ----
netns_before=$(ip netns list 2>/dev/null | awk '{print $1}' | sort)
mounts_before=""
runsc_mounts() {	# mount lines mentioning runsc, ours and dockerd's view
	local d
	{
		grep runsc /proc/self/mountinfo
		d=$(dockerd_pid 2>/dev/null) && grep runsc "/proc/$d/mountinfo"
	} 2>/dev/null | sort -u
}
pids_before=" $(cd /proc && printf '%s ' [0-9]*) "

cleanup() {
	local rc=$? ids
	trap - EXIT INT TERM
	if [ -n "$DOCKER" ] && _docker_answers; then
		ids=$(dk ps -aq --filter "label=$E2E_LABEL=$RUN_TAG")
		# shellcheck disable=SC2086
		[ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
		dk network rm "$NET" >/dev/null 2>&1
	fi
	reap_leaks
	unregister_all
	docker_down
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers ----

# drun ARGS...: docker run ARGS with the suite's label and a cid file (the
# ids feed the leak checks)
drun() {
	dk run --cidfile "$(mktemp -u "$TMP/cids/c.XXXXXX")" --label "$E2E_LABEL=$RUN_TAG" "$@"
}

inspect() { dk inspect -f "$1" "$2" 2>/dev/null; }	# FORMAT CONTAINER
running() { container_running "$1"; }
stopped() { [ "$(inspect '{{.State.Running}}' "$1")" = false ]; }
logs_have() { dk logs "$1" 2>&1 | grep -- "$2" >/dev/null; }	# CONTAINER TEXT
nlogs() { dk logs "$1" 2>&1 | wc -l; }
nlogs_over() { [ "$(nlogs "$1")" -gt "$2" ]; }	# CONTAINER N: more than N lines
all_ids() {	# every container id the suite created (a cid file has no newline)
	local f
	for f in "$TMP"/cids/*; do
		[ -s "$f" ] && { cat "$f"; echo; }
	done
	return 0
}

# netns_exec CONTAINER CMD...: CMD in the container's network namespace as
# the kernel sees it (read-only uses only)
netns_exec() {
	local key d
	key=$(inspect '{{.NetworkSettings.SandboxKey}}' "$1")
	[ -n "$key" ] || return 1
	shift
	if [ "$(stat -f -c %T "$key" 2>/dev/null)" = nsfs ]; then
		nsenter --net="$key" "$@"
	else
		# dockerd in a mount namespace of its own: the nsfs mount on the
		# file is only there
		d=$(dockerd_pid) || return 1
		nsenter -t "$d" -m nsenter --net="$key" "$@"
	fi
}

# bg_c NAME ARGS...: a detached test container named $P-NAME; fails unless
# it is running within 20 s
bg_c() {
	local name=$P-$1 out
	shift
	out=$(drun -d --name "$name" "$@" 2>&1) || why "cannot start $name: $out" || return 1
	wait_for 20 running "$name" ||
		why "$name not running: $(inspect '{{.State.Status}} exit {{.State.ExitCode}} {{.State.Error}}' "$name")"
}

MAIN=$P-main
main_up() {	# the long-running busybox most tests exec into
	running "$MAIN" && return 0
	dk rm -f "$MAIN" >/dev/null 2>&1
	bg_c main --runtime="$RT" "$BB" sleep 1000
}

WEB_C=$P-web
WEB_PORT=""
web_up() {	# test-apache-app under $RT, published on 127.0.0.1:$WEB_PORT
	if running "$WEB_C" && [ -n "$WEB_PORT" ]; then return 0; fi
	dk rm -f "$WEB_C" >/dev/null 2>&1
	WEB_PORT=$(free_port) || why "no free port" || return 1
	bg_c web --runtime="$RT" -p "127.0.0.1:$WEB_PORT:80" "$WEB" ||
		why "$WHY; logs: $(dk logs "$WEB_C" 2>&1 | tail -n 3)" || return 1
	wait_for 30 curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$WEB_PORT/" ||
		why "apache not answering on 127.0.0.1:$WEB_PORT: $(dk logs "$WEB_C" 2>&1 | tail -n 3)"
}

# ---- tests ----

t_run_echo() {
	local out rc
	out=$(drun --rm --runtime="$RT" "$BB" echo hello-e2e 2>&1)
	rc=$?
	expect_eq "exit code" 0 "$rc" && expect_eq output hello-e2e "$out"
}

t_run_exit3() {
	local out rc
	out=$(drun --rm --runtime="$RT" "$BB" sh -c 'exit 3' 2>&1)
	rc=$?
	expect_eq "exit code (output: $out)" 3 "$rc"
}

t_run_tty() {
	local out
	out=$(drun --rm -t --runtime="$RT" "$BB" tty 2>&1 | tr -d '\r')
	expect_grep "tty inside docker run -t" '^/dev/pts/[0-9]+$' "$out"
}

t_stop() {
	local c=$P-stop t0 el code
	bg_c stop --runtime="$RT" "$BB" sleep 1000 || return 1
	t0=$SECONDS
	dk stop -t 2 "$c" >/dev/null || why "docker stop failed" || return 1
	el=$((SECONDS - t0))
	stopped "$c" || why "still running after docker stop" || return 1
	code=$(inspect '{{.State.ExitCode}}' "$c")
	e2e_note "docker stop -t 2 of PID-1 sleep: exit code $code after ${el} s"
	case "$code" in 143 | 0 | 137) ;; *) why "exit code $code (want 143, 0 or 137)" || return 1 ;; esac
	[ "$el" -le 15 ] || why "docker stop took $el s"
}

t_kill_pid1() {	# signals without a handler do not kill a PID 1
	local c=$P-kill
	bg_c kill --runtime="$RT" "$BB" sleep 1000 || return 1
	dk kill -s USR1 "$c" >/dev/null || why "docker kill -s USR1 failed" || return 1
	sleep 1
	running "$c" || why "USR1 ended PID 1 (exit $(inspect '{{.State.ExitCode}}' "$c")); runc ignores it" || return 1
	dk kill -s TERM "$c" >/dev/null || why "docker kill -s TERM failed" || return 1
	sleep 1
	running "$c" || why "TERM ended a PID 1 without handler (exit $(inspect '{{.State.ExitCode}}' "$c"))" || return 1
	dk kill "$c" >/dev/null || why "docker kill failed" || return 1
	wait_for 10 stopped "$c" || why "still running after SIGKILL" || return 1
	expect_eq "exit code after docker kill" 137 "$(inspect '{{.State.ExitCode}}' "$c")"
}

t_kill_trap() {	# signals reach a PID 1 that handles them
	local c=$P-trap
	bg_c trap --runtime="$RT" "$BB" sh -c \
		'trap "echo got-USR1" USR1; trap "echo got-TERM; exit 42" TERM; echo ready; while :; do sleep 0.2; done' || return 1
	wait_for 10 logs_have "$c" ready || why "no 'ready' in the logs" || return 1
	dk kill -s USR1 "$c" >/dev/null || why "docker kill -s USR1 failed" || return 1
	wait_for 10 logs_have "$c" got-USR1 || why "USR1 not delivered to the handler" || return 1
	running "$c" || why "USR1 with a handler ended the container" || return 1
	dk kill -s TERM "$c" >/dev/null || why "docker kill -s TERM failed" || return 1
	wait_for 10 stopped "$c" || why "TERM with an exiting handler did not end it" || return 1
	logs_have "$c" got-TERM || why "no got-TERM in the logs" || return 1
	expect_eq "exit code" 42 "$(inspect '{{.State.ExitCode}}' "$c")"
}

t_exec() {
	local out rc
	main_up || return 1
	out=$(dk exec "$MAIN" echo exec-ok 2>&1)
	rc=$?
	expect_eq "exec exit code" 0 "$rc" && expect_eq "exec output" exec-ok "$out" || return 1
	out=$(dk exec "$MAIN" sh -c 'exit 5' 2>&1)
	rc=$?
	expect_eq "exit code of sh -c 'exit 5' (output: $out)" 5 "$rc"
}

t_exec_tty() {
	local out
	main_up || return 1
	out=$(dk exec -t "$MAIN" tty 2>&1 | tr -d '\r')
	expect_grep "tty inside docker exec -t" '^/dev/pts/[0-9]+$' "$out"
}

t_exec_stdin() {
	local out
	main_up || return 1
	out=$(printf 'line-one\nline-two\n' | dk exec -i "$MAIN" sh -c 'read a; read b; echo "got:$a:$b"' 2>&1)
	expect_eq "exec -i read" got:line-one:line-two "$out" || return 1
	# EOF reaches the command: cat ends
	out=$(printf 'stdin-to-cat\n' | dk exec -i "$MAIN" cat 2>&1)
	expect_eq "exec -i cat" stdin-to-cat "$out"
}

t_top() {
	local out pid
	main_up || return 1
	out=$(dk top "$MAIN" 2>&1) || why "docker top failed: $out" || return 1
	expect_grep "docker top" 'sleep 1000$' "$out" || return 1
	expect_nogrep "docker top" 'dockerd|containerd' "$out" || return 1
	# the PIDs are host PIDs (when dockerd shares our PID namespace)
	[ "${E2E_DOCKERD_PIDNS:-0}" = 1 ] && return 0
	pid=$(dk top "$MAIN" -eo pid,args | awk '$2 == "sleep" && $3 == "1000" {print $1; exit}')
	expect_eq "cmdline of PID $pid from docker top" "sleep 1000" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed 's/ $//')"
}

t_pause() {
	local c=$P-pause n1 n2
	bg_c pause --runtime="$RT" "$BB" sh -c 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done' || return 1
	wait_for 10 nlogs_over "$c" 2 || why "the counter does not count" || return 1
	dk pause "$c" >/dev/null || why "docker pause failed" || return 1
	expect_eq "Paused after pause" true "$(inspect '{{.State.Paused}}' "$c")" || return 1
	expect_eq "Status after pause" paused "$(inspect '{{.State.Status}}' "$c")" || return 1
	n1=$(nlogs "$c")
	sleep 1
	n2=$(nlogs "$c")
	expect_eq "log lines while paused" "$n1" "$n2" || return 1
	dk unpause "$c" >/dev/null || why "docker unpause failed" || return 1
	expect_eq "Paused after unpause" false "$(inspect '{{.State.Paused}}' "$c")" || return 1
	wait_for 5 nlogs_over "$c" "$n2" || why "the counter did not continue after unpause"
}

t_publish() {
	local u out
	web_up || return 1
	u=http://127.0.0.1:$WEB_PORT/
	out=$(curl -s --max-time 10 "$u")
	expect_grep "page" "$E2E_APACHE_MARKER" "$out" || return 1
	# keep-alive: two requests, one connection
	out=$(curl -sv --max-time 10 "$u" "$u" 2>&1)
	expect_eq "pages over one connection" 2 "$(printf '%s\n' "$out" | grep -c "$E2E_APACHE_MARKER")" || return 1
	expect_grep "connection reuse" 'Re-?using existing connection' "$out" || return 1
	# HTTP/1.0 keep-alive is negotiated with headers
	out=$(curl -sv --max-time 10 --http1.0 -H 'Connection: keep-alive' "$u" "$u" 2>&1)
	expect_grep "HTTP/1.0 keep-alive reply" '^< Keep-Alive: ' "$out" &&
		expect_grep "HTTP/1.0 connection reuse" 'Re-?using existing connection' "$out" || return 1
	# 50 requests on one connection
	out=$(curl -s --max-time 20 "${u}?[1-50]")
	expect_eq "pages of 50 requests on one connection" 50 "$(printf '%s\n' "$out" | grep -c "$E2E_APACHE_MARKER")" || return 1
	# Connection: close
	out=$(curl -sv --max-time 10 -H 'Connection: close' "$u" 2>&1)
	expect_grep "Connection: close reply" '^< Connection: close' "$out" &&
		expect_grep "page with Connection: close" "$E2E_APACHE_MARKER" "$out"
}

t_publish_bulk() {
	local u want got t0 el
	web_up || return 1
	u=http://127.0.0.1:$WEB_PORT
	want=$(curl -s --max-time 10 "$u/big.sha256" | cut -d' ' -f1)
	expect_grep "big.sha256" '^[0-9a-f]{64}$' "$want" || return 1
	t0=$(date +%s%N)
	got=$(curl -s --max-time 180 "$u/big.bin" | sha256sum | cut -d' ' -f1)
	el=$((($(date +%s%N) - t0) / 1000000))
	e2e_note "100 MiB through -p in $el ms"
	expect_eq "sha256 of big.bin" "$want" "$got"
}

t_network_none() {
	local out rc
	out=$(drun --rm --network=none --runtime="$RT" "$BB" sh -c 'ip -o link; ip -o addr' 2>&1)
	rc=$?
	expect_eq "exit code (output: $out)" 0 "$rc" || return 1
	expect_grep "interfaces" '^1: lo' "$out" &&
		expect_nogrep "interfaces" 'eth0|^[0-9]+: [^l]' "$out"
}

t_runtime_none() {	# runtimeArgs --network=none on the default bridge
	local out rc
	out=$(drun --rm --runtime="$RT_NONE" "$BB" sh -c 'ip -o link; ip -o addr' 2>&1)
	rc=$?
	expect_eq "exit code (output: $out)" 0 "$rc" || return 1
	expect_grep "interfaces" '^1: lo' "$out" || return 1
	if [ "$KIND" = runc ]; then
		expect_grep "interfaces (runc: no --network flag, docker's eth0)" 'eth0' "$out"
	else
		expect_nogrep "interfaces under --network=none" 'eth0' "$out"
	fi
}

t_runtime_host() {	# runtimeArgs --network=host on the default bridge
	local c=$P-hostrt ip out
	bg_c hostrt --runtime="$RT_HOST" "$BB" sleep 1000 || return 1
	ip=$(inspect '{{.NetworkSettings.IPAddress}}' "$c")
	expect_grep "IPAddress" '^[0-9.]+$' "$ip" || return 1
	out=$(dk exec "$c" ip -o -4 addr 2>&1)
	expect_grep "addresses seen inside" "eth0 +inet $ip/" "$out" || return 1
	# host mode uses the netns' kernel stack: the kernel keeps the address
	out=$(netns_exec "$c" ip -o -4 addr show dev eth0 2>&1)
	expect_grep "kernel's eth0 in the container netns" "inet $ip/" "$out"
}

t_eth0_takeover() {	# default runtime entry: who owns eth0's address
	local ip out
	main_up || return 1
	ip=$(inspect '{{.NetworkSettings.IPAddress}}' "$MAIN")
	expect_grep "IPAddress" '^[0-9.]+$' "$ip" || return 1
	out=$(dk exec "$MAIN" ip -o -4 addr 2>&1)
	expect_grep "addresses seen inside" "eth0 +inet $ip/" "$out" || return 1
	out=$(netns_exec "$MAIN" ip -o -4 addr show dev eth0 2>&1)
	if [ "$KIND" = runc ]; then
		expect_grep "kernel's eth0 (runc)" "inet $ip/" "$out"
	else
		# the sandbox's netstack serves the address, not the kernel
		expect_nogrep "kernel's eth0 (sandbox netstack owns it)" 'inet ' "$out"
	fi
}

# host_mode RUNTIME MUST_WORK: --network=host; root addresses must not change
host_mode() {
	local rt=$1 must=$2 before after out rc a
	before=$(ip -br addr)
	out=$(drun --rm --network=host --runtime="$rt" "$BB" ip -o addr 2>&1)
	rc=$?
	after=$(ip -br addr)
	if [ "$before" != "$after" ]; then
		echo "# !!! root namespace addresses CHANGED by --runtime=$rt --network=host"
		echo "# before:"
		printf '%s\n' "$before" | sed 's/^/#   /'
		echo "# after:"
		printf '%s\n' "$after" | sed 's/^/#   /'
		why "root namespace addresses changed" || return 1
	fi
	if [ "$rc" = 0 ]; then
		# the host's addresses are visible
		for a in $(ip -4 -o addr show scope global | awk '{print $4}'); do
			printf '%s\n' "$out" | grep -F "inet $a" >/dev/null || why "host address $a not seen: $out" || return 1
		done
		e2e_note "--runtime=$rt --network=host works (host addresses seen)"
		return 0
	fi
	[ "$must" = 1 ] && { why "rc $rc: $out" || return 1; }
	e2e_note "--runtime=$rt --network=host refused (rc $rc): $(printf '%s' "$out" | head -c 300)"
	expect_grep "a clear error" 'network|host' "$out"
}

t_network_host() { host_mode "$RT" 0; }
t_network_host_rt() { host_mode "$RT_HOST" 1; }

t_network_container() {
	local c=$P-ctr1 ip hn out
	bg_c ctr1 --runtime="$RT" "$BB" httpd -f -p 8080 -h /var/www || return 1
	ip=$(inspect '{{.NetworkSettings.IPAddress}}' "$c")
	hn=$(inspect '{{.Config.Hostname}}' "$c")
	out=$(drun --rm --network="container:$c" --runtime="$RT" "$BB" \
		sh -c 'hostname; ip -o -4 addr; i=0
			until timeout 5 wget -q -O- http://127.0.0.1:8080/; do
				i=$((i + 1)); [ $i -ge 20 ] && break; sleep 0.25
			done' 2>&1)
	expect_grep "hostname" "^$hn\$" "$out" &&
		expect_grep "shared address" "inet $ip/" "$out" &&
		expect_grep "the other container's server on shared loopback" "$E2E_BB_MARKER" "$out"
}

t_missing_entrypoint() {
	local out rc cf id
	cf=$(mktemp -u "$TMP/cids/c.XXXXXX")
	out=$(dk run --cidfile "$cf" --label "$E2E_LABEL=$RUN_TAG" --rm --runtime="$RT" "$BB" nosuchcmd 2>&1)
	rc=$?
	expect_eq "exit code (output: $out)" 127 "$rc" || return 1
	expect_grep "message" 'executable file not found' "$out" || return 1
	id=$(cat "$cf" 2>/dev/null)
	[ -n "$id" ] || return 0
	# nothing left behind: no container, no shim
	wait_for 10 test -z "$(dk ps -aq --filter "id=$id")" || why "container $id left after a failed run" || return 1
	wait_for 10 no_shim "$id" || why "shim of $id left after a failed run"
}

t_dns_user_net() {
	local t=$P-dnstarget ip out
	dk network create "$NET" >/dev/null 2>&1 || running_net || why "docker network create failed" || return 1
	bg_c dnstarget --network "$NET" --runtime="$RT" "$BB" sleep 1000 || return 1
	ip=$(inspect "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$t")
	out=$(drun --rm --network "$NET" --runtime="$RT" "$BB" sh -c "cat /etc/resolv.conf; nslookup $t" 2>&1)
	expect_grep "resolv.conf" '^nameserver 127\.0\.0\.11' "$out" &&
		expect_grep "nslookup $t" "Address.*$ip" "$out" || return 1
	# glibc: A and AAAA at once on one socket (sendmmsg)
	out=$(drun --rm --network "$NET" --runtime="$RT" "$WEB" getent ahosts "$t" 2>&1)
	expect_grep "getent ahosts $t" "^$ip " "$out"
}
running_net() { dk network inspect "$NET" >/dev/null 2>&1; }

# ---- leak checks (after every test container is removed) ----

no_shim() {	# ID: no process names container ID (shims run with -id ID)
	local f
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$f" | grep -F -- "-id $1 " >/dev/null && return 1
	done
	return 0
}

t_leak_shims() {
	local id
	for id in $(all_ids); do
		wait_for 15 no_shim "$id" || why "a shim of container $id is still running" || return 1
	done
}

ours_or_child() {	# PID: PID is this script or one of its descendants
	local p=$1 i
	for i in $(seq 64); do
		[ "$p" = "$$" ] && return 0
		p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
		[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != 1 ] || return 1
	done
	return 1
}

# Other people may use the same dockerd, and run other sandboxes, while the
# suite runs (the machine is shared). A leftover is ours when it names one
# of our containers (or our binary: its path, or a process's exe); others
# are reported as notes.
FOREIGN=""	# ids of containers not ours, at leak-check time
mentions() {	# TEXT IDS...: TEXT names one of the ids (full or short)
	local text=$1 id
	shift
	for id in "$@"; do
		case "$text" in *"$id"* | *"${id:0:12}"*) return 0 ;; esac
	done
	return 1
}
whose() {	# TEXT [PID]: ours|other
	# shellcheck disable=SC2046
	if mentions "$1" $(all_ids); then
		echo ours
	elif [ "$KIND" = ours ] && { mentions "$1" "$BIN" ||
		{ [ -n "${2:-}" ] && [ "$(readlink "/proc/$2/exe" 2>/dev/null)" = "$BIN" ]; }; }; then
		echo ours
	else
		echo other
	fi
}

new_procs() {	# new processes in our containers' cgroups or naming runsc
	local f p cmd cg
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}
		p=${p%/cmdline}
		case "$pids_before" in *" $p "*) continue ;; esac
		cmd=$(tr '\0' ' ' 2>/dev/null <"$f")
		cg=$(grep -E 'memory|pids' "/proc/$p/cgroup" 2>/dev/null | tr '\n' ' ')
		case "$cmd" in *runsc*) ;; *)
			# shellcheck disable=SC2046
			mentions "$cg" $(all_ids) || continue ;;
		esac
		ours_or_child "$p" && continue
		echo "$(whose "$cmd $cg" "$p") $p: $(printf '%s' "$cmd" | head -c 200)"
	done
}

t_leak_procs() {
	wait_for 10 eval '! new_procs | grep "^ours" >/dev/null' ||
		why "processes left: $(new_procs | grep '^ours' | tr '\n' '|')" || return 1
	new_procs | grep '^other' | sed 's/^other /# not counted (not ours): /'
	return 0
}

t_leak_state() {
	local id d live
	for id in $(all_ids); do
		for d in "$STATE_ROOT/$id" "$STATE_ROOT/$id"_*; do
			[ -e "$d" ] && { why "state left: $d" || return 1; }
		done
	done
	live=$(dk ps -aq --no-trunc)
	for d in "$STATE_ROOT"/*/; do
		[ -f "$d/state.json" ] || continue
		grep -qE '"runtime" *: *"runsc-lwip"' "$d/state.json" || continue
		id=$(basename "$d")
		printf '%s\n' "$live" | grep -xF "$id" >/dev/null || why "state directory $d (runsc-lwip) of no container" || return 1
	done
	return 0
}

t_leak_mounts() {
	local line bad=""
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		case "$(whose "$line")" in
		ours) bad="$bad$line|" ;;
		*) e2e_note "not counted (not ours): mount $line" ;;
		esac
	done < <(comm -13 <(printf '%s\n' "$mounts_before") <(runsc_mounts))
	[ -z "$bad" ] || why "new mounts mentioning runsc: $bad"
}

# docker_netns: network namespaces docker holds (nsfs mounts on
# /run/docker/netns/*; dockerd unmounts one when its container goes and
# deletes the file up to a minute later). Their names do not tell whose
# they are: more new ones than foreign containers means a leak of ours.
docker_netns() {
	local d mi=/proc/self/mountinfo
	d=$(dockerd_pid 2>/dev/null) && mi=/proc/$d/mountinfo
	awk '$5 ~ "^/run/docker/netns/" && $5 != "/run/docker/netns/default" {print $5}' "$mi" 2>/dev/null | sort
}
new_docker_netns() { comm -13 <(printf '%s\n' "$docker_netns_before") <(docker_netns) | grep .; }
netns_settled() { [ "$(new_docker_netns | wc -l)" -le "$(echo "$FOREIGN" | wc -w)" ]; }

t_leak_netns() {
	local n bad=""
	# other tests on the machine make their own (rtest-*, rbench-*, ...):
	# a new one is ours if it names runsc, docker or one of our containers
	for n in $(comm -13 <(printf '%s\n' "$netns_before") <(ip netns list 2>/dev/null | awk '{print $1}' | sort)); do
		# shellcheck disable=SC2046
		if printf '%s' "$n" | grep -iE 'runsc|docker|moby|e2e' >/dev/null || mentions "$n" $(all_ids); then
			bad="$bad $n"
		else
			e2e_note "not counted (not ours): ip netns $n"
		fi
	done
	[ -z "$bad" ] || why "new network namespaces:$bad" || return 1
	wait_for 10 netns_settled ||
		why "network namespaces still held by docker: $(new_docker_netns | tr '\n' ' ')(foreign containers: $(echo "$FOREIGN" | wc -w))"
}

# reap_leaks: after the checks, end what our containers left behind (a
# failed start leaves shim and sandbox alive), by PID
reap_leaks() {
	local ids f p d
	ids=$(all_ids)
	[ -n "${ids//[[:space:]]/}" ] || return 0
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}
		p=${p%/cmdline}
		case "$pids_before" in *" $p "*) continue ;; esac
		ours_or_child "$p" && continue
		# shellcheck disable=SC2086
		if mentions "$(tr '\0' ' ' 2>/dev/null <"$f") $(cat "/proc/$p/cgroup" 2>/dev/null)" $ids; then
			e2e_note "killing leftover $p: $(tr '\0' ' ' 2>/dev/null <"$f" | head -c 120)"
			kill -KILL "$p" 2>/dev/null
		fi
	done
	sleep 0.5
	for p in $ids; do
		for d in /sys/fs/cgroup/*/docker/"$p"; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null
		done
	done
	return 0
}

t_volume_ro() {	# -v HOST:GUEST:ro: readable, not writable by any path
	local d out
	d=$(mktemp -d /var/tmp/runsc-e2e-vol.XXXXXX)
	echo data >"$d/f"
	out=$(drun --rm --runtime="$RT" -v "$d:/data:ro" "$BB" sh -c \
		'cat /data/f; echo y >/data/f || echo w1; exec 3</data/f; echo y >/proc/self/fd/3 || echo w2; mv /data/f /m || echo w3; touch /data/new || echo w4' 2>/dev/null)
	expect_eq "ro volume (host file: $(cat "$d/f"))" "data w1 w2 w3 w4 data" \
		"$(echo $out) $(cat "$d/f")" || { rm -rf "$d"; return 1; }
	[ -e "$d/new" ] && { rm -rf "$d"; why "a file was created in the ro volume"; return 1; }
	rm -rf "$d"
}

t_volume_rw() {	# -v HOST:GUEST: writes reach the host
	local d out
	d=$(mktemp -d /var/tmp/runsc-e2e-vol.XXXXXX)
	out=$(drun --rm --runtime="$RT" -v "$d:/data" "$BB" sh -c 'echo w >/data/f && cat /data/f' 2>&1)
	expect_eq "rw volume" "w w" "$out $(cat "$d/f" 2>/dev/null)"
	local r=$?
	rm -rf "$d"
	return $r
}

t_read_only() {	# --read-only: the root refuses writes, a --tmpfs accepts them
	local out
	out=$(drun --rm --runtime="$RT" --read-only --tmpfs /scratch "$BB" sh -c \
		'touch /x 2>/dev/null || echo ro; touch /scratch/y && echo tmp' 2>&1)
	expect_eq "--read-only" "ro tmp" "$(echo $out)"
}

t_image_unmodified() {	# a guest's write to / is not in the next container
	local out
	drun --rm --runtime="$RT" "$BB" sh -c 'echo x >/marker; rm /bin/true' >/dev/null 2>&1
	out=$(drun --rm --runtime="$RT" "$BB" sh -c 'ls /marker 2>/dev/null; ls /bin/true' 2>&1)
	expect_eq "the next container's root" "/bin/true" "$out"
}

t_mediated() {	# runtimeArgs --file-access=mediated: opens audited, a deny honoured
	local out log=$TMP/med-audit.jsonl
	out=$(drun --rm --runtime="$RT_MED" "$BB" sh -c \
		'cat /etc/hostname >/dev/null && echo read; { echo s >/tmp/secret; } 2>/dev/null || echo denied; echo x >/tmp/w && cat /tmp/w' 2>&1)
	if [ "$KIND" = runc ]; then
		expect_eq "runc (no mediation)" "read x" "$(echo $out)"
		return
	fi
	expect_eq "mediated container" "read denied x" "$(echo $out)" || return 1
	expect_grep "audit line for /etc/hostname" \
		'"path":"/etc/hostname","resolved":"/etc/hostname".*"result":"ok"' \
		"$(cat "$log" 2>/dev/null)" || return 1
	expect_grep "denied creation audited" '"path":"/tmp/secret".*"denied":true' \
		"$(cat "$log")"
}

# ---- main ----

TESTS="run_echo run_exit3 run_tty stop kill_pid1 kill_trap exec exec_tty exec_stdin top
pause publish publish_bulk network_none runtime_none runtime_host eth0_takeover
network_container missing_entrypoint dns_user_net network_host_rt network_host
volume_ro volume_rw read_only image_unmodified mediated"
KNOWN_LIMIT=" "	# names of tests that fail by design, space-separated

docker_up || exit 1
docker_netns_before=$(docker_netns)
mounts_before=$(runsc_mounts)	# dockerd's view too, now that it runs
"$HERE/images.sh" || { e2e_err "building the images failed"; exit 1; }
e2e_note "runtime under test: $BIN ($KIND); dockerd $(dockerd_pid)$([ "${E2E_DOCKERD_PIDNS:-0}" = 1 ] && echo ' in its own PID namespace')"
register_runtime "$RT" "$BIN" || exit 1
if [ "$KIND" = runc ]; then
	register_runtime "$RT_HOST" "$BIN" || exit 1
	register_runtime "$RT_NONE" "$BIN" || exit 1
	register_runtime "$RT_MED" "$BIN" || exit 1
else
	register_runtime "$RT_HOST" "$BIN" --network=host || exit 1
	register_runtime "$RT_NONE" "$BIN" --network=none || exit 1
	register_runtime "$RT_MED" "$BIN" --file-access=mediated \
		--file-audit="$TMP/med-audit.jsonl" --file-deny=/tmp/secret || exit 1
fi
e2e_note "set-up took $((SECONDS - T_START)) s"

for t in $TESTS; do
	[ -n "$PATTERN" ] && ! printf '%s\n' "$t" | grep -E -- "$PATTERN" >/dev/null && continue
	if [ $((SECONDS - T_START)) -gt "$E2E_BUDGET" ]; then
		echo "FAIL $t: not run, the suite's time budget ($E2E_BUDGET s) is spent"
		E2E_FAILED=$((E2E_FAILED + 1))
		continue
	fi
	case "$KNOWN_LIMIT" in
	*" $t "*) run_test "$t" "t_$t" known ;;
	*) run_test "$t" "t_$t" ;;
	esac
done

ids=$(dk ps -aq --filter "label=$E2E_LABEL=$RUN_TAG")
# shellcheck disable=SC2086
[ -n "$ids" ] && dk rm -f $ids >/dev/null
dk network rm "$NET" >/dev/null 2>&1
mine=$(dk ps -aq --no-trunc --filter "label=$E2E_LABEL=$RUN_TAG")
FOREIGN=$(dk ps -aq --no-trunc | grep -vxF -e "${mine:-none}")
[ -n "$FOREIGN" ] && e2e_note "$(echo "$FOREIGN" | wc -w) container(s) not ours exist"
for t in shims procs state mounts netns; do
	run_test "leak_$t" "t_leak_$t"
done
reap_leaks

e2e_note "suite took $((SECONDS - T_START)) s"
e2e_summary
[ "$E2E_FAILED" = 0 ]
