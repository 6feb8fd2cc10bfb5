#!/bin/bash
#
# t-resolved.sh: real systemd-resolved 252 daemons through a root KSK roll
# on the local signed root (RFC 7583 stages), with anchorwatch's verdict on
# each.  resolved has no RFC 5011: its anchors are the DS records of
# /etc/dnssec-trust-anchors.d/*.positive.  It forwards to nsd on
# 127.0.0.2, an authoritative server (AA, no RA), and validates itself
# (DNSSEC=yes).
#
#	stale1	root.positive holds KSK1's DS only: misses the roll; at the
#		end KSK2's DS is added and the daemon restarted
#	cur1	root.positive holds KSK1's and KSK2's DS: static but current
#
# The daemon is not installed but unpacked by packaging/deps.sh; without it
# the test is skipped.  Each daemon runs in a mount namespace of its own
# over an overlay /etc and a tmpfs /run (tests/harness/resolved.sh); the
# test checks that the host's files are the same at the end.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory;
# AW_RESOLVED_LOG_LEVEL=debug makes the daemons' logs verbose.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/resolved.sh"
if ! why=$(h_resolved_usable); then
	echo "1..0 # SKIP $why"
	exit 0
fi
h_enter "$@"

# The t_ functions are called through h_ok: shellcheck's SC2317 is wrong.
# The header flags of ADDR's answer to QNAME QTYPE, with DO set.
# shellcheck disable=SC2317
t_flags() {
	drill -D @"$1" "$2" "$3" 2>/dev/null |
	    sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p'
}

# t_has_flag ADDR QNAME QTYPE FLAG
# shellcheck disable=SC2317
t_has_flag() {
	case " $(t_flags "$1" "$2" "$3") " in
	*" $4 "*) return 0 ;;
	esac
	return 1
}

# t_logged NAME ERE: 0 if resolved NAME logged a match since its start.
# shellcheck disable=SC2317
t_logged() {
	h_resolved_log "$1" "$2" >/dev/null
}

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}
host_before=$(h_resolved_host_state)

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2; $("$H_RS_BIN" --version | head -n 1)"
h_resolved_setup stale1 127.0.0.61 ksk1
h_resolved_setup cur1 127.0.0.62 ksk1 ksk2
h_resolved_start stale1
h_resolved_start cur1
h_aw_config_typed "$H/stale1.yaml" -- \
    "systemd-resolved:stale1:$(h_resolved_conf stale1)"
h_aw_config_typed "$H/cur1.yaml" -- \
    "systemd-resolved:cur1:$(h_resolved_conf cur1)"

# ---- stage pre: KSK1 signs -------------------------------------------------
# The upstream is no recursive resolver: nsd answers with AA and without
# RA.  resolved takes it all the same and validates the root DNSKEY set.
h_ok "pre: the upstream answers . DNSKEY authoritatively (aa)" \
    t_has_flag "$H_ROOT_ADDR" . DNSKEY aa
h_not_ok "pre: the upstream offers no recursion (no ra)" \
    t_has_flag "$H_ROOT_ADDR" . DNSKEY ra
h_ok "pre: stale1 answers . DNSKEY with AD" t_has_flag 127.0.0.61 . DNSKEY ad
h_ok "pre: stale1 answers with AD" h_has_ad 127.0.0.61
h_ok "pre: cur1 answers with AD" h_has_ad 127.0.0.62
h_is "$(h_resolved_ta_tags stale1 | tr '\n' ' ')" "$KSK1 " \
    "pre: stale1's start-up log lists KSK1's DS only"
h_is "$(h_resolved_ta_tags cur1 | tr '\n' ' ')" \
    "$(printf '%s\n' "$KSK1" "$KSK2" | sort -n | tr '\n' ' ')" \
    "pre: cur1's start-up log lists KSK1's and KSK2's DS"
h_aw_expect "pre: stale1 OK, exit 0" "$H/stale1.yaml" 0 - "$T"
# discover finds the running daemon by its process name and socket.
"$AW_BIN" discover >"$H/found.yaml" 2>&1
h_ok "discover lists the running systemd-resolved" \
    grep -q "^    type: systemd-resolved$" "$H/found.yaml"
h_ok "discover gives an address it answers on" \
    grep -Eq "address: 127\.0\.0\.6[12]@53   # systemd-resolve, pid" \
    "$H/found.yaml"
h_aw_expect "pre: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_aw "$H/stale1.yaml" status
h_ok "pre: status of stale1 names its root.positive" \
    grep -q "dnssec-trust-anchors.d/root.positive" "$H/aw.out"

# ---- stage publish: KSK2 published, KSK1 signs -----------------------------
h_diag "stage publish: KSK2 $KSK2 published"
h_root_stage publish
h_aw_expect "publish: stale1 SUCCESSOR_NOT_TRUSTED, exit 1" \
    "$H/stale1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"
h_aw_expect "publish: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_ok "publish: stale1 still answers with AD" h_has_ad 127.0.0.61

# ---- stage roll: KSK2 signs ------------------------------------------------
# resolved does not cache what a server on 127.0.0.0/8 answers
# (CacheFromLocalhost=no by default), so it fetches the new DNSKEY set at
# once.
h_diag "stage roll: KSK2 $KSK2 signs"
h_root_stage roll
h_ok "roll: stale1 fails to resolve (SERVFAIL)" \
    h_wait_for "stale1 SERVFAIL" 15 h_rcode_is 127.0.0.61 SERVFAIL
h_resolved_log stale1 'DNSSEC validation failed' | tail -n 2 | h_diag
h_ok "roll: stale1 logs that the root DNSKEY set failed validation" \
    t_logged stale1 'DNSSEC validation failed for question \. IN DNSKEY'
h_ok "roll: cur1 still answers with AD" \
    h_wait_for "cur1 AD after the roll" 15 h_has_ad 127.0.0.62
h_aw_expect "roll: stale1 ANCHOR_STALE, exit 2" \
    "$H/stale1.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE is CRITICAL" h_aw_has_sev CRITICAL ANCHOR_STALE
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"
h_aw_expect "roll: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_is "$(h_rcode 127.0.0.62)" NOERROR "roll: cur1 NOERROR"

# ---- the fix: KSK2's DS added to stale1, daemon restarted -------------------
h_resolved_stop stale1
h_resolved_anchor stale1 ksk1 ksk2
h_resolved_start stale1
h_ok "fixed: stale1 answers with AD after its restart" \
    h_wait_for "stale1 AD after the fix" 15 h_has_ad 127.0.0.61
h_is "$(h_resolved_ta_tags stale1 | tr '\n' ' ')" \
    "$(printf '%s\n' "$KSK1" "$KSK2" | sort -n | tr '\n' ' ')" \
    "fixed: stale1's start-up log lists KSK1's and KSK2's DS"
h_aw_expect "fixed: stale1 OK, exit 0" "$H/stale1.yaml" 0 - "$T"

# ---- what resolved takes, ignores and refuses --------------------------------
# resolved never refuses to start over these files: it logs a line it cannot
# use and goes on.  mix1's root.positive holds KSK1's DS, KSK2's DS with
# mnemonics, a DS with a short digest (taken: it never matches) and lines
# resolved ignores; the tags it loads are compared with anchorwatch's.
# t_aw_tags NAME: the root anchor tags anchorwatch reads for NAME, sorted.
# shellcheck disable=SC2317
t_aw_tags() {
	"$AW_BIN" -c "$H/$1.yaml" status 2>/dev/null |
	    awk '$1 == "DS" || $1 == "DNSKEY" { print $2 }' | sort -n
}
h_resolved_setup mix1 127.0.0.63 ksk1
{
	echo "# a '#' line, a CH record, a tag out of range, a digest in two"
	echo "# words, a record type resolved has no use for: ignored"
	h_resolved_ds ksk2 | awk '{ $2 = "CH"; print }'
	h_resolved_ds ksk2 | awk '{ $4 = 70000; print }'
	h_resolved_ds ksk2 | awk '{ $4 = 33333; $7 = "ABC"; print }'
	h_resolved_ds ksk2 | awk '{ $4 = 44444; $6 = "sha-256"; print }'
	echo ". IN A 192.0.2.1"
	echo "garbage"
	echo "; taken: mnemonics, a digest split by blanks, one of 2 bytes"
	h_resolved_ds ksk2 | awk '{ $5 = "RSASHA256"; $6 = "SHA-256"; print }'
	h_resolved_ds ksk2 |
	    awk '{ $4 = 11111; $7 = substr($7, 1, 8) "  " substr($7, 9); print }'
	h_resolved_ds ksk2 | awk '{ $4 = 22222; $7 = "ABCD"; print }'
} >>"$(h_resolved_tree mix1)/etc/dnssec-trust-anchors.d/root.positive"
h_resolved_start mix1
h_aw_config_typed "$H/mix1.yaml" -- \
    "systemd-resolved:mix1:$(h_resolved_conf mix1)"
h_resolved_log mix1 'line|Positive|^\. IN' | h_diag
want=$(printf '%s\n' "$KSK1" "$KSK2" 11111 22222 | sort -n | tr '\n' ' ')
h_is "$(h_resolved_ta_tags mix1 | tr '\n' ' ')" "$want" \
    "mix1: resolved loads KSK1, KSK2 (by mnemonics), the split and short digests"
h_is "$(t_aw_tags mix1 | tr '\n' ' ')" "$want" \
    "mix1: anchorwatch reads the same root anchors"
h_aw "$H/mix1.yaml" check
h_not_ok "mix1: no CONFIG_ERROR for the lines resolved ignores" \
    grep -q CONFIG_ERROR "$H/aw.out"
h_resolved_stop mix1

# DNSSEC= that resolved cannot parse is ignored (the value before stays);
# a line without '=' is ignored; a broken section header ends the reading
# of that file and of the drop-ins after it.  Validation shows as AD.
# t_aw_validating NAME: anchorwatch's check of NAME read it as validating,
# with its anchor and without an error.
# shellcheck disable=SC2317
t_aw_validating() {
	h_aw "$H/$1.yaml" check
	grep -q "'$1_trusted'=1;" "$H/aw.out" &&
	    ! grep -Eq "VALIDATION_OFF|CONFIG_ERROR" "$H/aw.out"
}
h_resolved_setup cfg1 127.0.0.64 ksk2 -- "DNSSEC=maybe" "DNSSEC="
h_resolved_setup cfg2 127.0.0.65 ksk2 -- "DNSSEC" "DNSSEC=no"
h_resolved_setup cfg3 127.0.0.66 ksk2 -- "[Resolve" "DNSSEC=no"
mkdir -p "$(h_resolved_tree cfg3)/etc/systemd/resolved.conf.d"
printf '[Resolve]\nDNSSEC=no\n' \
    >"$(h_resolved_tree cfg3)/etc/systemd/resolved.conf.d/50-off.conf"
for n in cfg1 cfg2 cfg3; do
	h_resolved_start "$n"
	h_aw_config_typed "$H/$n.yaml" -- \
	    "systemd-resolved:$n:$(h_resolved_conf "$n")"
	h_resolved_log "$n" 'resolved.conf' | h_diag
done
h_ok "cfg1: DNSSEC=maybe and DNSSEC= are ignored: still validating (AD)" \
    h_wait_for "cfg1 AD" 15 h_has_ad 127.0.0.64
h_ok "cfg1: anchorwatch reads DNSSEC=yes (no VALIDATION_OFF, no error)" \
    t_aw_validating cfg1
h_not_ok "cfg2: the line without '=' is ignored, DNSSEC=no holds (no AD)" \
    h_has_ad 127.0.0.65
h_aw_expect "cfg2: anchorwatch reads DNSSEC=no: VALIDATION_OFF" \
    "$H/cfg2.yaml" 1 VALIDATION_OFF "$T"
h_ok "cfg3: after a broken section header nothing more is read (AD)" \
    h_wait_for "cfg3 AD" 15 h_has_ad 127.0.0.66
h_ok "cfg3: anchorwatch reads no further either (no VALIDATION_OFF)" \
    t_aw_validating cfg3
for n in cfg1 cfg2 cfg3; do
	h_resolved_stop "$n"
done

# ---- the host ----------------------------------------------------------------
h_is "$(h_resolved_link_tx)" 0 "nothing was sent through $H_RS_LINK"
h_resolved_stop stale1
h_resolved_stop cur1
host_after=$(h_resolved_host_state)
h_is "$host_after" "$host_before" \
    "the host's passwd, group, resolv.conf, /run and /etc/systemd are unchanged"

if [ "$H_NFAIL" -gt 0 ]; then
	h_resolved_dump_logs
fi
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
