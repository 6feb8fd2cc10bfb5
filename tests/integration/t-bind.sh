#!/bin/bash
#
# t-bind.sh: real BIND 9 (named 9.18) daemons through a root KSK roll (RFC
# 5011, stages of RFC 7583) on the harness's local signed root, with
# anchorwatch's verdict asserted at each stage.  named runs with
# `-T mkeytimers=1/4/6`: refresh and hold-downs of seconds.
#
#	init1	trust-anchors { . initial-key KSK1 }: follows the roll
#	static1	trust-anchors { . static-key KSK1 }: misses it
#	pend1	as init1 with a 600 s add hold-down: the KEYDATA dates the
#		reader gives are the ones `rndc managed-keys status` prints
#	refuse1	a static root key with dnssec-validation auto, and
#	noroot1	a bindkeys-file whose trust-anchors lack the root: named
#		will not start, anchorwatch says CONFIG_REFUSED
#	bk1	a bindkeys-file with managed-keys only: named's built-ins
#
# Also reads the managed-keys.bind the daemon writes after
# `rndc managed-keys sync`.  TAP on stdout; AW_KEEP=1 keeps the work
# directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/bind.sh"
h_need named rndc tsig-keygen named-checkconf
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK1R=$(h_tag ksk1r)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1 (revoked $KSK1R), KSK2 $KSK2"
h_named_start init1 127.0.0.21 initial
h_named_start static1 127.0.0.22 static
H_NAMED_MKEYTIMERS=1/4/600 h_named_start pend1 127.0.0.23 initial
h_aw_config_typed "$H/init1.yaml" -- "bind:init1:$(h_named_conf init1)"
h_aw_config_typed "$H/static1.yaml" -- "bind:static1:$(h_named_conf static1)"
h_aw_config_typed "$H/pend1.yaml" -- "bind:pend1:$(h_named_conf pend1)"

# Epoch seconds of what `rndc managed-keys status` of named NAME says
# after WHAT ("trusted since", "trust pending") for key TAG.
t_rndc_date() {
	h_named_rndc "$1" managed-keys status 2>/dev/null | awk -v tag="$2" \
	    -v what="$3:" '
		/keyid:/ { cur = $2; next }
		cur == tag && index($0, what) { sub(/^[^:]*: /, ""); print; exit }
	' | { read -r d && date -u -d "$d" +%s; }
}

# Epoch seconds of the date `anchorwatch status` (the last run) gives key
# TAG in state STATE ("DNSKEY 38696  AddPend since 2026-... UTC").
t_aw_date() {
	awk -v tag="$1" -v st="$2" '$1 == "DNSKEY" && $2 == tag &&
	    $3 == st && $4 == "since" { print $5 " " $6; exit }' "$H/aw.out" |
	    { read -r d && date -u -d "$d UTC" +%s; }
}

# ---- configurations named refuses ---------------------------------------
RULE="static trust anchor for root zone cannot be used with 'dnssec-validation auto'"
h_ok "refuse1: named will not start with a static root key and auto" \
    h_named_refuses refuse1 "dnssec-validation auto;" -- "trust-anchors {" \
    "$(h_named_anchor ksk1 static-key)" "};"
h_ok "refuse1: named logs check.c's rule" \
    grep -qF "$RULE" "$(h_named_dir refuse1)/named.log"
h_not_ok "refuse1: named-checkconf refuses it too" \
    named-checkconf "$(h_named_conf refuse1)"
h_aw_config_typed "$H/refuse1.yaml" -- "bind:refuse1:$(h_named_conf refuse1)"
h_aw_expect "refuse1: CONFIG_REFUSED, exit 2" "$H/refuse1.yaml" 2 \
    CONFIG_REFUSED "$T"
h_ok "refuse1: CONFIG_REFUSED names line 9 and the rule" grep -qF \
    "$(h_named_conf refuse1):9: named refuses to start: $RULE" "$H/aw.out"
NR=$(h_named_dir noroot1)
mkdir -p "$NR"
{
	echo "trust-anchors {"
	h_named_anchor ksk1 initial-key | sed 's/^\t\. /\texample. /'
	echo "};"
} >"$NR/noroot.keys"
h_ok "noroot1: named will not start on a bindkeys-file without the root" \
    h_named_refuses noroot1 "bindkeys-file \"$NR/noroot.keys\";" --
h_ok "noroot1: named logs 'root key not loaded'" \
    grep -q "root key not loaded" "$NR/named.log"
h_ok "noroot1: named-checkconf does not read bindkeys-file (accepts)" \
    named-checkconf "$(h_named_conf noroot1)"
h_aw_config_typed "$H/noroot1.yaml" -- "bind:noroot1:$(h_named_conf noroot1)"
h_aw_expect "noroot1: CONFIG_REFUSED, exit 2" "$H/noroot1.yaml" 2 \
    CONFIG_REFUSED "$T"

# Each failing test shows the named logs too.
t_fail_logs() {
	[ "$H_NFAIL" -gt 0 ] && h_named_dump_logs
	return 0
}

# ---- bindkeys-file holding managed-keys only ------------------------------
# named reads only the trust-anchors of a bindkeys-file: with managed-keys
# alone it warns and takes its built-in keys (KSK-2017 20326, KSK-2024
# 38696), never the file's KSK1; the reader must say the same.
BK=$(h_named_dir bk1)
mkdir -p "$BK"
{
	echo "managed-keys {"
	h_named_anchor ksk1 initial-key
	echo "};"
} >"$BK/managed.keys"
h_named_start bk1 127.0.0.24 auto "bindkeys-file \"$BK/managed.keys\";"
h_ok "bk1: named finds no root key in the bindkeys-file" \
    grep -q "dnssec-validation auto: WARNING: root zone key not found" \
    "$BK/named.log"
h_ok "bk1: named uses its built-in root key" \
    grep -q "using built-in root key for view _default" "$BK/named.log"
h_aw_config_typed "$H/bk1.yaml" -- "bind:bk1:$(h_named_conf bk1)"
h_aw "$H/bk1.yaml" status
h_ok "bk1: anchorwatch reads the built-in KSK-2017 20326" \
    grep -Eq "^ +DNSKEY +20326 " "$H/aw.out"
h_ok "bk1: and the built-in KSK-2024 38696 (initial-ds)" \
    grep -Eq "^ +DS +38696 " "$H/aw.out"
h_not_ok "bk1: not the file's managed-keys KSK1 $KSK1" \
    grep -Eq "^ +DNSKEY +$KSK1 " "$H/aw.out"
h_named_stop bk1

# ---- stage pre: KSK1 signs --------------------------------------------
h_is "$(h_rcode 127.0.0.21)" NOERROR "pre: init1 resolves"
h_ok "pre: init1 answers with AD" h_has_ad 127.0.0.21
h_ok "pre: static1 answers with AD" h_has_ad 127.0.0.22
h_ok "pre: init1 trusts KSK1 (rndc managed-keys status)" \
    h_wait_for "init1 KSK1 trusted" "$T" h_named_mkey init1 "$KSK1" trusted
h_aw_expect "pre: init1 OK, exit 0" "$H/init1.yaml" 0 - "$T"
h_aw_expect "pre: static1 STATIC_ANCHOR, exit 1" \
    "$H/static1.yaml" 1 STATIC_ANCHOR "$T"

# ---- stage publish: KSK2 in the RRset, KSK1 signs ----------------------
h_diag "stage publish: KSK2 $KSK2 published"
h_root_stage publish
h_ok "publish: init1 holds KSK2 pending, then trusted" \
    h_wait_for "init1 KSK2 trusted" "$T" h_named_mkey init1 "$KSK2" trusted
h_ok "publish: init1 logs KSK2 as now trusted" \
    h_wait_for "init1 log KSK2 trusted" "$T" h_named_log_trusted init1 "$KSK2"
h_aw_expect "publish: init1 OK, exit 0" "$H/init1.yaml" 0 - "$T"
# pend1 holds KSK2 for 600 s: its KEYDATA add hold-down is the end of the
# hold-down (rndc's "trust pending"), the reader's AddPend since is a
# BIND month (30 days) before it.
h_ok "publish: pend1 holds KSK2 pending" \
    h_wait_for "pend1 KSK2 pending" "$T" h_named_mkey pend1 "$KSK2" pending
h_ok "publish: pend1 rndc managed-keys sync" \
    h_named_rndc pend1 managed-keys sync
h_ok "publish: pend1's managed-keys.bind holds KSK2" \
    h_wait_for "pend1 KEYDATA of $KSK2" 10 grep -q "key id = $KSK2\$" \
    "$(h_named_dir pend1)/managed-keys.bind"
h_named_rndc pend1 managed-keys status >"$(h_named_dir pend1)/status.txt"
h_aw "$H/pend1.yaml" status
h_is "$(t_aw_date "$KSK1" Valid)" "$(t_rndc_date pend1 "$KSK1" \
    "trusted since")" "publish: pend1 KSK1 Valid since rndc's trusted since"
PEND=$(t_rndc_date pend1 "$KSK2" "trust pending")
SINCE=$(t_aw_date "$KSK2" AddPend)
h_is "$((${SINCE:-0} + 30 * 86400))" "$PEND" \
    "publish: pend1 KSK2 AddPend since + 30 days is rndc's trust pending"
# The agent's own hold-down (several runs) decides when static1 is late;
# it must be past it before the roll, or the agent cannot follow either.
h_aw_expect "publish: static1 SUCCESSOR_NOT_TRUSTED, exit 1" \
    "$H/static1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"

# ---- stage roll: KSK2 signs --------------------------------------------
h_diag "stage roll: KSK2 $KSK2 signs"
h_root_stage roll
h_ok "roll: static1 fails (SERVFAIL)" \
    h_wait_for "static1 SERVFAIL" 15 h_rcode_is 127.0.0.22 SERVFAIL
h_is "$(h_rcode 127.0.0.21)" NOERROR "roll: init1 resolves"
h_ok "roll: init1 answers with AD" h_has_ad 127.0.0.21
h_aw_expect "roll: init1 OK, exit 0" "$H/init1.yaml" 0 - "$T"
h_aw_expect "roll: static1 ANCHOR_STALE, exit 2" \
    "$H/static1.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"

# ---- stage revoke: KSK1 revoked -----------------------------------------
h_diag "stage revoke: KSK1 revoked as $KSK1R"
h_root_stage revoke
h_ok "revoke: init1 holds KSK1 revoked" \
    h_wait_for "init1 KSK1 revoked" "$T" h_named_mkey init1 "$KSK1R" revoked
h_aw_expect "revoke: init1 OK, exit 0" "$H/init1.yaml" 0 - "$T"
h_not_ok "revoke: init1 not REVOKED_STILL_TRUSTED" \
    h_aw_has REVOKED_STILL_TRUSTED
h_aw_expect "revoke: static1 still ANCHOR_STALE, exit 2" \
    "$H/static1.yaml" 2 ANCHOR_STALE "$T"

# ---- the file the daemon writes ----------------------------------------
MK=$(h_named_dir init1)/managed-keys.bind
h_ok "sync: rndc managed-keys sync" h_named_rndc init1 managed-keys sync
h_ok "sync: managed-keys.bind holds KSK2 $KSK2 as KEYDATA" \
    h_wait_for "KEYDATA of $KSK2" 10 grep -q "key id = $KSK2\$" "$MK"
h_aw "$H/init1.yaml" status
h_ok "sync: status shows init1 with KSK2 $KSK2" grep -q "$KSK2" "$H/aw.out"
h_aw_expect "sync: init1 OK, exit 0" "$H/init1.yaml" 0 - "$T"
# The file without its journal: the reader must get the same verdict.
h_named_stop init1
rm -f "$MK.jnl"
h_aw_expect "sync, journal gone: init1 still OK from the file" \
    "$H/init1.yaml" 0 - "$T"

t_fail_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
