#!/bin/sh
# run.sh - style checks (make check-style): formatting, kernel-doc, include
# graph; each check is first shown to fire on a bad fixture.
cd "$(dirname "$0")/../.." || exit 1
src=$(find sentry tap netstack gofer tools -name '*.[ch]' 2>/dev/null)
st=0
check() {
	if "$@"; then echo "ok - $*" | cut -c1-70; else echo "not ok - $*" | cut -c1-70; st=1; fi
}
fires() {
	if "$@" >/dev/null 2>&1; then echo "not ok - check does not fire: $1"; st=1; else echo "ok - fires on fixture: $1"; fi
}
fires tests/check/kdoc.py tests/check/fixtures/bad_kdoc.c
fires tests/check/includes.sh tests/check/fixtures/netstack
fires tests/check/syscalls.sh sentry/isolate.c tests/check/fixtures/sys
if command -v clang-format >/dev/null; then
	check clang-format --dry-run -Werror $src
	fires clang-format --dry-run -Werror tests/check/fixtures/bad_format.c
else
	echo "ok - clang-format # SKIP not installed"
fi
check tests/check/kdoc.py $(echo "$src" | grep '\.c$')
check tests/check/includes.sh sentry tap netstack gofer
check tests/check/syscalls.sh sentry/isolate.c sentry netstack tap
check tests/check/syscalls.sh gofer/isolate.c gofer
exit $st
