#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh - runsc sandbox vs native, in one run on one machine
#
#   sudo bench/run.sh            (root; ~3-4 minutes)
#
# Environment knobs:
#   SERVERS="apache2 nginx busybox"  HTTP servers to measure (in that order)
#   BULK_SECS=5     seconds per bulk direction      WRK_SECS=10
#   AB_N=20000      ab requests (new connection each, -c16)
#   RTT_N=200000    syscalls timed by sysrtt
#   RUNSC=build/runsc
#
# Topology (all in namespaces made here, removed at exit):
#   sandbox: netns rbench-P-sbx holds the client and `runsc do`, whose tap
#            gives the host side 10.88.0.1/24 and the guest 10.88.0.2
#            (tap MTU is runsc's default, 16000; reported below)
#   native:  netns rbench-P-cli (10.88.0.1/24) --veth, MTU 16000--
#            netns rbench-P-srv (10.88.0.2/24), server run plainly there
# Traffic never leaves these namespaces. Every load is bounded in time.
#
# Figures: single-stream TCP Gbit/s both ways (bench/tcpbulk.c), HTTP
# requests/s keep-alive (wrk -t2 -c32) and new connection per request
# (ab -c16), and the cost of one trapped syscall (bench/sysrtt.c). The
# summary goes to stdout and bench/results-latest.txt.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$ROOT" || exit 1

SERVERS=${SERVERS:-"apache2 nginx busybox"}
BULK_SECS=${BULK_SECS:-5}
WRK_SECS=${WRK_SECS:-10}
AB_N=${AB_N:-20000}
RTT_N=${RTT_N:-200000}
RUNSC=${RUNSC:-$ROOT/build/runsc}
MTU=16000
HOST_IP=10.88.0.1
GUEST_IP=10.88.0.2
BIN=$ROOT/build/bench
OUT=$HERE/results-latest.txt

if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: needs root (network namespaces, tap)" >&2
	exit 1
fi
for t in ip wrk ab curl gcc busybox; do
	command -v "$t" >/dev/null || { echo "missing: $t (apt-get install wrk apache2-utils curl gcc busybox iproute2)" >&2; exit 1; }
done

TAG=rbench-$$
SBX=$TAG-sbx
CLI=$TAG-cli
SRV=$TAG-srv
WORK=/var/tmp/$TAG # guest-visible (the guest gets a fresh /tmp)
PIDS=()

log() { printf '[bench] %s\n' "$*" >&2; }

# --- cleanup: only what this script started ---------------------------------
stop_pid() { # PID: TERM, wait up to 5 s, KILL
	local p=$1
	kill -0 "$p" 2>/dev/null || { wait "$p" 2>/dev/null; return 0; }
	kill -TERM "$p" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}

cleanup() {
	local p ns
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do
		stop_pid "$p"
	done
	# Anything left inside our own namespaces was started by us
	for ns in "$SBX" "$CLI" "$SRV"; do
		if ip netns list | grep -qw "$ns"; then
			for p in $(ip netns pids "$ns" 2>/dev/null); do
				kill -KILL "$p" 2>/dev/null
			done
			ip netns del "$ns" 2>/dev/null
		fi
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ------------------------------------------------------------------
if [ ! -x "$RUNSC" ]; then
	log "building runsc"
	make -s >&2 || exit 1
fi
mkdir -p "$BIN"
for p in tcpbulk sysrtt udpperf; do
	if [ ! -x "$BIN/$p" ] || [ "$HERE/$p.c" -nt "$BIN/$p" ]; then
		gcc -O2 -static -Wall -Wextra -o "$BIN/$p" "$HERE/$p.c" || exit 1
	fi
done

# --- namespaces -------------------------------------------------------------
ip netns add "$SBX" && ip netns add "$CLI" && ip netns add "$SRV" || exit 1
for ns in "$SBX" "$CLI" "$SRV"; do ip -n "$ns" link set lo up; done
ip link add rbv0 netns "$CLI" type veth peer name rbv1 netns "$SRV" || exit 1
ip -n "$CLI" addr add $HOST_IP/24 dev rbv0
ip -n "$SRV" addr add $GUEST_IP/24 dev rbv1
ip -n "$CLI" link set rbv0 mtu $MTU up
ip -n "$SRV" link set rbv1 mtu $MTU up

# --- server files -------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/cfg/nginx-tmp"
# Run a private copy: a rebuild of build/runsc during the run must not
# mix two binaries into one table
RUNSC_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- sentry netstack tap 2>/dev/null || echo '+dirty')"
RUNSC_SUM=$(sha256sum "$RUNSC" | cut -c1-12)
cp "$RUNSC" "$WORK/runsc" || exit 1
RUNSC=$WORK/runsc
chmod 755 "$WORK" "$WORK/www" "$WORK/cfg"
head -c 459 /dev/urandom | base64 -w0 >"$WORK/www/index.html" # 612 bytes
chmod 644 "$WORK/www/index.html"

cat >"$WORK/cfg/apache2.conf" <<EOF
ServerRoot "$WORK/cfg"
ServerName rbench
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
TypesConfig /etc/mime.types
PidFile $WORK/cfg/apache2.pid
Mutex file:$WORK/cfg default
ErrorLog /dev/stderr
LogLevel warn
Listen 80
User www-data
Group www-data
DocumentRoot "$WORK/www"
<Directory "$WORK/www">
    Require all granted
</Directory>
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
EnableSendfile On
StartServers 1
ServerLimit 1
ThreadsPerChild 64
MaxRequestWorkers 64
MinSpareThreads 1
MaxSpareThreads 64
EOF

cat >"$WORK/cfg/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log stderr warn;
pid $WORK/cfg/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/cfg/nginx-tmp;
    proxy_temp_path $WORK/cfg/nginx-tmp;
    fastcgi_temp_path $WORK/cfg/nginx-tmp;
    uwsgi_temp_path $WORK/cfg/nginx-tmp;
    scgi_temp_path $WORK/cfg/nginx-tmp;
    keepalive_requests 1000000;
    sendfile on;
    server { listen 80; root $WORK/www; }
}
EOF

cat >"$WORK/cfg/lighttpd.conf" <<EOF
server.document-root = "$WORK/www"
server.port = 80
server.pid-file = "$WORK/cfg/lighttpd.pid"
server.errorlog = "/dev/stderr"
server.max-keep-alive-requests = 1000000
mimetype.assign = ( ".html" => "text/html" )
EOF

server_cmd() { # NAME -> command line; also says whether it keeps connections alive
	case $1 in
	apache2) echo "apache2 -f $WORK/cfg/apache2.conf -DFOREGROUND" ;;
	nginx) echo "nginx -c $WORK/cfg/nginx.conf -e stderr" ;;
	lighttpd) echo "lighttpd -D -f $WORK/cfg/lighttpd.conf" ;;
	busybox) echo "busybox httpd -f -p 80 -h $WORK/www" ;;
	*) return 1 ;;
	esac
}
keepalive_ok() { [ "$1" != busybox ]; } # busybox httpd closes after each reply

declare -A R # R[metric,sbx|nat] = value
WARN=()

# Start a server in sandbox (mode sbx) or natively (mode nat).
# Sets SERVER_PID; waits until it answers (15 s max).
start_server() { # MODE NAME LOG
	local mode=$1 name=$2 logf=$3 cmd cns
	cmd=$(server_cmd "$name") || return 1
	if [ "$mode" = sbx ]; then
		# shellcheck disable=SC2086
		ip netns exec "$SBX" "$RUNSC" "do" -- $cmd >"$logf" 2>&1 &
		cns=$SBX
	else
		# shellcheck disable=SC2086
		ip netns exec "$SRV" $cmd >"$logf" 2>&1 &
		cns=$CLI
	fi
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	local deadline=$((SECONDS + 15))
	while [ $SECONDS -lt $deadline ]; do
		if ip netns exec "$cns" curl -s -m 0.5 -o /dev/null -f "http://$GUEST_IP/index.html"; then
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	log "$name ($mode) did not come up; log:"
	sed 's/^/    /' "$logf" >&2
	WARN+=("$name ($mode) failed to start: $(tail -n 3 "$logf" | tr '\n' ' ')")
	stop_pid "$SERVER_PID"
	return 1
}

client_ns() { [ "$1" = sbx ] && echo "$SBX" || echo "$CLI"; }

run_wrk() { # MODE NAME -> R[ka_NAME,MODE]
	local mode=$1 name=$2 out rps errs
	out=$(ip netns exec "$(client_ns "$mode")" timeout $((WRK_SECS + 20)) \
		wrk -t2 -c32 -d"${WRK_SECS}s" "http://$GUEST_IP/index.html" 2>&1)
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	errs=$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ';')
	[ -n "$errs" ] && WARN+=("wrk $name $mode: $errs")
	R[ka_$name,$mode]=${rps:-NA}
}

run_ab() { # MODE NAME -> R[nc_NAME,MODE]
	local mode=$1 name=$2 out rps failed
	out=$(ip netns exec "$(client_ns "$mode")" timeout 90 \
		ab -q -s 10 -n "$AB_N" -c16 "http://$GUEST_IP/index.html" 2>&1)
	rps=$(awk '/^Requests per second:/ {print $4}' <<<"$out")
	failed=$(awk '/^Failed requests:/ {print $3}' <<<"$out")
	if [ -z "$rps" ]; then
		WARN+=("ab $name $mode: $(tail -n 2 <<<"$out" | tr '\n' ' ')")
	elif [ "${failed:-0}" != 0 ]; then
		WARN+=("ab $name $mode: $failed failed requests")
	fi
	R[nc_$name,$mode]=${rps:-NA}
}

TAP_MTU=NA
note_tap_mtu() {
	local m
	m=$(ip -n "$SBX" -o link show 2>/dev/null | awk '$2 != "lo:" {for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1)}' | head -n1)
	[ -n "$m" ] && TAP_MTU=$m
}

# --- 1. bulk ------------------------------------------------------------------
BULK_BYTES=$((1 << 40)) # time-bound by BULK_SECS
bulk() { # MODE DIR(g2h|h2g) -> R[bulk_DIR,MODE]
	local mode=$1 dir=$2 port lf rf rpid spid g
	port=$((5000 + RANDOM % 1000))
	lf=$WORK/bulk-$mode-$dir-recv.txt
	rf=$WORK/bulk-$mode-$dir-send.txt
	# "guest" = the server side (sandbox or srv netns), "host" = client side
	local lim=$((BULK_SECS + 20)) # both sides end by then, whatever happens
	if [ "$mode" = sbx ]; then
		G=(timeout "$lim" ip netns exec "$SBX" "$RUNSC" "do" --)
		H=(timeout "$lim" ip netns exec "$SBX")
	else
		G=(timeout "$lim" ip netns exec "$SRV")
		H=(timeout "$lim" ip netns exec "$CLI")
	fi
	if [ "$dir" = g2h ]; then
		"${H[@]}" "$BIN/tcpbulk" recv "$port" "$BULK_SECS" >"$lf" 2>&1 &
		rpid=$!
		PIDS+=("$rpid")
		sleep 0.3
		"${G[@]}" "$BIN/tcpbulk" send $HOST_IP "$port" $BULK_BYTES "$BULK_SECS" >"$rf" 2>&1 &
		spid=$!
		PIDS+=("$spid")
	else
		"${G[@]}" "$BIN/tcpbulk" recv "$port" "$BULK_SECS" >"$lf" 2>&1 &
		rpid=$!
		PIDS+=("$rpid")
		sleep 0.3
		"${H[@]}" "$BIN/tcpbulk" send $GUEST_IP "$port" $BULK_BYTES "$BULK_SECS" >"$rf" 2>&1 &
		spid=$!
		PIDS+=("$spid")
	fi
	[ "$mode" = sbx ] && { sleep 0.5; note_tap_mtu; }
	wait "$spid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	g=$(sed -n 's/^recv .*gbps=\([0-9.]*\).*/\1/p' "$lf")
	if [ -z "$g" ]; then
		WARN+=("bulk $dir $mode: recv: $(tr '\n' ' ' <"$lf") send: $(tr '\n' ' ' <"$rf")")
	fi
	R[bulk_$dir,$mode]=${g:-NA}
}

# --- 2b. UDP ---------------------------------------------------------------------
UDP_SECS=${UDP_SECS:-4}
udp() { # MODE KIND(rr|tp) -> R[udp_KIND,MODE]: server in the guest, client on the host side
	local mode=$1 kind=$2 port out spid
	port=$((7000 + RANDOM % 1000))
	if [ "$mode" = sbx ]; then
		G=(timeout $((UDP_SECS + 20)) ip netns exec "$SBX" "$RUNSC" "do" --)
		H=(timeout $((UDP_SECS + 20)) ip netns exec "$SBX")
	else
		G=(timeout $((UDP_SECS + 20)) ip netns exec "$SRV")
		H=(timeout $((UDP_SECS + 20)) ip netns exec "$CLI")
	fi
	if [ "$kind" = rr ]; then
		"${G[@]}" "$BIN/udpperf" echo "$port" $((UDP_SECS + 3)) >/dev/null 2>&1 &
		spid=$!
		PIDS+=("$spid")
		sleep 1
		out=$("${H[@]}" "$BIN/udpperf" rr $GUEST_IP "$port" "$UDP_SECS" 2>&1)
		R[udp_rr,$mode]=$(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$out")
	else
		"${G[@]}" "$BIN/udpperf" sink "$port" "$UDP_SECS" >"$WORK/udp-$mode.txt" 2>&1 &
		spid=$!
		PIDS+=("$spid")
		sleep 1
		"${H[@]}" "$BIN/udpperf" blast $GUEST_IP "$port" "$UDP_SECS" 1400 >/dev/null 2>&1
		wait "$spid" 2>/dev/null
		out=$(cat "$WORK/udp-$mode.txt")
		R[udp_tp,$mode]=$(sed -n 's/.*gbps=\([0-9.]*\).*/\1/p' <<<"$out")
	fi
	wait "$spid" 2>/dev/null
	[ -z "${R[udp_$kind,$mode]}" ] && WARN+=("udp $kind $mode: $out")
	R[udp_$kind,$mode]=${R[udp_$kind,$mode]:-NA}
}

# --- 3. syscall cost ------------------------------------------------------------
sysrtt() { # MODE
	local mode=$1 out
	if [ "$mode" = sbx ]; then
		out=$(timeout 60 ip netns exec "$SBX" "$RUNSC" "do" -- "$BIN/sysrtt" "$RTT_N" 2>&1)
	else
		out=$(timeout 60 ip netns exec "$SRV" "$BIN/sysrtt" "$RTT_N" 2>&1)
	fi
	R[rtt_gso,$mode]=$(sed -n 's/.*getsockopt_us=\([0-9.]*\).*/\1/p' <<<"$out")
	R[rtt_pid,$mode]=$(sed -n 's/.*getpid_us=\([0-9.]*\).*/\1/p' <<<"$out")
	[ -z "${R[rtt_gso,$mode]}" ] && WARN+=("sysrtt $mode: $out")
}

T0=$(date +%s)
log "syscall round trip"
for m in sbx nat; do sysrtt $m; done
log "bulk TCP, ${BULK_SECS}s per direction"
for d in g2h h2g; do for m in sbx nat; do bulk $m $d; done; done
log "UDP request/response and throughput, ${UDP_SECS}s each"
for k in rr tp; do for m in sbx nat; do udp $m $k; done; done

for s in $SERVERS; do
	server_cmd "$s" >/dev/null || { log "unknown server $s"; continue; }
	command -v "$s" >/dev/null || { WARN+=("$s not installed (apt-get install $s)"); continue; }
	for m in sbx nat; do
		log "HTTP $s ($m)"
		if start_server $m "$s" "$WORK/$s-$m.log"; then
			keepalive_ok "$s" && run_wrk $m "$s"
			run_ab $m "$s"
			stop_pid "$SERVER_PID"
		fi
	done
done
T1=$(date +%s)

# --- report ---------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a / b }'; }
verdict() { # RATIO TARGET
	awk -v r="$1" -v t="$2" 'BEGIN { if (t == "" ) print ""; else if (r == "NA") print "??"; else if (r + 0 >= t + 0) print "met"; else print "MISSED" }'
}

{
	echo "== runsc benchmark: sandbox vs native ($(date -u '+%Y-%m-%d %H:%M:%SZ'))"
	echo "machine: nproc=$(nproc) kernel=$(uname -r) cpu=\"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\""
	echo "runsc: tree $RUNSC_REV, binary sha256 $RUNSC_SUM  tap MTU (runsc default)=$TAP_MTU  native veth MTU=$MTU"
	echo "native peer: same server in a plain netns behind a veth pair, same addressing"
	echo "servers: $SERVERS   wrk -t2 -c32 -d${WRK_SECS}s   ab -n $AB_N -c16   bulk ${BULK_SECS}s/direction   syscalls N=$RTT_N"
	echo
	printf '%-34s %12s %12s %7s %7s %s\n' metric sandbox native ratio target verdict
	printf '%-34s %12s %12s %7s %7s %s\n' ---------------------------------- ------------ ------------ ------- ------- -------
	row() { # LABEL KEY TARGET
		local r
		r=$(ratio "${R[$2,sbx]:-NA}" "${R[$2,nat]:-NA}")
		printf '%-34s %12s %12s %7s %7s %s\n' "$1" "${R[$2,sbx]:-NA}" "${R[$2,nat]:-NA}" "$r" "${3:--}" "$(verdict "$r" "${3:-}")"
	}
	row "TCP guest->host (Gbit/s)" bulk_g2h 0.5
	row "TCP host->guest (Gbit/s)" bulk_h2g 0.5
	row "UDP request/response (req/s)" udp_rr
	row "UDP host->guest 1400 B (Gbit/s)" udp_tp
	for s in $SERVERS; do
		server_cmd "$s" >/dev/null || continue
		keepalive_ok "$s" && row "$s keep-alive (req/s, wrk)" "ka_$s" 0.7
		row "$s new conn (req/s, ab)" "nc_$s" 0.5
	done
	row "getsockopt SO_TYPE (us/call)" rtt_gso ""
	row "getpid, not trapped (us/call)" rtt_pid ""
	echo
	echo "targets: keep-alive >= 0.7, new connection >= 0.5, bulk >= 0.5 of native (higher is better;"
	echo "syscall rows are costs, so their ratio is the slowdown)"
	if [ ${#WARN[@]} -gt 0 ]; then
		echo
		echo "warnings:"
		for w in "${WARN[@]}"; do echo "  - $w"; done
	fi
	echo "elapsed: $((T1 - T0)) s"
} | tee "$OUT"
