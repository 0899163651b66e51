#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/pcap-bench.sh - the cost of packet capture on the sandbox
#
#   sudo bench/pcap-bench.sh         (root; about 3 minutes)
#
# Three columns, each a fresh sandbox (runsc do --id) in a namespace made
# here:
#   none      no capture
#   pcap-log  --pcap-log=FILE (every frame written to a file on /var/tmp)
#   nomatch   a live `pcap-dump ID -w /dev/null host 192.0.2.1` attached:
#             its filter runs in the sentry on every frame and matches none
# Figures: nginx keep-alive requests/s (wrk -t2 -c32, nginx in the
# sandbox, client on the host side of the tap) and single-stream TCP bulk
# Gbit/s both ways (bench/tcpbulk.c). Each column is run REPS times,
# interleaved, and the mean is shown with its ratio to "none".
# Target: nomatch costs under 5% (ratio >= 0.95).
#
# Environment knobs: WRK_SECS=8 BULK_SECS=4 REPS=2 RUNSC=build/runsc
# PCAP_DUMP=build/pcap-dump
# Traffic never leaves the namespace; every load is bounded in time.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$ROOT" || exit 1

WRK_SECS=${WRK_SECS:-8}
BULK_SECS=${BULK_SECS:-4}
REPS=${REPS:-2}
RUNSC=${RUNSC:-$ROOT/build/runsc}
PCAP_DUMP=${PCAP_DUMP:-$ROOT/build/pcap-dump}
GUEST_IP=10.88.0.2
HOST_IP=10.88.0.1
BIN=$ROOT/build/bench
OUT=$HERE/pcap-results-latest.txt
TAG=rpcap-$$
NS=$TAG
WORK=/var/tmp/$TAG # guest-visible (the guest gets a fresh /tmp)
PIDS=()

if [ "$(id -u)" != 0 ]; then
	echo "bench/pcap-bench.sh: needs root (network namespaces, tap)" >&2
	exit 1
fi
for t in ip wrk nginx curl gcc; do
	command -v "$t" >/dev/null || { echo "missing: $t (apt-get install wrk nginx-light curl gcc iproute2)" >&2; exit 1; }
done

log() { printf '[pcap-bench] %s\n' "$*" >&2; }

stop_pid() { # PID: INT (pcap-dump detaches on it), TERM, KILL; 5 s each
	local p=$1 s
	for s in INT TERM KILL; do
		kill -0 "$p" 2>/dev/null || break
		kill -"$s" "$p" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
	done
	wait "$p" 2>/dev/null
	return 0
}

cleanup() {
	local p
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	if ip netns list | grep -qw "$NS"; then
		for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$NS" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$RUNSC" ] || [ ! -x "$PCAP_DUMP" ]; then
	log "building runsc and pcap-dump"
	make -s >&2 || exit 1
fi
mkdir -p "$BIN"
if [ ! -x "$BIN/tcpbulk" ] || [ "$HERE/tcpbulk.c" -nt "$BIN/tcpbulk" ]; then
	gcc -O2 -static -Wall -Wextra -o "$BIN/tcpbulk" "$HERE/tcpbulk.c" || exit 1
fi

ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up
mkdir -p "$WORK/www" "$WORK/cfg/tmp" "$WORK/root"
cp "$RUNSC" "$WORK/runsc" && cp "$BIN/tcpbulk" "$WORK/tcpbulk" || exit 1
RUNSC=$WORK/runsc
chmod -R a+rX "$WORK"
head -c 459 /dev/urandom | base64 -w0 >"$WORK/www/index.html" # 612 bytes
cat >"$WORK/cfg/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log stderr warn;
pid $WORK/cfg/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/cfg/tmp;
    proxy_temp_path $WORK/cfg/tmp;
    fastcgi_temp_path $WORK/cfg/tmp;
    uwsgi_temp_path $WORK/cfg/tmp;
    scgi_temp_path $WORK/cfg/tmp;
    keepalive_requests 1000000;
    sendfile on;
    server { listen 80; root $WORK/www; }
}
EOF

declare -A R   # R[metric,mode,rep]
declare -A CAP # capture notes per mode
WARN=()
ID=pb$$

# sandbox MODE CMD...: start the sandbox for MODE; pid in SBX, capture in CAPPID
sandbox() {
	local mode=$1 i
	shift
	local pl=()
	CAPPID=
	rm -f "$WORK/cap.pcap"
	[ "$mode" = pcap-log ] && pl=(--pcap-log="$WORK/cap.pcap")
	ip netns exec "$NS" "$RUNSC" --root "$WORK/root" "${pl[@]}" do --id "$ID" -- "$@" \
		>"$WORK/sbx.log" 2>&1 &
	SBX=$!
	PIDS+=("$SBX")
	for i in $(seq 100); do
		[ -S "$WORK/root/$ID/ctl" ] && break
		sleep 0.05
	done
	if [ "$mode" = nomatch ]; then
		"$PCAP_DUMP" --root "$WORK/root" "$ID" -w /dev/null host 192.0.2.1 \
			2>"$WORK/pd.err" &
		CAPPID=$!
		PIDS+=("$CAPPID")
		for i in $(seq 100); do
			grep -q "listening on" "$WORK/pd.err" 2>/dev/null && break
			sleep 0.05
		done
		grep -q "listening on" "$WORK/pd.err" || WARN+=("pcap-dump did not attach: $(cat "$WORK/pd.err")")
	fi
}

# end_sandbox MODE: stop the capture (note its counters) and the sandbox
end_sandbox() {
	local mode=$1
	if [ -n "$CAPPID" ]; then
		stop_pid "$CAPPID"
		CAP[$mode]="pcap-dump: $(grep -E 'received by filter|dropped' "$WORK/pd.err" | tr '\n' ' ')"
	fi
	stop_pid "$SBX"
	if [ "$mode" = pcap-log ] && [ -f "$WORK/cap.pcap" ]; then
		CAP[$mode]="last --pcap-log file: $(du -h "$WORK/cap.pcap" | cut -f1)"
		rm -f "$WORK/cap.pcap"
	fi
}

keepalive() { # MODE REP
	local mode=$1 rep=$2 out deadline
	sandbox "$mode" nginx -c "$WORK/cfg/nginx.conf" -e stderr
	deadline=$((SECONDS + 15))
	until ip netns exec "$NS" curl -s -m 0.5 -o /dev/null -f "http://$GUEST_IP/index.html"; do
		[ $SECONDS -lt $deadline ] || { WARN+=("nginx ($mode) did not start: $(tail -2 "$WORK/sbx.log")"); break; }
		sleep 0.1
	done
	out=$(ip netns exec "$NS" timeout $((WRK_SECS + 20)) wrk -t2 -c32 -d"${WRK_SECS}s" \
		"http://$GUEST_IP/index.html" 2>&1)
	R[ka,$mode,$rep]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	grep -qE 'Socket errors|Non-2xx' <<<"$out" && WARN+=("wrk $mode: $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr '\n' ' ')")
	end_sandbox "$mode"
}

bulk() { # MODE REP DIR(g2h|h2g)
	local mode=$1 rep=$2 dir=$3 port rpid lim=$((BULK_SECS + 20)) f=$WORK/bulk.txt
	port=$((5000 + RANDOM % 1000))
	if [ "$dir" = g2h ]; then
		timeout "$lim" ip netns exec "$NS" "$WORK/tcpbulk" recv "$port" "$BULK_SECS" >"$f" 2>&1 &
		rpid=$!
		PIDS+=("$rpid")
		# the guest waits a little so that a live capture is attached
		sandbox "$mode" sh -c "sleep 1; exec $WORK/tcpbulk send $HOST_IP $port $((1 << 40)) $BULK_SECS"
		wait "$rpid"
		wait "$SBX" 2>/dev/null
	else
		sandbox "$mode" "$WORK/tcpbulk" recv "$port" "$BULK_SECS"
		sleep 1
		timeout "$lim" ip netns exec "$NS" "$WORK/tcpbulk" send "$GUEST_IP" "$port" $((1 << 40)) "$BULK_SECS" >/dev/null 2>&1
		wait "$SBX" 2>/dev/null
		f=$WORK/sbx.log
	fi
	R[$dir,$mode,$rep]=$(sed -n 's/^recv .*gbps=\([0-9.]*\).*/\1/p' "$f")
	[ -z "${R[$dir,$mode,$rep]}" ] && WARN+=("bulk $dir $mode: $(tr '\n' ' ' <"$f")")
	end_sandbox "$mode"
}

MODES="none pcap-log nomatch"
T0=$(date +%s)
for rep in $(seq "$REPS"); do
	for m in $MODES; do
		log "rep $rep: $m: keep-alive, bulk guest->host, bulk host->guest"
		keepalive "$m" "$rep"
		bulk "$m" "$rep" g2h
		bulk "$m" "$rep" h2g
	done
done
T1=$(date +%s)

mean() { # METRIC MODE
	local v=() r
	for r in $(seq "$REPS"); do v+=("${R[$1,$2,$r]:-}"); done
	printf '%s\n' "${v[@]}" | awk 'NF && $1 != "" {s += $1; n++} END {if (n) printf "%.2f", s / n; else print "NA"}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.3f", a / b }'; }
each() { # METRIC MODE: the single runs
	local r out=""
	for r in $(seq "$REPS"); do out="$out${R[$1,$2,$r]:-NA} "; done
	echo "$out"
}

{
	echo "== runsc capture cost ($(date -u '+%Y-%m-%d %H:%M:%SZ'))"
	echo "machine: nproc=$(nproc) kernel=$(uname -r)"
	echo "runsc: tree $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- sentry netstack tap tools 2>/dev/null || echo '+dirty')"
	echo "wrk -t2 -c32 -d${WRK_SECS}s against nginx in the sandbox; bulk ${BULK_SECS}s/direction; mean of $REPS interleaved runs"
	echo
	printf '%-28s %12s %12s %7s %12s %7s\n' metric none pcap-log ratio nomatch ratio
	printf '%-28s %12s %12s %7s %12s %7s\n' ---------------------------- ------------ ------------ ------- ------------ -------
	for k in ka g2h h2g; do
		case $k in
		ka) label="nginx keep-alive (req/s)" ;;
		g2h) label="TCP guest->host (Gbit/s)" ;;
		h2g) label="TCP host->guest (Gbit/s)" ;;
		esac
		n=$(mean $k none)
		l=$(mean $k pcap-log)
		x=$(mean $k nomatch)
		printf '%-28s %12s %12s %7s %12s %7s\n' "$label" "$n" "$l" "$(ratio "$l" "$n")" "$x" "$(ratio "$x" "$n")"
	done
	echo
	echo "single runs:"
	for k in ka g2h h2g; do
		for m in $MODES; do echo "  $k $m: $(each $k $m)"; done
	done
	for m in pcap-log nomatch; do [ -n "${CAP[$m]:-}" ] && echo "$m: ${CAP[$m]}"; done
	echo "target: a live filter that matches nothing costs < 5% (nomatch ratio >= 0.95)"
	if [ ${#WARN[@]} -gt 0 ]; then
		echo "warnings:"
		for w in "${WARN[@]}"; do echo "  - $w"; done
	fi
	echo "elapsed: $((T1 - T0)) s"
} | tee "$OUT"
