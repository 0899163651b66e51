#!/bin/bash
# shellcheck disable=SC1010,SC1091
# 1 GiB each way across the tap with sha256 on both ends:
# guest client -> host server, and host client -> guest server
. "$(dirname "$0")/lib.sh"

bytes=${BULK_BYTES:-1073741824}
mkns a
ns=$NS
rc=0

# guest -> host
ip netns exec "$ns" timeout 200 "$PY" "$GUEST_PY/bulk.py" recv-listen 9300 \
	>"$T_TMP/h.out" 2>&1 &
hp=$!
track $hp
start=$(date +%s.%N)
ip netns exec "$ns" timeout 200 "$RUNSC" do -- \
	"$PY" "$GUEST_PY/bulk.py" send 10.88.0.1 9300 "$bytes" >"$T_TMP/g.out" 2>&1
grc=$?
wait $hp
end=$(date +%s.%N)
cat "$T_TMP/g.out" "$T_TMP/h.out"
s=$(awk '/^sent/{print $2, $3}' "$T_TMP/g.out")
r=$(awk '/^received/{print $2, $3}' "$T_TMP/h.out")
if [ $grc -ne 0 ] || [ -z "$s" ] || [ "$s" != "$r" ] || [ "${s%% *}" != "$bytes" ]; then
	echo "FAIL: guest->host: runsc exit $grc, sent '$s', received '$r'" >&2
	rc=1
else
	note "guest->host $bytes bytes ok, $(echo "$start $end" | awk -v b="$bytes" '{printf "%.0f MB/s", b/($2-$1)/1e6}')"
fi

# host -> guest
ip netns exec "$ns" timeout 200 "$RUNSC" do -- \
	"$PY" "$GUEST_PY/bulk.py" recv-listen 9301 >"$T_TMP/g2.out" 2>&1 &
gp=$!
track $gp
# the sender retries its connect until the guest listens
start=$(date +%s.%N)
ip netns exec "$ns" timeout 200 "$PY" "$GUEST_PY/bulk.py" send 10.88.0.2 9301 "$bytes" \
	>"$T_TMP/h2.out" 2>&1
hrc=$?
wait $gp
grc=$?
end=$(date +%s.%N)
cat "$T_TMP/h2.out" "$T_TMP/g2.out"
s=$(awk '/^sent/{print $2, $3}' "$T_TMP/h2.out")
r=$(awk '/^received/{print $2, $3}' "$T_TMP/g2.out")
if [ $grc -ne 0 ] || [ $hrc -ne 0 ] || [ -z "$s" ] || [ "$s" != "$r" ] || [ "${s%% *}" != "$bytes" ]; then
	echo "FAIL: host->guest: exits $hrc/$grc, sent '$s', received '$r'" >&2
	rc=1
else
	note "host->guest $bytes bytes ok, $(echo "$start $end" | awk -v b="$bytes" '{printf "%.0f MB/s", b/($2-$1)/1e6}')"
fi
exit $rc
