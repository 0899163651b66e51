# shellcheck shell=bash disable=SC2013,SC2016,SC2034
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - helpers for the Docker end-to-end suite, the image builder and the
# Docker benchmark (sourced by tests/docker/run.sh, tests/docker/images.sh,
# bench/docker-bench.sh)
#
#   docker_up                 install docker.io if missing, start dockerd if no
#                             daemon answers (then it is ours), wait for it
#   docker_down               stop dockerd, only if docker_up started it (and
#                             no container but ours runs on it)
#   register_runtime NAME PATH [ARGS...]
#                             add NAME to /etc/docker/daemon.json (through
#                             `PATH install` when the binary has that verb),
#                             reload dockerd, wait until `docker info` lists it
#   unregister_runtime NAME   the reverse; unregister_all: every NAME this
#                             process registered
#   dk ARGS...                the docker CLI with a time limit
#   run_test NAME FUNC [known]  run FUNC, print "PASS NAME" or "FAIL NAME: why"
#                             ("KNOWN NAME: why" for a known limit, not counted
#                             as a failure); e2e_summary prints the counts
#
# Knobs (environment):
#   E2E_DIR=/var/tmp/runsc-e2e   logs, pid file, scratch
#   E2E_DOCKERD_PIDNS=1          start dockerd as PID 1 of its own PID and
#                                mount namespace (unshare --pid --fork
#                                --mount-proc), as in the protocol notes
#   E2E_KEEP_DOCKERD=1           leave a dockerd we started running
#   E2E_INSTALL_BIN=PATH         the runtime binary that may register itself
#                                (`PATH install`, when its --help lists it);
#                                run.sh and docker-bench.sh set it to ours
#   E2E_USE_INSTALL=0|1          for that binary: force daemon.json editing by
#                                this file (0) or `install` (1); default: detect
#   DK_TIMEOUT=120               seconds any one docker command may take
#
# Nothing here touches an interface or address of the root network namespace;
# dockerd itself adds docker0 (and br-* for user networks) there.

set -u

E2E_DIR=${E2E_DIR:-/var/tmp/runsc-e2e}
DAEMON_JSON=${DAEMON_JSON:-/etc/docker/daemon.json}
DK_TIMEOUT=${DK_TIMEOUT:-120}
DOCKER=${DOCKER:-}
E2E_PY=/usr/bin/python3
[ -x "$E2E_PY" ] || E2E_PY=$(command -v python3)

# the test images (tests/docker/images.sh builds them)
E2E_BB_IMAGE=runsc-busybox
E2E_APACHE_IMAGE=test-apache-app
E2E_APACHE_MARKER="runsc-e2e apache marker 5f3c9a"
E2E_BB_MARKER="runsc-e2e busybox httpd marker 9b21"
E2E_LABEL=runsc.e2e	# every test container carries it

_E2E_DOCKERD_PID=""	# set when this process owns the daemon
_E2E_RUNTIMES=""	# "NAME=PATH" entries this process registered
_E2E_JSON_NEW=""	# 1: daemon.json did not exist before our first register
E2E_PASSED=0
E2E_FAILED=0
E2E_KNOWN=0
E2E_FAILED_NAMES=""
WHY=""

e2e_note() { echo "# $*"; }
e2e_err() { echo "docker-e2e: $*" >&2; }

# dk ARGS...: the docker CLI, killed after DK_TIMEOUT seconds
dk() { timeout -k 5 "$DK_TIMEOUT" "$DOCKER" "$@"; }

_docker_answers() { timeout -k 2 10 "$DOCKER" info >/dev/null 2>&1; }

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds or the time
# is up; returns CMD's last status
wait_for() {
	local secs=$1 end
	shift
	end=$((SECONDS + secs))
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && break
		sleep 0.2
	done
	"$@"
}

_e2e_apt_install() {	# PKG...: apt-get install, one update if the lists are stale
	local log=$E2E_DIR/apt.log
	mkdir -p "$E2E_DIR"
	e2e_note "installing $* (log: $log)"
	if ! DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q \
		--no-install-recommends "$@" >>"$log" 2>&1; then
		timeout 300 apt-get update -q >>"$log" 2>&1
		DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q \
			--no-install-recommends "$@" >>"$log" 2>&1 || {
			e2e_err "apt-get install $* failed; see $log"
			return 1
		}
	fi
}

# e2e_need CMD PKG: install PKG unless CMD is on PATH
e2e_need() { command -v "$1" >/dev/null 2>&1 || _e2e_apt_install "$2"; }

_is_dockerd_pid() {	# PID: a live dockerd (directly or under unshare)
	local comm
	comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
	[ "$comm" = dockerd ] || [ "$comm" = unshare ]
}

# _starttime PID: the process's start time (field 22 of /proc/PID/stat), so
# that a pid file cannot name a later process that got the same PID
_starttime() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }

# dockerd_pid: PID (in our PID namespace) of the answering dockerd, for HUP
dockerd_pid() {
	local p c
	if [ -n "$_E2E_DOCKERD_PID" ]; then
		p=$_E2E_DOCKERD_PID
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = unshare ]; then
			# dockerd is unshare's only child
			for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do
				[ "$(cat "/proc/$c/comm" 2>/dev/null)" = dockerd ] && { echo "$c"; return 0; }
			done
			return 1
		fi
		echo "$p"
		return 0
	fi
	p=$(cat /var/run/docker.pid 2>/dev/null)
	if [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = dockerd ]; then
		echo "$p"
		return 0
	fi
	# a daemon in another PID namespace writes its own PID there: take the
	# dockerd process only if there is exactly one
	p=$(pgrep -x dockerd)
	[ -n "$p" ] && [ "$(echo "$p" | wc -l)" = 1 ] && { echo "$p"; return 0; }
	return 1
}

# docker_up: make a Docker daemon answer; start one (ours) if none does
docker_up() {
	local pid st log i
	mkdir -p "$E2E_DIR"
	if ! [ -x /usr/sbin/dockerd ] || ! [ -x /usr/bin/docker ]; then
		_e2e_apt_install docker.io || return 1
	fi
	# Debian's 20.10 client matches the daemon; a newer /usr/local/bin/docker
	# may shadow it on PATH
	[ -n "$DOCKER" ] || DOCKER=/usr/bin/docker
	if _docker_answers; then
		# a daemon left by an earlier run of ours (killed before its
		# cleanup) is adopted, so that this run stops it
		read -r pid st 2>/dev/null <"$E2E_DIR/dockerd.pid"
		if [ -z "${E2E_DOCKERD_OWNER:-}" ] && [ -n "${pid:-}" ] && _is_dockerd_pid "$pid" &&
			[ "$(_starttime "$pid")" = "${st:-}" ]; then
			_E2E_DOCKERD_PID=$pid
			export E2E_DOCKERD_OWNER=$$
			e2e_note "adopted dockerd $pid left by an earlier run"
		fi
		return 0
	fi
	log=$E2E_DIR/dockerd.log
	e2e_note "starting dockerd (log: $log)"
	(
		cd / || exit 1
		# no foreign fd may reach dockerd (and through it the runtimes)
		for f in "/proc/$BASHPID/fd/"*; do
			i=${f##*/}
			[ "$i" -gt 2 ] 2>/dev/null && eval "exec $i>&-"
		done
		if [ "${E2E_DOCKERD_PIDNS:-0}" = 1 ]; then
			exec setsid unshare --pid --fork --mount-proc --kill-child=SIGTERM /usr/sbin/dockerd
		fi
		exec setsid /usr/sbin/dockerd
	) </dev/null >>"$log" 2>&1 &
	pid=$!
	_E2E_DOCKERD_PID=$pid
	export E2E_DOCKERD_OWNER=$$
	echo "$pid $(_starttime "$pid")" >"$E2E_DIR/dockerd.pid"
	for i in $(seq 300); do
		_docker_answers && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	e2e_err "dockerd did not answer within 60 s; last lines of $log:"
	tail -n 20 "$log" >&2
	docker_down
	return 1
}

# docker_down: stop dockerd by PID if docker_up started (or adopted) it
docker_down() {
	local pid=$_E2E_DOCKERD_PID i
	[ -n "$pid" ] || return 0
	if [ "${E2E_KEEP_DOCKERD:-0}" = 1 ]; then
		e2e_note "leaving dockerd $pid running (E2E_KEEP_DOCKERD=1)"
		return 0
	fi
	if _docker_answers; then
		# someone else's containers run on the daemon we started: leave it
		# (the pid file stays; a later run of ours adopts it)
		local others
		others=$(comm -23 <(dk ps -q | sort) <(dk ps -q --filter "label=$E2E_LABEL" | sort))
		if [ -n "$others" ]; then
			e2e_note "leaving dockerd $pid running: containers not ours run on it (${others//$'\n'/ })"
			_E2E_DOCKERD_PID=""
			return 0
		fi
	fi
	if _is_dockerd_pid "$pid"; then
		# under unshare, signal dockerd itself: unshare exits after it
		kill -TERM "$(dockerd_pid || echo "$pid")" 2>/dev/null
		for i in $(seq 300); do
			kill -0 "$pid" 2>/dev/null || break
			# our child: reap it, or kill -0 sees the zombie
			[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
			e2e_err "dockerd $pid still running after 60 s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	fi
	_E2E_DOCKERD_PID=""
	rm -f "$E2E_DIR/dockerd.pid"
	unset E2E_DOCKERD_OWNER
}

# _has_install BIN: register BIN through its own `install` verb (runsc
# install [--runtime NAME] [--uninstall] [-- FLAGS...]): only for a BIN named
# in E2E_INSTALL_BIN (our runtime; gVisor has an `install` too, but it would
# register itself instead of a wrapper) whose --help lists the verb
_has_install() {
	[ "${E2E_INSTALL_BIN:-}" = "$1" ] || return 1
	case "${E2E_USE_INSTALL:-}" in
	1) return 0 ;;
	0) return 1 ;;
	esac
	[ "$DAEMON_JSON" = /etc/docker/daemon.json ] || return 1
	"$1" --help 2>&1 | grep -E '(^|[[:space:]])install([[:space:]]|$)' >/dev/null
}

# _daemon_json set NAME PATH [ARGS...] | del NAME: edit daemon.json in place,
# keeping every other key
_daemon_json() {
	mkdir -p "$(dirname "$DAEMON_JSON")"
	"$E2E_PY" - "$DAEMON_JSON" "$@" <<'PY'
import json, os, sys
path, op, name = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    with open(path) as f:
        text = f.read()
    cfg = json.loads(text) if text.strip() else {}
except FileNotFoundError:
    cfg = {}
rts = cfg.setdefault("runtimes", {})
if op == "set":
    ent = {"path": sys.argv[4]}
    if sys.argv[5:]:
        ent["runtimeArgs"] = sys.argv[5:]
    rts[name] = ent
else:
    # an empty map, not a missing key: dockerd's reload (SIGHUP) only
    # applies the keys present in the file
    rts.pop(name, None)
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(cfg, f, indent=2)
    f.write("\n")
os.rename(tmp, path)
PY
}

# runtime_listed NAME: `docker info` lists runtime NAME
runtime_listed() {
	dk info --format '{{range $k, $v := .Runtimes}}{{$k}}{{"\n"}}{{end}}' 2>/dev/null |
		grep -xF "$1" >/dev/null
}

_docker_reload() {	# ask dockerd to re-read daemon.json
	local pid
	pid=$(dockerd_pid) || { e2e_err "cannot find dockerd's PID to reload it"; return 1; }
	kill -HUP "$pid"
}

# register_runtime NAME PATH [ARGS...]: runtime NAME = PATH with runtimeArgs
register_runtime() {
	local name=$1 path=$2
	shift 2
	if [ -z "$_E2E_JSON_NEW" ]; then
		_E2E_JSON_NEW=0
		[ -e "$DAEMON_JSON" ] || _E2E_JSON_NEW=1
	fi
	if _has_install "$path"; then
		if [ $# -gt 0 ]; then
			"$path" install --runtime "$name" -- "$@"
		else
			"$path" install --runtime "$name"
		fi || { e2e_err "$path install --runtime $name failed"; return 1; }
	else
		_daemon_json set "$name" "$path" "$@" || return 1
	fi
	_E2E_RUNTIMES="$_E2E_RUNTIMES $name=$path"
	_docker_reload || return 1
	# the args may have changed with the name already listed: give the
	# reload a moment before trusting the list
	sleep 0.5
	wait_for 30 runtime_listed "$name" || {
		e2e_err "runtime $name not listed by docker info after reload"
		return 1
	}
	e2e_note "runtime $name -> $path${*:+ $*}"
}

_unregister_entry() {	# NAME: edit NAME out of daemon.json, no reload
	local name=$1 e path="" rest=""
	for e in $_E2E_RUNTIMES; do
		if [ "${e%%=*}" = "$name" ]; then
			path=${e#*=}
		else
			rest="$rest $e"
		fi
	done
	_E2E_RUNTIMES=$rest
	if [ -n "$path" ] && _has_install "$path"; then
		"$path" install --runtime "$name" --uninstall && return 0
	fi
	_daemon_json del "$name"
}

_reload_until_gone() {	# NAME...: reload dockerd, wait until none is listed
	local n i left
	_docker_answers || return 0
	_docker_reload || return 1
	for i in $(seq 150); do
		left=""
		for n in "$@"; do
			runtime_listed "$n" && left="$left $n"
		done
		[ -z "$left" ] && break
		sleep 0.2
	done
	[ -z "$left" ] || { e2e_err "runtime(s)$left still listed after reload"; return 1; }
	# a daemon.json that this process created and that holds nothing else
	if [ "$_E2E_JSON_NEW" = 1 ] && [ "$(tr -d ' \n' <"$DAEMON_JSON" 2>/dev/null)" = '{"runtimes":{}}' ]; then
		rm -f "$DAEMON_JSON"
	fi
}

# unregister_runtime NAME: remove NAME from daemon.json and reload
unregister_runtime() {
	_unregister_entry "$1"
	_reload_until_gone "$1"
}

# unregister_all: every runtime this process registered, one reload
unregister_all() {
	local e names=""
	for e in $_E2E_RUNTIMES; do
		names="$names ${e%%=*}"
	done
	[ -n "$names" ] || return 0
	for e in $names; do
		_unregister_entry "$e"
	done
	# shellcheck disable=SC2086
	_reload_until_gone $names
}

# is_runc BIN: BIN is runc (allowed under a test name only for validating
# the harness)
is_runc() { "$1" --version 2>/dev/null | grep '^runc version' >/dev/null; }

container_running() { [ "$(dk inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# free_port [FROM]: a TCP port nobody listens on at 127.0.0.1
free_port() {
	local p=${1:-$((20000 + RANDOM % 20000))} i
	for i in $(seq 200); do
		if ! ss -Htln "sport = :$p" 2>/dev/null | grep . >/dev/null; then
			echo "$p"
			return 0
		fi
		p=$((p + 1))
	done
	return 1
}

# container_pids ID: PIDs of the container's processes (its cgroup, or
# `docker top`), the shim excluded
container_pids() {
	local id=$1 f p
	for f in /sys/fs/cgroup/memory/docker/"$id"/cgroup.procs \
		/sys/fs/cgroup/pids/docker/"$id"/cgroup.procs \
		/sys/fs/cgroup/system.slice/docker-"$id".scope/cgroup.procs; do
		[ -r "$f" ] || continue
		for p in $(cat "$f"); do
			case "$(cat "/proc/$p/comm" 2>/dev/null)" in containerd-shim*) continue ;; esac
			echo "$p"
		done
		return 0
	done
	dk top "$id" -eo pid 2>/dev/null | tail -n +2
}

# pss_kib PID...: summed Pss (KiB) of the processes
pss_kib() {
	local p sum=0 v
	for p in "$@"; do
		v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# ---- results ----

# run_test NAME FUNC [known]: FUNC returns 0 for a pass; on failure it leaves
# the reason in $WHY. "known" marks a known limit: its failure is reported
# as KNOWN and not counted.
run_test() {
	local name=$1 fn=$2 kind=${3:-} t0=$SECONDS
	WHY=""
	"$fn"
	local rc=$?
	WHY=${WHY//$'\n'/ | }	# one line per result
	if [ "$rc" = 0 ]; then
		echo "PASS $name ($((SECONDS - t0)) s)"
		E2E_PASSED=$((E2E_PASSED + 1))
	elif [ "$kind" = known ]; then
		echo "KNOWN $name: ${WHY:-failed} (known limit, not counted)"
		E2E_KNOWN=$((E2E_KNOWN + 1))
	else
		echo "FAIL $name: ${WHY:-failed}"
		E2E_FAILED=$((E2E_FAILED + 1))
		E2E_FAILED_NAMES="$E2E_FAILED_NAMES $name"
	fi
}

# why MSG: set the failure reason and fail
why() { WHY=$*; return 1; }

# expect_eq WHAT WANT GOT
expect_eq() {
	[ "$2" = "$3" ] && return 0
	why "$1: want '$2', got '$(printf '%s' "$3" | head -c 300 | tr '\n' '|')'"
}

# expect_grep WHAT ERE TEXT: TEXT has a line matching ERE
expect_grep() {
	printf '%s\n' "$3" | grep -E -- "$2" >/dev/null && return 0
	why "$1: no match for /$2/ in '$(printf '%s' "$3" | head -c 300 | tr '\n' '|')'"
}

# expect_nogrep WHAT ERE TEXT: no line of TEXT matches ERE
expect_nogrep() {
	printf '%s\n' "$3" | grep -E -- "$2" >/dev/null || return 0
	why "$1: unexpected /$2/ in '$(printf '%s' "$3" | head -c 300 | tr '\n' '|')'"
}

e2e_summary() {
	[ "$E2E_KNOWN" -gt 0 ] && e2e_note "$E2E_KNOWN known-limit test(s) failed (not counted)"
	[ -n "$E2E_FAILED_NAMES" ] && e2e_note "failed:$E2E_FAILED_NAMES"
	echo "$E2E_PASSED passed, $E2E_FAILED failed"
}
