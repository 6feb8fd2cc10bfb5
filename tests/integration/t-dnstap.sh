#!/bin/bash
#
# t-dnstap.sh: anchorwatch traffic fed by dnstap (Frame Streams +
# protobuf) from real resolvers on the harness's local signed root, so that
# root DNSKEY queries and RFC 8145 key tag signals (section 5, _ta- names)
# are counted per resolver without a packet capture.  Everything runs in
# private namespaces on loopback.
#
# Live, on `anchorwatch traffic --dnstap-socket`:
#	ub1	unbound, outgoing-interface 127.0.0.11, bidirectional Frame
#		Streams (the default)
#	ub2	unbound, outgoing socket on the wildcard (the default),
#		dnstap-bidirectional: no
#	nm1	named, query-source address 127.0.0.21 (when named is there)
# From a file written by fstrm_capture (unbound 1.17 has no dnstap file
# output of its own):
#	ub3	unbound, outgoing-interface 127.0.0.13
#	nm2	named, query-source left to the default (when named is there)
#
# Facts asserted: both daemons put the address their outgoing socket is
# bound to in query_address of a RESOLVER_QUERY, so by default the
# wildcard 0.0.0.0 (see src/dnstap.c).  TAP on stdout; AW_KEEP=1 keeps the
# work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/bind.sh"
h_need_dnstap
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
# Seconds the live listener runs: the daemons start and are queried
# within it.
SECS=${AW_DNSTAP_SECS:-25}
D=$H/dnstap
mkdir -p "$D"
chmod 0755 "$D"
have_named=""
if command -v named >/dev/null 2>&1 &&
    named -V 2>/dev/null | grep -q -- '--enable-dnstap'; then
	have_named=1
fi
have_capture=""
command -v fstrm_capture >/dev/null 2>&1 && have_capture=1

# The dnstap: clause lines of an unbound logging its upstream queries to
# socket PATH, then any more lines.
t_ub_dnstap() {
	local path=$1
	shift
	printf '%s\n' 'dnstap:' 'dnstap-enable: yes' \
	    "dnstap-socket-path: \"$path\"" \
	    'dnstap-log-resolver-query-messages: yes' "$@"
}

# Field COLUMN (by its CSV header name) of the row of source ADDR in the
# counts file FILE (its '#' totals line skipped); nothing if no such row.
t_col() {
	awk -F, -v a="$2" -v c="$3" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) if ($i == c) k = i; h = 1; next }
		$1 == a && k { print $k; exit }' "$1"
}

# t_at_least DESC VALUE MIN: VALUE is a number >= MIN.
t_at_least() {
	if [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ]; then
		h_pass "$1"
	else
		h_fail "$1"
		h_diag "  got: '$2', want at least $3"
	fi
}

# Three names not yet in its cache, asked of resolver ADDR.
t_queries() {
	local n
	for n in hello.harness. www.harness. nope.harness.; do
		drill @"$1" "$n" A >/dev/null 2>&1
	done
}

t_fail_logs() {
	[ "$H_NFAIL" -gt 0 ] || return 0
	h_named_dump_logs
	for f in "$D"/*.err; do
		[ -s "$f" ] && h_diag "---- $f" && h_diag <"$f"
	done
	return 0
}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
h_diag "root KSK1 $KSK1"

# ---- a socket path that is not a socket is refused, and left alone ------
echo keep >"$D/plain"
rc=0
"$AW_BIN" traffic --dnstap-socket "$D/plain" --seconds 1 --csv \
    >"$D/plain.out" 2>"$D/plain.err" || rc=$?
h_is "$rc" 3 "a regular file as the socket path: exit 3"
h_is "$(cat "$D/plain")" keep "a regular file as the socket path: left as it was"

# ---- the capture to a file, started first: fstrm_capture -----------------
if [ -n "$have_capture" ]; then
	fstrm_capture -t protobuf:dnstap.Dnstap -u "$D/cap.sock" \
	    -w "$D/cap.fstrm" >"$D/capture.err" 2>&1 &
	h_pid_add capture $!
	h_wait_for "fstrm_capture's socket" 5 test -S "$D/cap.sock" ||
	    h_bail "fstrm_capture made no socket"
	chmod 0666 "$D/cap.sock"	# the daemons do not run as root
	mapfile -t L3 < <(t_ub_dnstap "$D/cap.sock")
	h_unbound_start ub3 127.0.0.13 auto 'outgoing-interface: 127.0.0.13' \
	    "${L3[@]}"
	t_queries 127.0.0.13
	if [ -n "$have_named" ]; then
		h_named_start nm2 127.0.0.22 initial \
		    'dnstap { resolver query; };' \
		    "dnstap-output unix \"$D/cap.sock\";"
		t_queries 127.0.0.22
	fi
fi

# ---- live: anchorwatch traffic --dnstap-socket ----------------------------
# The daemons' users share a group, the socket's (traffic.dnstap_group).
h_group_add awtap unbound bind
printf 'traffic:\n  dnstap_group: awtap\n' >"$D/traffic.yaml"
l_start=$(h_now)
"$AW_BIN" traffic -c "$D/traffic.yaml" --dnstap-socket "$D/aw.sock" \
    --seconds "$SECS" --csv >"$D/live.csv" 2>"$D/live.err" &
h_pid_add aw-listen $!
h_wait_for "the dnstap socket" 5 test -S "$D/aw.sock" ||
    h_bail "anchorwatch traffic --dnstap-socket made no socket"
h_is "$(stat -c '%a %U %G' "$D/aw.sock")" "660 root awtap" \
    "the dnstap socket: mode 0660, root's and traffic.dnstap_group's"

mapfile -t L1 < <(t_ub_dnstap "$D/aw.sock")
mapfile -t L2 < <(t_ub_dnstap "$D/aw.sock" 'dnstap-bidirectional: no')
h_unbound_start ub1 127.0.0.11 auto 'outgoing-interface: 127.0.0.11' "${L1[@]}"
h_unbound_start ub2 127.0.0.12 auto "${L2[@]}"
t_queries 127.0.0.11
t_queries 127.0.0.12
if [ -n "$have_named" ]; then
	h_named_start nm1 127.0.0.21 initial 'query-source address 127.0.0.21;' \
	    'dnstap { resolver query; };' "dnstap-output unix \"$D/aw.sock\";"
	t_queries 127.0.0.21
fi
# Give the daemons' RFC 5011 probes (hold-downs of seconds) a moment.
sleep 2
h_diag "daemons started and asked $(($(h_now) - l_start)) s into the $SECS s"
[ $(($(h_now) - l_start)) -lt "$((SECS - 1))" ] ||
    h_bail "the daemons took longer than the listener's $SECS s"

lpid=$(h_pid_of aw-listen)
rc=0
wait "$lpid" || rc=$?
h_pid_del aw-listen
l_took=$(($(h_now) - l_start))
h_ok "live: anchorwatch traffic exits 0 or 1 (got $rc)" test "$rc" -le 1
h_ok "live: it stopped at its deadline ($l_took s for --seconds $SECS)" \
    test "$l_took" -le $((SECS + 3))
h_not_ok "live: the socket is removed at the end" test -e "$D/aw.sock"
h_diag <"$D/live.csv"

# unbound with outgoing-interface: its own address, its signal.
t_at_least "ub1 (127.0.0.11): upstream queries counted" \
    "$(t_col "$D/live.csv" 127.0.0.11 queries)" 3
t_at_least "ub1 (127.0.0.11): root DNSKEY queries counted" \
    "$(t_col "$D/live.csv" 127.0.0.11 dnskey_root)" 1
h_ok "ub1 (127.0.0.11): signals KSK1 $KSK1 (RFC 8145 _ta-)" \
    grep -Eq "^127\\.0\\.0\\.11,.*[, ]$KSK1([, ]|$)" "$D/live.csv"
# unbound on the wildcard, unidirectional Frame Streams: 0.0.0.0.
t_at_least "ub2 (wildcard, unidirectional): counted for 0.0.0.0" \
    "$(t_col "$D/live.csv" 0.0.0.0 queries)" 3
t_at_least "ub2 (wildcard): root DNSKEY queries counted" \
    "$(t_col "$D/live.csv" 0.0.0.0 dnskey_root)" 1
h_is "$(t_col "$D/live.csv" 127.0.0.12 queries)" "" \
    "ub2: never counted for its listening address"
if [ -n "$have_named" ]; then
	t_at_least "nm1 (127.0.0.21, query-source): upstream queries counted" \
	    "$(t_col "$D/live.csv" 127.0.0.21 queries)" 3
	t_at_least "nm1 (127.0.0.21): root DNSKEY queries counted" \
	    "$(t_col "$D/live.csv" 127.0.0.21 dnskey_root)" 1
fi

# ---- a dnstap file: fstrm_capture's ----------------------------------------
if [ -n "$have_capture" ]; then
	# Stopped daemons send STOP; fstrm_capture then ends its file.
	h_unbound_stop ub3
	[ -n "$have_named" ] && h_named_stop nm2
	h_daemon_stop capture
	# --trusted-tags: the harness root, signed by KSK1, is in no
	# calendar (without it, stderr would say that signals are not judged).
	rc=0
	"$AW_BIN" traffic --trusted-tags "$KSK1" --csv "$D/cap.fstrm" \
	    >"$D/file.csv" 2>"$D/file.err" || rc=$?
	h_ok "file: anchorwatch traffic exits 0 or 1 (got $rc)" test "$rc" -le 1
	h_diag <"$D/file.csv"
	t_at_least "file: ub3 (127.0.0.13) upstream queries counted" \
	    "$(t_col "$D/file.csv" 127.0.0.13 queries)" 3
	t_at_least "file: ub3 (127.0.0.13) root DNSKEY queries counted" \
	    "$(t_col "$D/file.csv" 127.0.0.13 dnskey_root)" 1
	if [ -n "$have_named" ]; then
		t_at_least "file: nm2 (default query-source) counted for 0.0.0.0" \
		    "$(t_col "$D/file.csv" 0.0.0.0 queries)" 3
	fi
	# Every data frame is a packet: as many as fstrm_dump lists.
	frames=$(fstrm_dump "$D/cap.fstrm" 2>&1 >/dev/null |
	    grep -c '^Data frame')
	"$AW_BIN" traffic --trusted-tags "$KSK1" "$D/cap.fstrm" \
	    >"$D/file.txt" 2>>"$D/file.err"
	h_ok "file: $frames frames (fstrm_dump), as many packets counted" \
	    grep -q "^$frames packets" "$D/file.txt"
	h_ok "file: no warning (the file ends with STOP)" test ! -s "$D/file.err"
else
	h_diag "fstrm_capture not installed: no file test"
fi

t_fail_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
