#!/bin/bash
# shellcheck disable=SC1010,SC1091
# hostile.c throws garbage at every trapped syscall under the ASan/UBSan
# build of runsc; the sentry must neither crash nor report memory errors, and
# must still serve a loopback connection afterwards.
. "$(dirname "$0")/lib.sh"

san=${RUNSC_SAN:-$REPO/build-san/runsc}
[ -x "$san" ] || fail "$san missing: make SAN=1"
[ -x "$GUEST_BIN/hostile" ] || fail "$GUEST_BIN/hostile missing (make tests)"
mkns a
ns=$NS
iters=${HOSTILE_ITERS:-20000}
rc_all=0
# two seeds: one fixed (reproducible), one from the clock
for seed in 12345 $(date +%s); do
	ASAN_OPTIONS=fast_unwind_on_malloc=0:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1 \
		ip netns exec "$ns" timeout -k 5 120 "$san" do -- \
		"$GUEST_BIN/hostile" "$iters" 60 "$seed" \
		>"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	cat "$T_TMP/out"
	note "seed $seed: runsc exit $rc"
	if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
		-e 'ERROR: LeakSanitizer' "$T_TMP/err"; then
		echo "FAIL: sanitizer report (seed $seed):" >&2
		grep -A40 -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'ERROR: LeakSanitizer' "$T_TMP/err" | head -80 >&2
		rc_all=1
	fi
	if [ $rc -ne 0 ]; then
		echo "FAIL: exit $rc (guest's final check or runsc failed), seed $seed" >&2
		tail -20 "$T_TMP/err" >&2
		rc_all=1
	fi
	grep -q 'final loopback exchange ok' "$T_TMP/out" ||
		{ echo "FAIL: no final exchange (seed $seed)" >&2; rc_all=1; }
done
exit $rc_all
