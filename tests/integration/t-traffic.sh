#!/bin/bash
#
# t-traffic.sh: `anchorwatch traffic` (issue 5) on a real capture.  The
# harness root rolls its KSK (RFC 5011 stages of RFC 7583, up to "remove":
# only KSK2 and the ZSK left); then three real resolvers are asked by a
# client loop while `tcpdump -i lo` captures their queries to the root:
#
#	comp	 127.0.0.11  unbound, trust-anchor-file with KSK2: compliant
#	ubold	 127.0.0.12  unbound, trust-anchor-file with KSK1 only: stale
#	bindold	 127.0.0.22  named, trust-anchors static-key KSK1 only: stale
#	client	 127.0.0.99  dig, the client loop
#
# What the stale daemons send (measured here; the sources are unbound 1.17
# validator.c and BIND 9.18 resolver.c and server.c):
#   unbound: priming the broken anchor fails and leaves a bad key entry for
#     BOGUS_KEY_TTL (60 s, compiled in); each priming sends 1 + 5 restarts
#     = 6 root DNSKEY queries, and with trust-anchor-signaling (default yes)
#     an RFC 8145 section 5 "_ta-XXXX." query naming the anchor's tags
#     (static anchors too) per new priming sub-query (3 a burst here).  So
#     6 DNSKEY queries a minute while clients ask.  No EDNS option 14.
#   named: a failed ./DNSKEY goes into the resolver's bad cache for
#     max(lame-ttl, 30) = 30 s: 2 DNSKEY queries a minute.  Its "_ta-XXXX."
#     query (trust-anchor-telemetry, default yes, static keys included)
#     comes from a timer that first fires a whole interval (24 h) after
#     start, never in a test-sized capture: named runs here with its
#     testing flag `-T tat=10`, as the harness already uses -T mkeytimers.
#     named sends no EDNS option 14 either (it reads one, as a server).
#
# The capture lasts T_CAP seconds (< 60): anchorwatch divides by at least
# a minute, so --dnskey-rate is then a count.  From the first query of
# each: the stale unbound sends one burst (6), named 2 (at 0 and 30 s),
# the compliant unbound 1 (its one priming): --dnskey-rate 1.5 separates
# them by whole queries on both sides, and so does the default rate, 2 at
# least twice.  --trusted-tags KSK2 stands for the root's state, except in
# one run that takes it from the agent's history (-c).
#
# Also: the CSV counts against an independent count of `tcpdump -nn -r`,
# truncated copies of the capture, crafted malformed packets, bad
# arguments.  TAP on stdout; AW_KEEP=1 keeps the work directory.
# Its valgrind run needs the plain binary, which the ASan one skips:
# run.sh: plain too
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/bind.sh"
h_need named rndc tsig-keygen named-checkconf tcpdump dig python3
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
# named's second DNSKEY query comes ~30 s after its first, which is ~5 s
# into the capture (its restart): 45 s leave a margin of ~10 s, also when
# the suite's other tests slow named's restart down.
T_CAP=${AW_CAPTURE:-45}
RATE=1.5
COMP=127.0.0.11
UBOLD=127.0.0.12
BINDOLD=127.0.0.22
CLIENT=127.0.0.99
BAD=127.0.0.66
PCAP=$H/roll.pcap

# ---- small helpers of this script ------------------------------------------

# t_named_restart NAME TAT: restart named NAME with the same configuration
# and `-T tat=TAT` (trust-anchor-telemetry every TAT seconds; named's own
# testing flag) and wait until it answers.
t_named_restart() {
	local name=$1 dir
	dir=$(h_named_dir "$name")
	h_named_stop "$name"
	named -g -u bind -c "$dir/named.conf" -T mkeytimers=1/4/6 \
	    -T "tat=$2" >>"$dir/named.log" 2>&1 &
	h_pid_add "named-$name" $!
	h_wait_for "named $name answering again" 15 h_answers "$(cat "$dir/addr")"
}

# t_clients SECONDS: every 0.25 s, one new name to each resolver, from
# $CLIENT; "ADDR STATUS" a line in $H/client.log.  Every fourth query to
# the compliant resolver goes over TCP (the reassembly is tested on it).
t_clients() {
	local end=$(($(h_now) + $1)) i=0 a st tcp
	while [ "$(h_now)" -lt "$end" ]; do
		i=$((i + 1))
		for a in $COMP $UBOLD $BINDOLD; do
			tcp=+notcp
			[ "$a" = "$COMP" ] && [ $((i % 4)) -eq 0 ] && tcp=+tcp
			st=$(dig -b "$CLIENT" @"$a" "q$i.harness." A +tries=1 \
			    +time=2 $tcp 2>/dev/null |
			    sed -n 's/.*status: \([A-Z]*\).*/\1/p')
			echo "$a ${st:-TIMEOUT}"
		done
		sleep 0.25
	done >"$H/client.log"
}

# t_statuses ADDR: the distinct statuses ADDR gave the client loop.
t_statuses() {
	awk -v a="$1" '$1 == a { print $2 }' "$H/client.log" | sort -u |
	    tr '\n' ' ' | sed 's/ $//'
}

# t_traffic OUT ARGS...: run anchorwatch traffic; stdout in $H/OUT.out,
# stderr in $H/OUT.err, exit status in AW_RC.
t_traffic() {
	local out=$1
	shift
	AW_RC=0
	"$AW_BIN" traffic "$@" >"$H/$out.out" 2>"$H/$out.err" || AW_RC=$?
}

# The CSV reader of this test (python3's csv module: RFC 4180 quoting).
# Rows are read by header names; lines starting with '#' are comments.
cat >"$H/csvtool.py" <<'EOF'
import csv, sys

def main():
    cmd, path = sys.argv[1], sys.argv[2]
    with open(path, newline="") as f:
        rows = list(csv.reader(l for l in f if not l.startswith("#")))
    hdr, body = rows[0], rows[1:]
    if cmd == "rect":
        bad = [row for row in body if len(row) != len(hdr)]
        for row in bad:
            print("%d fields, the header %d: %s" % (len(row), len(hdr),
                                                    ",".join(row)))
        sys.exit(1 if bad or not body else 0)
    addr, col = sys.argv[3], sys.argv[4]
    i = hdr.index(col)
    for row in body:
        if row and row[0] == addr:
            extra = len(row) - len(hdr)
            # A verdict of two words left unquoted spills into the next
            # field: read it whole here; "rect" is the test that says so.
            if col == "verdict" and extra > 0:
                print(",".join(row[i:i + extra + 1]))
            else:
                print(row[i])
            return

main()
EOF

# t_col CSV ADDR COLUMN: the value of COLUMN in the row of source ADDR;
# nothing if there is no such row.
t_col() {
	python3 "$H/csvtool.py" col "$@"
}

# t_csv_rect CSV: 0 if every row has as many fields as the header.
t_csv_rect() {
	python3 "$H/csvtool.py" rect "$1" | h_diag
	return "${PIPESTATUS[0]}"
}

# t_flagged CSV ADDR WORD: 0 if the verdict of ADDR has the word WORD
# (words joined by any of , ; + | or blanks).
t_flagged() {
	t_col "$1" "$2" verdict | grep -Eq "(^|[,;+| ])$3([,;+| ]|\$)"
}

# t_verdicts CSV: the verdicts of the stale unbound, the stale named and
# the compliant unbound, in this order.
t_verdicts() {
	echo "$(t_col "$1" $UBOLD verdict) $(t_col "$1" $BINDOLD verdict)" \
	    "$(t_col "$1" $COMP verdict)"
}

# t_empty FILE: 0 if FILE is empty.
t_empty() {
	[ ! -s "$1" ]
}

# t_tcpdump_count FILE: per source address "ADDR QUERIES DNSKEY_ROOT TA"
# from tcpdump's own decoding: UDP datagrams to port 53 (TCP segments
# carry "Flags [" and are not counted by source), those asking "DNSKEY? .",
# and those asking for a "_ta-XXXX[-YYYY...]." name (RFC 8145 section 5).
t_tcpdump_count() {
	tcpdump -nn -r "$1" 2>/dev/null | awk '
		$2 != "IP" || $5 !~ /\.53:$/ { next }
		/Flags \[/ && !/ [0-9]+\+? (\[[^]]*\] )?[A-Z0-9]+\? / { next }
		{
			src = $3
			sub(/\.[0-9]+$/, "", src)
			q[src]++
			if ($0 ~ / DNSKEY\? \. /)
				k[src]++
			if ($0 ~ /\? _ta(-[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])+\. /)
				ta[src]++
		}
		END { for (s in q) printf "%s %d %d %d\n", s, q[s], k[s], ta[s] }'
}

# t_both_storm REPORT: 0 if the text report flags both stale daemons.
t_both_storm() {
	grep -Eq "^$UBOLD .*STORMING" "$1" && grep -Eq "^$BINDOLD .*STORMING" "$1"
}

# t_malformed REPORT: the "N malformed" figure of a text report.
t_malformed() {
	sed -n 's/.* \([0-9][0-9]*\) malformed.*/\1/p' "$1"
}

# t_when FILE ADDR: when ADDR asked the root DNSKEY, in seconds from the
# first packet of FILE, and when FILE ends (a diagnostic: the margins of
# the timing this test relies on).
t_when() {
	tcpdump -tt -nn -r "$1" 2>/dev/null | awk -v a="$2" '
		NR == 1 { t0 = $1 }
		{ last = $1 }
		{ src = $3; sub(/\.[0-9]+$/, "", src) }
		src == a && / DNSKEY\? \. / { w = w sprintf(" +%.1f", $1 - t0) }
		END { printf "%s asked DNSKEY . at%s s; capture ends +%.1f s\n",
		    a, w, last - t0 }'
}

# t_packets FILE: how many packets tcpdump reads from FILE.
t_packets() {
	tcpdump -nn -r "$1" 2>/dev/null | wc -l
}

# The pcap tool of this test (python3, no modules beyond the standard
# library): "cut FILE WHERE" prints the byte offset of a cut inside the
# last record (WHERE: data, its middle; header, 8 bytes into its header)
# and the number of whole records before it; "bad IN OUT SRC" copies IN to
# OUT and appends hand-made broken DNS-over-UDP frames from SRC (IPv4 over
# Ethernet, the link type of lo), printing how many; "badhdr IN OUT"
# appends a record header claiming 4 GB.
cat >"$H/pcaptool.py" <<'EOF'
import struct, sys

def records(buf):
    """Offsets and lengths of the records of a little-endian pcap."""
    magic = struct.unpack_from("<I", buf, 0)[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit("not a little-endian pcap")
    off, out = 24, []
    while off + 16 <= len(buf):
        incl = struct.unpack_from("<I", buf, off + 8)[0]
        if off + 16 + incl > len(buf):
            break
        out.append((off, incl))
        off += 16 + incl
    return out

def csum(h):
    s = sum(struct.unpack("!10H", h))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return struct.pack("!H", ~s & 0xffff)

def frame(src, dns, udp_len=None, ip_len=None):
    udp_len = 8 + len(dns) if udp_len is None else udp_len
    ip_len = 20 + 8 + len(dns) if ip_len is None else ip_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 1, 0, 64, 17, 0,
                     bytes(map(int, src.split("."))), bytes([127, 0, 0, 2]))
    ip = ip[:10] + csum(ip) + ip[12:]
    udp = struct.pack("!HHHH", 40000, 53, udp_len, 0)
    return b"\0" * 12 + b"\x08\x00" + ip + udp + dns

def query(name, qtype, ar=0):
    hdr = struct.pack("!HHHHHH", 0x4242, 0, 1, 0, 0, ar)
    return hdr + name + struct.pack("!HH", qtype, 1)

def broken(src):
    root = b"\0"
    hdr = struct.pack("!HHHHHH", 1, 0, 1, 0, 0, 0)
    # OPT: owner ".", type 41, class 1232, TTL 0, RDLEN 7; then option 14
    # (edns-key-tag) of length 3: key tags come in pairs of bytes
    opt = b"\0\x00\x29\x04\xd0\0\0\0\0\0\x07" + b"\x00\x0e\x00\x03\x4f\x66\x00"
    dns = [
        b"\x42\x42\x00",                     # shorter than a header
        query(b"\x3fabc", 48),               # label past the end
        hdr + b"\xc0\x0c" + b"\0\x30\0\x01",  # name: a pointer to itself
        # a good question, malformed EDNS: counted (issue 13), apart
        query(root, 48, ar=1) + opt,         # key tag option, odd length
        query(root, 48, ar=1),               # OPT announced, missing
    ]
    frames = [frame(src, d) for d in dns]
    good = query(root, 48)
    frames.append(frame(src, good, udp_len=200))      # UDP longer than IP
    frames.append(frame(src, good, ip_len=400))       # IP longer than frame
    frames.append(b"\0" * 10)                          # Ethernet cut short
    return frames

def main():
    cmd = sys.argv[1]
    buf = open(sys.argv[2], "rb").read()
    recs = records(buf)
    if cmd == "cut":
        off, incl = recs[-1]
        where = off + 8 if sys.argv[3] == "header" else off + 16 + incl // 2
        print(where, len(recs) - 1)
        return
    linktype = struct.unpack_from("<I", buf, 20)[0]
    if linktype != 1:
        sys.exit("link type %d, not Ethernet" % linktype)
    ts = struct.unpack_from("<I", buf, recs[-1][0])[0]
    with open(sys.argv[3], "wb") as f:
        f.write(buf)
        if cmd == "badhdr":
            f.write(struct.pack("<IIII", ts, 0, 0xffffffff, 0xffffffff))
            f.write(b"\0" * 64)
            return
        frames = broken(sys.argv[4])
        # a well-formed query whose _ta- label is not hex: no signal
        frames.append(frame(sys.argv[4], query(b"\x08_ta-zzzz\0", 10)))
        for fr in frames:
            f.write(struct.pack("<IIII", ts, 0, len(fr), len(fr)) + fr)
    print(len(frames) - 1)

main()
EOF

# ---- the roll, the resolvers ----------------------------------------------

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"
# Each resolver queries the root from its own address, or every one of
# them would be 127.0.0.1 in the capture.
h_unbound_start ubold "$UBOLD" static "outgoing-interface: $UBOLD"
h_named_start bindold "$BINDOLD" static "query-source address $BINDOLD;"
h_ok "pre: the stale unbound validates (AD)" h_has_ad "$UBOLD"
h_ok "pre: the stale named validates (AD)" h_has_ad "$BINDOLD"
# Nobody asks the stale daemons again before the capture: a failure now
# would start their bad-key timers (60 s, 30 s) outside it.
for stage in publish roll revoke remove; do
	h_root_stage "$stage"
done
h_diag "the roll played in $(($(h_now) - t_start)) s"
# The agent on this host sees the rolled root before the capture, from a
# KSK2 bootstrap: its history (state_dir/history) then says that KSK2
# alone signs, and `traffic -c` judges the signals by it (the harness
# keys are in no calendar).  It asks the root only, no resolver.
h_aw_config "$H/awt.yaml" state="$H/awt" --
sed -i "s|^  bootstrap: .*|  bootstrap: $H/ksk2.key|" "$H/awt.yaml"
printf 'events:\n  file: %s/etc/anchorwatch/events.yaml\n' "$H_TOP" \
    >>"$H/awt.yaml"
h_aw "$H/awt.yaml" check
h_ok "the agent's history has KSK2 signing" \
    grep -Eq "^key $KSK2 .* signing [0-9]" "$H/awt/history"

# ---- the capture -------------------------------------------------------

h_addr_add "$CLIENT"
tcpdump -i lo -nn -U -w "$PCAP" port 53 2>"$H/tcpdump.err" &
h_pid_add tcpdump $!
h_wait_for "tcpdump listening" 10 grep -q 'listening on' "$H/tcpdump.err" ||
    h_bail "tcpdump did not start: $(cat "$H/tcpdump.err")"
# anchorwatch itself listens on lo too, beside tcpdump and a little longer
# (named's restart and unbound's start take up to ~15 s of the capture).
LIVE_S=$((T_CAP + 20))
"$AW_BIN" traffic --interface lo --seconds "$LIVE_S" --csv \
    --trusted-tags "$KSK2" --dnskey-rate "$RATE" >"$H/live.out" \
    2>"$H/live.err" &
live_pid=$!
# named restarts inside the capture: its first ./DNSKEY query (priming for
# the first answer) and its telemetry timer start here.
t_named_restart bindold 10 || h_bail "named bindold did not restart"
# The harness root serves its DNSKEY RRset with TTL 2 (fast RFC 5011
# probes), so a healthy resolver would fetch it every other second while
# clients ask: a storm no real root causes (its TTL is 2 days).  The
# compliant unbound gets cache-min-ttl to stand in for the real TTL, and a
# static KSK2 anchor: an RFC 5011 one would probe every second here, and
# its first probe can race its first priming (2 DNSKEY queries, not 1).
# It starts inside the capture, so that its one priming (DNSKEY and
# _ta-KSK2) is seen.
h_unbound_start comp "$COMP" custom "trust-anchor-file: \"$H/ksk2.key\"" \
    "outgoing-interface: $COMP" "cache-min-ttl: 3600"
h_ok "remove: the compliant unbound validates (AD)" h_has_ad "$COMP"
t_clients "$T_CAP"
sleep 1
h_daemon_stop tcpdump
h_diag "capture: $(t_packets "$PCAP") packets;" \
    "the run so far $(($(h_now) - t_start)) s"
for a in $UBOLD $BINDOLD $COMP; do
	t_when "$PCAP" "$a" | h_diag
done
live_rc=0
wait "$live_pid" || live_rc=$?
h_is "$live_rc" 1 "traffic --interface lo: exit 1 (sources flagged)"
h_ok "traffic --interface lo: nothing on stderr" t_empty "$H/live.err"
for a in $UBOLD $BINDOLD; do
	h_ok "live: $a (stale) is STORMING and SIGNALLING_STALE" eval \
	    "t_flagged '$H/live.out' $a STORMING &&
	    t_flagged '$H/live.out' $a SIGNALLING_STALE"
done
h_is "$(t_col "$H/live.out" $COMP verdict)" ok "live: $COMP (compliant) is ok"
h_is "$(t_col "$H/live.out" $COMP dnskey_root)" 1 \
    "live: $COMP asked for the root DNSKEY set once"
h_is "$(t_statuses $UBOLD)" SERVFAIL "capture: the stale unbound fails all"
h_is "$(t_statuses $BINDOLD)" SERVFAIL "capture: the stale named fails all"
h_is "$(t_statuses $COMP)" NXDOMAIN "capture: the compliant unbound answers all"

# ---- the verdicts ----------------------------------------------------------

t_traffic text --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$PCAP"
h_diag <"$H/text.out"
h_is "$AW_RC" 1 "traffic: exit 1 (sources flagged)"
h_ok "traffic: nothing on stderr" t_empty "$H/text.err"
t_traffic csv --csv --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$PCAP"
h_is "$AW_RC" 1 "traffic --csv: exit 1"
CSV=$H/csv.out
h_ok "traffic --csv: every row has the header's fields (RFC 4180)" \
    t_csv_rect "$CSV"
for a in $UBOLD $BINDOLD; do
	h_ok "$a (stale) is STORMING" t_flagged "$CSV" "$a" STORMING
	h_ok "$a (stale) is SIGNALLING_STALE" \
	    t_flagged "$CSV" "$a" SIGNALLING_STALE
	h_is "$(t_col "$CSV" "$a" root_tags)" "$KSK1" \
	    "$a (stale) signals KSK1 $KSK1 only"
done
h_is "$(t_col "$CSV" $COMP root_tags)" "$KSK2" \
    "$COMP (compliant) signals KSK2 $KSK2 only"
h_is "$(t_col "$CSV" $COMP verdict)" ok "$COMP (compliant) is neither"
h_is "$(t_col "$CSV" $CLIENT verdict)" ok "$CLIENT (the client) is neither"
h_not_ok "the text report flags neither $COMP nor $CLIENT" \
    grep -Eq "^($COMP|$CLIENT) .*(STORMING|SIGNALLING)" "$H/text.out"
h_ok "the text report names $UBOLD STORMING" \
    grep -Eq "^$UBOLD .*STORMING" "$H/text.out"
h_ok "the text report names $BINDOLD STORMING" \
    grep -Eq "^$BINDOLD .*STORMING" "$H/text.out"

# The same capture with KSK1 trusted: the stale daemons still storm but
# no longer signal stale, comp does; with a rate nobody reaches, only the
# signals count.
t_traffic k1 --csv --trusted-tags "$KSK1" --dnskey-rate "$RATE" "$PCAP"
h_is "$(t_verdicts "$H/k1.out")" "STORMING STORMING SIGNALLING_STALE" \
    "--trusted-tags KSK1: stale daemons STORMING only, comp SIGNALLING_STALE"
t_traffic hi --csv --trusted-tags "$KSK2" --dnskey-rate 100 "$PCAP"
h_is "$(t_verdicts "$H/hi.out")" "SIGNALLING_STALE SIGNALLING_STALE ok" \
    "--dnskey-rate 100: stale daemons SIGNALLING_STALE only, comp ok"
[ "$H_NFAIL" -gt 0 ] && h_diag <"$CSV"

# Without --trusted-tags or --dnskey-rate: the signals are judged by the
# root's state at the capture's time, here from the agent's history (KSK2
# alone signs since the roll), and the rate by check's traffic.warn_rate
# (2 a minute): the stale named's two queries 30 s apart are a storm, the
# compliant unbound's one query is not.
t_traffic hist -c "$H/awt.yaml" --csv "$PCAP"
h_is "$AW_RC" 1 "-c, the agent's history: exit 1"
h_is "$(t_verdicts "$H/hist.out")" \
    "STORMING+SIGNALLING_STALE STORMING+SIGNALLING_STALE ok" \
    "-c, the agent's history, the default rate: both stale daemons flagged, comp ok"
h_ok "-c, the agent's history: nothing on stderr" t_empty "$H/hist.err"
t_traffic histjson -c "$H/awt.yaml" --json "$PCAP"
h_is "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["root_signers_by"], [s["tags"] for s in d["root_signers"]])' \
    "$H/histjson.out")" "history [[$KSK2]]" \
    "-c --json: KSK2 $KSK2 alone signs, by the agent's history"

# ---- an independent count: tcpdump's own decoding ------------------------

t_tcpdump_count "$PCAP" >"$H/tcpdump.count"
h_diag "tcpdump's count (source queries dnskey-root _ta):"
h_diag <"$H/tcpdump.count"
for a in $COMP $UBOLD $BINDOLD $CLIENT; do
	read -r _ q k ta < <(awk -v a="$a" '$1 == a' "$H/tcpdump.count")
	got="$(t_col "$CSV" "$a" queries) $(t_col "$CSV" "$a" dnskey_root)"
	h_is "$got $(t_col "$CSV" "$a" signals)" "${q:-0} ${k:-0} ${ta:-0}" \
	    "$a: queries, root DNSKEY queries and signals as tcpdump counts them"
done
tcpq=$(tcpdump -nn -r "$PCAP" 'tcp dst port 53' 2>/dev/null |
    grep -Ec ' [0-9]+\+? (\[[^]]*\] )?[A-Z0-9]+\? ')
tcpm=$(sed -n 's/^DNS over TCP: .*, \([0-9]*\) messages reassembled;.*/\1/p' \
    "$H/text.out")
h_ok "DNS over TCP: tcpdump sees queries over TCP ($tcpq)" [ "$tcpq" -gt 0 ]
h_ok "DNS over TCP: every query and its answer reassembled ($tcpm of $tcpq)" \
    [ "${tcpm:-0}" -eq $((2 * tcpq)) ]

# ---- a truncated capture: read up to its last whole packet ---------------

for where in data header; do
	read -r cut whole < <(python3 "$H/pcaptool.py" cut "$PCAP" "$where")
	head -c "$cut" "$PCAP" >"$H/cut-$where.pcap"
	t_traffic "cut-$where" --trusted-tags "$KSK2" --dnskey-rate "$RATE" \
	    "$H/cut-$where.pcap"
	h_is "$AW_RC" 1 "cut in a record's $where: exit 1 (sources flagged)"
	h_ok "cut in a record's $where: a warning names the file" \
	    grep -q "cut-$where.pcap" "$H/cut-$where.err"
	h_ok "cut in a record's $where: $UBOLD and $BINDOLD still STORMING" \
	    t_both_storm "$H/cut-$where.out"
	h_is "$(t_packets "$H/cut-$where.pcap") $whole" "$whole $whole" \
	    "cut in a record's $where: tcpdump reads the $whole whole packets"
	h_is "$(awk '/ packets,/ { print $1; exit }' "$H/cut-$where.out")" \
	    "$whole" "cut in a record's $where: $whole packets counted"
done

# ---- malformed packets ----------------------------------------------------

t_traffic base --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$PCAP"
base=$(t_malformed "$H/base.out")
nbad=$(python3 "$H/pcaptool.py" bad "$PCAP" "$H/bad.pcap" "$BAD")
t_traffic bad --csv --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$H/bad.pcap"
h_is "$AW_RC" 1 "$nbad broken frames appended: exit 1, no crash"
t_traffic badtext --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$H/bad.pcap"
h_is "$(t_malformed "$H/badtext.out")" "$((base + nbad - 2))" \
    "$nbad broken frames appended: all but the 2 good questions malformed"
h_is "$(sed -n 's/^malformed after the question: \([0-9]*\) .*/\1/p' \
    "$H/badtext.out")" 2 \
    "the 2 good questions with malformed EDNS: counted apart"
h_is "$(t_col "$H/bad.out" $BAD queries) $(t_col "$H/bad.out" $BAD signals)" \
    "3 0" "$BAD: its good questions counted, no signal (_ta-zzzz, bad EDNS)"
h_is "$(t_col "$H/bad.out" $UBOLD dnskey_root)" \
    "$(t_col "$CSV" $UBOLD dnskey_root)" "broken frames: other counts unchanged"
python3 "$H/pcaptool.py" badhdr "$PCAP" "$H/badhdr.pcap"
t_traffic badhdr --trusted-tags "$KSK2" --dnskey-rate "$RATE" "$H/badhdr.pcap"
h_is "$AW_RC" 1 "a record header claiming 4 GB: exit 1, no crash"
h_ok "a record header claiming 4 GB: a warning names the file" \
    grep -q "badhdr.pcap" "$H/badhdr.err"
printf 'not a capture, not even a header\n%.0s' 1 2 3 >"$H/noise.pcap"
t_traffic noise "$H/noise.pcap"
h_is "$AW_RC" 3 "not a capture at all: exit 3"
h_ok "not a capture at all: stderr names the file" \
    grep -q noise.pcap "$H/noise.err"

# ---- bad arguments ----------------------------------------------------------

t_traffic args1 --dnskey-rate fast "$PCAP"
h_is "$AW_RC" 3 "--dnskey-rate fast: exit 3"
t_traffic args2 --trusted-tags 70000 "$PCAP"
h_is "$AW_RC" 3 "--trusted-tags 70000: exit 3"
t_traffic args3 "$H/no-such.pcap"
h_is "$AW_RC" 3 "a missing file: exit 3"
t_traffic args4
h_is "$AW_RC" 3 "no file: exit 3"

# ---- valgrind: the harness capture, with its TCP streams -----------------

if ! command -v valgrind >/dev/null 2>&1; then
	h_pass "valgrind # SKIP valgrind not installed"
elif grep -aq __asan_init "$AW_BIN"; then
	h_pass "valgrind # SKIP $AW_BIN is built with AddressSanitizer"
else
	rc=0
	valgrind --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --log-file="$H/vg.log" \
	    "$AW_BIN" traffic --json --trusted-tags "$KSK2" \
	    --dnskey-rate "$RATE" "$PCAP" >"$H/vg.out" 2>&1 || rc=$?
	h_is "$rc" 1 "valgrind: traffic --json exits 1 (stormers flagged)"
	h_ok "valgrind: ERROR SUMMARY: 0 errors" \
	    grep -q 'ERROR SUMMARY: 0 errors' "$H/vg.log"
	grep -q 'ERROR SUMMARY: 0 errors' "$H/vg.log" || h_diag <"$H/vg.log"
fi

[ "$H_NFAIL" -gt 0 ] && h_named_dump_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
