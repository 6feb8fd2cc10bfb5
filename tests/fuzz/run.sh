#!/bin/sh
# tests/fuzz/run.sh: run the libFuzzer targets that `make fuzz` built into
# build-fuzz/fuzz/, one at a time under nice, each for FUZZ_SECONDS
# (default 60) from its corpus tests/fuzz/corpus/NAME/.  What a run finds
# goes to build-fuzz/corpus/NAME/ (never into the tree), a crash to
# build-fuzz/crashes/NAME/, libFuzzer's output to build-fuzz/runs/NAME.log.
# With FUZZ_MERGE=1, tests/fuzz/corpus/NAME/ is then minimised over its
# own files and the new ones (see minimise below; reproducers stay).
# One line per target: its time, executions and exit status.
#
# usage: tests/fuzz/run.sh [NAME ...]   (default: every built target)
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${FUZZ_SECONDS:-60}
mkdir -p build-fuzz/runs
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # one word per target
	set -- $(ls build-fuzz/fuzz | sed -n 's/^fuzz_//p')
fi

# The longest input worth trying: a few times what the format's limits
# and structures need.
maxlen() {
	case $1 in
	fields | tooloutput | dns) echo 4096 ;;
	p7s) echo 8192 ;;
	pcap | dnstap | tcpflow | packet) echo 65536 ;;
	*) echo 16384 ;;
	esac
}

# minimise NAME BIN NEW: tests/fuzz/corpus/NAME becomes a small set of its
# files and of NEW's that covers every edge all of them cover (libFuzzer
# -set_cover_merge=1 into an empty directory, hit counts not counted: the
# tree keeps a small regression corpus, build-fuzz/corpus the whole one); a
# file already there keeps its name, a new one is named fuzz-SHA1;
# reproducers (repro-*) always stay.
minimise() {
	tree=tests/fuzz/corpus/$1
	tmp=build-fuzz/merge/$1
	rm -rf "$tmp" && mkdir -p "$tmp" || return 1
	# A file that crashes is left out of libFuzzer's merge, which then
	# succeeds: the tree would lose it.  Any failure keeps the tree.
	nice -n 19 "$2" -set_cover_merge=1 -use_counters=0 \
	    -max_len="$(maxlen "$1")" -timeout=10 \
	    -artifact_prefix="$tmp.crash-" "$tmp" "$tree" "$3" \
	    >"$tmp.log" 2>&1
	rc=$?
	cat "$tmp.log"
	if [ "$rc" -ne 0 ] || grep -q 'caused a failure' "$tmp.log"; then
		echo "$1: a file failed in the merge: corpus left as it was" >&2
		rm -rf "$tmp" "$tmp".*
		return 1
	fi
	rm -f "$tmp.log"
	for f in "$tree"/*; do
		h=$(sha1sum <"$f" | cut -c1-40)
		case ${f##*/} in
		repro-*) rm -f "$tmp/$h" && continue ;;
		esac
		if [ -e "$tmp/$h" ]; then
			mv "$tmp/$h" "$tmp/keep-${f##*/}"
		else
			rm -f "$f"
		fi
	done
	for f in "$tmp"/*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		keep-*) ;;
		*) mv "$f" "$tree/fuzz-${f##*/}" ;;
		esac
	done
	rm -rf "$tmp"
}

status=0
for name; do
	rc=0
	bin=build-fuzz/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "$name: not built ($bin)"
		status=1
		continue
	fi
	new=build-fuzz/corpus/$name
	art=build-fuzz/crashes/$name
	log=build-fuzz/runs/$name.log
	mkdir -p "$new" "$art" "tests/fuzz/corpus/$name"
	# FUZZ_SECONDS=0: no fuzzing, only the minimising merge.
	if [ "$secs" -gt 0 ]; then
		nice -n 19 "$bin" -max_total_time="$secs" \
		    -max_len="$(maxlen "$name")" -timeout=10 -rss_limit_mb=2048 \
		    -print_final_stats=1 -artifact_prefix="$art/" "$new" \
		    "tests/fuzz/corpus/$name" >"$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "$name: ${secs} s, ${execs:-?} executions," \
		    "${cov:-cov: ?}, exit $rc"
		if [ "$rc" -ne 0 ]; then
			status=1
			grep -m 3 'ERROR\|SUMMARY\|Test unit written' "$log" |
			    sed 's/^/    /'
		fi
	fi
	# Never after a crash: the crashing input is in the new corpus.
	if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "${rc:-0}" -eq 0 ]; then
		minimise "$name" "$bin" "$new" >>"$log" 2>&1 || {
			status=1
			echo "$name: not minimised (see $log)"
		}
	fi
done
exit $status
