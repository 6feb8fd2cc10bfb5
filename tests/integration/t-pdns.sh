#!/bin/bash
#
# t-pdns.sh: real PowerDNS Recursor 4.8 daemons through a root KSK roll on
# the local signed root (RFC 7583 stages), with anchorwatch's verdict on
# each.  The Recursor has no RFC 5011: its anchors are whatever its Lua
# config says, so the two daemons differ only there.
#
#	stale1	clearTA(); addTA('.', DS of KSK1): misses the roll
#	cur1	clearTA(); addTA KSK1 and KSK2: static but current
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/pdns.sh"
h_need pdns_recursor rec_control
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

# The DS rdata of key NAME, as addTA() takes it.
ds_of() {
	awk '$4 == "DS" { print $5, $6, $7, $8; exit }' "$H/$1.ds"
}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"
h_pdns_start stale1 127.0.0.31 "-- KSK1 only" "clearTA()" \
    "addTA('.', \"$(ds_of ksk1)\")"
h_pdns_start cur1 127.0.0.32 "clearTA('.')" "addTA('.', '$(ds_of ksk1)')" \
    "addTA('.', [[$(ds_of ksk2)]]) -- KSK2, before the roll"
h_aw_config_typed "$H/stale1.yaml" -- \
    "pdns-recursor:stale1:$(h_pdns_conf stale1)"
h_aw_config_typed "$H/cur1.yaml" -- "pdns-recursor:cur1:$(h_pdns_conf cur1)"

# What the daemons say they loaded: the form pdns_parse_tas reads.
h_pdns_rec_control stale1 get-tas >"$H/stale1.tas" 2>&1
h_ok "stale1: rec_control get-tas lists KSK1 $KSK1 only" \
    bash -c "grep -q '^Configured Trust Anchors:' '$H/stale1.tas' &&
    grep -Eq '^[[:space:]]+$KSK1 8 2 ' '$H/stale1.tas' &&
    ! grep -Eq '^[[:space:]]+$KSK2 ' '$H/stale1.tas'"
h_pdns_rec_control cur1 get-tas >"$H/cur1.tas" 2>&1
h_ok "cur1: rec_control get-tas lists KSK1 and KSK2" \
    bash -c "grep -Eq '^[[:space:]]+$KSK1 ' '$H/cur1.tas' &&
    grep -Eq '^[[:space:]]+$KSK2 ' '$H/cur1.tas'"

# ---- stage pre: KSK1 signs -------------------------------------------------
h_ok "pre: stale1 answers with AD" h_has_ad 127.0.0.31
h_ok "pre: cur1 answers with AD" h_has_ad 127.0.0.32
h_aw_expect "pre: stale1 OK, exit 0 (no STATIC_ANCHOR: no RFC 5011)" \
    "$H/stale1.yaml" 0 - "$T"
h_not_ok "pre: stale1 no STATIC_ANCHOR" h_aw_has STATIC_ANCHOR
h_aw "$H/stale1.yaml" status
h_ok "pre: status shows the addTA source of stale1" \
    grep -q "recursor.lua" "$H/aw.out"
h_aw_expect "pre: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"

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
h_ok "roll: stale1 fails to resolve (SERVFAIL)" \
    h_wait_for "stale1 SERVFAIL" 15 h_rcode_is 127.0.0.31 SERVFAIL
h_ok "roll: cur1 still answers with AD" \
    h_wait_for "cur1 AD after the roll" 15 h_has_ad 127.0.0.32
h_aw_expect "roll: stale1 ANCHOR_STALE, exit 2" \
    "$H/stale1.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE is CRITICAL" h_aw_has_sev CRITICAL ANCHOR_STALE
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"
h_aw_expect "roll: cur1 OK, exit 0" "$H/cur1.yaml" 0 - "$T"
h_is "$(h_rcode 127.0.0.32)" NOERROR "roll: cur1 NOERROR"

# ---- the daemon's own default: built-in anchors only (4.8: 20326) --------
h_pdns_start builtin1 127.0.0.33 "-- no anchors: the built-in set"
h_pdns_rec_control builtin1 get-tas >"$H/builtin1.tas" 2>&1
h_ok "builtin1: the 4.8 built-in set is 20326 alone" \
    bash -c "grep -Eq '^[[:space:]]+20326 8 2 ' '$H/builtin1.tas' &&
    ! grep -Eq '^[[:space:]]+38696 ' '$H/builtin1.tas'"
h_ok "builtin1: SERVFAIL on the local root (its key is not 20326)" \
    h_wait_for "builtin1 SERVFAIL" 15 h_rcode_is 127.0.0.33 SERVFAIL
h_aw_config_typed "$H/builtin1.yaml" -- \
    "pdns-recursor:builtin1:$(h_pdns_conf builtin1)"
h_aw_expect "builtin1: ANCHOR_STALE naming KSK2, exit 2" \
    "$H/builtin1.yaml" 2 ANCHOR_STALE "$T"
h_ok "builtin1: trusts 20326 per anchorwatch" grep -q 20326 "$H/aw.out"

# ---- an instance (pdns-recursor@lab.service: --config-name=lab) ---------
# Its control socket is pdns_recursor-lab.controlsocket: anchorwatch asks
# rec_control with the name its file recursor-lab.conf stands for.
H_PDNS_CONFIG_NAME=lab h_pdns_start inst1 127.0.0.34 "clearTA()" \
    "addTA('.', '$(ds_of ksk2)')"
h_ok "inst1: its control socket carries the instance name" \
    test -S "$(h_pdns_dir inst1)/pdns_recursor-lab.controlsocket"
h_aw_config_typed "$H/inst1.yaml" -- \
    "pdns-recursor:inst1:$(H_PDNS_CONFIG_NAME=lab h_pdns_conf inst1)"
echo "    address: 127.0.0.34@53" >>"$H/inst1.yaml"
h_aw "$H/inst1.yaml" status --json
h_is "$(jq -c '.resolvers[0].probe.loaded' "$H/aw.out")" "[$KSK2]" \
    "inst1: rec_control --config-name=lab lists what it loaded"

if [ "$H_NFAIL" -gt 0 ]; then
	h_pdns_dump_logs
fi
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
