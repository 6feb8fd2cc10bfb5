#!/bin/bash
#
# t-dnsmasq.sh: real dnsmasq 2.90 daemons through a root KSK roll on the
# local signed root (RFC 7583 stages), with anchorwatch's verdict on each.
# dnsmasq has no RFC 5011: its anchors are its trust-anchor= lines.
#
#	stale1	trust-anchor= KSK1 only: misses the roll
#	cur1	trust-anchor= KSK1 and KSK2 (the second through conf-dir):
#		static but current; its config names itself in conf-file=,
#		which dnsmasq skips (a file is read once)
#	off1	no dnssec option: does not validate at all
#	bad1	dnssec=yes, which dnsmasq refuses: it does not start
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/dnsmasq.sh"
if ! command -v dnsmasq >/dev/null 2>&1; then
	echo "1..0 # SKIP dnsmasq not installed"
	exit 0
fi
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"
h_dnsmasq_start stale1 127.0.0.41 dnssec "trust-anchor=$(h_dnsmasq_ta ksk1)"
mkdir -p "$H/dnsmasq/cur1.d"
echo "trust-anchor=$(h_dnsmasq_ta ksk2)   # KSK2, before the roll" \
    >"$H/dnsmasq/cur1.d/ksk2.conf"
echo "trust-anchor=.,IN,1,8,2,00" >"$H/dnsmasq/cur1.d/skipped.conf~"
# cur1's config also names itself: dnsmasq reads a file once and skips it
h_dnsmasq_start cur1 127.0.0.42 dnssec \
    "trust-anchor=$(h_dnsmasq_ta ksk1)" "conf-dir=$H/dnsmasq/cur1.d,*.conf" \
    "conf-file=$(h_dnsmasq_conf cur1)"
h_dnsmasq_start off1 127.0.0.43 "trust-anchor=$(h_dnsmasq_ta ksk1)"
h_aw_config_typed "$H/stale1.yaml" -- \
    "dnsmasq:stale1:$(h_dnsmasq_conf stale1)"
h_aw_config_typed "$H/cur1.yaml" -- "dnsmasq:cur1:$(h_dnsmasq_conf cur1)"
h_aw_config_typed "$H/off1.yaml" -- "dnsmasq:off1:$(h_dnsmasq_conf off1)"

# ---- stage pre: KSK1 signs -------------------------------------------------
# bad1: "dnssec=yes" (dnssec takes no value); the real daemon does not start
mkdir -p "$H/dnsmasq/bad1"
printf 'listen-address=127.0.0.44\nno-resolv\ndnssec=yes\ntrust-anchor=%s\n' \
    "$(h_dnsmasq_ta ksk1)" >"$H/dnsmasq/bad1/dnsmasq.conf"
timeout 10 dnsmasq --keep-in-foreground -C "$H/dnsmasq/bad1/dnsmasq.conf" \
    >"$H/dnsmasq/bad1/dnsmasq.log" 2>&1
h_is "$?" 1 "bad1: dnsmasq refuses to start (exit 1, bad configuration)"
h_diag "bad1: $(tr '\n' ' ' <"$H/dnsmasq/bad1/dnsmasq.log")"
h_aw_config_typed "$H/bad1.yaml" -- \
    "dnsmasq:bad1:$H/dnsmasq/bad1/dnsmasq.conf"
h_aw_expect "bad1: CONFIG_REFUSED, exit 2" "$H/bad1.yaml" 2 CONFIG_REFUSED "$T"
h_ok "bad1: CONFIG_REFUSED names the line and dnsmasq's words" \
    grep -q "dnsmasq.conf:3: dnsmasq refuses to start: extraneous parameter" \
    "$H/aw.out"

h_ok "pre: stale1 answers with AD" h_has_ad 127.0.0.41
h_ok "pre: cur1 answers with AD" h_has_ad 127.0.0.42
h_not_ok "pre: off1 (no dnssec option) answers without AD" h_has_ad 127.0.0.43
h_aw_expect "pre: stale1 OK, exit 0" "$H/stale1.yaml" 0 - "$T"
h_aw_expect "pre: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_aw "$H/cur1.yaml" status
h_ok "pre: status of cur1 names its conf-dir file" \
    grep -q "cur1.d/ksk2.conf" "$H/aw.out"
h_not_ok "pre: status of cur1 skips the ~ file" grep -q "skipped" "$H/aw.out"
h_aw "$H/off1.yaml" check
h_not_ok "pre: off1 is not reported OK" test "$AW_RC" = 0
h_diag "off1: $(head -n 1 "$H/aw.out")"

# ---- stage publish: KSK2 published, KSK1 signs -----------------------------
h_diag "stage publish: KSK2 $KSK2 published"
h_root_stage publish
h_aw_expect "publish: stale1 SUCCESSOR_NOT_TRUSTED, exit 1" \
    "$H/stale1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"
h_aw_expect "publish: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"

# ---- stage roll: KSK2 signs ------------------------------------------------
h_diag "stage roll: KSK2 $KSK2 signs"
h_root_stage roll
# dnsmasq 2.90 keeps the root DNSKEY set it validated before the roll (it
# asked once, and not again although the TTL is 2 s) and goes on answering
# SECURE while the ZSK is unchanged; it fetches the new set, and fails,
# only once its cache is cleared (SIGHUP; a restart does the same).
sleep 4
h_diag "roll: stale1 before its cache is cleared: $(h_rcode 127.0.0.41)" \
    "$(grep -c 'dnssec-query\[DNSKEY\]' "$(h_dnsmasq_dir stale1)/dnsmasq.log") DNSKEY queries so far"
kill -USR1 "$(h_pid_of dnsmasq-stale1)"
kill -HUP "$(h_pid_of dnsmasq-stale1)"
h_ok "roll: stale1 fails to resolve once its cache is cleared (SERVFAIL)" \
    h_wait_for "stale1 SERVFAIL" 15 h_rcode_is 127.0.0.41 SERVFAIL
h_ok "roll: cur1 still answers with AD" \
    h_wait_for "cur1 AD after the roll" 15 h_has_ad 127.0.0.42
h_aw_expect "roll: stale1 ANCHOR_STALE, exit 2" \
    "$H/stale1.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE is CRITICAL" h_aw_has_sev CRITICAL ANCHOR_STALE
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"
h_aw_expect "roll: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_is "$(h_rcode 127.0.0.42)" NOERROR "roll: cur1 NOERROR"

if [ "$H_NFAIL" -gt 0 ]; then
	h_dnsmasq_dump_logs
fi
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
