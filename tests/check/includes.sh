#!/bin/sh
# includes.sh DIR... - the module include graph of style.md section 1:
# tap/ and netstack/ never include each other; nothing outside netstack/
# includes lwIP; netstack/ and tap/ include nothing of sentry/ but base/.
st=0
for d in "$@"; do
	for f in $(find "$d" -name '*.[ch]'); do
		case "$f" in
		*netstack/*)
			grep -Hn '#include "\(\.\./\)*\(sentry/[a-z_]*\.h\|tap/\)' "$f" && st=1
			grep -Hn '#include "[a-z_]*\.h"' "$f" | grep -E '"(sock|loop|intercept|sandbox|sentry|cmd|tap)\.h"' && st=1 ;;
		*tap/*)
			grep -Hn '#include .*\(netstack\|lwip/\|sentry/[a-z_]*\.h\)' "$f" && st=1 ;;
		*)
			grep -Hn '#include .lwip/' "$f" && st=1 ;;
		esac
	done
done
[ $st = 0 ] || echo "includes.sh: include graph violated (see lines above)" >&2
exit $st
