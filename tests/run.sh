#!/bin/sh
# tests/run.sh: run every test program and end with one line that counts
# every test: "N passed, N failed".  Each program speaks TAP (cmocka with
# CMOCKA_MESSAGE_OUTPUT=TAP, the shell tests by hand).  A program that
# dies, or prints fewer results than its plan, counts as failed.
#
# usage: tests/run.sh [program ...]   (default: everything make check built)
set -u
cd "$(dirname "$0")/.."
out=tests/out
mkdir -p "$out"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ANCHORWATCH="${ANCHORWATCH:-$PWD/anchorwatch}"

if [ $# -eq 0 ]; then
	set -- build/tests/test_* build-san/tests/test_* tests/integration/t-*.sh
fi

passed=0
failed=0
for prog in "$@"; do
	[ -x "$prog" ] || continue
	log="$out/$(echo "$prog" | tr / _).log"
	printf '%s ... ' "$prog"
	"$prog" >"$log" 2>&1
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
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
