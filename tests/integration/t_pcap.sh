#!/bin/bash
# shellcheck disable=SC1010,SC1091,SC2317
# packet capture: --pcap-log / --pcap-log-lo files and live pcap-dump,
# read back with tcpdump -r and tshark -r. The frames of the external link
# are compared with a reference: tcpdump on the host side of the tap, in
# the namespace made here (the same bytes cross both ends). Also: filters,
# several captures at once, a stalled reader (the guest never waits; drops
# are reported), and bad input (clear message, non-zero exit, nothing left)
. "$(dirname "$0")/lib.sh"

PD=${PCAP_DUMP:-$(dirname "$RUNSC")/pcap-dump}
[ -x "$PD" ] || fail "no pcap-dump next to $RUNSC (make builds it)"
command -v tcpdump >/dev/null || skip "tcpdump not installed"
command -v tshark >/dev/null || skip "tshark not installed"

d=$T_TMP
root=$d/root
mkdir -p "$d/srv"
echo "from-host-$$" >"$d/srv/index.html"
head -c $((50 << 20)) /dev/zero >"$d/srv/big"
chmod -R a+rX "$d/srv"
mkns a
ns=$NS
rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
# frames of FILE matching FILTER, one line each with its bytes, no times
frames() { tcpdump -nn -t -x -r "$1" "$2" 2>/dev/null; }
count() { tcpdump -nn -r "$1" "$2" 2>/dev/null | grep -c .; }
# tshark view: src sport dst dport flags tcp-len payload-hex
tsv() {
	tshark -r "$1" -Y "$2" -T fields -e ip.src -e tcp.srcport -e ip.dst \
		-e tcp.dstport -e tcp.flags -e tcp.len -e tcp.payload 2>/dev/null
}
# wait_file FILE PATTERN [SECONDS]: until FILE holds PATTERN
wait_file() {
	local i
	for i in $(seq $((${3:-10} * 10))); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# refcap IFACE FILE: tcpdump on the host side of the tap; pid in $REFPID
refcap() {
	local i
	for i in $(seq 100); do
		ip -n "$ns" link show "$1" >/dev/null 2>&1 && break
		sleep 0.05
	done
	ip netns exec "$ns" tcpdump -Z root --immediate-mode -i "$1" -U -s0 -w "$2" 2>"$2.err" &
	REFPID=$!
	track $REFPID
	wait_file "$2.err" "listening on" || fail "reference tcpdump on $1"
}
# same_dir NAME REF SB FILTER: per direction, identical frames in order
same_dir() {
	local f
	for f in "src host 10.88.0.2 and $4" "dst host 10.88.0.2 and $4"; do
		frames "$2" "$f" >"$d/ref.txt"
		frames "$3" "$f" >"$d/sb.txt"
		[ -s "$d/ref.txt" ] || { bad "$1: no reference frames for '$f'"; continue; }
		cmp -s "$d/ref.txt" "$d/sb.txt" ||
			{ bad "$1: frames differ for '$f'"; diff "$d/ref.txt" "$d/sb.txt" | head -20 >&2; }
		tsv "$2" "$(echo "$f" | sed 's/src host/ip.src==/; s/dst host/ip.dst==/; s/and tcp port/\&\& tcp.port==/')" >"$d/ref.tsv"
		tsv "$3" "$(echo "$f" | sed 's/src host/ip.src==/; s/dst host/ip.dst==/; s/and tcp port/\&\& tcp.port==/')" >"$d/sb.tsv"
		cmp -s "$d/ref.tsv" "$d/sb.tsv" || bad "$1: tshark sees different frames for '$f'"
	done
	[ "$(count "$2" "$4")" = "$(count "$3" "$4")" ] ||
		bad "$1: $(count "$3" "$4") frames, reference $(count "$2" "$4")"
}

bg "$ns" busybox httpd -f -p 8081 -h "$d/srv"
bg "$ns" "$PY" "$GUEST_PY/udp_peer.py" 9101
wait_tcp "$ns" 127.0.0.1 8081 10 || fail "host httpd"

# --- 1. --pcap-log: a guest HTTP request, exactly the frames of the link --
tap=rtp$$
ip netns exec "$ns" timeout 60 "$RUNSC" --root "$root" \
	--pcap-log="$d/%ID%.pcap" do --id h$$ --tap=$tap -- sh -c '
	for i in $(seq 100); do
		busybox wget -q -O /dev/null http://10.88.0.1:8082/ 2>/dev/null && break
		sleep 0.1
	done
	busybox wget -q -O- http://10.88.0.1:8081/' >"$d/wget.out" 2>"$d/wget.err" &
sb=$!
track $sb
refcap $tap "$d/ref1.pcap"
bg "$ns" busybox httpd -f -p 8082 -h "$d/srv" # go: the reference is ready
wait $sb
r=$?
stop $REFPID
[ $r -eq 0 ] || bad "guest wget: exit $r: $(cat "$d/wget.err")"
[ "$(cat "$d/wget.out")" = "from-host-$$" ] || bad "guest wget got '$(cat "$d/wget.out")'"
f=$d/h$$.pcap
[ -s "$f" ] || fail "--pcap-log with %ID%: no $f"
tcpdump -r "$f" -nn 2>&1 | head -1 >/dev/null
same_dir "http" "$d/ref1.pcap" "$f" "tcp port 8081"
tsv "$f" "tcp.port==8081" >"$d/http.tsv"
# SYN, SYN-ACK, ACK; the request; the page; both FINs; last an ACK
[ "$(cut -f5 "$d/http.tsv" | head -3 | tr '\n' ' ')" = "0x0002 0x0012 0x0010 " ] ||
	bad "handshake: $(cut -f5 "$d/http.tsv" | head -3 | tr '\n' ' ')"
head -1 "$d/http.tsv" | grep -q "^10.88.0.2	[0-9]*	10.88.0.1	8081	0x0002" ||
	bad "first frame is not the guest's SYN to 10.88.0.1:8081"
grep "^10.88.0.2" "$d/http.tsv" | cut -f7 | tr -d '\n' | grep -q "$(hex "GET / HTTP/1.")" ||
	bad "no request bytes from the guest"
grep "^10.88.0.1" "$d/http.tsv" | cut -f7 | tr -d '\n' | grep -q "$(hex "from-host-$$")" ||
	bad "no page bytes from the host"
[ "$(awk -F'\t' '$5 ~ /0x0011|0x0019/ {print $1}' "$d/http.tsv" | sort -u | wc -l)" = 2 ] ||
	bad "not a FIN from each side"
[ "$(tail -1 "$d/http.tsv" | cut -f5)" = "0x0010" ] || bad "last frame is not a bare ACK"
# the ARP that precedes the first SYN is there too: the file starts early
tcpdump -nn -r "$f" 2>/dev/null | grep -m1 -q "ARP, Request who-has 10.88.0.1" ||
	bad "no ARP request in the capture"
[ -e "$root/h$$" ] && bad "state directory $root/h$$ left behind"
note "http: $(count "$f" "tcp port 8081") frames on port 8081, identical to the tap's"

# --- 2. a UDP exchange ------------------------------------------------------
tap=rtu$$
ip netns exec "$ns" timeout 60 "$RUNSC" --pcap-log="$d/udp.pcap" do --tap=$tap -- \
	"$PY" -c '
import socket, sys, time
for i in range(100):
    try:
        socket.create_connection(("10.88.0.1", 8083), timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(sys.argv[1].encode(), ("10.88.0.1", 9101))
print(s.recv(100).decode())' "hello-udp-$$" >"$d/udp.out" 2>&1 &
sb=$!
track $sb
refcap $tap "$d/ref2.pcap"
bg "$ns" busybox httpd -f -p 8083 -h "$d/srv"
wait $sb
r=$?
stop $REFPID
[ $r -eq 0 ] && [ "$(cat "$d/udp.out")" = "hello-udp-$$" ] || bad "udp guest: $r $(cat "$d/udp.out")"
[ "$(count "$d/udp.pcap" "udp port 9101")" = 2 ] || bad "udp: want 2 datagrams, got $(count "$d/udp.pcap" "udp port 9101")"
frames "$d/ref2.pcap" "udp port 9101" >"$d/ref.txt"
frames "$d/udp.pcap" "udp port 9101" >"$d/sb.txt"
cmp -s "$d/ref.txt" "$d/sb.txt" || bad "udp: frames differ from the tap's"
tshark -r "$d/udp.pcap" -Y "udp.port==9101" -T fields -e ip.src -e ip.dst -e udp.dstport \
	-e data.data 2>/dev/null >"$d/udp.tsv"
[ "$(head -1 "$d/udp.tsv")" = "10.88.0.2	10.88.0.1	9101	$(hex "hello-udp-$$")" ] ||
	bad "udp: tshark first datagram: $(head -1 "$d/udp.tsv")"
tail -1 "$d/udp.tsv" | grep -q "^10.88.0.1	10.88.0.2	.*	$(hex "hello-udp-$$")$" ||
	bad "udp: tshark echo: $(tail -1 "$d/udp.tsv")"
note "udp: 2 datagrams, payload bytes as sent"

# --- 3. loopback, to a second file, then into the same file ----------------
lo_guest() {
	ip netns exec "$ns" timeout 60 "$RUNSC" "$@" -- "$PY" -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.sendall(b"ping-lo"); assert a.recv(100) == b"ping-lo"
a.sendall(b"pong-lo"); assert c.recv(100) == b"pong-lo"
c.close(); a.recv(10); a.close()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
v = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
v.sendto(b"udp6-lo", u.getsockname()); assert u.recv(100) == b"udp6-lo"
print("lo ok")'
}
out=$(lo_guest --pcap-log="$d/eth.pcap" --pcap-log-lo="$d/lo.pcap" do 2>&1)
[ "$out" = "lo ok" ] || bad "loopback guest: $out"
tsv "$d/lo.pcap" "tcp" >"$d/lo.tsv"
[ "$(cut -f5 "$d/lo.tsv" | head -3 | tr '\n' ' ')" = "0x0002 0x0012 0x0010 " ] ||
	bad "lo handshake: $(head -3 "$d/lo.tsv")"
[ "$(cut -f1,3 "$d/lo.tsv" | sort -u)" = "127.0.0.1	127.0.0.1" ] || bad "lo: addresses"
[ "$(awk -F'\t' '$6 > 0 {print $7}' "$d/lo.tsv" | tr '\n' ' ')" = "$(hex ping-lo) $(hex pong-lo) " ] ||
	bad "lo: payloads in order: $(awk -F'\t' '$6 > 0' "$d/lo.tsv")"
[ "$(awk -F'\t' '$5 ~ /0x0011|0x0019/' "$d/lo.tsv" | wc -l)" = 2 ] || bad "lo: FINs"
tcpdump -nn -e -r "$d/lo.pcap" 2>/dev/null | grep -v -c "^.*00:00:00:00:00:00 > 00:00:00:00:00:00" | grep -qx 0 ||
	bad "lo: a frame without the zero MACs of lo"
[ "$(count "$d/lo.pcap" "ip6 and udp")" = 1 ] || bad "lo: the ::1 datagram"
tcpdump -nn -x -r "$d/lo.pcap" "ip6 and udp" 2>/dev/null | grep -q "7564 7036 2d6c 6f" ||
	bad "lo: ::1 datagram bytes"
[ "$(count "$d/eth.pcap" "host 127.0.0.1 or host ::1")" = 0 ] || bad "loopback frames in the eth0 file"
n_lo=$(count "$d/lo.pcap" "")
out=$(lo_guest --pcap-log="$d/both.pcap" do --pcap-log-lo="$d/both.pcap" 2>&1)
[ "$out" = "lo ok" ] || bad "loopback guest (one file): $out"
[ "$(count "$d/both.pcap" "host 127.0.0.1 or host ::1")" -ge "$((n_lo - 2))" ] ||
	bad "one file: loopback frames missing"
note "loopback: $n_lo frames, zero MACs, payloads in order"

# --- 4. live pcap-dump: -w - | tcpdump -r -, several at once, filters ------
tap=rtl$$
id=l$$
bg "$ns" "$RUNSC" --root "$root" do --id $id --tap=$tap -- busybox httpd -f -p 80 -h "$d/srv"
live=$BGPID
wait_tcp "$ns" 10.88.0.2 80 15 || fail "guest httpd"
[ -S "$root/$id/ctl" ] || bad "no control socket $root/$id/ctl"
[ "$(stat -c %a "$root/$id")" = 700 ] || bad "$root/$id is not mode 0700"
refcap $tap "$d/ref4.pcap"
mkfifo "$d/fifo1"
tcpdump -r - -w "$d/live.pcap" <"$d/fifo1" 2>"$d/live.tcpdump" &
tdp=$!
track $tdp
"$PD" --root "$root" $id -w - 'tcp port 80' >"$d/fifo1" 2>"$d/pd1.err" &
p1=$!
track $p1
"$PD" --root "$root" $id -w "$d/syn.pcap" 'tcp[tcpflags] & tcp-syn != 0' 2>"$d/pd2.err" &
p2=$!
track $p2
"$PD" --root "$root" $id -i any tcp port 80 >"$d/lines.txt" 2>"$d/pd3.err" &
p3=$!
track $p3
"$PD" --root "$root" $id -w "$d/none.pcap" udp port 9 2>"$d/pd4.err" &
p4=$!
track $p4
for e in pd1 pd2 pd3 pd4; do
	wait_file "$d/$e.err" "listening on" || bad "$e did not attach: $(cat "$d/$e.err")"
done
page=$(ip netns exec "$ns" curl -sS -m 10 http://10.88.0.2/) || bad "curl"
[ "$page" = "from-host-$$" ] || bad "curl got '$page'"
sleep 0.5
for p in $p1 $p2 $p3 $p4; do kill -INT $p; done
for p in $p1 $p2 $p3 $p4; do
	wait $p || bad "pcap-dump (pid $p) after Ctrl-C: exit $?"
done
wait $tdp
stop $REFPID
n=$(count "$d/ref4.pcap" "tcp port 80")
# the live stream through tcpdump -r -: what crossed, per direction, once
same_dir "live" "$d/ref4.pcap" "$d/live.pcap" "tcp port 80"
grep -q "^$n packets captured" "$d/pd1.err" || bad "live: pd1 counters: $(cat "$d/pd1.err")"
grep -q "^0 packets dropped by sentry" "$d/pd1.err" || bad "live: drops with a fast reader"
[ "$(count "$d/syn.pcap" "")" = 2 ] || bad "syn filter: $(count "$d/syn.pcap" "") frames (want SYN, SYN-ACK)"
tsv "$d/syn.pcap" "tcp" | cut -f5 | tr '\n' ' ' | grep -qx "0x0002 0x0012 " || bad "syn filter: flags"
[ "$(grep -c ' TCP .*:80 ' "$d/lines.txt")" = "$n" ] || bad "lines: $(wc -l <"$d/lines.txt") lines, want $n"
head -1 "$d/lines.txt" | grep -Eq '^[0-9:.]+ eth0 TCP 10.88.0.1:[0-9]+ > 10.88.0.2:80 \[S\] .*length 74$' ||
	bad "lines: first line '$(head -1 "$d/lines.txt")'"
[ "$(count "$d/none.pcap" "")" = 0 ] || bad "a filter that matches nothing wrote frames"
grep -q "^0 packets received by filter" "$d/pd4.err" || bad "no-match counters: $(cat "$d/pd4.err")"
page=$(ip netns exec "$ns" curl -sS -m 10 http://10.88.0.2/) || bad "sandbox hurt by the detach"
note "live: $n frames as on the tap, syn filter 2, 4 captures at once, detach ok"

# --- 5. a stalled reader: the guest moves 50 MB without waiting -------------
mkfifo "$d/fifo2"
exec 3<>"$d/fifo2" # a reader that never reads
"$PD" --root "$root" $id -w - tcp >"$d/fifo2" 2>"$d/pd5.err" &
p5=$!
track $p5
wait_file "$d/pd5.err" "listening on" || bad "stalled pcap-dump did not attach"
t0=$(date +%s%N)
sz=$(ip netns exec "$ns" curl -sS -m 60 -o /dev/null -w '%{size_download}' http://10.88.0.2/big) ||
	bad "50 MB download with a stalled capture failed"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$sz" = $((50 << 20)) ] || bad "downloaded $sz bytes"
[ "$ms" -lt 20000 ] || bad "50 MB took $ms ms with a stalled reader"
kill -INT $p5
for i in $(seq 50); do kill -0 $p5 2>/dev/null || break; sleep 0.1; done
kill -0 $p5 2>/dev/null && bad "pcap-dump with a stalled output ignores Ctrl-C"
wait $p5
r=$?
exec 3>&-
drops=$(sed -n 's/^\([0-9]*\) packets dropped by sentry$/\1/p' "$d/pd5.err")
[ "${drops:-0}" -gt 0 ] || bad "stalled reader: no drops reported: $(cat "$d/pd5.err")"
[ $r -eq 0 ] || bad "stalled reader: exit $r"
note "stalled reader: 50 MB in $ms ms, $drops frames dropped and reported"

# --- 6. bad input, and a sandbox that ends mid-capture ----------------------
msg=$("$PD" --root "$root" nosuch$$ 2>&1)
r=$?
[ $r -ne 0 ] && echo "$msg" | grep -q "no sandbox 'nosuch$$'" || bad "unknown container: $r '$msg'"
msg=$("$PD" --root "$root" $id -w "$d/bad.pcap" tcp port 2>&1)
r=$?
[ $r -ne 0 ] && echo "$msg" | grep -q "bad filter expression" || bad "bad filter: $r '$msg'"
[ -e "$d/bad.pcap" ] && bad "bad filter left $d/bad.pcap"
msg=$("$PD" --root "$root" $id -w /nonexistent-$$/x.pcap 2>&1)
r=$?
[ $r -ne 0 ] && echo "$msg" | grep -q "cannot write /nonexistent-$$/x.pcap" || bad "unwritable -w: $r '$msg'"
msg=$("$PD" --root "$root" $id -i wlan0 2>&1)
[ $? -eq 2 ] || bad "bad -i accepted"
msg=$(ip netns exec "$ns" "$RUNSC" --root "$root" do --id $id -- true 2>&1)
r=$?
[ $r -eq 125 ] && echo "$msg" | grep -q "in use" || bad "duplicate --id: $r '$msg'"
[ -S "$root/$id/ctl" ] || bad "a refused duplicate hurt the running sandbox"
"$PD" --root "$root" $id -w "$d/end.pcap" 2>"$d/pd6.err" &
p6=$!
track $p6
wait_file "$d/pd6.err" "listening on" || bad "pcap-dump (end) did not attach"
ip netns exec "$ns" curl -sS -m 10 -o /dev/null http://10.88.0.2/
stop $live
for i in $(seq 50); do kill -0 $p6 2>/dev/null || break; sleep 0.1; done
wait $p6
r=$?
[ $r -ne 0 ] && grep -q "ended during the capture" "$d/pd6.err" || bad "sandbox ended: $r $(cat "$d/pd6.err")"
[ "$(count "$d/end.pcap" "tcp port 80")" -gt 0 ] || bad "capture of an ended sandbox unreadable"
[ -e "$root/$id" ] && bad "$root/$id left behind"
links=$(ip -n "$ns" -o link | awk '{print $2}' | tr '\n' ' ')
msg=$(ip netns exec "$ns" "$RUNSC" --root "$root" --pcap-log=/nonexistent-$$/x.pcap do --id b$$ -- true 2>&1)
r=$?
[ $r -eq 125 ] && echo "$msg" | grep -q "cannot write /nonexistent-$$/x.pcap" || bad "unwritable --pcap-log: $r '$msg'"
[ -e "$root/b$$" ] && bad "unwritable --pcap-log left $root/b$$"
msg=$(ip netns exec "$ns" "$RUNSC" --pcap-log-lo="$d/h.pcap" do --network=host -- true 2>&1)
[ $? -eq 125 ] && [ ! -e "$d/h.pcap" ] || bad "--pcap-log with --network=host: '$msg'"
msg=$(ip netns exec "$ns" "$RUNSC" --root "$root" --pcap-log="$d/%ID%.pcap" do --id ../x$$ -- true 2>&1)
[ $? -eq 125 ] && [ ! -e "$d/x$$" ] && [ ! -e "$d/../x$$.pcap" ] || bad "bad --id accepted: '$msg'"
msg=$(ip netns exec "$ns" "$RUNSC" --root "$root" --pcap-log="$d/nf.pcap" do --id n$$ -- /nonexistent-cmd-$$ 2>&1)
[ $? -eq 127 ] && [ ! -e "$root/n$$" ] || bad "command not found: '$msg', $(ls "$root")"
[ "$(ip -n "$ns" -o link | awk '{print $2}' | tr '\n' ' ')" = "$links" ] || bad "a tap was left behind"
[ -z "$(ls -A "$root")" ] || bad "left in $root: $(ls -A "$root")"
note "bad input: messages and exit codes ok, nothing left behind"
exit $rc
