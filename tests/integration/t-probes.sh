#!/bin/bash
#
# t-probes.sh: asking the running unbound, not only its files.  Real
# unbound daemons on the local signed root; anchorwatch probes them at
# their addresses: validation (AD; SERVFAIL that answers with CD=1; RFC
# 4035 3.2), the RFC 8509 key sentinel under sentinel.harness. (a wildcard
# in the harness root), and unbound's trustanchor.unbound CH TXT.
#
#	auto1	RFC 5011, follows the roll: no probe finding
#	moved1	static KSK1, its file swapped to KSK2 behind its back: the
#		daemon still runs on KSK1 (LOADED_DIFFERS_FROM_DISK,
#		SENTINEL_DIFFERS)
#	none1	no trust anchor at all: answers without AD (NOT_VALIDATING)
#	static1	static KSK1, after the roll: SERVFAIL, but answers with CD=1
#		(VALIDATION_FAILING)
#	gone1	an address nobody answers on (RESOLVER_UNREACHABLE)
#	odd1	a trust-anchor-file with a ')' too many, odd2 an autr file
#		with an undefined state: the daemon loads what the reader reads
# TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
h_unbound_start moved1 127.0.0.13 static
h_unbound_start none1 127.0.0.14 custom
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)

# p_config FILE NAME ADDR...: an anchorwatch config probing each NAME at
# its ADDR.
p_config() {
	local file=$1 name addr
	shift
	h_aw_config "$file" --
	sed -i '/^resolvers: \[\]$/d' "$file"
	cat >>"$file" <<EOC
probes:
  timeout: 3
  signed_name: hello.harness
  sentinel_domain: sentinel.harness
resolvers:
EOC
	while [ "$#" -ge 2 ]; do
		name=$1 addr=$2
		shift 2
		printf '  - name: %s\n    type: unbound\n    config: %s\n    address: %s@53\n' \
		    "$name" "$(h_ub_conf "${name%%-*}")" "$addr" >>"$file"
	done
}

# ---- a current resolver: the probes agree with its files ----------------
p_config "$H/auto1.yaml" auto1 127.0.0.11
h_aw_expect "auto1: exit 0 with probes" "$H/auto1.yaml" 0 - "$T"
h_aw "$H/auto1.yaml" status --json
h_is "$(jq -r '.resolvers[0].probe.dnskey_ad' "$H/aw.out")" true \
    "auto1: . DNSKEY answered with AD"
# unbound re-primes its anchor every second here (DNSKEY TTL 2 s), and a
# sentinel question caught in that gets no verdict: ask until one comes.
p_sentinel_trusts() {
	h_aw "$1" status --json
	[ "$(jq -c '[.resolvers[0].probe.sentinel[] | select(.verdict == "trusted") | .keytag]' "$H/aw.out")" = "[$2]" ]
}
if h_wait_for "sentinel verdict" 30 p_sentinel_trusts "$H/auto1.yaml" \
    "$KSK1"; then
	h_pass "auto1: the key sentinel says it trusts KSK1 $KSK1"
else
	h_fail "auto1: the key sentinel says it trusts KSK1 $KSK1"
	jq -c '[.root.secure, .root.why, .resolvers[0].probe]' "$H/aw.out" |
	    h_diag
fi
h_is "$(jq -c '.resolvers[0].probe.loaded' "$H/aw.out")" "[$KSK1]" \
    "auto1: trustanchor.unbound lists KSK1"

# ---- files changed behind a running daemon ------------------------------
cp "$H/ksk2.key" "$(h_ub_dir moved1)/root.static"
p_config "$H/moved1.yaml" moved1 127.0.0.13
p_moved_seen() {
	h_aw "$H/moved1.yaml" check
	h_aw_has SENTINEL_DIFFERS
}
h_wait_for "moved1 sentinel verdict" 30 p_moved_seen
h_ok "moved1: LOADED_DIFFERS_FROM_DISK" h_aw_has LOADED_DIFFERS_FROM_DISK
h_ok "moved1: it names KSK1 $KSK1 (loaded, not on disk)" \
    h_aw_names_tag LOADED_DIFFERS_FROM_DISK "$KSK1"
h_ok "moved1: SENTINEL_DIFFERS" h_aw_has SENTINEL_DIFFERS
h_ok "moved1: SENTINEL_DIFFERS names KSK1 $KSK1" \
    h_aw_names_tag SENTINEL_DIFFERS "$KSK1"
h_is "$(h_rcode 127.0.0.13)" NOERROR "moved1: the daemon itself still resolves"
[ "$AW_RC" = 2 ] || h_aw_show

# ---- a resolver with no anchor: answers without AD ----------------------
p_config "$H/none1.yaml" none1 127.0.0.14
h_aw "$H/none1.yaml" check
h_ok "none1: NOT_VALIDATING" h_aw_has_sev CRITICAL NOT_VALIDATING
h_ok "none1: NO_ANCHOR from its files" h_aw_has NO_ANCHOR
h_is "$AW_RC" 2 "none1: exit 2"

# ---- files unbound reads leniently: the daemon and the reader agree -----
# A trust-anchor-file with a ')' too many (sldns drops the record it ends:
# 38696) and an auto-trust-anchor-file with an undefined ;;state= (the
# key is Start, not trusted): unbound loads 20326 only from each, and so
# must anchorwatch read them (no CONFIG_ERROR, no LOADED_DIFFERS_FROM_DISK).
# Their keys are the real root's, so these daemons cannot validate here.
UBG=$(cd "$(dirname "$0")/../data/unbound/good" && pwd)
mkdir -p "$(h_ub_dir odd1)" "$(h_ub_dir odd2)"
cp "$UBG/sldns-close.ds" "$(h_ub_dir odd1)/odd.ds"
cp "$UBG/autr-badstate.key" "$(h_ub_dir odd2)/odd.key"
chown -R unbound:unbound "$(h_ub_dir odd2)"
h_unbound_start odd1 127.0.0.15 custom \
    "trust-anchor-file: \"$(h_ub_dir odd1)/odd.ds\""
h_unbound_start odd2 127.0.0.16 custom \
    "auto-trust-anchor-file: \"$(h_ub_dir odd2)/odd.key\""
for odd in odd1:127.0.0.15 odd2:127.0.0.16; do
	p_config "$H/${odd%%:*}.yaml" "${odd%%:*}" "${odd#*:}"
	h_aw "$H/${odd%%:*}.yaml" status --json
	h_is "$(jq -c '.resolvers[0].probe.loaded' "$H/aw.out")" "[20326]" \
	    "${odd%%:*}: trustanchor.unbound lists 20326 only"
	h_aw "$H/${odd%%:*}.yaml" check
	h_not_ok "${odd%%:*}: the reader reads the file (no CONFIG_ERROR)" \
	    h_aw_has CONFIG_ERROR
	h_not_ok "${odd%%:*}: the reader holds what unbound holds" \
	    h_aw_has LOADED_DIFFERS_FROM_DISK
	[ "$AW_RC" != 3 ] || h_aw_show
done
h_unbound_stop odd1
h_unbound_stop odd2

# ---- nobody at the address ---------------------------------------------
p_config "$H/gone1.yaml" auto1 127.0.0.99
h_addr_add 127.0.0.99
h_aw "$H/gone1.yaml" check
h_ok "gone1: RESOLVER_UNREACHABLE" h_aw_has_sev WARNING RESOLVER_UNREACHABLE
h_is "$AW_RC" 1 "gone1: exit 1 (its files are fine)"

# ---- after the roll: the static daemon fails validation ------------------
# The agent, too, must take KSK2 through its hold-down (across runs).
p_agent_has_ksk2() {
	h_aw "$H/auto1.yaml" check
	grep -Eq "id = $KSK2 .*;;state=2 " "$H/aw/root.key"
}
h_root_stage publish
h_wait_for "auto1 holds KSK2 Valid" "$T" h_autr_state auto1 "$KSK2" VALID ||
    h_fail "auto1 never took KSK2"
h_wait_for "the agent holds KSK2 Valid" "$T" p_agent_has_ksk2 ||
    h_fail "the agent never took KSK2"
h_root_stage roll
p_config "$H/static1.yaml" static1 127.0.0.12
h_aw_expect "static1 after the roll: VALIDATION_FAILING, exit 2" \
    "$H/static1.yaml" 2 VALIDATION_FAILING "$T"
h_ok "static1: VALIDATION_FAILING is CRITICAL" \
    h_aw_has_sev CRITICAL VALIDATION_FAILING
h_is "$(h_rcode 127.0.0.12)" SERVFAIL "static1: the daemon answers SERVFAIL"
h_aw_expect "auto1 after the roll: exit 0 with probes" "$H/auto1.yaml" 0 - "$T"
h_aw "$H/auto1.yaml" status --json
h_is "$(jq -c ".resolvers[0].probe.loaded | index($KSK2) != null" "$H/aw.out")" \
    true "auto1: trustanchor.unbound lists KSK2 after the roll"

# ---- probes switched off: the same config, no probe finding -------------
sed -i 's/^probes:$/probes:\n  enabled: false/' "$H/static1.yaml"
h_aw "$H/static1.yaml" check
h_not_ok "probes off: no VALIDATION_FAILING" h_aw_has VALIDATION_FAILING
h_ok "probes off: ANCHOR_STALE from the files" h_aw_has ANCHOR_STALE
h_done
