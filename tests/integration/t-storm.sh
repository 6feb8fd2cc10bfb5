#!/bin/bash
#
# t-storm.sh: DNSKEY_STORM in `anchorwatch check` (the traffic: section).
# The harness root rolls its KSK (RFC 5011 stages of RFC 7583, up to
# "remove": KSK2 alone signs); then, while checks listen, a client loop
# asks two real unbound daemons:
#
#	ubold	127.0.0.12  trust-anchor-file with KSK1 only: stale
#	comp	127.0.0.11  trust-anchor-file with KSK2: compliant
#
# Both log their upstream queries over dnstap (dnstap-log-resolver-query-
# messages) with outgoing-interface set, so that each is counted under its
# own address (see t-dnstap.sh).  Five checks:
#
#	stale	dnstap_socket that ubold writes to: CRITICAL DNSKEY_STORM, 2
#	comp	dnstap_socket that comp writes to: no DNSKEY_STORM, 0
#	lo	interface: lo: CRITICAL DNSKEY_STORM for ubold, 2
#	short	interface: lo with -t 6: the listening is cut to fit, no
#		time-out
#	nodir	a socket whose directory does not exist: UNKNOWN
#		DNSKEY_STORM "cannot listen", 3
#
# The rates (measured in t-traffic.sh): a stale unbound asks the root
# DNSKEY in a burst of 6 (1 + 5 restarts) and then keeps the failure for
# 60 s (BOGUS_KEY_TTL), so a window of SECS=25 s holds exactly one burst:
# 6 * 60 / 25 = 14.4 a minute, over critical_rate 5.  The compliant one
# primes once (1 DNSKEY query; cache-min-ttl stands in for the real
# root's two-day TTL): below STORM_MIN, so 0.0 a minute, under warn_rate 1.
# Every check has resolvers: [] and an agent bootstrapped from KSK2, so
# that DNSKEY_STORM is its only finding and decides the exit status.
#
# The dnstap socket exists only while a check listens.  Facts this relies
# on (unbound 1.17 dnstap/dtstream.c, and measured here): unbound retries
# a missing socket with a backoff of 10 ms doubling up to 1 s, so it
# connects within about a second of the socket appearing; and it keeps
# the frames it could not send (up to 1 MB a worker thread) and sends them
# when it connects.  The client loop starts once every listener is up and
# ubold is connected.  From that queue comes ubold's DNSKEY query of the
# pre stage: dnstap_listen counts frames as they arrive, whatever their
# query_time, so the stale check counts 7 where lo hears 6.  The
# thresholds hold either way.
#
# TAP on stdout; AW_KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need ss pgrep
h_need_dnstap
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
SECS=25
WARN=1
CRIT=5
UBOLD=127.0.0.12
COMP=127.0.0.11
D=$H/dnstap
mkdir -p "$D"
chmod 0755 "$D"		# unbound (user unbound) connects in there

# ---- small helpers of this script ------------------------------------------

# t_config NAME TRAFFIC: $H/NAME.yaml, an agent of its own (state
# $H/aw-NAME: checks run at once, each under its own lock) bootstrapped
# from KSK2, no resolvers, and "traffic: TRAFFIC" (a flow mapping).
t_config() {
	h_aw_config "$H/$1.yaml" state="$H/aw-$1" --
	sed -i "s|^  bootstrap: .*|  bootstrap: $H/ksk2.key|" "$H/$1.yaml"
	printf 'traffic: %s\n' "$2" >>"$H/$1.yaml"
}

# t_check_bg NAME ARGS...: start `anchorwatch -c $H/NAME.yaml ARGS check`
# in the background; stdout in $H/NAME.out, stderr in $H/NAME.err, the
# exit status in $H/NAME.rc and the run time (ms) in $H/NAME.ms when it
# ends.
t_check_bg() {
	local name=$1
	shift
	(
		t0=$(h_ms)
		rc=0
		"$AW_BIN" -c "$H/$name.yaml" "$@" check >"$H/$name.out" \
		    2>"$H/$name.err" || rc=$?
		echo $(($(h_ms) - t0)) >"$H/$name.ms"
		echo "$rc" >"$H/$name.rc"
	) &
	h_pid_add "aw-$name" $!
}

# t_check_wait NAME: wait for check NAME to end.
t_check_wait() {
	local pid
	pid=$(h_pid_of "aw-$1") || return 0
	wait "$pid"
	h_pid_del "aw-$1"
}

# t_show NAME: a check's output as diagnostics.
t_show() {
	h_diag "check $1: exit $(cat "$H/$1.rc"), $(cat "$H/$1.ms") ms:"
	h_diag <"$H/$1.out"
	[ -s "$H/$1.err" ] && h_diag <"$H/$1.err"
	return 0
}

# t_storm NAME SEV: 0 if check NAME printed exactly one DNSKEY_STORM line,
# and that of severity SEV.
t_storm() {
	[ "$(grep -Ec '^[A-Z]+ DNSKEY_STORM ' "$H/$1.out")" = 1 ] &&
	    grep -Eq "^$2 DNSKEY_STORM resolver=- keytag=-: " "$H/$1.out"
}

# t_no_storm NAME: 0 if check NAME printed no DNSKEY_STORM line.
t_no_storm() {
	! grep -Eq '^[A-Z]+ DNSKEY_STORM ' "$H/$1.out"
}

# t_names NAME ADDR: 0 if the DNSKEY_STORM line of NAME says ADDR asked.
t_names() {
	grep -E '^[A-Z]+ DNSKEY_STORM ' "$H/$1.out" |
	    grep -Fq ": $2 asked for the root DNSKEY set "
}

# t_rate NAME: the dnskey_rate perfdata value of check NAME, when its
# warn, crit and min fields are ours; nothing otherwise.
t_rate() {
	head -n 1 "$H/$1.out" |
	    sed -n "s/.* dnskey_rate=\([0-9.]*\);$WARN;$CRIT;0\( .*\)\{0,1\}$/\1/p"
}

# t_ge A B: 0 if the number A is at least B (A may have decimals).
t_ge() {
	[ -n "$1" ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b) }'
}

# t_lt A B: 0 if the number A is below B.
t_lt() {
	[ -n "$1" ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b) }'
}

# t_capturing NAME: 0 if check NAME (the anchorwatch under the subshell
# of t_check_bg) holds a packet socket, i.e. its libpcap capture is open:
# one of its fds is an inode of /proc/net/packet.
t_capturing() {
	local pid ino
	pid=$(pgrep -P "$(h_pid_of "aw-$1")") || return 1
	while read -r ino; do
		find "/proc/$pid/fd" -lname "socket:\[$ino\]" 2>/dev/null |
		    grep -q . && return 0
	done < <(awk 'NR > 1 { print $9 }' /proc/net/packet)
	return 1
}

# t_connected PATH: 0 if a writer is connected to the socket at PATH.
t_connected() {
	ss -xH state connected | grep -Fq "$1 "
}

# t_dnstap ADDR PATH: server: lines for h_unbound_start: queries to the
# root from ADDR, logged over dnstap to the socket PATH (the second line
# opens the dnstap: clause).
t_dnstap() {
	printf '%s\n' "outgoing-interface: $1" 'dnstap:' 'dnstap-enable: yes' \
	    "dnstap-socket-path: \"$2\"" \
	    'dnstap-log-resolver-query-messages: yes'
}

# t_clients SECONDS: every 0.25 s a new name to each resolver.
t_clients() {
	local end=$(($(h_now) + $1)) i=0 a
	while [ "$(h_now)" -lt "$end" ]; do
		i=$((i + 1))
		for a in $UBOLD $COMP; do
			drill @"$a" "q$i.harness." A >/dev/null 2>&1
		done
		sleep 0.25
	done
}

# ---- the roll ----------------------------------------------------------

h_root_init
h_root_stage pre
h_diag "root keys: KSK1 $(h_tag ksk1), KSK2 $(h_tag ksk2)"
mapfile -t L_OLD < <(t_dnstap $UBOLD "$D/stale.sock")
h_unbound_start ubold $UBOLD static "${L_OLD[@]}"
h_ok "pre: the stale unbound validates (AD)" h_has_ad $UBOLD
# Nobody asks ubold again before the checks listen: a failure now would
# start its 60 s bad-key time outside their windows.
for stage in publish roll revoke remove; do
	h_root_stage "$stage"
done
h_diag "the roll played in $(($(h_now) - t_start)) s"

RATES="seconds: $SECS, warn_rate: $WARN, critical_rate: $CRIT"
t_config stale "{dnstap_socket: $D/stale.sock, dnstap_group: unbound, $RATES}"
t_config comp "{dnstap_socket: $D/comp.sock, dnstap_group: unbound, $RATES}"
t_config lo "{interface: lo, $RATES}"
t_config short "{interface: lo, $RATES}"
t_config nodir "{dnstap_socket: $H/no-such-dir/aw.sock, seconds: $SECS}"

# ---- a socket that cannot be made: UNKNOWN, at once ----------------------

t_check_bg nodir -t 60
t_check_wait nodir
h_is "$(cat "$H/nodir.rc")" 3 "nodir: exit 3 (UNKNOWN)"
h_ok "nodir: one UNKNOWN DNSKEY_STORM line" t_storm nodir UNKNOWN
h_ok "nodir: it says it cannot listen, and where" grep -Fq \
    ": cannot listen for DNSKEY queries: $H/no-such-dir/aw.sock: " \
    "$H/nodir.out"
h_ok "nodir: the status line names DNSKEY_STORM" \
    grep -q '^ANCHORWATCH UNKNOWN - agent DNSKEY_STORM' "$H/nodir.out"
h_not_ok "nodir: no dnskey_rate perfdata (nothing measured)" \
    grep -q 'dnskey_rate=' "$H/nodir.out"
h_ok "nodir: did not wait for traffic.seconds ($(cat "$H/nodir.ms") ms)" \
    test "$(cat "$H/nodir.ms")" -lt 10000
[ "$H_NFAIL" -gt 0 ] && t_show nodir

# ---- the listeners -----------------------------------------------------

# The root queries of the checks themselves (from 127.0.0.1) are over
# before lo's window opens.
t_check_bg stale -t 60
t_check_bg comp -t 60
t_check_bg short -t 6
h_wait_for "the stale check's socket" 10 test -S "$D/stale.sock" ||
    h_bail "check made no dnstap socket at $D/stale.sock"
sock_ms=$(h_ms)
h_wait_for "the comp check's socket" 10 test -S "$D/comp.sock" ||
    h_bail "check made no dnstap socket at $D/comp.sock"
h_wait_for "the short check's capture" 10 t_capturing short ||
    h_bail "the short check opened no capture"
t_check_bg lo -t 60
h_wait_for "the lo check's capture" 10 t_capturing lo ||
    h_bail "the lo check opened no capture"
# ubold has had no socket since it started; it finds this one by itself.
if h_wait_for "ubold connected" 10 t_connected "$D/stale.sock"; then
	conn_ms=$(($(h_ms) - sock_ms))
	h_diag "ubold connected ${conn_ms} ms after the socket appeared"
	h_ok "ubold reconnects within 3 s of the socket appearing" \
	    test "$conn_ms" -le 3000
else
	h_fail "ubold reconnects within 3 s of the socket appearing"
fi
# comp starts now, its one priming inside the windows.
mapfile -t L_COMP < <(t_dnstap $COMP "$D/comp.sock")
h_unbound_start comp $COMP custom "trust-anchor-file: \"$H/ksk2.key\"" \
    'cache-min-ttl: 3600' "${L_COMP[@]}"
h_ok "comp connected to $D/comp.sock" \
    h_wait_for "comp connected" 5 t_connected "$D/comp.sock"
late=$(($(h_ms) - sock_ms))
h_diag "clients start $late ms into the stale window"
# ubold's burst must fall well inside every window of SECS s.
[ "$late" -lt $(((SECS - 10) * 1000)) ] ||
    h_bail "the clients start too late ($late ms) into the $SECS s windows"
t_clients 12
for c in short stale comp lo; do
	t_check_wait "$c"
done
h_ok "ubold failed the clients (SERVFAIL): it is stale" \
    h_rcode_is $UBOLD SERVFAIL
h_ok "comp answered the clients (NOERROR): it is not" h_rcode_is $COMP NOERROR

# ---- the stale unbound over dnstap: CRITICAL -------------------------------

h_is "$(cat "$H/stale.rc")" 2 "stale: exit 2 (CRITICAL)"
h_ok "stale: one CRITICAL DNSKEY_STORM line" t_storm stale CRITICAL
h_ok "stale: it names the stale unbound $UBOLD" t_names stale $UBOLD
h_ok "stale: over the whole $SECS s" \
    grep -Eq "^CRITICAL DNSKEY_STORM .* times in $SECS s " "$H/stale.out"
h_ok "stale: the status line names DNSKEY_STORM" \
    grep -q '^ANCHORWATCH CRITICAL - agent DNSKEY_STORM' "$H/stale.out"
rate=$(t_rate stale)
h_ok "stale: perfdata dnskey_rate=$rate;$WARN;$CRIT;0 at or over $CRIT" \
    t_ge "$rate" "$CRIT"
h_ok "stale: it listened its $SECS s ($(cat "$H/stale.ms") ms)" \
    test "$(cat "$H/stale.ms")" -ge $((SECS * 1000))
t_show stale

# ---- the compliant unbound over dnstap: quiet --------------------------

h_is "$(cat "$H/comp.rc")" 0 "comp: exit 0 (OK)"
h_ok "comp: no DNSKEY_STORM line" t_no_storm comp
rate=$(t_rate comp)
h_ok "comp: perfdata dnskey_rate=$rate;$WARN;$CRIT;0 below $WARN" \
    t_lt "$rate" "$WARN"
[ "$H_NFAIL" -gt 0 ] && t_show comp

# ---- interface: lo: the same storm on the wire -----------------------------

h_is "$(cat "$H/lo.rc")" 2 "lo: exit 2 (CRITICAL)"
h_ok "lo: one CRITICAL DNSKEY_STORM line" t_storm lo CRITICAL
h_ok "lo: it names the stale unbound $UBOLD" t_names lo $UBOLD
rate=$(t_rate lo)
h_ok "lo: perfdata dnskey_rate=$rate;$WARN;$CRIT;0 at or over $CRIT" \
    t_ge "$rate" "$CRIT"
t_show lo

# ---- -t 6: the listening is cut to what is left, not timed out -----------

h_ok "short: exit 0, 1 or 2, not 3 (got $(cat "$H/short.rc"))" \
    test "$(cat "$H/short.rc")" -le 2
h_not_ok "short: no time-out" grep -q 'timed out' "$H/short.out" "$H/short.err"
h_ok "short: dnskey_rate perfdata (it listened)" \
    grep -q " dnskey_rate=[0-9.]*;$WARN;$CRIT;0" "$H/short.out"
h_ok "short: within -t 6 ($(cat "$H/short.ms") ms)" \
    test "$(cat "$H/short.ms")" -le 6500
[ "$H_NFAIL" -gt 0 ] && t_show short

h_not_ok "the sockets are removed at the end" \
    test -e "$D/stale.sock" -o -e "$D/comp.sock"
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
