#!/bin/bash
# shellcheck disable=SC1010,SC1091
# hostile.c throws garbage at every trapped syscall under the ASan/UBSan
# build of runsc; the sentry must neither crash nor report memory errors, and
# must still serve a loopback connection afterwards. With --opens it attacks
# the mediated open path (sentry/fsclient.c and the gofer) the same way.
. "$(dirname "$0")/lib.sh"

san=${RUNSC_SAN:-$REPO/build-san/runsc}
[ -x "$san" ] || fail "$san missing: make SAN=1"
[ -x "$GUEST_BIN/hostile" ] || fail "$GUEST_BIN/hostile missing (make tests)"
mkns a
ns=$NS
iters=${HOSTILE_ITERS:-20000}
rc_all=0

# judge WHAT DONE: the run's verdict from $rc, $T_TMP/out and $T_TMP/err:
# no sanitizer report, exit 0, and the guest's line DONE printed
judge() {
	if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
		-e 'ERROR: LeakSanitizer' "$T_TMP/err"; then
		echo "FAIL: sanitizer report ($1):" >&2
		grep -A40 -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'ERROR: LeakSanitizer' "$T_TMP/err" | head -80 >&2
		rc_all=1
	fi
	if [ $rc -ne 0 ]; then
		echo "FAIL: exit $rc (the guest's final check or runsc failed), $1" >&2
		tail -20 "$T_TMP/err" >&2
		rc_all=1
	fi
	grep -q "$2" "$T_TMP/out" ||
		{ echo "FAIL: no '$2' ($1)" >&2; rc_all=1; }
}

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
	judge "seed $seed" 'final loopback exchange ok'
done

# the open family through the gofer (--file-access=mediated): garbage
# paths, flags, dirfds and open_how; the audit log must stay valid JSON
# lines and no gofer may outlive its sandbox
g0=$(gofers)
for seed in 12345 $(date +%s); do
	rm -f "$T_TMP/audit.jsonl"
	ASAN_OPTIONS=fast_unwind_on_malloc=0:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1 \
		timeout -k 5 120 "$san" --network=none --file-access=mediated \
		--file-audit="$T_TMP/audit.jsonl" do -- \
		"$GUEST_BIN/hostile" --opens "$iters" 60 "$seed" \
		>"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	cat "$T_TMP/out"
	note "opens, seed $seed: runsc exit $rc, $(wc -l <"$T_TMP/audit.jsonl" 2>/dev/null) audit lines"
	judge "opens, seed $seed" 'final open check ok'
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
		"$T_TMP/audit.jsonl" ||
		{ echo "FAIL: audit log is not valid JSON lines (seed $seed)" >&2; rc_all=1; }
done
sleep 0.2
[ "$(gofers)" = "$g0" ] ||
	{ echo "FAIL: runsc-gofer processes left: $(gofers), were $g0" >&2; rc_all=1; }
exit $rc_all
