#!/bin/sh
# tests/bench/traffic.sh: `anchorwatch traffic` on a generated capture of
# PACKETS queries from SOURCES sources (default 10M from 100k, issue 5),
# against a bare libpcap read of the same file (tcpdump -r -w /dev/null),
# with the planted storming sources checked.  Prints packets per second
# and peak RSS.  Needs about 1 GB in $TMPDIR.
#
# usage: sh tests/bench/traffic.sh [PACKETS [SOURCES]]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000000}
s=${2:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O2 -Wall -Wextra -Werror -o "$dir/gen" tests/bench/traffic-gen.c -lpcap
"$dir/gen" "$dir/cap.pcap" "$n" "$s"
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$dir/rss" ./anchorwatch traffic --csv \
    "$dir/cap.pcap" >"$dir/out.csv" || [ $? -eq 1 ]
t1=$(date +%s.%N)
tcpdump -r "$dir/cap.pcap" -w /dev/null 2>/dev/null
t2=$(date +%s.%N)
storming=$(grep -c STORMING "$dir/out.csv" || true)
awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v rss="$(tail -n 1 "$dir/rss")" \
    -v st="$storming" 'BEGIN {
	printf "anchorwatch traffic: %.2f s, %.2f M packets/s, peak RSS %d KiB\n",
	    b - a, n / (b - a) / 1e6, rss
	printf "tcpdump -r -w /dev/null: %.2f s, %.2f M packets/s\n",
	    c - b, n / (c - b) / 1e6
	printf "storming sources flagged: %d (50 planted)\n", st
}'
