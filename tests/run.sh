#!/bin/bash
# tests/run.sh: run every test program and end with one line that counts
# every test: "N passed, N failed".  Each program speaks TAP (cmocka with
# CMOCKA_MESSAGE_OUTPUT=TAP, the shell tests by hand).  A program that
# dies, or prints fewer results than its plan, counts as failed.
# Integration tests run once, with the binary built under ASan+UBSan when
# `make check` built build-san/anchorwatch (the same -O2 code as the plain
# one, every memory and undefined-behaviour error fatal), else with the
# plain one; AW_BINS="plain san" runs each with both.  Each lives in its
# own network, PID and mount namespaces, so AW_JOBS of them (default 4:
# they mostly wait on daemons and clocks) run at once; results are shown
# in order when all are done.  A test with the line "# run.sh: alone"
# changes the host itself (it installs the package built plainly): it
# runs once, with the plain binary, after all the others and by itself.
# A test with the line "# run.sh: plain too" runs with the plain binary
# as well: its valgrind checks skip the ASan one.
#
# usage: tests/run.sh [program ...]   (default: everything make check built)
set -u
cd "$(dirname "$0")/.." || exit 1
out=tests/out
mkdir -p "$out"
export CMOCKA_MESSAGE_OUTPUT=TAP
given=${ANCHORWATCH:-}
ANCHORWATCH="${ANCHORWATCH:-$PWD/anchorwatch}"
SAN=$PWD/build-san/anchorwatch
bins=$ANCHORWATCH
[ -z "$given" ] && [ -x "$SAN" ] && bins=$SAN
case ${AW_BINS:-} in
*plain*san* | *san*plain*) [ -x "$SAN" ] && bins="$ANCHORWATCH $SAN" ;;
plain) bins=$ANCHORWATCH ;;
esac
jobs_max=${AW_JOBS:-4}

if [ $# -eq 0 ]; then
	set -- build/tests/test_* build-san/tests/test_* \
	    build-clang/tests/test_* tests/integration/t-*.sh
fi

# The (program, binary) pairs to run; alone[i] is 1 for a host test.
progs=()
binaries=()
alone=()
late=()
for prog in "$@"; do
	[ -x "$prog" ] || continue
	case $prog in
	tests/integration/*)
		if grep -qx '# run.sh: alone' "$prog"; then
			late+=("$prog")
			continue
		fi
		tbins=$bins
		if grep -qx '# run.sh: plain too' "$prog"; then
			case " $bins " in
			*" $ANCHORWATCH "*) ;;
			*) tbins="$ANCHORWATCH $bins" ;;
			esac
		fi
		for bin in $tbins; do
			progs+=("$prog")
			binaries+=("$bin")
			alone+=(0)
		done
		;;
	*)
		progs+=("$prog")
		binaries+=("$ANCHORWATCH")
		alone+=(0)
		;;
	esac
done
for prog in "${late[@]}"; do
	progs+=("$prog")
	binaries+=("$ANCHORWATCH")
	alone+=(1)
done

logof() {
	echo "$out/$(echo "$1-$2" | tr / _).log"
}

# Start every pair, at most jobs_max at a time; then the host tests, one
# at a time.
for i in "${!progs[@]}"; do
	if [ "${alone[$i]}" = 1 ]; then
		wait
	else
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
			wait -n
		done
	fi
	log=$(logof "${progs[$i]}" "${binaries[$i]}")
	rm -f "$log.rc"
	(
		t0=$(date +%s)
		ANCHORWATCH=${binaries[$i]} "${progs[$i]}" >"$log" 2>&1
		echo $? >"$log.rc"
		echo $(($(date +%s) - t0)) >"$log.secs"
	) &
	[ "${alone[$i]}" = 1 ] && wait
done
wait

passed=0
failed=0
skipped=0
for i in "${!progs[@]}"; do
	prog=${progs[$i]} bin=${binaries[$i]}
	log=$(logof "$prog" "$bin")
	name=$prog
	[ "$bin" = "$ANCHORWATCH" ] || name="$prog (${bin#"$PWD"/})"
	printf '%s ... ' "$name"
	rc=$(cat "$log.rc" 2>/dev/null || echo 255)
	secs=$(cat "$log.secs" 2>/dev/null || echo "?")
	# A TAP SKIP directive is neither a pass nor a failure (cmocka's
	# skip() prints "not ok N # SKIP").
	skip=$(grep -Eci '^(not )?ok [0-9]+ # skip' "$log")
	ok=$(grep -Evi '^ok [0-9]+ # skip' "$log" | grep -c '^ok ')
	nok=$(grep -Evi '^not ok [0-9]+ # skip' "$log" | grep -c '^not ok ')
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
	missing=0
	if [ -n "$plan" ] && [ "$plan" -gt $((ok + nok + skip)) ]; then
		missing=$((plan - ok - nok - skip))
	fi
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1
	fi
	passed=$((passed + ok))
	failed=$((failed + nok + missing))
	skipped=$((skipped + skip))
	if [ $((nok + missing)) -eq 0 ]; then
		if [ "$skip" -gt 0 ]; then
			echo "ok ($ok, $skip skipped) ${secs}s"
			grep -Ei '^(not )?ok [0-9]+ # skip' "$log" | sed 's/^/    /'
		else
			echo "ok ($ok) ${secs}s"
		fi
	else
		echo "FAILED ($ok ok, $nok not ok, $missing missing, exit $rc) ${secs}s"
		# The failed tests first (a daemon's log can be long), then
		# the end of the log.
		grep -Evi '^not ok [0-9]+ # skip' "$log" | grep -A 3 '^not ok ' | head -n 40 | sed 's/^/    /'
		grep -v '^ok ' "$log" | tail -n 30 | sed 's/^/    /'
	fi
done
[ "$skipped" -eq 0 ] || echo "$skipped skipped (not run here; see above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
