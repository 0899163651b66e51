#!/bin/bash
# overlay-bench.sh [RUNSC] - cost of the in-memory root overlay (issue 6)
#
# One busybox bundle, run as OCI containers with --overlay=memory (the
# default) and --overlay=none (writes go through to the rootfs, as runc):
#   start-up  mean wall time of `runsc run` of `true` (N runs each, interleaved),
#             and of the native floor: unshare(1) of the same namespaces +
#             chroot into the rootfs (no runtime, no gofer, no overlay)
#   write     MiB/s of dd writing 64 MiB to the root and reading it back
#   stat      a find over a 2000-file tree in the image (lookups through the
#             overlay vs the plain directory)
# Ratios are memory/none from the same run. Bounded: N runs, 60 s a run.
set -u
RUNSC=$(realpath "${1:-build/runsc}")
N=${N:-10}
T=$(mktemp -d /var/tmp/runsc-ovb.XXXXXX)
trap 'rm -rf "$T"' EXIT
b=$T/bundle
mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/dev" "$b/rootfs/tree"
cp "$(command -v busybox)" "$b/rootfs/bin/busybox"
for a in sh true dd find cat rm date; do ln -s busybox "$b/rootfs/bin/$a"; done
for i in $(seq 40); do mkdir -p "$b/rootfs/tree/d$i"; for j in $(seq 50); do : >"$b/rootfs/tree/d$i/f$j"; done; done
cfg() {
	python3 - "$b/config.json" "$1" <<'PY'
import json, sys
c = {"ociVersion": "1.0.2", "root": {"path": "rootfs"},
     "process": {"args": ["sh", "-c", sys.argv[2]], "cwd": "/", "env": ["PATH=/bin"],
                 "user": {"uid": 0, "gid": 0}},
     "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs"}],
     "linux": {"namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]}}
json.dump(c, open(sys.argv[1], "w"))
PY
}
run() { timeout 60 "$RUNSC" --root "$T/state" --overlay="$1" run --bundle "$b" "ovb$$-$2" 2>&1; }
ms() { date +%s%N; }
cfg true
native() { timeout 60 unshare --fork --pid --mount --net --ipc --uts chroot "$b/rootfs" /bin/true; }
sm=0; sn=0; sx=0
for i in $(seq "$N"); do
	t0=$(ms); run memory "s$i" >/dev/null; t1=$(ms); run none "n$i" >/dev/null; t2=$(ms)
	native; t3=$(ms)
	sm=$((sm + t1 - t0)); sn=$((sn + t2 - t1)); sx=$((sx + t3 - t2))
done
# timed from the host, less the mean start-up of the same mode
timed() { local t0 t1; t0=$(ms); run "$1" "$2" >/dev/null; t1=$(ms); echo $(((t1 - t0) / 1000 - $3 / N / 1000)); }
cfg 'dd if=/dev/zero of=/big bs=1M count=64 conv=fsync 2>/dev/null && cat /big >/dev/null'
wm=$(timed memory w1 "$sm"); wn=$(timed none w2 "$sn")
cfg 'for i in 1 2 3 4 5; do find /tree >/dev/null; done'
fm=$(timed memory f1 "$sm"); fn=$(timed none f2 "$sn")
rat() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "metric | overlay=memory | overlay=none | ratio"
echo "start-up (ms, mean of $N) | $((sm / N / 1000000)) | $((sn / N / 1000000)) | $(rat "$sm" "$sn")"
echo "start-up vs native unshare+chroot ($((sx / N / 1000000)) ms) | $(rat "$sm" "$sx") | $(rat "$sn" "$sx") |"
echo "write+read 64 MiB (MiB/s) | $((64 * 1000000 / (wm > 0 ? wm : 1))) | $((64 * 1000000 / (wn > 0 ? wn : 1))) | $(rat "$wn" "$wm")"
echo "find over 2000 files x5 (ms) | $((fm / 1000)) | $((fn / 1000)) | $(rat "$fm" "$fn")"
