#!/bin/bash
#
# t-encap.sh: `anchorwatch traffic` on what an ISP's tap delivers (issue
# 13, "Reach"): DNS queries inside tunnels, in IP fragments, in frames cut
# by the snapshot length, with malformed EDNS.  Every per-source count of
# root DNSKEY queries is checked three ways: against what was sent,
# against tshark's decoding of the same capture (the innermost IP source
# of each query it dissects), and, for a capture cut by tcpdump -s,
# against the whole capture.
#
#  1. Kernel tunnels.  A veth pair joins this namespace to a second private
#     one (a sleeping process's; nothing leaves the two), the underlay.
#     For each device the kernel lets us make (vxlan, geneve, gre with
#     checksum, key and sequence number, gretap, erspan versions 1 and 2,
#     ip6gre, ip6erspan, ipip, sit), queries are sent through it by
#     tests/harness/encapgen.py (a UDP socket: the kernel encapsulates),
#     from 10.99.K.1-3 (1, 2, 3 queries), 10.99.K.4 (one of 1450 bytes,
#     which the kernel fragments at the tunnel's MTU of 1280), fd99:K::1
#     (2) and fd99:K::2 (one fragmented), while tcpdump captures the
#     underlay, whole and with -s 160.  A device the kernel refuses is
#     named in a diagnostic: its frames come from part 2 alone.
#     Then a live count on the underlay (--interface) of fragmented
#     queries sent on it: its kernel filter must pass IP fragments.
#  2. Generated frames (encapgen.py writes them byte by byte): every kind
#     above, and what no kernel here sends: ERSPAN type I, ERSPAN III
#     carrying IP, MPLS stacks (explicit null, an Ethernet pseudowire with
#     its control word), PPPoE (IPv4, IPv6), 802.1ad+802.1Q inside VXLAN,
#     PPPoE>GRE>MPLS>VXLAN>802.1Q nested, fragments out of order (IPv4,
#     IPv6), overlapping fragments (refused), frames cut after the
#     question, a malformed EDNS option, and nine GRE headers (past the
#     depth limit of 8: malformed).  tshark 4.0 decodes neither ERSPAN III
#     frame type 2 nor, unless told, the pseudowire: the first is left out
#     of the tshark comparison, the second decoded with -d; and it reads
#     past eight tunnels, which anchorwatch refuses.
#
# TAP on stdout; AW_KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need tcpdump tshark python3 jq nsenter
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
GEN=$H_TOP/tests/harness/encapgen.py
SNAP=160
printf 'state_dir: %s/state\nevents:\n  file: %s/etc/anchorwatch/events.yaml\n' \
    "$H" "$H_TOP" >"$H/aw.yaml"

# ---- small helpers of this script ------------------------------------------

# t_aw FILE ARGS...: anchorwatch traffic on FILE (exit 1, flagged, is fine).
t_aw() {
	local f=$1
	shift
	"$AW_BIN" traffic -c "$H/aw.yaml" "$@" "$f" 2>>"$H/aw.err" ||
	    [ $? -eq 1 ]
}

# t_aw_counts FILE: "SOURCE ROOT_DNSKEY_QUERIES" per source, sorted.
t_aw_counts() {
	t_aw "$1" --csv | awk -F, '!/^#/ && $1 != "source" { print $1, $3 }' |
	    sort
}

# t_aw_json FILE FILTER: a jq filter on the JSON report.
t_aw_json() {
	t_aw "$1" --json | jq -c "$2"
}

# t_tshark_counts FILE ARGS...: the same as tshark decodes it: for each
# query for the root DNSKEY (not inside an ICMP error), the source of the
# innermost IP header (frame.protocols says whether it is IPv4 or IPv6).
t_tshark_counts() {
	local f=$1
	shift
	tshark -r "$f" -2 "$@" -Y 'dns.flags.response == 0 &&
	    dns.qry.type == 48 && dns.qry.name == "<Root>" && !icmp &&
	    !icmpv6' -T fields -E separator='|' -e frame.protocols \
	    -e ip.src -e ipv6.src 2>/dev/null | awk -F'|' '{
		n = split($1, l, ":"); v = ""
		for (i = n; i > 0 && v == ""; i--)
			if (l[i] == "ip" || l[i] == "ipv6")
				v = l[i]
		m = split(v == "ip" ? $2 : $3, a, ",")
		print a[m]
	}' | sort | uniq -c | awk '{ print $2, $1 }' | sort
}

# t_same DESC GOT WANT: the two lists are equal (the difference shown).
t_same() {
	if [ "$2" = "$3" ]; then
		h_pass "$1"
	else
		h_fail "$1"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | h_diag
	fi
}

# t_drop_sources LIST PATTERN: LIST without the sources matching PATTERN.
t_drop_sources() {
	printf '%s\n' "$1" | grep -Ev "$2" || true
}

# ---- 1. kernel tunnels -----------------------------------------------------

PEER_NS=""
# 0 once the peer process has its own network namespace.
t_peer_ready() {
	[ "$(readlink "$PEER_NS")" != "$(readlink /proc/self/ns/net)" ]
}

# t_underlay: the veth pair ul0 (here) - ul1 (in the peer namespace).
t_underlay() {
	unshare --net sleep 100000 &
	h_pid_add peer $!
	PEER_NS=/proc/$!/ns/net
	h_wait_for "the peer namespace" 5 t_peer_ready || return 1
	ip link add ul0 type veth peer name ul1 &&
	    ip link set ul1 netns "$(h_pid_of peer)" &&
	    ip addr add 10.200.0.1/24 dev ul0 &&
	    ip -6 addr add fd00:200::1/64 dev ul0 nodad &&
	    ip link set ul0 up &&
	    nsenter --net="$PEER_NS" sh -c 'ip link set lo up &&
		ip addr add 10.200.0.2/24 dev ul1 &&
		ip -6 addr add fd00:200::2/64 dev ul1 nodad &&
		ip link set ul1 up'
}

# t_tunnel K NAME L2 FAMILIES ARGS...: make device NAME (ip link add NAME
# ARGS), with inner addresses of 10.99.K.0/24 and fd99:K::/64 (FAMILIES:
# "4", "6" or "4 6"), the far end 10.99.K.53 / fd99:K::53 (a static
# neighbour when L2 is 1); then send through it, and remove it.  Each
# sent query is a line "SOURCE 1" in $H/sent.  1 if the kernel refuses.
t_tunnel() {
	local k=$1 name=$2 l2=$3 fams=$4 f h
	shift 4
	if ! ip link add "$name" "$@" 2>>"$H/ip.err"; then
		h_diag "kernel has no $name ($*): its frames come from encapgen.py"
		return 1
	fi
	ip link set "$name" mtu 1280 up || return 1
	for f in $fams; do
		if [ "$f" = 4 ]; then
			for h in 1 2 3 4; do
				ip addr add "10.99.$k.$h/24" dev "$name" || return 1
			done
			[ "$l2" = 1 ] && ip neigh replace "10.99.$k.53" \
			    lladdr 02:00:00:00:00:53 dev "$name" nud permanent
		else
			for h in 1 2; do
				ip -6 addr add "fd99:$k::$h/64" dev "$name" \
				    nodad || return 1
			done
			[ "$l2" = 1 ] && ip -6 neigh replace "fd99:$k::53" \
			    lladdr 02:00:00:00:00:53 dev "$name" nud permanent
		fi
	done
	for f in $fams; do
		if [ "$f" = 4 ]; then
			t_send "10.99.$k.1" "10.99.$k.53" 1 0
			t_send "10.99.$k.2" "10.99.$k.53" 2 0
			t_send "10.99.$k.3" "10.99.$k.53" 3 0
			t_send "10.99.$k.4" "10.99.$k.53" 1 1400
		else
			t_send "fd99:$k::1" "fd99:$k::53" 2 0
			t_send "fd99:$k::2" "fd99:$k::53" 1 1400
		fi
	done
	sleep 0.5
	ip link del "$name"
}

# t_send SRC DST N PAD: N queries, recorded in $H/sent.
t_send() {
	local i
	python3 "$GEN" send "$@" || h_diag "sending from $1 failed"
	for ((i = 0; i < $3; i++)); do
		echo "$1 1"
	done >>"$H/sent"
}

# t_tcpdump NAME ARGS...: capture on ul0 into $H/NAME.pcap, until
# t_tcpdump_stop NAME.
t_tcpdump() {
	local name=$1
	shift
	tcpdump -i ul0 -n -U "$@" -w "$H/$name.pcap" 2>"$H/$name.tcpdump" &
	h_pid_add "tcpdump-$name" $!
	h_wait_for "tcpdump $name listening" 10 \
	    grep -q 'listening on' "$H/$name.tcpdump"
}

# t_caught_up NAME: 0 once $H/NAME.pcap holds the marker that t_marker
# sent last (tcpdump writes in order: all before it is there too).
t_caught_up() {
	tcpdump -r "$H/$1.pcap" -n 'udp dst port 9' 2>/dev/null | grep -q .
}

# t_marker: a datagram to the peer's port 9 (discard), sent after all.
t_marker() {
	python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.200.0.1", 0))
s.sendto(b"end", ("10.200.0.2", 9))'
}

# t_tcpdump_stop NAME: stop it once it has written the marker.
t_tcpdump_stop() {
	local pid
	h_wait_for "tcpdump $1 writing all" 15 t_caught_up "$1"
	pid=$(h_pid_of "tcpdump-$1") || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	h_pid_del "tcpdump-$1"
}

: >"$H/sent"
KERNEL=""
if t_underlay; then
	t_tcpdump kernel
	t_tcpdump cut -s "$SNAP"
	L4="local 10.200.0.1 remote 10.200.0.2"
	L6="local fd00:200::1 remote fd00:200::2"
	# shellcheck disable=SC2086 # the words of $L4 and $L6
	{
		t_tunnel 1 vx1 1 "4 6" type vxlan id 42 $L4 dstport 4789 &&
		    KERNEL="$KERNEL vxlan"
		t_tunnel 2 gn1 1 "4 6" type geneve id 43 remote 10.200.0.2 &&
		    KERNEL="$KERNEL geneve"
		t_tunnel 3 gre1 0 "4 6" type gre $L4 okey 7 ocsum oseq &&
		    KERNEL="$KERNEL gre"
		t_tunnel 4 gt1 1 "4 6" type gretap $L4 key 9 &&
		    KERNEL="$KERNEL gretap"
		t_tunnel 5 er1 1 "4 6" type erspan $L4 seq key 10 \
		    erspan_ver 1 erspan 123 && KERNEL="$KERNEL erspan-II"
		t_tunnel 6 er2 1 "4 6" type erspan $L4 seq key 11 \
		    erspan_ver 2 erspan_dir egress erspan_hwid 7 &&
		    KERNEL="$KERNEL erspan-III"
		t_tunnel 7 g61 0 "4 6" type ip6gre $L6 &&
		    KERNEL="$KERNEL ip6gre"
		t_tunnel 8 e61 1 "4 6" type ip6erspan $L6 seq key 12 \
		    erspan_ver 2 erspan_dir ingress erspan_hwid 3 &&
		    KERNEL="$KERNEL ip6erspan"
		t_tunnel 9 ipip1 0 4 type ipip $L4 && KERNEL="$KERNEL ipip"
		t_tunnel 10 sit1 0 6 type sit $L4 && KERNEL="$KERNEL sit"
	}
	t_marker
	t_tcpdump_stop kernel
	t_tcpdump_stop cut
else
	h_diag "no veth pair: no kernel tunnels" "$(cat "$H/ip.err" 2>/dev/null)"
fi
h_diag "kernel tunnels made here:${KERNEL:- none}"

if [ -n "$KERNEL" ]; then
	want=$(sort "$H/sent" | awk '{ n[$1] += $2 } END {
	    for (s in n) print s, n[s] }' | sort)
	got=$(t_aw_counts "$H/kernel.pcap")
	t_same "kernel tunnels: the queries sent, per inner source" \
	    "$got" "$want"
	t_same "kernel tunnels: as tshark decodes the capture" "$got" \
	    "$(t_tshark_counts "$H/kernel.pcap")"
	h_is "$(t_aw_json "$H/kernel.pcap" '[.encapsulated > 0,
	    .ip_fragments.reassembled > 0, .malformed]')" '[true,true,0]' \
	    "kernel tunnels: frames decapsulated, fragments reassembled"
	t_same "capture cut at $SNAP bytes: the same counts (as sent)" \
	    "$(t_aw_counts "$H/cut.pcap")" "$want"
	h_is "$(t_aw_json "$H/cut.pcap" '[.snapped > 0, .malformed]')" \
	    '[true,0]' "capture cut at $SNAP bytes: cut frames, none malformed"
else
	h_diag "the kernel made no tunnel: part 1 not run"
fi

# Live, the kernel's filter must pass IP fragments, which have no port
# past the first: queries of 1450 bytes sent on the underlay (MTU 1280)
# every 0.3 s through an 8-second listen are reassembled.
if [ -n "$PEER_NS" ] && ip link set ul0 mtu 1280; then
	"$AW_BIN" traffic -c "$H/aw.yaml" --interface ul0 --seconds 8 --json \
	    >"$H/live.json" 2>"$H/live.err" &
	live=$!
	while kill -0 "$live" 2>/dev/null; do
		python3 "$GEN" send 10.200.0.1 10.200.0.2 1 1400
		sleep 0.3
	done
	wait "$live"
	h_is "$(jq -c '[.ip_fragments.reassembled > 0,
	    .queries == .ip_fragments.reassembled]' "$H/live.json")" \
	    '[true,true]' "live on ul0: fragmented queries reassembled"
fi

# ---- 2. generated frames --------------------------------------------------

KINDS="gre gre-cks gre6 gretap erspan1 erspan2 erspan3 erspan3-ip vxlan
vxlan-qinq geneve mpls mpls6 mpls-pw pppoe pppoe6 ipip sit nested frag4
frag6 frag-overlap cut edns-bad deep"
# shellcheck disable=SC2086 # one word per kind
python3 "$GEN" "$H/gen.pcap" $KINDS >"$H/gen.want" ||
    h_bail "encapgen.py failed"
got=$(t_aw_counts "$H/gen.pcap")
t_same "generated frames: every query counted for its inner source" \
    "$got" "$(awk '$2 > 0' "$H/gen.want" | sort)"
# encapgen.py numbers the kinds from 1: ERSPAN III carrying IP is the 8th
# (198.18.8.x), the nine GRE headers the 25th (198.18.25.x).
t_same "generated frames: as tshark decodes them (but ERSPAN III/IP)" \
    "$(t_drop_sources "$got" '^198\.18\.8\.')" \
    "$(t_drop_sources "$(t_tshark_counts "$H/gen.pcap" \
    -d 'mpls.label==200,pwethcw')" '^198\.18\.(8|25)\.')"
h_is "$(t_aw_json "$H/gen.pcap" '[.malformed, .edns_malformed, .snapped,
    .snapped_lost, .ip_fragments.reassembled, .ip_fragments.overlaps,
    .ip_fragments.incomplete]')" '[6,6,6,0,12,6,0]' \
    "generated frames: too deep 6, bad EDNS 6, cut 6, 12 whole, 6 overlaps"

h_done
