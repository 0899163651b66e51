#!/bin/sh
# syscalls.sh ISOLATE_C DIR... - every syscall a function declares in its
# "#syscalls" tag (style rule 19) is in the sentry's allowlist (isolate.c).
# Tags of setup-stage functions, which run before confinement, are written
# "#syscalls:setup" and are not checked.
iso=$1
shift
allow=$(grep -oE 'SCMP_SYS\([a-z0-9_]+\)' "$iso" | sed -E 's/SCMP_SYS\((.*)\)/\1/' | sort -u)
st=0
for f in $(find "$@" -name '*.c'); do
	grep -nE '#syscalls(:[a-z]+)? ' "$f" | grep -v '#syscalls:setup' |
	while IFS= read -r line; do
		for sc in $(echo "$line" | sed -E 's/.*#syscalls(:[a-z]+)? //'); do
			echo "$allow" | grep -qx "$sc" ||
				{ echo "$f:${line%%:*}: $sc is not in $iso's allowlist"; exit 1; }
		done
	done || st=1
done
exit $st
