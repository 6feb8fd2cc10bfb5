#!/bin/sh
# tests/run.sh: run every test program and end with one line that counts
# every test: "N passed, N failed".  Each program speaks TAP (cmocka with
# CMOCKA_MESSAGE_OUTPUT=TAP, the shell tests by hand).  A program that
# dies, or prints fewer results than its plan, counts as failed.
# Integration tests run once with each build of the binary: plain, and
# under ASan+UBSan when `make check` built build-san/anchorwatch.
#
# usage: tests/run.sh [program ...]   (default: everything make check built)
set -u
cd "$(dirname "$0")/.." || exit 1
out=tests/out
mkdir -p "$out"
export CMOCKA_MESSAGE_OUTPUT=TAP
ANCHORWATCH="${ANCHORWATCH:-$PWD/anchorwatch}"
bins=$ANCHORWATCH
[ -x build-san/anchorwatch ] && bins="$bins $PWD/build-san/anchorwatch"

if [ $# -eq 0 ]; then
	set -- build/tests/test_* build-san/tests/test_* tests/integration/t-*.sh
fi

passed=0
failed=0

# run_one PROGRAM BINARY: run it, count its TAP results, show failures.
run_one() {
	name=$1
	[ "$2" = "$ANCHORWATCH" ] || name="$1 (${2#"$PWD"/})"
	log="$out/$(echo "$1-$2" | tr / _).log"
	printf '%s ... ' "$name"
	ANCHORWATCH=$2 "$1" >"$log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$log")
	nok=$(grep -c '^not ok ' "$log")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
	missing=0
	if [ -n "$plan" ] && [ "$plan" -gt $((ok + nok)) ]; then
		missing=$((plan - ok - nok))
	fi
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1
	fi
	passed=$((passed + ok))
	failed=$((failed + nok + missing))
	if [ $((nok + missing)) -eq 0 ]; then
		echo "ok ($ok)"
	else
		echo "FAILED ($ok ok, $nok not ok, $missing missing, exit $rc)"
		grep -v '^ok ' "$log" | tail -n 40 | sed 's/^/    /'
	fi
}

for prog in "$@"; do
	[ -x "$prog" ] || continue
	case $prog in
	tests/integration/*)
		for bin in $bins; do
			run_one "$prog" "$bin"
		done
		;;
	*) run_one "$prog" "$ANCHORWATCH" ;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
