#!/bin/bash
#
# t-tcp-resync.sh: `anchorwatch traffic` on DNS over TCP picked up
# mid-stream and with segments lost (issue 13), on a capture of a real
# resolver.  In private namespaces, loopback only:
#
#	root	 127.0.0.2   nsd, the harness's signed root
#	tcpres	 127.0.0.13  unbound with tcp-upstream: every query it sends
#			     the root goes over one reused TCP connection
#	client	 127.0.0.99  dig +tcp +keepopen: 40 queries on one connection
#
# lo gets an MTU of 576 (the datagram every IPv4 host takes, RFC 791) and
# gso_max_segs 1, so that tcpdump sees the segments a wire would carry:
# the root's answers (DNSSEC NXDOMAIN, about 1 KB) span two or three
# segments, and a capture cut before a segment starts inside a message.
# The capture starts before unbound, so that every flow's SYN is in it.
#
# The checks, against an oracle of this script (python3, standard library):
# the streams put together from the whole capture, cut at every length
# prefix from their SYN.  For every packet k, the capture from k on must
# count exactly the queries and messages that lie whole after the first
# byte it holds of each flow; for every data packet, the capture without
# it (a segment never captured: a hole that never fills) must count
# exactly the messages not cut by the hole.  The old reassembly took a
# message's middle for a length on such cuts, and dropped what it held
# after a hole at the end of the input.
#
# AW_TCPFLOW_SAVE=FILE keeps the capture there: that is how
# tests/data/tcpflow/resolver-tcp.pcap was made (its README says so).
# TAP on stdout; AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need tcpdump dig python3
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
RES=127.0.0.13
CLIENT=127.0.0.99
PCAP=$H/resolver-tcp.pcap
NAMES=40

# The pcap tool of this test.  "oracle FILE": per flow, its messages from
# the SYN on.  "cuts FILE DIR": DIR/cut-K.pcap for every packet K (the
# capture from K on) and DIR/drop-K.pcap for every packet K with data
# (the capture without it), and a line "NAME QUERIES MESSAGES" for each,
# what it must count.
cat >"$H/tcptool.py" <<'EOF'
import os, struct, sys

def records(buf):
    """(header, frame) of each record of a little-endian pcap."""
    if struct.unpack_from("<I", buf, 0)[0] != 0xa1b2c3d4:
        sys.exit("not a little-endian microsecond pcap")
    if struct.unpack_from("<I", buf, 20)[0] != 1:
        sys.exit("not Ethernet")
    off, out = 24, []
    while off + 16 <= len(buf):
        incl = struct.unpack_from("<I", buf, off + 8)[0]
        out.append((buf[off:off + 16], buf[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out

def segment(frame):
    """(flow key, seq, flags, payload) of an IPv4 TCP frame, or None."""
    if frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ip = frame[14:]
    hl, tl = (ip[0] & 15) * 4, struct.unpack_from("!H", ip, 2)[0]
    tcp = ip[hl:tl]
    sport, dport, seq = struct.unpack_from("!HHI", tcp, 0)
    key = (ip[12:16], sport, ip[16:20], dport)
    return key, seq, tcp[13], tcp[(tcp[12] >> 4) * 4:]

def streams(segs):
    """Per flow: its ISN and its messages (offset from ISN + 1, bytes)."""
    isn, data = {}, {}
    for s in segs:
        if s is None:
            continue
        key, seq, flags, pl = s
        if flags & 2:
            isn[key] = seq
        elif pl:
            data.setdefault(key, []).append((seq, pl))
    out = {}
    for key, parts in data.items():
        if key not in isn:
            sys.exit("a flow without its SYN")
        b = bytearray()
        for seq, pl in parts:
            off = (seq - isn[key] - 1) % 2**32
            if off > len(b):
                sys.exit("a hole in the capture")
            b[off:off + len(pl)] = pl
        msgs, o = [], 0
        while o + 2 <= len(b):
            n = struct.unpack_from("!H", b, o)[0]
            msgs.append((o, bytes(b[o + 2:o + 2 + n])))
            o += 2 + n
        if o != len(b):
            sys.exit("a stream that ends inside a message")
        out[key] = (isn[key], msgs)
    return out

def expect(segs, flows):
    """What a capture of segs must count: queries, messages."""
    q = m = 0
    for key, (isn, msgs) in flows.items():
        start, covered = None, []
        for s in segs:
            if s is None or s[0] != key:
                continue
            k, seq, flags, pl = s
            off = (seq - isn - 1) % 2**32
            if flags & 2:
                start = 0 if start is None else start
            elif pl:
                start = off if start is None else start
                covered.append((off, off + len(pl)))
        if start is None:
            continue
        for o, msg in msgs:
            end = o + 2 + len(msg)
            if o < start or not whole(covered, o, end):
                continue
            m += 1
            q += (msg[2] & 0x80) == 0
    return q, m

def whole(covered, a, b):
    """Do the ranges of covered hold every byte of [a, b)?"""
    for lo, hi in sorted(covered):
        if lo > a:
            return False
        a = max(a, hi)
        if a >= b:
            return True
    return a >= b

def write(path, head, recs):
    with open(path, "wb") as f:
        f.write(head + b"".join(h + fr for h, fr in recs))

def main():
    buf = open(sys.argv[2], "rb").read()
    recs = records(buf)
    segs = [segment(fr) for _, fr in recs]
    flows = streams(segs)
    if sys.argv[1] == "oracle":
        for key, (isn, msgs) in sorted(flows.items()):
            q = sum((m[2] & 0x80) == 0 for _, m in msgs)
            print("%s:%d > %s:%d %d messages, %d queries" % (
                ".".join(map(str, key[0])), key[1],
                ".".join(map(str, key[2])), key[3], len(msgs), q))
        return
    d = sys.argv[3]
    for k in range(len(recs)):
        write(os.path.join(d, "cut-%d.pcap" % k), buf[:24], recs[k:])
        print("cut-%d %d %d" % ((k,) + expect(segs[k:], flows)))
        if segs[k] is not None and segs[k][3]:
            rest = recs[:k] + recs[k + 1:]
            write(os.path.join(d, "drop-%d.pcap" % k), buf[:24], rest)
            print("drop-%d %d %d" % ((k,) + expect(segs[:k] + segs[k + 1:],
                                                    flows)))

main()
EOF

# t_counts FILE: "QUERIES MESSAGES" as anchorwatch traffic counts them in
# FILE (the totals line of its counts file).
t_counts() {
	"$AW_BIN" traffic --csv "$1" 2>/dev/null | sed -n \
	    '1s/.* queries=\([0-9]*\) .* tcp_messages=\([0-9]*\) .*/\1 \2/p'
}

# ---- the capture ------------------------------------------------------------

ip link set lo mtu 576 gso_max_segs 1 || h_bail "cannot set lo's MTU"
h_root_init
h_root_stage pre
tcpdump -i lo -nn -U -s 0 -w "$PCAP" 'tcp port 53' 2>"$H/tcpdump.err" &
h_pid_add tcpdump $!
h_wait_for "tcpdump listening" 10 grep -q 'listening on' "$H/tcpdump.err" ||
    h_bail "tcpdump did not start: $(cat "$H/tcpdump.err")"
# The root's NXDOMAIN answers carry NSEC records: without aggressive-nsec
# unbound asks for every name, and without qname minimisation it asks the
# name itself.
h_unbound_start tcpres "$RES" static "outgoing-interface: $RES" \
    "tcp-upstream: yes" "aggressive-nsec: no" "qname-minimisation: no"
h_addr_add "$CLIENT"
set --
for i in $(seq 1 "$NAMES"); do
	set -- "$@" "q$i.harness." A
done
dig -b "$CLIENT" @"$RES" +tcp +keepopen +tries=1 +time=5 "$@" \
    >"$H/dig.out" 2>&1
h_is "$(grep -c 'status: NXDOMAIN' "$H/dig.out")" "$NAMES" \
    "dig: $NAMES answers over one TCP connection"
# unbound closes its connection to the root as it stops: FINs.
h_daemon_stop ub-tcpres
sleep 1
h_daemon_stop tcpdump
[ -n "${AW_TCPFLOW_SAVE:-}" ] && cp "$PCAP" "$AW_TCPFLOW_SAVE"
h_diag "capture: $(tcpdump -nn -r "$PCAP" 2>/dev/null | wc -l) packets"
python3 "$H/tcptool.py" oracle "$PCAP" >"$H/oracle" ||
    h_bail "the oracle cannot read the capture"
h_diag <"$H/oracle"
h_is "$(wc -l <"$H/oracle" | tr -d ' ')" 4 \
    "the oracle: four flows, each from its SYN"
split=$(tcpdump -nn -r "$PCAP" 2>/dev/null | grep -c 'prefix length')
h_ok "segments that start inside a message ($split)" [ "$split" -gt 20 ]

# ---- every packet a start, every data packet lost ------------------------

mkdir -p "$H/cuts"
python3 "$H/tcptool.py" cuts "$PCAP" "$H/cuts" >"$H/want" ||
    h_bail "the oracle cannot cut the capture"
read -r _ q m < <(head -n 1 "$H/want")
h_is "$(t_counts "$PCAP")" "$q $m" "the whole capture: $q queries, $m messages"
ncut=0 ndrop=0 bad=0
while read -r name q m; do
	case $name in
	cut-*) ncut=$((ncut + 1)) ;;
	*) ndrop=$((ndrop + 1)) ;;
	esac
	got=$(t_counts "$H/cuts/$name.pcap")
	if [ "$got" != "$q $m" ]; then
		bad=$((bad + 1))
		h_diag "$name: counted $got, want $q $m"
	fi
done <"$H/want"
h_is "$bad" 0 "$ncut captures from each packet on, $ndrop without one data packet each: queries and messages as the oracle counts them"
# One with a hole: what was not parsed is said.
k=$(awk '$1 ~ /^drop-/ { n++ } n == 5 { sub(/drop-/, "", $1); print $1; exit }' \
    "$H/want")
"$AW_BIN" traffic "$H/cuts/drop-$k.pcap" >"$H/drop.out" 2>/dev/null
h_diag <"$H/drop.out"
h_ok "a capture without packet $k: the text report counts the hole" \
    grep -Eq '^DNS over TCP: .* [1-9][0-9]* bytes not parsed, 1 holes given up$' \
    "$H/drop.out"

h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
