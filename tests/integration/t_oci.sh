#!/bin/bash
# shellcheck disable=SC1010,SC1091
# The OCI verbs through the real binary, on a busybox bundle: lifecycle,
# exit codes, pid file, exec, kill, ps, pause/resume, hooks, terminal,
# errors in Docker's words, symlink escapes, and nothing left behind.
. "$(dirname "$0")/lib.sh"

rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
root=$T_TMP/state
log=$T_TMP/log.json
cg=/runsc-itest-$$
rs() { timeout -k 5 60 "$RUNSC" --root "$root" --log "$log" --log-format json "$@"; }
lasterr() { grep '"level":"error"' "$log" | tail -n 1; }

mnt_before=$(findmnt -rn -o TARGET | grep -c "$T_TMP")

# bundle: a busybox rootfs and a config.json like Docker's
b=$T_TMP/bundle
oci_bundle "$b" sh ls cat echo sleep ip id hostname ps true tty mount httpd \
	wget touch grep nslookup seq
# a mount destination that is a symlink out of the rootfs: resolved inside it
mkdir -p "$T_TMP/outside" "$b/rootfs/$T_TMP/outside"
ln -s "/../../../../../../$T_TMP/outside" "$b/rootfs/escape"

# config ARGS_JSON [PYTHON-EDITS]: write $b/config.json (with a tmpfs on
# /escape)
config() {
	oci_config "$b/config.json" "$1" "$cg" "c['mounts'].append({'destination': '/escape', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid']})
${2:-}"
}

# 1. lifecycle: create, state, start, output, exit code, wait, delete
config '["sh","-c","echo out-$(hostname); exit 3"]'
rs create --bundle "$b" --pid-file "$T_TMP/pid" c1 >"$T_TMP/out" 2>&1 ||
	bad "create: $(lasterr)"
pid=$(cat "$T_TMP/pid")
case $pid in *[!0-9]* | "") bad "pid file '$pid' is not bare digits" ;; esac
[ "$(wc -c <"$T_TMP/pid")" = "${#pid}" ] || bad "pid file has a newline"
rs state c1 | grep -q '"status": "created"' || bad "state after create"
rs state c1 | grep -q "\"pid\": $pid" || bad "state pid is not the pid file's"
rs start c1 || bad "start: $(lasterr)"
st=$(rs wait c1)
echo "$st" | grep -q '"exitStatus":3' || bad "wait: $st (want 3)"
grep -q "out-ocitest" "$T_TMP/out" || bad "no output: $(cat "$T_TMP/out")"
rs state c1 | grep -q '"status": "stopped"' || bad "state after exit"
rs start c1 2>/dev/null && bad "start of a stopped container succeeded"
rs delete c1 || bad "delete: $(lasterr)"
[ -e "$root/c1" ] && bad "state left after delete"
note "lifecycle ok"

# 2. a long-running container: exec, ps, pause/resume, kill
config '["sleep","1000"]'
rs create --bundle "$b" --pid-file "$T_TMP/pid" c2 && rs start c2 ||
	bad "c2: $(lasterr)"
out=$(rs exec c2 sh -c 'echo in-exec; id -u; exit 5'); r=$?
[ $r -eq 5 ] || bad "exec exit code $r (want 5)"
echo "$out" | grep -q in-exec || bad "exec output '$out'"
rs exec c2 nosuchcmd >/dev/null 2>&1; r=$?
[ $r -eq 255 ] || bad "exec of a missing command -> $r (want 255)"
lasterr | grep -q 'exec: \\"nosuchcmd\\": executable file not found in \$PATH' ||
	bad "exec error: $(lasterr)"
rs exec --cwd /nonexistent c2 true 2>/dev/null
lasterr | grep -q 'chdir to cwd' || bad "cwd error: $(lasterr)"
pids=$(rs ps --format json c2)
echo "$pids" | grep -q "$(cat "$T_TMP/pid")" || bad "ps $pids lacks the sentry"
[ "$(echo "$pids" | tr ',' '\n' | wc -l)" -ge 3 ] || bad "ps: $pids"
rs exec --detach --pid-file "$T_TMP/xpid" c2 sleep 30 || bad "exec --detach"
kill -0 "$(cat "$T_TMP/xpid")" 2>/dev/null || bad "detached exec pid not alive"
rs pause c2 || bad "pause: $(lasterr)"
rs state c2 | grep -q '"status": "paused"' || bad "state not paused"
rs resume c2 || bad "resume: $(lasterr)"
rs state c2 | grep -q '"status": "running"' || bad "state not running"
rs resume c2 2>/dev/null && bad "resume of a running container succeeded"
lasterr | grep -q "container not paused" || bad "resume error: $(lasterr)"
# pid-1 semantics, as runc: a signal the workload does not catch is not
# delivered (sleep stays), KILL is
rs kill c2 SIGTERM || bad "kill TERM"
sleep 0.3
rs state c2 | grep -q '"status": "running"' || bad "sleep ended by an uncaught TERM"
rs kill c2 9 || bad "kill 9"
st=$(rs wait c2)
echo "$st" | grep -q '"exitStatus":137' || bad "after KILL: $st (want 137)"
rs kill c2 9 2>/dev/null && bad "kill of a stopped container succeeded"
lasterr | grep -q "container not running" || bad "kill error: $(lasterr)"
rs delete c2 || bad "delete c2"
config '["sh","-c","trap \"echo got-term; exit 7\" TERM; while :; do sleep 0.1; done"]'
rs create --bundle "$b" c2t >"$T_TMP/trap.out" 2>&1 && rs start c2t || bad "c2t"
sleep 0.5
ps -o args= -p "$(rs state c2t | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')" |
	grep -q "^runsc-sandbox c2t" || bad "sentry's title"
rs kill c2t TERM || bad "kill TERM c2t"
st=$(rs wait c2t)
echo "$st" | grep -q '"exitStatus":7' && grep -q got-term "$T_TMP/trap.out" ||
	bad "trapped TERM: $st $(cat "$T_TMP/trap.out")"
rs delete c2t || bad "delete c2t"
note "exec, ps, pause, kill ok"

# 3. delete --force of a running container; unknown ids
config '["sleep","1000"]'
rs create --bundle "$b" c3 && rs start c3 || bad "c3"
rs delete c3 2>/dev/null && bad "delete of a running container succeeded"
rs delete --force c3 || bad "delete --force: $(lasterr)"
rs delete --force c3 || bad "second delete --force must succeed"
rs delete nosuch 2>/dev/null && bad "delete of an unknown id succeeded"
lasterr | grep -q "does not exist" || bad "unknown id: $(lasterr)"
note "delete ok"

# 4. errors at create: missing command, bad config.json; nothing left
config '["nosuchcommand"]'
rs create --bundle "$b" c4 2>/dev/null && bad "create with a missing command"
lasterr | grep -q 'executable file not found in \$PATH' ||
	bad "missing command: $(lasterr)"
[ -e "$root/c4" ] && bad "state left by a failed create"
echo '{"ociVersion":"1.0.2","process":{"args":[],"cwd":"/"},"root":{"path":"rootfs"}}' \
	>"$b/config.json"
rs create --bundle "$b" c4 2>/dev/null && bad "create with empty args"
lasterr | grep -q 'process.args' || bad "bad config: $(lasterr)"
note "create errors ok"

# 5. hooks get the state on stdin; a failing hook fails create
config '["true"]' "c['hooks']={'prestart':[{'path':'/bin/sh','args':['sh','-c','cat > $T_TMP/hook.json']}],'poststop':[{'path':'/bin/sh','args':['sh','-c','cat > $T_TMP/poststop.json']}]}"
rs create --bundle "$b" c5 || bad "create with hooks: $(lasterr)"
grep -q '"status":"creating"' "$T_TMP/hook.json" &&
	grep -q "\"pid\":$(rs state c5 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')" \
		"$T_TMP/hook.json" || bad "prestart input: $(cat "$T_TMP/hook.json")"
rs delete --force c5 || bad "delete c5"
grep -q '"status":"stopped"' "$T_TMP/poststop.json" || bad "poststop hook"
config '["true"]' "c['hooks']={'prestart':[{'path':'/bin/sh','args':['sh','-c','echo nope >&2; exit 1']}]}"
rs create --bundle "$b" c6 2>/dev/null && bad "create with a failing hook"
lasterr | grep -q 'prestart hook #0.*nope' || bad "hook error: $(lasterr)"
[ -e "$root/c6" ] && bad "state left by a failed hook"
note "hooks ok"

# 6. the file view: masked, read-only, readonly root, user, escape
config '["sh","-c","cat /proc/timer_list | wc -c; touch /proc/sys/x 2>&1; touch /r 2>&1; id -u; mount | grep -c outside"]' \
	"c['root']['readonly']=True; c['process']['user']={'uid':1000,'gid':1000}"
out=$(rs run --bundle "$b" c7 2>&1)
echo "$out" | head -1 | grep -qx 0 || bad "masked /proc/timer_list: $out"
echo "$out" | tail -1 | grep -qx 1 || bad "symlinked mount point not inside: $out"
echo "$out" | grep -q 'Read-only file system' || bad "readonly: $out"
echo "$out" | grep -qx 1000 || bad "user 1000: $out"
mountpoint -q "$T_TMP/outside" && bad "a mount escaped the rootfs through a symlink"
note "file view ok"

# 7. network none: only lo; loopback TCP inside the sandbox
config '["sh","-c","ip -o link | wc -l; httpd -p 127.0.0.1:8080 -h /etc; wget -q -O- http://127.0.0.1:8080/passwd"]'
out=$("$RUNSC" --root "$root" --network=none run --bundle "$b" c8 2>&1)
echo "$out" | head -1 | grep -qx 1 || bad "network none links: $out"
echo "$out" | grep -q 'root:x:0:0' || bad "loopback http: $out"
note "network none ok"

# 8. terminal through --console-socket
config '["sh","-c","tty; echo term-$TERM"]' "c['process']['terminal']=True; c['process']['env'].append('TERM=xterm')"
"$PY" - "$T_TMP/console.sock" >"$T_TMP/tty.out" 2>&1 <<'EOF' &
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1); s.settimeout(30)
c, _ = s.accept()
fds = array.array("i")
msg, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fds.frombytes(anc[0][2][:4])
m = fds[0]
out = b""
try:
    while True:
        b = os.read(m, 4096)
        if not b: break
        out += b
except OSError:
    pass
print(msg.decode(), out.decode(errors="replace"))
EOF
track $!
cpid=$!
for i in $(seq 50); do [ -S "$T_TMP/console.sock" ] && break; sleep 0.1; done
rs create --bundle "$b" --console-socket "$T_TMP/console.sock" c9 &&
	rs start c9 || bad "tty container: $(lasterr)"
rs wait c9 >/dev/null
wait $cpid
grep -q '/dev/ptmx' "$T_TMP/tty.out" && grep -q '/dev/pts/0' "$T_TMP/tty.out" &&
	grep -q 'term-xterm' "$T_TMP/tty.out" || bad "tty: $(cat "$T_TMP/tty.out")"
rs delete c9 || bad "delete c9"
note "terminal ok"

# 9. linux.seccomp applies to the guest on top of ours: a profile shaped
# like Docker's (clone3 -> ENOSYS, argument rules) lets a shell run, and
# socket calls it allows are still served by the sentry; a profile that
# denies mkdir bites; a bad one fails create naming the field
"$PY" -c 'import json,sys; p=json.load(open(sys.argv[1]))["linux"]["seccomp"]; p["defaultAction"]="SCMP_ACT_ALLOW"; json.dump(p, open(sys.argv[2],"w"))' \
	"$REPO/tests/data/spec/docker-default.json" "$T_TMP/profile.json"
config '["sh","-c","echo profile-ok; wget -q -O- http://127.0.0.1:1/ 2>&1 | head -1"]' \
	"c['linux']['seccomp']=json.load(open('$T_TMP/profile.json'))"
out=$("$RUNSC" --root "$root" --network=none run --bundle "$b" c10 2>&1)
echo "$out" | grep -q profile-ok || bad "docker-like profile: $out $(lasterr)"
echo "$out" | grep -qi 'refused' || bad "sockets under the profile: $out"
config '["sh","-c","mkdir /dev/x; echo mkdir-rc=$?"]' \
	"c['linux']['seccomp']={'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir','mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':13}]}"
out=$(rs run --bundle "$b" c11 2>&1)
echo "$out" | grep -q 'Permission denied' && echo "$out" | grep -q 'mkdir-rc=1' ||
	bad "profile denying mkdir: $out"
config '["true"]' "c['linux']['seccomp']={'defaultAction':'SCMP_ACT_BOGUS'}"
rs create --bundle "$b" c12 2>/dev/null && bad "create with a bad profile"
lasterr | grep -q 'linux.seccomp.defaultAction' || bad "bad profile: $(lasterr)"
note "seccomp profile ok"

# 10. Docker's embedded DNS, as on a user-defined network: resolv.conf
# names 127.0.0.11 and the prestart hook (as dockerd's does) puts a DNAT
# rule 127.0.0.11:53 -> 127.0.0.11:5300 and a resolver behind it in the
# container's namespace (the sentry's, made for this container); the
# sentry relays the guest's lookups, 16 at a time
if command -v dnsmasq >/dev/null && command -v iptables >/dev/null &&
	command -v nsenter >/dev/null; then
	echo 'nameserver 127.0.0.11' >"$T_TMP/resolv.conf"
	cat >"$T_TMP/dnshook.sh" <<EOT
pid=\$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
exec nsenter --net=/proc/\$pid/ns/net sh -ec '
ip link set lo up
iptables -t nat -A OUTPUT -d 127.0.0.11/32 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:5300
dnsmasq -p 5300 --no-resolv --no-hosts --conf-file=/dev/null --user=root \
	--pid-file=$T_TMP/dnsmasq.pid --address=/oci.test/10.9.8.7 \
	</dev/null >/dev/null 2>&1'
EOT
	config '["sh","-c","for n in $(seq 16); do nslookup -type=A n$n.oci.test & done 2>&1; wait"]' \
		"c['mounts'].append({'destination':'/etc/resolv.conf','type':'bind','source':'$T_TMP/resolv.conf','options':['rbind','ro']}); c['hooks']={'prestart':[{'path':'/bin/sh','args':['sh','$T_TMP/dnshook.sh']}]}"
	out=$(rs run --bundle "$b" c13 2>&1)
	dpid=$(cat "$T_TMP/dnsmasq.pid" 2>/dev/null)
	[ -n "$dpid" ] && track "$dpid"
	[ "$(echo "$out" | grep -c 'Address:* *10\.9\.8\.7')" = 16 ] ||
		bad "lookups through 127.0.0.11: $out $(lasterr)"
	[ -n "$dpid" ] && stop "$dpid"
	note "embedded dns ok"
else
	note "embedded dns # SKIP needs dnsmasq, iptables and nsenter"
fi

# nothing left: processes, cgroups, state, mounts
for i in $(seq 50); do
	pgrep -f -- "--root $root" >/dev/null || break
	sleep 0.1
done
pgrep -f -- "--root $root" >/dev/null &&
	bad "processes left: $(pgrep -af -- "--root $root")"
for h in /sys/fs/cgroup/*/; do
	[ -d "$h$cg" ] && bad "cgroup left: $h$cg"
	rmdir "$h$cg" 2>/dev/null
done
[ -z "$(ls "$root" 2>/dev/null)" ] || bad "state left: $(ls "$root")"
[ "$(findmnt -rn -o TARGET | grep -c "$T_TMP")" = "$mnt_before" ] ||
	bad "mounts left: $(findmnt -rn -o TARGET | grep "$T_TMP")"
exit $rc
