#!/bin/sh
# tests/bench/traffic.sh: `anchorwatch traffic` on a generated capture of
# PACKETS DNS queries from SOURCES sources (default 10M from 100k, issue 5)
# with 50 storming and 50 KSK-2010-signalling sources planted, measured in
# the same run against:
#   - a bare libpcap read loop (tests/bench/pcap-loop.c), the ceiling;
#   - dnscap -r FILE -w /dev/null: dnscap parses every packet's DNS to
#     select it and writes what it selects;
#   - tshark on the first 100,000 packets (it dissects at tens of thousands
#     of packets a second: a whole run would take minutes), its rate
#     extrapolated.
# Memory per source: peak RSS with SOURCES sources minus peak RSS with
# 1,000, over the difference.  Then the same number of queries all over
# DNS over TCP (one connection a source, taken up mid-stream, every eighth
# query split over two segments): the reassembly's cost.  Needs about 2 GB
# in $TMPDIR; run as `make bench` (installs dnscap and tshark) or alone.
#
# usage: sh tests/bench/traffic.sh [PACKETS [SOURCES]]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000000}
s=${2:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O2 -Wall -Wextra -Werror -o "$dir/gen" tests/bench/traffic-gen.c -lpcap
cc -O2 -Wall -Wextra -Werror -o "$dir/loop" tests/bench/pcap-loop.c -lpcap
"$dir/gen" "$dir/cap.pcap" "$n" "$s"
"$dir/gen" "$dir/small.pcap" 1000000 1000 >/dev/null
"$dir/gen" "$dir/head.pcap" 100000 "$s" >/dev/null
"$dir/gen" "$dir/tcp.pcap" "$n" "$s" 100 >/dev/null
# The calendar of this tree judges the key tag signals (the capture is of
# 2026-11-28: only KSK-2024 signs), whether or not one is installed.
printf 'state_dir: %s\nevents:\n  file: %s/etc/anchorwatch/events.yaml\n' \
    "$dir" "$(pwd)" >"$dir/aw.yaml"

# secs CMD...: wall seconds of CMD (the best of three), output discarded.
secs() {
	best=""
	for _ in 1 2 3; do
		a=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		b=$(date +%s.%N)
		best=$(awk -v a="$a" -v b="$b" -v m="$best" \
		    'BEGIN { d = b - a; print (m == "" || d < m) ? d : m }')
	done
	echo "$best"
}
rss() {
	/usr/bin/time -f '%M' -o "$dir/rss" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$dir/rss"
}

aw=$(secs ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/cap.pcap")
loop=$(secs "$dir/loop" "$dir/cap.pcap")
tcp=$(secs ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/tcp.pcap")
tcpn=$(./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/tcp.pcap" |
    sed -n '1s/.* packets=\([0-9]*\) .*/\1/p')
rss_big=$(rss ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/cap.pcap")
rss_small=$(rss ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/small.pcap")
./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/cap.pcap" >"$dir/out.csv" || [ $? -eq 1 ]
storming=$(grep -c ',STORMING$' "$dir/out.csv" || true)
stale=$(grep -c ',SIGNALLING_STALE$' "$dir/out.csv" || true)
dnscap=""
command -v dnscap >/dev/null && dnscap=$(secs dnscap -r "$dir/cap.pcap" -w /dev/null)
tshark=""
command -v tshark >/dev/null && tshark=$(secs tshark -r "$dir/head.pcap" \
    -T fields -e ip.src -e dns.qry.type)
awk -v n="$n" -v s="$s" -v aw="$aw" -v loop="$loop" -v dc="$dnscap" \
    -v ts="$tshark" -v rb="$rss_big" -v rs="$rss_small" -v st="$storming" \
    -v sl="$stale" -v tcp="$tcp" -v tcpn="$tcpn" 'BEGIN {
	printf "%d packets from %d sources (best of 3 runs each)\n", n, s
	printf "anchorwatch traffic:  %6.2f s  %6.2f M packets/s\n", aw,
	    n / aw / 1e6
	printf "bare libpcap loop:    %6.2f s  %6.2f M packets/s\n", loop,
	    n / loop / 1e6
	printf "all over TCP:         %6.2f s  %6.2f M packets/s" \
	    "  (%d segments)\n", tcp, tcpn / tcp / 1e6, tcpn
	if (dc != "")
		printf "dnscap -r -w null:    %6.2f s  %6.2f M packets/s" \
		    "  (anchorwatch %.1fx)\n", dc, n / dc / 1e6, dc / aw
	if (ts != "")
		printf "tshark (100k pkts):   %6.2f s  %6.3f M packets/s" \
		    "  (anchorwatch %.0fx)\n", ts, 1e5 / ts / 1e6,
		    (n / aw) / (1e5 / ts)
	printf "peak RSS: %d KiB with %d sources, %d KiB with 1000: " \
	    "%.0f bytes per source\n", rb, s, rs, (rb - rs) * 1024 / (s - 1000)
	printf "flagged: %d STORMING (50 planted), %d SIGNALLING_STALE " \
	    "(50 planted)\n", st, sl
}'
