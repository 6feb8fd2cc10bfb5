#!/bin/sh
# tests/bench/traffic.sh: `anchorwatch traffic` on two captures of PACKETS
# packets (default 10M), measured in the same run against the same peers:
#   - generated: DNS queries from SOURCES sources (traffic-gen.c, issue 5)
#     with 50 storming and 50 KSK-2010-signalling sources planted;
#   - mixed: the real captures of tests/data/captures (see SOURCES there)
#     replicated with rewritten source addresses (traffic-mix.c): DNS
#     queries and responses, TCP, DHCP, ARP, EAPOL, IPv6, VRRP...; about
#     one packet in thirty a query.
# The peers:
#   - a bare libpcap read loop (tests/bench/pcap-loop.c);
#   - dnscap -r FILE -w /dev/null: dnscap parses every packet's DNS to
#     select it and writes what it selects;
#   - tshark on the first 100,000 packets (it dissects at tens of thousands
#     of packets a second: a whole run would take minutes), its rate
#     extrapolated.
# Memory per source: peak RSS (GNU time %M) with SOURCES sources minus
# peak RSS with 1,000, over the difference.  The default SOURCES, 183,501,
# is the growth worst case: the one source past 70% of the index of
# 262,144 slots, whose doubling holds both indexes at once.  Then the same
# number of queries all over DNS over TCP (one connection a source, taken
# up mid-stream, every eighth query split over two segments): the
# reassembly's cost.
#
# Each program runs on one core (taskset -c 1 when there is taskset), the
# best of three runs, while holding /tmp/aw-bench.lock (flock), so that no
# other benchmark of this machine runs meanwhile.  The goals of issue 13
# are checked at the end: at least 10 M packets/s and twice dnscap's rate
# on both captures, at most 256 bytes per source; the script exits 1 if
# one is missed.  Needs about 4 GB in $TMPDIR; run as `make bench`
# (installs dnscap and tshark) or alone.
#
# usage: sh tests/bench/traffic.sh [PACKETS [SOURCES]]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000000}
s=${2:-183501}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O2 -Wall -Wextra -Werror -o "$dir/gen" tests/bench/traffic-gen.c -lpcap
cc -O2 -Wall -Wextra -Werror -o "$dir/mix" tests/bench/traffic-mix.c -lpcap
cc -O2 -Wall -Wextra -Werror -o "$dir/loop" tests/bench/pcap-loop.c -lpcap
"$dir/gen" "$dir/cap.pcap" "$n" "$s"
"$dir/gen" "$dir/small.pcap" 1000000 1000 >/dev/null
"$dir/gen" "$dir/head.pcap" 100000 "$s" >/dev/null
"$dir/gen" "$dir/tcp.pcap" "$n" "$s" 100 >/dev/null
"$dir/mix" "$dir/mix.pcap" "$n" 100000 tests/data/captures/*.pcap
"$dir/mix" "$dir/mixhead.pcap" 100000 100000 tests/data/captures/*.pcap \
    >/dev/null
# The 4 GB just written go to disk now, not while the programs are timed
# (the kernel's writeback on the same cores and memory).
sync
# The calendar of this tree judges the key tag signals (the capture is of
# 2026-11-28: only KSK-2024 signs), whether or not one is installed.
printf 'state_dir: %s\nevents:\n  file: %s/etc/anchorwatch/events.yaml\n' \
    "$dir" "$(pwd)" >"$dir/aw.yaml"
one=""
command -v taskset >/dev/null && one="taskset -c 1"

# secs CMD...: wall seconds of CMD on one core (the best of three), output
# discarded.
secs() {
	best=""
	for _ in 1 2 3; do
		a=$(date +%s.%N)
		$one "$@" >/dev/null 2>&1 || true
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
aw() {
	./anchorwatch traffic -c "$dir/aw.yaml" --csv "$@"
}

exec 9>/tmp/aw-bench.lock
flock 9
aw_g=$(secs ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/cap.pcap")
loop_g=$(secs "$dir/loop" "$dir/cap.pcap")
aw_m=$(secs ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/mix.pcap")
loop_m=$(secs "$dir/loop" "$dir/mix.pcap")
tcp=$(secs ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/tcp.pcap")
rss_big=$(rss ./anchorwatch traffic -c "$dir/aw.yaml" --csv "$dir/cap.pcap")
rss_small=$(rss ./anchorwatch traffic -c "$dir/aw.yaml" --csv \
    "$dir/small.pcap")
dc_g="" dc_m="" ts_g="" ts_m=""
if command -v dnscap >/dev/null; then
	dc_g=$(secs dnscap -r "$dir/cap.pcap" -w /dev/null)
	dc_m=$(secs dnscap -r "$dir/mix.pcap" -w /dev/null)
fi
if command -v tshark >/dev/null; then
	ts_g=$(secs tshark -r "$dir/head.pcap" -T fields -e ip.src \
	    -e dns.qry.type)
	ts_m=$(secs tshark -r "$dir/mixhead.pcap" -T fields -e ip.src \
	    -e dns.qry.type)
fi
flock -u 9
tcpn=$(aw "$dir/tcp.pcap" | sed -n '1s/.* packets=\([0-9]*\) .*/\1/p')
aw "$dir/cap.pcap" >"$dir/out.csv" || [ $? -eq 1 ]
srcs=$(grep -c '^[0-9a-f:.]*,' "$dir/out.csv" || true)
storming=$(grep -c ',STORMING$' "$dir/out.csv" || true)
stale=$(grep -c ',SIGNALLING_STALE$' "$dir/out.csv" || true)
aw "$dir/mix.pcap" >"$dir/mix.csv" || [ $? -eq 1 ]
mixq=$(sed -n '1s/.* queries=\([0-9]*\) .*/\1/p' "$dir/mix.csv")
mixs=$(grep -c '^[0-9a-f:.]*,' "$dir/mix.csv" || true)

date -u '+%Y-%m-%d %H:%M UTC'
awk -v n="$n" -v s="$srcs" -v mq="$mixq" -v ms="$mixs" \
    -v ag="$aw_g" -v lg="$loop_g" -v am="$aw_m" -v lm="$loop_m" \
    -v dg="$dc_g" -v dm="$dc_m" -v tg="$ts_g" -v tm="$ts_m" \
    -v rb="$rss_big" -v rs="$rss_small" -v st="$storming" -v sl="$stale" \
    -v tcp="$tcp" -v tcpn="$tcpn" 'BEGIN {
	fail = 0
	printf "generated: %d packets, all queries, from %d sources\n", n, s
	printf "mixed: %d packets, %d queries from %d sources\n", n, mq, ms
	printf "(one core, best of 3)       generated            mixed\n"
	printf "anchorwatch traffic:  %6.2f s %6.2f M/s  %6.2f s %6.2f M/s\n",
	    ag, n / ag / 1e6, am, n / am / 1e6
	printf "bare libpcap loop:    %6.2f s %6.2f M/s  %6.2f s %6.2f M/s\n",
	    lg, n / lg / 1e6, lm, n / lm / 1e6
	if (dg != "")
		printf "dnscap -r -w null:    %6.2f s %6.2f M/s  %6.2f s " \
		    "%6.2f M/s\n", dg, n / dg / 1e6, dm, n / dm / 1e6
	if (tg != "")
		printf "tshark (100k pkts):   %6.2f s %6.3f M/s  %6.2f s " \
		    "%6.3f M/s\n", tg, 1e5 / tg / 1e6, tm, 1e5 / tm / 1e6
	if (dg != "")
		printf "anchorwatch / dnscap: %6.1fx              %6.1fx\n",
		    dg / ag, dm / am
	printf "all over TCP:         %6.2f s  %6.2f M packets/s" \
	    "  (%d segments)\n", tcp, tcpn / tcp / 1e6, tcpn
	bps = (rb - rs) * 1024 / (s - 1000)
	printf "peak RSS: %d KiB with %d sources, %d KiB with 1000: " \
	    "%.0f bytes per source\n", rb, s, rs, bps
	printf "flagged: %d STORMING (50 planted), %d SIGNALLING_STALE " \
	    "(50 planted)\n", st, sl
	if (n / ag < 10e6 || n / am < 10e6) {
		print "FAIL: under 10 M packets/s"; fail = 1
	}
	if (dg != "" && (dg / ag < 2 || dm / am < 2)) {
		print "FAIL: under twice dnscap"; fail = 1
	}
	if (dg == "") {
		print "FAIL: no dnscap to compare with"; fail = 1
	}
	if (bps > 256) {
		print "FAIL: over 256 bytes per source"; fail = 1
	}
	if (st != 50 || sl != 50) {
		print "FAIL: planted sources not all flagged"; fail = 1
	}
	if (!fail)
		print "PASS: every goal of issue 13 item 6 met"
	exit fail
}'
