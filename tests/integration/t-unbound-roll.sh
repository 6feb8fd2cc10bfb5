#!/bin/bash
#
# t-unbound-roll.sh: a whole root KSK roll (RFC 5011; stages as in RFC
# 7583) on a local signed root, watched by real unbound daemons, with
# anchorwatch's verdict asserted at each stage on finding codes and exit
# statuses.  Everything runs in private namespaces on loopback.
#
#	auto1	RFC 5011 (auto-trust-anchor-file, KSK1 seed): follows the roll
#	static1	trust-anchor-file with KSK1 only: misses the roll
#	ro1	autr file and directory owned by root, daemon runs as unbound
#	late1	RFC 5011, KSK1 seed, started at the revoke stage: ;;REVOKED
#	twice1	a static anchor and an RFC 5011 seed: unbound will not start
#	noval1	the same without the validator module: starts, no validation
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)

# Tests of a stage: CONF RC CODE; the time-outs cover the agent's hold-down.
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
h_aw_config "$H/auto1.yaml" -- auto1
h_aw_config "$H/static1.yaml" -- static1
KSK1=$(h_tag ksk1)
KSK1R=$(h_tag ksk1r)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1 (revoked $KSK1R), KSK2 $KSK2, ZSK $(h_tag zsk)"

# ---- (f) configuration errors: exit 3, "FILE:LINE:" on stderr ----------
cat >"$H/bad-key.yaml" <<EOF
state_dir: $H/aw
root:
  no_such_key: 1
EOF
h_aw "$H/bad-key.yaml" check
h_is "$AW_RC" 3 "bad config (unknown key): exit 3"
h_ok "bad config (unknown key): stderr names $H/bad-key.yaml:3:" \
    grep -q "$H/bad-key.yaml:3:" "$H/aw.err"
[ "$AW_RC" = 3 ] || h_aw_show

cat >"$H/bad-syntax.yaml" <<EOF
state_dir: $H/aw
root:
  stub: ["127.0.0.2@53"
checks:
  probe_overdue: 10
EOF
h_aw "$H/bad-syntax.yaml" check
h_is "$AW_RC" 3 "bad config (YAML syntax): exit 3"
h_ok "bad config (YAML syntax): stderr has FILE:LINE:" \
    grep -Eq "$H/bad-syntax.yaml:[0-9]+:" "$H/aw.err"
[ "$AW_RC" = 3 ] || h_aw_show

# ---- (e) the root is unreachable: UNKNOWN, never CRITICAL ---------------
h_aw_config "$H/dead.yaml" stub=127.0.0.2@5399 state="$H/aw-dead" -- auto1
h_aw "$H/dead.yaml" -t 30 check
h_is "$AW_RC" 3 "dead root stub: exit 3"
h_ok "dead root stub: ROOT_UNREACHABLE" h_aw_has ROOT_UNREACHABLE
h_not_ok "dead root stub: no CRITICAL finding" grep -q '^CRITICAL ' "$H/aw.out"
[ "$AW_RC" = 3 ] || h_aw_show

# ---- stage pre: KSK1 signs -----------------------------------------------
h_diag "stage pre: KSK1 $KSK1 signs"
h_is "$(h_rcode 127.0.0.11)" NOERROR "pre: auto1 resolves"
h_is "$(h_rcode 127.0.0.12)" NOERROR "pre: static1 resolves"
h_aw_expect "pre: auto1 OK, exit 0" "$H/auto1.yaml" 0 - "$T"
h_aw_expect "pre: static1 STATIC_ANCHOR, exit 1" \
    "$H/static1.yaml" 1 STATIC_ANCHOR "$T"
h_ok "pre: static1 STATIC_ANCHOR is a WARNING" \
    h_aw_has_sev WARNING STATIC_ANCHOR

# ---- (c) an autr file the daemon cannot write ---------------------------
h_unbound_start ro1 127.0.0.13 auto-ro
h_ok "ro1: unbound exits on its first probe" \
    h_wait_for "unbound ro1 exits" 15 h_dead ub-ro1
h_ok "ro1: unbound says it could not write the autr file" \
    grep -q 'could not open autotrust file for writing.*Permission denied' \
    "$(h_ub_dir ro1)/unbound.log"
h_unbound_stop ro1
h_aw_config "$H/ro1.yaml" -- ro1
h_aw_expect "ro1: ANCHOR_NOT_WRITABLE, exit 2" \
    "$H/ro1.yaml" 2 ANCHOR_NOT_WRITABLE "$T"
h_ok "ro1: ANCHOR_NOT_WRITABLE is CRITICAL" \
    h_aw_has_sev CRITICAL ANCHOR_NOT_WRITABLE

# ---- (g) two anchors for ".": unbound refuses to start ------------------
# A static trust-anchor-file and an RFC 5011 seed for the root: unbound
# (and unbound-checkconf) refuse; anchorwatch says CONFIG_REFUSED with
# unbound's rule.  The same anchors with module-config "iterator": the
# daemon reads no anchor and starts (unbound-checkconf, which always
# loads the validator, still refuses); anchorwatch says VALIDATION_OFF.
ub_two_anchors() {
	local name=$1 addr=$2 dir
	shift 2
	dir=$(h_ub_dir "$name")
	mkdir -p "$dir"
	h_addr_add "$addr"
	cp "$H/ksk1.key" "$dir/root.static"
	cp "$H/ksk1.key" "$dir/root.key"
	h_unbound_conf "$dir" "$addr" \
	    "trust-anchor-file: \"$dir/root.static\"" \
	    "auto-trust-anchor-file: \"$dir/root.key\"" "$@" \
	    >"$dir/unbound.conf"
	: >"$dir/unbound.log"
	chown -R unbound:unbound "$dir"
}
ub_checkconf() {
	unbound-checkconf "$1" >/dev/null 2>&1
}
ub_two_anchors twice1 127.0.0.15
tw=$(h_ub_dir twice1)
h_not_ok "twice1: unbound-checkconf refuses it" ub_checkconf "$tw/unbound.conf"
tw_rc=0
timeout 20 unbound -d -c "$tw/unbound.conf" >>"$tw/unbound.log" 2>&1 ||
    tw_rc=$?
h_ok "twice1: unbound exits at once (status $tw_rc)" \
    test "$tw_rc" -ne 0 -a "$tw_rc" -ne 124
h_ok "twice1: unbound logs its rule" \
    grep -q 'anchor cannot be with and without autotrust' "$tw/unbound.log"
h_not_ok "twice1: unbound does not answer" h_answers 127.0.0.15
h_aw_config "$H/twice1.yaml" -- twice1
h_aw "$H/twice1.yaml" check
h_is "$AW_RC" 2 "twice1: exit 2"
h_ok "twice1: CONFIG_REFUSED is CRITICAL" h_aw_has_sev CRITICAL CONFIG_REFUSED
tw_line=$(grep -n '^	auto-trust-anchor-file:' "$tw/unbound.conf" | cut -d: -f1)
h_ok "twice1: CONFIG_REFUSED names $tw/unbound.conf:$tw_line and the rule" \
    grep -q "CONFIG_REFUSED .*$tw/unbound.conf:$tw_line: unbound refuses to start: \"anchor cannot be with and without autotrust\"" "$H/aw.out"
[ "$AW_RC" = 2 ] || h_aw_show

ub_two_anchors noval1 127.0.0.16 'module-config: "iterator"'
nv=$(h_ub_dir noval1)
h_not_ok "noval1: unbound-checkconf refuses it (it loads the validator)" \
    ub_checkconf "$nv/unbound.conf"
unbound -d -c "$nv/unbound.conf" >>"$nv/unbound.log" 2>&1 &
h_pid_add ub-noval1 $!
h_ok "noval1: unbound starts and answers" \
    h_wait_for "unbound noval1 answering" 10 h_answers 127.0.0.16
h_aw_config "$H/noval1.yaml" -- noval1
h_aw "$H/noval1.yaml" check
h_ok "noval1: VALIDATION_OFF" h_aw_has_sev WARNING VALIDATION_OFF
h_not_ok "noval1: no CONFIG_REFUSED" h_aw_has CONFIG_REFUSED
h_unbound_stop noval1

# ---- stage publish: KSK2 in the RRset, KSK1 still the only signer -------
h_diag "stage publish: KSK2 $KSK2 published"
h_root_stage publish
h_ok "publish: auto1 holds KSK2 Valid" \
    h_wait_for "auto1 KSK2 Valid" "$T" h_autr_state auto1 "$KSK2" VALID
# The agent's own hold-down decides when the static resolver is late.
h_aw_expect "publish: static1 SUCCESSOR_NOT_TRUSTED, exit 1" \
    "$H/static1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: SUCCESSOR_NOT_TRUSTED names KSK2 $KSK2" \
    h_aw_names_tag SUCCESSOR_NOT_TRUSTED "$KSK2"
h_ok "publish: static1 still STATIC_ANCHOR" h_aw_has STATIC_ANCHOR
h_aw_expect "publish: auto1 OK, exit 0" "$H/auto1.yaml" 0 - "$T"

# ---- stage roll: KSK2 signs, KSK1 published --------------------------------
h_diag "stage roll: KSK2 $KSK2 signs"
h_root_stage roll
h_ok "roll: static1 fails to resolve (SERVFAIL)" \
    h_wait_for "static1 SERVFAIL" 10 h_rcode_is 127.0.0.12 SERVFAIL
h_is "$(h_rcode 127.0.0.11)" NOERROR "roll: auto1 resolves"
h_aw_expect "roll: auto1 OK, exit 0" "$H/auto1.yaml" 0 - "$T"
h_aw_expect "roll: static1 ANCHOR_STALE, exit 2" \
    "$H/static1.yaml" 2 ANCHOR_STALE "$T"
h_ok "roll: ANCHOR_STALE is CRITICAL" h_aw_has_sev CRITICAL ANCHOR_STALE
h_ok "roll: ANCHOR_STALE names KSK2 $KSK2" h_aw_names_tag ANCHOR_STALE "$KSK2"
# The acceptance line of the issue: exit 2 and the missing key tag named.
h_ok "roll: the run against static1 names key tag $KSK2" \
    grep -q "$KSK2" "$H/aw.out"
h_aw "$H/static1.yaml" status --json
h_ok "roll: status --json carries ANCHOR_STALE for static1" \
    grep -Eq '"code"[[:space:]]*:[[:space:]]*"ANCHOR_STALE"' "$H/aw.out"
h_aw "$H/static1.yaml" status
h_ok "roll: status names static1" grep -q static1 "$H/aw.out"
h_ok "roll: status names KSK2 $KSK2" grep -q "$KSK2" "$H/aw.out"

# ---- stage revoke: KSK1 revoked (385), signed by KSK2 and itself ---------
h_diag "stage revoke: KSK1 revoked as $KSK1R"
h_root_stage revoke
h_ok "revoke: auto1 holds KSK1 Revoked" \
    h_wait_for "auto1 KSK1 Revoked" "$T" h_autr_state auto1 "$KSK1R" REVOKED
h_aw_expect "revoke: auto1 OK, exit 0" "$H/auto1.yaml" 0 - "$T"
h_aw_expect "revoke: static1 REVOKED_STILL_TRUSTED, exit 2" \
    "$H/static1.yaml" 2 REVOKED_STILL_TRUSTED "$T"
h_ok "revoke: static1 still ANCHOR_STALE naming $KSK2" \
    h_aw_names_tag ANCHOR_STALE "$KSK2"

# ---- (d) an RFC 5011 unbound that only ever knew KSK1, started now ------
h_unbound_start late1 127.0.0.14 auto
h_ok "late1: unbound marks its autr file ;;REVOKED" \
    h_wait_for "late1 ;;REVOKED" 15 h_autr_zone_revoked late1
h_not_ok "late1: answers carry no AD bit (root treated as insecure)" \
    h_has_ad 127.0.0.14
h_aw_config "$H/late1.yaml" -- late1
h_aw_expect "late1: ZONE_MARKED_REVOKED, exit 2" \
    "$H/late1.yaml" 2 ZONE_MARKED_REVOKED "$T"
h_not_ok "late1: not reported ANCHOR_STALE as well" h_aw_has ANCHOR_STALE
h_unbound_stop late1

# ---- stage remove: KSK1 gone ----------------------------------------------
h_diag "stage remove: KSK1 removed"
h_root_stage remove
h_ok "remove: auto1 drops KSK1" \
    h_wait_for "auto1 forgets KSK1" "$T" h_autr_gone auto1 "$KSK1R"
h_aw_expect "remove: auto1 OK, exit 0" "$H/auto1.yaml" 0 - "$T"
h_aw_expect "remove: static1 ANCHOR_STALE, exit 2" \
    "$H/static1.yaml" 2 ANCHOR_STALE "$T"
h_not_ok "remove: static1 no longer REVOKED_STILL_TRUSTED" \
    h_aw_has REVOKED_STILL_TRUSTED

# ---- PROBE_OVERDUE: the RFC 5011 resolver stops probing -----------------
h_unbound_stop auto1
h_aw_config "$H/overdue.yaml" probe_overdue=2 -- auto1
sleep 3
h_aw_expect "auto1 stopped: PROBE_OVERDUE, exit 1" \
    "$H/overdue.yaml" 1 PROBE_OVERDUE "$T"
h_ok "auto1 stopped: PROBE_OVERDUE is a WARNING" \
    h_aw_has_sev WARNING PROBE_OVERDUE

h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
