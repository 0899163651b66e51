#!/bin/bash
# shellcheck disable=SC1091
# --file-access=mediated: the guest's opens are served by the gofer, which
# resolves below the guest's root as the guest, applies --file-deny and
# writes the --file-audit log (JSON lines)
. "$(dirname "$0")/lib.sh"

rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
A=$T_TMP/audit.jsonl
D=$T_TMP/denied
mkdir -p "$D" && echo no >"$D/inner" && echo no >"$T_TMP/secret"
echo root-only >"$T_TMP/root-only" && chmod 600 "$T_TMP/root-only"
chmod 755 "$T_TMP"
med() {
	timeout 60 "$RUNSC" --network=none --file-access=mediated \
		--file-audit="$A" --file-deny="$T_TMP/secret" \
		--file-deny="$D" "$@"
}
# audit LINE-REGEX: the log has a line matching (extended regex)
audit() { grep -Eq "$1" "$A" 2>/dev/null; }

g0=$(gofers)

out=$(med do -- /bin/cat /etc/hostname 2>&1)
[ "$out" = "$(cat /etc/hostname)" ] || bad "cat /etc/hostname: '$out'"
audit '"path":"/etc/hostname","resolved":"/etc/hostname","flags":"O_RDONLY[^"]*","result":"ok"' ||
	bad "no audit line for cat's open of /etc/hostname"
audit '"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z","pid":[0-9]+,' ||
	bad "audit lines lack time/pid"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$A" ||
	bad "audit log is not valid JSON lines"

out=$(med do -- python3 -c 'print(len(open("/etc/passwd").read()) > 0)' 2>&1)
[ "$out" = True ] || bad "python3 open(/etc/passwd): '$out'"

out=$(med do -- cat "$T_TMP/secret" 2>&1) && bad "denied file was read"
case $out in *"Permission denied"*) ;; *) bad "denied file: '$out'" ;; esac
audit "\"resolved\":\"$T_TMP/secret\".*\"result\":\"EACCES\",\"denied\":true" ||
	bad "no denied audit line for the file pattern"
med do -- cat "$D/inner" >/dev/null 2>&1 && bad "file below a denied dir was read"
audit "\"resolved\":\"$D/inner\".*\"denied\":true" || bad "dir pattern not audited as denied"

out=$(med do -- sh -c "ln -s $T_TMP/secret /tmp/l && cat /tmp/l" 2>&1) && bad "symlink to a denied file was read"
audit "\"path\":\"/tmp/l\",\"resolved\":\"$T_TMP/secret\".*\"denied\":true" ||
	bad "symlink to a denied file not audited with its resolved path"

out=$(med do -- sh -c 'umask 027 && echo hi >/tmp/new && stat -c "%u %a" /tmp/new && cat /tmp/new' 2>&1)
[ "$out" = "0 640
hi" ] || bad "O_CREAT with umask 027: '$out'"
out=$(med do -- setpriv --reuid 1000 --regid 1000 --clear-groups sh -c 'cd /tmp && echo u >mine && stat -c "%u %g" mine' 2>&1)
[ "$out" = "1000 1000" ] || bad "file created as uid 1000: '$out'"

out=$(med do -- sh -c 'cd /etc && cat ./hostname && cat ../../../../../etc/hostname' 2>&1)
[ "$out" = "$(cat /etc/hostname)
$(cat /etc/hostname)" ] || bad "relative opens after cd: '$out'"
out=$(med do -- sh -c "cd $T_TMP && cat ../../../../../../etc/hostname" 2>&1)
[ "$out" = "$(cat /etc/hostname)" ] || bad "'..' above the root did not stop at it: '$out'"

out=$(med do -- setpriv --reuid 1000 --regid 1000 --clear-groups cat "$T_TMP/root-only" 2>&1) &&
	bad "uid 1000 read a root-only 0600 file through the gofer"
case $out in *"Permission denied"*) ;; *) bad "uid 1000, root-only file: '$out'" ;; esac
out=$(med do -- cat "$T_TMP/root-only" 2>&1)
[ "$out" = root-only ] || bad "root reading its 0600 file: '$out'"

out=$(med do -- cat /proc/self/status 2>&1 | head -n 1)
case $out in Name:*cat) ;; *) bad "/proc/self rewritten to the guest: '$out'" ;; esac

B=$T_TMP/direct.jsonl
out=$(timeout 60 "$RUNSC" --network=none --file-audit="$B" do -- cat /etc/hostname 2>&1) &&
	bad "--file-audit without --file-access=mediated accepted: '$out'"
case $out in *"need --file-access=mediated"*) ;; *) bad "--file-audit alone: '$out'" ;; esac
[ -e "$B" ] && bad "--file-audit alone created its file"
out=$(timeout 60 "$RUNSC" --file-access=sometimes do -- true 2>&1) && bad "--file-access=sometimes accepted"

# an OCI container: the gofer resolves in the container's root (the
# overlay of the bundle's rootfs); audit paths are the guest's
b=$T_TMP/bundle
oci_bundle "$b" sh cat echo sleep
echo image-file >"$b/rootfs/etc/inimage"
echo secret >"$b/rootfs/etc/secret"
oci_config "$b/config.json" '["sh","-c","cat /etc/inimage; cat /etc/secret; echo made >/tmp/x 2>&1 || echo nowrite; cat /tmp/x"]' \
	"/runsc-mtest-$$" "c['mounts'].append({'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid']})"
C=$T_TMP/oci.jsonl
L=$T_TMP/oci.log
out=$(timeout -k 5 60 "$RUNSC" --root "$T_TMP/state" --log "$L" --log-format json \
	--debug --file-access=mediated --file-audit="$C" --file-deny=/etc/secret \
	run --bundle "$b" "med$$" 2>&1)
# the gofer logs to the runtime's --log (not into one of its sockets)
grep -q '"msg":"gofer: serving opens (1 deny patterns, audit on)"' "$L" ||
	bad "the gofer's debug line is not in --log: $(grep -c gofer "$L" 2>/dev/null)"
[ "$(echo "$out" | head -n 1)" = image-file ] || bad "OCI: image file not read: '$out'"
case $out in *"secret"*"Permission denied"*) ;; *) bad "OCI: denied file: '$out'" ;; esac
echo "$out" | grep -qx made || bad "OCI: file created on /tmp not read back: '$out'"
grep -q '"path":"/etc/inimage","resolved":"/etc/inimage".*"result":"ok"' "$C" 2>/dev/null ||
	bad "OCI: no guest-view audit line for /etc/inimage"
grep -q '"path":"/etc/secret","resolved":"/etc/secret".*"denied":true' "$C" 2>/dev/null ||
	bad "OCI: no denied audit line for /etc/secret"
grep -q "\"resolved\":\"$b" "$C" && bad "OCI: audit lines show host paths"
timeout 30 "$RUNSC" --root "$T_TMP/state" delete --force "med$$" >/dev/null 2>&1

# runsc exec into a mediated container is mediated too
oci_config "$b/config.json" '["sleep","30"]' "/runsc-mtest-$$"
E=$T_TMP/exec.jsonl
ors() { timeout -k 5 60 "$RUNSC" --root "$T_TMP/state" --file-access=mediated --file-audit="$E" "$@"; }
if ors create --bundle "$b" "mx$$" && ors start "mx$$"; then
	out=$(ors exec "mx$$" cat /etc/inimage 2>&1)
	[ "$out" = image-file ] || bad "exec: cat /etc/inimage: '$out'"
	out=$(ors exec "mx$$" cat /etc/secret 2>&1) || true
	grep -q '"path":"/etc/inimage","resolved":"/etc/inimage".*"result":"ok"' "$E" 2>/dev/null ||
		bad "exec: its open of /etc/inimage was not audited"
	# the serving gofer has given up the host's files: /proc alone
	spid=$(timeout 30 "$RUNSC" --root "$T_TMP/state" state "mx$$" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	gpid=$(gofer_of "$spid")
	if [ -z "$gpid" ]; then
		bad "no serving gofer under the sentry $spid"
	else
		out=$(ls -A "/proc/$gpid/root/" 2>&1 | tr '\n' ' ')
		[ "$out" = "proc " ] || bad "the gofer's root holds '$out' (want proc alone)"
	fi
else
	bad "mediated create/start failed"
fi
timeout 30 "$RUNSC" --root "$T_TMP/state" delete --force "mx$$" >/dev/null 2>&1

sleep 0.2
[ "$(gofers)" = "$g0" ] || bad "runsc-gofer processes left: $(gofers), were $g0"

[ $rc = 0 ] && note "mediated opens ok ($(wc -l <"$A") audit lines)"
exit $rc
