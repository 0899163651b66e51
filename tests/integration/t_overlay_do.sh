#!/bin/bash
# shellcheck disable=SC1091
# runsc do: the host's root through an in-memory overlay (writes vanish),
# --overlay=none writes through, --overlay-size limits the layer
. "$(dirname "$0")/lib.sh"

rc=0
bad() { echo "FAIL: $*" >&2; rc=1; }
f=$T_TMP/ovdo-file
rdo() { timeout 60 "$RUNSC" --network=none "$@"; }

out=$(rdo do -- sh -c "echo x >$f && cat $f" 2>&1)
[ "$out" = x ] || bad "overlay: guest read back '$out'"
[ -e "$f" ] && bad "overlay: the guest's write reached the host"
out=$(rdo --overlay=none do -- sh -c "echo y >$f" 2>&1) || bad "--overlay=none: $out"
[ "$(cat "$f" 2>/dev/null)" = y ] || bad "--overlay=none: the write did not go through"
rm -f "$f"
out=$(rdo --overlay-size=1m do -- sh -c "dd if=/dev/zero of=$f.s bs=1k count=256 2>/dev/null && ! dd if=/dev/zero of=$f.b bs=1k count=4096 2>/dev/null && echo ok" 2>&1)
[ "$out" = ok ] || bad "--overlay-size=1m: '$out'"
[ -e "$f.s" ] || [ -e "$f.b" ] && bad "--overlay-size: the guest's files reached the host"
rdo --overlay=disk do -- true 2>/dev/null && bad "--overlay=disk accepted"
rdo --overlay-size=-1 do -- true 2>/dev/null && bad "--overlay-size=-1 accepted"
[ $rc = 0 ] && note "overlay of runsc do ok"
exit $rc
