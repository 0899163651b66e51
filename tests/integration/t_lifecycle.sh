#!/bin/bash
# shellcheck disable=SC1010,SC1091
# exit status passthrough, 127 for a missing command, SIGTERM forwarding,
# and nothing left behind: processes, tap, mounts
. "$(dirname "$0")/lib.sh"

mkns a
ns=$NS
d=$T_TMP
rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
rs() { ip netns exec "$ns" timeout -k 5 60 "$RUNSC" do "$@"; }

links_before=$(ip -n "$ns" -o link | awk '{print $2}')
# Docker's containers come and go on a shared machine: their mounts are not ours
mounts() { findmnt -rn -o TARGET,SOURCE,FSTYPE | grep -v -e '^/run/docker/' -e '^/var/lib/docker/' | sort; }
mnt_before=$(mounts)
# other tests' namespaces (rtest-* of other pids) come and go on a shared
# machine; ours and any other name must be as they were
netns() { ip netns list | awk '{print $1}' | grep -v -e '^rtest-' | sort; ip netns list | awk '{print $1}' | grep -e "-$$-" | sort; }
ns_before=$(netns)

rs -- sh -c 'exit 3'
r=$?; [ $r -eq 3 ] || bad "exit 3 -> $r"
rs -- true; r=$?; [ $r -eq 0 ] || bad "true -> $r"
rs -- sh -c 'exit 255'; r=$?; [ $r -eq 255 ] || bad "exit 255 -> $r"
rs -- sh -c 'kill -TERM $$'; r=$?
[ $r -eq 143 ] || bad "guest killed by SIGTERM -> $r (want 143)"
rs -- sh -c 'kill -KILL $$'; r=$?
[ $r -eq 137 ] || bad "guest killed by SIGKILL -> $r (want 137)"
rs -- "$PY" -c 'import os, signal; os.kill(os.getpid(), signal.SIGSEGV)'
r=$?; [ $r -eq 139 ] || bad "guest SIGSEGV -> $r (want 139)"
note "exit statuses ok"

msg=$(rs -- /nonexistent/command-$$ 2>&1); r=$?
[ $r -eq 127 ] || bad "missing command -> $r (want 127)"
echo "$msg" | grep -q "command-$$" || bad "no message naming the missing command: '$msg'"
note "missing command: $r, '$msg'"
msg=$(rs -- no-such-command-$$ 2>&1); r=$?
[ $r -eq 127 ] || bad "missing command in PATH -> $r (want 127)"
printf '#!/bin/sh\necho hi\n' >"$d/noexec"
chmod 644 "$d/noexec"
msg=$(rs -- "$d/noexec" 2>&1); r=$?
[ $r -eq 126 ] || bad "non-executable -> $r (want 126)"
rs --bogus-flag -- true >/dev/null 2>&1; r=$?
[ $r -eq 125 ] || bad "bad runsc flag -> $r (want 125)"

# SIGTERM to runsc reaches the guest, which exits with its own status
cat >"$d/term.py" <<'PYEOF'
import signal, sys, time
def h(sig, frm):
    open(sys.argv[1], "w").write("got SIGTERM\n")
    sys.exit(7)
signal.signal(signal.SIGTERM, h)
print("ready", flush=True)
for _ in range(600):
    time.sleep(0.1)
sys.exit(1)
PYEOF
ip netns exec "$ns" "$RUNSC" do -- "$PY" "$d/term.py" "$d/term.out" >"$d/term.log" 2>&1 &
p=$!
track $p
for i in $(seq 100); do grep -q ready "$d/term.log" && break; sleep 0.1; done
kill -TERM $p
for i in $(seq 100); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
wait $p; r=$?
[ $r -eq 7 ] || bad "SIGTERM to runsc: exit $r (want the guest's 7)"
# /var/tmp is host-visible but writes are thrown away: the guest's file
# must NOT appear on the host
[ -e "$d/term.out" ] && bad "guest write leaked to the host filesystem"
note "SIGTERM forwarded: exit $r"

# an ignoring guest still dies when runsc is SIGKILLed (and with it all
# guest processes, e.g. a background child)
ip netns exec "$ns" "$RUNSC" do -- sh -c \
	'trap "" TERM; sleep 1000 & echo ready; wait' >"$d/k.log" 2>&1 &
p=$!
track $p
for i in $(seq 100); do grep -q ready "$d/k.log" && break; sleep 0.1; done
kids=$(pgrep -P $p; for c in $(pgrep -P $p); do pgrep -P "$c"; done)
kill -KILL $p
wait $p 2>/dev/null
for i in $(seq 50); do
	alive=""
	for k in $kids; do kill -0 "$k" 2>/dev/null && alive="$alive $k"; done
	[ -z "$alive" ] && break
	sleep 0.1
done
note "guest processes $kids; alive 5 s after SIGKILL of runsc: ${alive:-none}"
for k in $alive; do
	kill -0 "$k" 2>/dev/null && bad "guest process $k survived SIGKILL of runsc: $(ps -o pid,comm -p "$k" | tail -1)"
done

# a guest that leaves a background process behind when it exits
# (a duration unique to this run: other tests on the machine sleep too)
naptime=1000.$$
rs -- sh -c "sleep $naptime & exit 0"; r=$?
[ $r -eq 0 ] || bad "exit with background child -> $r"
sleep 0.5
ip netns exec "$ns" true
pgrep -f "sleep $naptime" >/dev/null && {
	for q in $(pgrep -f "sleep $naptime"); do
		# only ours: its namespace parent chain leads to no live runsc
		bad "background guest process left: $q"
	done
}

# a network sandbox with traffic, then a clean exit
rs -- sh -c 'curl -sS -m 2 http://10.88.0.1:1/ >/dev/null 2>&1; exit 0'
sleep 0.5
links_after=$(ip -n "$ns" -o link | awk '{print $2}')
[ "$links_before" = "$links_after" ] || bad "links left in the namespace: $links_after"
mnt_after=$(mounts)
[ "$mnt_before" = "$mnt_after" ] ||
	bad "mounts changed: $(diff <(echo "$mnt_before") <(echo "$mnt_after") | grep '^[<>]')"
ns_after=$(netns)
[ "$ns_before" = "$ns_after" ] || bad "network namespaces changed"
left=$(ip netns pids "$ns")
[ -z "$left" ] || bad "processes left in the namespace: $(ps -o pid,comm -p "$(echo $left | tr ' ' ,)")"
note "nothing left behind"
exit $rc
