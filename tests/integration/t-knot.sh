#!/bin/bash
#
# t-knot.sh: real Knot Resolver daemons (kresd 5.6 from Debian 12) through
# a root KSK roll (RFC 5011; stages as in RFC 7583) on the harness's local
# signed root, with anchorwatch's verdict at each stage and the daemons'
# own answers (AD, SERVFAIL) and root.keys states checked against it.
#
#	kauto	add_file(root.keys) seeded with KSK1: RFC 5011, follows the roll
#	kro	add_file(KSK1, true): read-only, misses the roll
#	koff	trust_anchors.remove('.'): does not validate
#
# kresd 6.x (YAML config, a Python manager) is not packaged for Debian 12:
# its config is covered by the unit tests' fixtures only.  TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
if ! command -v kresd >/dev/null 2>&1; then
	echo "1..0 # SKIP kresd not installed"
	exit 0
fi
h_enter "$@"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/knot.sh"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
h_knot_start kauto 127.0.0.31 managed
h_knot_start kro 127.0.0.32 ro
h_aw_config_typed "$H/kauto.yaml" -- "knot-resolver:kauto:$(h_kr_conf kauto)"
h_aw_config_typed "$H/kro.yaml" -- "knot-resolver:kro:$(h_kr_conf kro)"
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1 (revoked $(h_tag ksk1r)), KSK2 $KSK2"

# ---- stage pre: KSK1 signs -----------------------------------------------
h_ok "pre: kauto answers with AD" h_has_ad 127.0.0.31
h_ok "pre: kro answers with AD" h_has_ad 127.0.0.32
h_ok "pre: kauto root.keys holds KSK1 Valid" \
    h_wait_for "kauto KSK1 Valid" 10 h_knot_state kauto "$KSK1" Valid
h_aw_expect "pre: kauto OK, exit 0" "$H/kauto.yaml" 0 - "$T"
h_aw_expect "pre: kro STATIC_ANCHOR, exit 1" "$H/kro.yaml" 1 STATIC_ANCHOR "$T"
h_ok "pre: kro STATIC_ANCHOR is a WARNING" h_aw_has_sev WARNING STATIC_ANCHOR

# ---- stage publish: KSK2 published, AddPend, then Valid -----------------
h_diag "stage publish: KSK2 $KSK2 published"
h_root_stage publish
h_ok "publish: kresd writes KSK2 AddPend (commented out)" \
    h_wait_for "kauto KSK2 AddPend" 10 h_knot_state kauto "$KSK2" AddPend
h_aw "$H/kauto.yaml" status --json
h_ok "publish: anchorwatch reads KSK2 AddPend from kresd's root.keys" \
    h_aw_json_state kauto "$KSK2" AddPend
h_ok "publish: kresd turns KSK2 Valid after its hold-down" \
    h_wait_for "kauto KSK2 Valid" "$T" h_knot_state kauto "$KSK2" Valid
h_aw "$H/kauto.yaml" status --json
h_ok "publish: anchorwatch reads KSK2 Valid" h_aw_json_state kauto "$KSK2" Valid
h_aw_expect "publish: kro SUCCESSOR_NOT_TRUSTED, exit 1" \
    "$H/kro.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"
h_aw_expect "publish: kauto OK, exit 0" "$H/kauto.yaml" 0 - "$T"

# ---- stage roll: KSK2 signs ------------------------------------------------
h_diag "stage roll: KSK2 $KSK2 signs"
h_root_stage roll
h_ok "roll: kro fails to resolve (SERVFAIL)" \
    h_wait_for "kro SERVFAIL" 15 h_rcode_is 127.0.0.32 SERVFAIL
h_ok "roll: kauto answers with AD" \
    h_wait_for "kauto AD" 10 h_has_ad 127.0.0.31
h_aw_expect "roll: kauto OK, exit 0" "$H/kauto.yaml" 0 - "$T"
h_aw_expect "roll: kro ANCHOR_STALE, exit 2" "$H/kro.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE is CRITICAL" h_aw_has_sev CRITICAL ANCHOR_STALE
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"

# ---- stage revoke: KSK1 revoked ----------------------------------------
h_diag "stage revoke: KSK1 revoked"
h_root_stage revoke
h_ok "revoke: kresd writes KSK1 Revoked (under its unrevoked tag)" \
    h_wait_for "kauto KSK1 Revoked" "$T" h_knot_state kauto "$KSK1" Revoked
h_aw "$H/kauto.yaml" status --json
h_ok "revoke: anchorwatch reads KSK1 Revoked" \
    h_aw_json_state kauto "$KSK1" Revoked
h_aw_expect "revoke: kauto OK, exit 0" "$H/kauto.yaml" 0 - "$T"
h_aw_expect "revoke: kro REVOKED_STILL_TRUSTED, exit 2" \
    "$H/kro.yaml" 2 REVOKED_STILL_TRUSTED "$T"
# kresd 5.6 moves Revoked to Removed (and purges it) only while it still
# sees the revoked key: a key gone before its hold-down ends stays Revoked
# in root.keys for good (not trusted, so harmless).  Let it finish.
h_ok "revoke: kresd purges KSK1 after the hold-down" \
    h_wait_for "kauto forgets KSK1" "$T" h_knot_gone kauto "$KSK1"

# ---- stage remove: KSK1 gone ---------------------------------------------
h_diag "stage remove: KSK1 removed"
h_root_stage remove
h_ok "remove: kauto root.keys holds KSK2 Valid only" \
    h_wait_for "kauto KSK2 only" 10 h_knot_only kauto "$KSK2"
h_ok "remove: kauto answers with AD" h_has_ad 127.0.0.31
h_aw_expect "remove: kauto OK, exit 0" "$H/kauto.yaml" 0 - "$T"
h_aw_expect "remove: kro ANCHOR_STALE, exit 2" "$H/kro.yaml" 2 ANCHOR_STALE "$T"

# ---- validation switched off ------------------------------------------
h_knot_start koff 127.0.0.33 custom "trust_anchors.remove('.')"
h_not_ok "koff: answers carry no AD bit" h_has_ad 127.0.0.33
h_is "$(h_rcode 127.0.0.33)" NOERROR "koff: resolves without validating"
h_aw_config_typed "$H/koff.yaml" -- "knot-resolver:koff:$(h_kr_conf koff)"
h_aw "$H/koff.yaml" check
h_not_ok "koff: not reported OK" test "$AW_RC" = 0
h_aw_show

# ---- PROBE_OVERDUE: kresd stopped, root.keys no longer rewritten ---------
h_knot_stop kauto
h_aw_config_typed "$H/overdue.yaml" probe_overdue=2 -- \
    "knot-resolver:kauto:$(h_kr_conf kauto)"
sleep 3
h_aw_expect "kauto stopped: PROBE_OVERDUE, exit 1" \
    "$H/overdue.yaml" 1 PROBE_OVERDUE "$T"

h_diag "integration run took $(($(h_now) - t_start)) s"
[ "$H_NFAIL" -gt 0 ] && h_knot_logs
h_done
