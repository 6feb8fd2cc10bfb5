#!/bin/bash
#
# t-remote.sh: check -H ADDRESS[@PORT], a resolver judged from its answers
# alone, as an appliance or another host's resolver is: real daemons on the
# local signed root, none of whose files anchorwatch is told of.  The
# configuration names a resolver whose config does not exist: with -H it
# is not read (no CONFIG_ERROR), nor are probes.enabled: false obeyed.
#
#	auto1	unbound, RFC 5011: OK at every stage, trusting by the RFC 8509
#		key sentinel the key that signs
#	static1	unbound, static KSK1: before the roll SUCCESSOR_NOT_TRUSTED
#		(once past the refresh grace) and EVENT_AHEAD for a calendar
#		roll needing KSK2; after it dark: VALIDATION_FAILING
#	both1	unbound, static KSK1 and KSK2: after the revocation of KSK1,
#		REVOKED_STILL_TRUSTED
#	iter1	unbound without its validator: NOT_VALIDATING
#	dm1	dnsmasq without dnssec: NOT_VALIDATING
#	dm2	dnsmasq validating (no RFC 8509 sentinel): OK, trust unknown
#	port1	unbound on 127.0.0.24@5353 only (port 53 of that address is
#		dead): -H ...@5353 is OK, -H without the port unreachable
#	127.0.0.99	nobody: RESOLVER_UNREACHABLE; sink1 takes the queries
#		and never answers: RESOLVER_UNREACHABLE within -t
# and malformed addresses: exit 3 with one line.  TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dnsmasq.sh"
h_need dnsmasq socat jq
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}

h_root_init >/dev/null
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
# Both, as the status line lists them: in key tag order.
BOTH=$(printf '%s\n' "$KSK1" "$KSK2" | sort -n | paste -sd, | sed 's/,/, /')
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
h_unbound_start iter1 127.0.0.13 custom 'module-config: "iterator"'
h_addr_add 127.0.0.24
h_unbound_start port1 127.0.0.14 auto "interface: 127.0.0.24@5353"
mkdir -p "$(h_ub_dir both1)"
cat "$H/ksk1.key" "$H/ksk2.key" >"$(h_ub_dir both1)/both.keys"
h_unbound_start both1 127.0.0.15 custom \
    "trust-anchor-file: \"$(h_ub_dir both1)/both.keys\""
h_dnsmasq_start dm1 127.0.0.41
h_dnsmasq_start dm2 127.0.0.42 dnssec "trust-anchor=$(h_dnsmasq_ta ksk1)"

# The calendar: none, or one roll to KSK2 ten days from now.
CAL=$H/calendar.yaml
printf 'version: 1\nevents: []\n' >"$CAL"
r_calendar_roll() {
	cat >"$CAL" <<EOC
version: 1
events:
  - id: harness-roll
    date: $(date -u -d '+10 days' +%Y-%m-%d)
    name: KSK2 signs the harness root
    kind: roll
    keys: [$KSK2]
    requires: [$KSK2]
EOC
}

# The one configuration: probes off (-H asks all the same), and a resolver
# that cannot be read (it would be CONFIG_ERROR if it were).
CONF=$H/aw.yaml
h_aw_config "$CONF" --
sed -i '/^resolvers: \[\]$/d' "$CONF"
cat >>"$CONF" <<EOC
probes:
  enabled: false
  timeout: 2
  signed_name: hello.harness
  sentinel_domain: sentinel.harness
events:
  file: $CAL
resolvers:
  - name: unreadable1
    type: unbound
    config: $H/no/such/unbound.conf
    address: 127.0.0.11@53
EOC

# r_check ADDR [ARGS...]: check -H ADDR (ARGS before "check").
r_check() {
	local addr=$1
	shift
	h_aw "$CONF" -t 10 "$@" check -H "$addr"
}
# r_is ADDR RC CODE [ARGS...]: r_check gives exit RC and finding CODE ("-":
# none at all).
r_is() {
	local addr=$1 rc=$2 code=$3
	shift 3
	r_check "$addr" "$@"
	[ "$AW_RC" = "$rc" ] || return 1
	if [ "$code" = - ]; then
		! grep -Eq '^[A-Z]+ [A-Z_]+ resolver=' "$H/aw.out"
	else
		h_aw_has "$code"
	fi
}
# r_expect DESC ADDR RC CODE [ARGS...]: r_is, retried for a while (unbound
# re-primes its anchor every second here, and a sentinel question caught
# in that gets no verdict).
r_expect() {
	local desc=$1
	shift
	if h_wait_for "$desc" "$T" r_is "$@"; then
		h_pass "$desc"
	else
		h_fail "$desc"
		h_aw_show
	fi
}
# r_status_has TEXT: the status line holds TEXT.
r_status_has() {
	head -n 1 "$H/aw.out" | grep -Fq -- "$1" && return 0
	h_diag "status line: $(head -n 1 "$H/aw.out")"
	return 1
}
# r_trusted N: the perfdata of the resolver gives N trusted keys.
r_trusted() {
	head -n 1 "$H/aw.out" | grep -Eq "_trusted'=$1;"
}

# ---- before the roll: KSK1 signs ------------------------------------------
r_expect "auto1: OK, no finding" 127.0.0.11 0 -
h_ok "auto1: the status line says it trusts KSK1 $KSK1 by the sentinel" \
    r_status_has "by the RFC 8509 key sentinel it trusts $KSK1;"
h_ok "auto1: the status line says only its answers were judged" \
    r_status_has "judged from its answers alone"
h_ok "auto1: perfdata, 1 trusted key" r_trusted 1
h_not_ok "auto1: the configured resolvers are not read (no CONFIG_ERROR)" \
    grep -q 'CONFIG_ERROR\|unreadable1' "$H/aw.out"
h_ok "auto1: the resolver is named by its address" \
    r_status_has "127.0.0.11 validates (AD on . DNSKEY and hello.harness)"

r_expect "static1 before the roll: OK" 127.0.0.12 0 -

r_expect "iter1 (no validator): NOT_VALIDATING, exit 2" 127.0.0.13 2 \
    NOT_VALIDATING
h_ok "iter1: NOT_VALIDATING is CRITICAL" h_aw_has_sev CRITICAL NOT_VALIDATING
h_ok "iter1: a line says only its answers were judged" \
    grep -q '^127\.0\.0\.13 does not validate .*judged from its answers alone' \
    "$H/aw.out"
r_expect "dm1 (dnsmasq, no dnssec): NOT_VALIDATING, exit 2" 127.0.0.41 2 \
    NOT_VALIDATING
r_expect "dm2 (dnsmasq, dnssec): OK" 127.0.0.42 0 -
h_ok "dm2: no sentinel verdict, what it trusts is said to be unknown" \
    r_status_has "no RFC 8509 key sentinel verdict, so which root keys it trusts is not known"
h_not_ok "dm2: no trusted-keys perfdata when not known" \
    grep -q "_trusted'" "$H/aw.out"

r_expect "port1 at 127.0.0.24@5353: OK" 127.0.0.24@5353 0 -
r_check 127.0.0.24
h_ok "port1 at 127.0.0.24 (port 53): RESOLVER_UNREACHABLE" \
    h_aw_has_sev UNKNOWN RESOLVER_UNREACHABLE
h_is "$AW_RC" 3 "port1 at port 53: exit 3"

# ---- nobody there ------------------------------------------------------------
h_addr_add 127.0.0.99
r_check 127.0.0.99
h_ok "127.0.0.99: RESOLVER_UNREACHABLE (UNKNOWN)" \
    h_aw_has_sev UNKNOWN RESOLVER_UNREACHABLE
h_is "$AW_RC" 3 "127.0.0.99: exit 3"
h_ok "127.0.0.99: the status line names it" \
    r_status_has "127.0.0.99 RESOLVER_UNREACHABLE"
h_sink_start sink1 127.0.0.98
t0=$(h_ms)
h_aw "$CONF" -t 5 check -H 127.0.0.98
t1=$(h_ms)
h_ok "sink1 (never answers): RESOLVER_UNREACHABLE" \
    h_aw_has_sev UNKNOWN RESOLVER_UNREACHABLE
h_ok "sink1: within -t 5 ($((t1 - t0)) ms)" [ $((t1 - t0)) -lt 5000 ]

# ---- malformed addresses -----------------------------------------------------
# r_refused: the last run exited 3 with one line, about -H.
r_refused() {
	[ "$AW_RC" = 3 ] && [ "$(wc -l <"$H/aw.out")" = 1 ] &&
	    grep -q '^ANCHORWATCH UNKNOWN - -H' "$H/aw.out"
}
for bad in example.org 127.0.0.1@0 127.0.0.1@65536 127.0.0.1@ 127.0.0.1@+53 \
    1.2.3 ::1@53x '' 127.0.0.1@53@53; do
	h_aw "$CONF" check -H "$bad"
	h_ok "-H '$bad': exit 3, one line" r_refused
done
h_aw "$CONF" check -H 127.0.0.11 -H 127.0.0.12
h_ok "-H twice: exit 3, one line" r_refused
h_aw "$CONF" status -H 127.0.0.11
h_is "$AW_RC" 3 "-H with status: exit 3"

# ---- KSK2 published, past the agent's hold-down ---------------------------
p_agent_has_ksk2() {
	r_check 127.0.0.11
	grep -Eq "id = $KSK2 .*;;state=2 " "$H/aw/root.key"
}
h_root_stage publish
h_wait_for "auto1 holds KSK2 Valid" "$T" h_autr_state auto1 "$KSK2" VALID ||
    h_fail "auto1 never took KSK2"
h_wait_for "the agent holds KSK2 Valid" "$T" p_agent_has_ksk2 ||
    h_fail "the agent never took KSK2"
r_expect "auto1 trusts KSK1 and KSK2: OK" 127.0.0.11 0 -
h_ok "auto1: it trusts both by the sentinel" \
    r_status_has "it trusts $BOTH;"
# The agent took KSK2 seconds ago: a resolver may not have asked since
# (one RFC 5011 refresh, an hour at least).
r_expect "static1, within the refresh grace: OK" 127.0.0.12 0 -
LATER=$(($(h_now) + 7200))
r_expect "static1, 2 h later: SUCCESSOR_NOT_TRUSTED, exit 1" 127.0.0.12 1 \
    SUCCESSOR_NOT_TRUSTED -n "$LATER"
h_ok "static1: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"
h_ok "static1: it says the resolver will go dark" \
    grep -q "SUCCESSOR_NOT_TRUSTED .*it trusts $KSK1): it goes dark when key $KSK2 alone signs" \
    "$H/aw.out"
r_calendar_roll
r_expect "static1, a roll to KSK2 in 10 days: EVENT_AHEAD" 127.0.0.12 1 \
    EVENT_AHEAD
h_ok "static1: EVENT_AHEAD names KSK2 $KSK2" \
    h_aw_names_tag EVENT_AHEAD "$KSK2"
r_expect "auto1, the same roll: OK (it trusts KSK2)" 127.0.0.11 0 -

# ---- the roll: KSK2 signs ------------------------------------------------------
printf 'version: 1\nevents: []\n' >"$CAL"
h_root_stage roll
r_expect "static1 after the roll: VALIDATION_FAILING, exit 2" 127.0.0.12 2 \
    VALIDATION_FAILING
h_ok "static1: VALIDATION_FAILING is CRITICAL" \
    h_aw_has_sev CRITICAL VALIDATION_FAILING
h_ok "static1: it names KSK2 $KSK2, which signs" \
    h_aw_names_tag VALIDATION_FAILING "$KSK2"
h_ok "static1: it says the resolver is dark" \
    grep -q 'VALIDATION_FAILING .*the resolver is dark' "$H/aw.out"
h_is "$(h_rcode 127.0.0.12)" SERVFAIL "static1: the daemon answers SERVFAIL"
r_expect "auto1 after the roll: OK" 127.0.0.11 0 -
h_ok "auto1 after the roll: it trusts KSK2 by the sentinel" \
    r_status_has "it trusts $BOTH;"
r_expect "both1 after the roll: OK" 127.0.0.15 0 -

# ---- KSK1 revoked ----------------------------------------------------------------
h_root_stage revoke
h_wait_for "auto1 holds KSK1 revoked" "$T" h_autr_state auto1 "$(h_tag ksk1r)" \
    REVOKED ||
    h_fail "auto1 never took KSK1's revocation"
r_check 127.0.0.11
LATER=$(($(h_now) + 7200))
r_expect "both1, 2 h after the revocation: REVOKED_STILL_TRUSTED, exit 1" \
    127.0.0.15 1 REVOKED_STILL_TRUSTED -n "$LATER"
h_ok "both1: REVOKED_STILL_TRUSTED names KSK1 $KSK1" \
    h_aw_names_tag REVOKED_STILL_TRUSTED "$KSK1"
r_expect "auto1, 2 h after the revocation: OK" 127.0.0.11 0 - -n "$LATER"
h_done
