#!/bin/bash
#
# t-fix-bind.sh: `anchorwatch fix` repairs real BIND 9 (named 9.18)
# daemons broken by a root KSK roll (issue 10) on the harness's local
# signed root.  named runs with `-T mkeytimers=1/4/6` (seconds).
#
#	st1	static-key KSK1 in an include file: SERVFAIL after the roll;
#		fix rewrites the include (static-key KSK2), rndc reconfig
#	rf1	initial-key KSK1 in an include file, its key zone trusting
#		KSK1 only (it slept through the publish stage): SERVFAIL
#		after the roll; fix adds KSK2 as initial-key and runs
#		`rndc managed-keys destroy` before `rndc reconfig`
#	ed1	as rf1, where the operator has already added KSK2 to the
#		include and run `rndc reconfig`: named ignores a new initial
#		key for a key zone it has; fix only destroys the key zone
#	pd1	as rf1, awake through the publish stage but with a 600 s add
#		hold-down: KSK2 stuck in AddPend past the roll; the same fix
#	bk1	dnssec-validation auto with a bindkeys-file of KSK1 only and
#		a key zone trusting KSK1 only: fix rewrites the bindkeys-file
#		the same way
#	mn1	static-key KSK1 in named.conf itself: refused, the clause is
#		suggested, every file byte-identical
# and at the revoke stage st1 again: the revoked KSK1 is removed.
#
# For each repair: the dry run's diff, applied with patch(1), is exactly
# what --apply writes; named answers with AD again; `check` has no anchor
# finding for it.  TAP on stdout; AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/bind.sh"
h_need named rndc tsig-keygen named-checkconf patch
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"

# f_config NAME ADDR: an anchorwatch config for named NAME, probed at ADDR,
# reloaded with rndc and NAME's own key (the default has no -k/-s).
f_config() {
	local name=$1 addr=$2 dir
	dir=$(h_named_dir "$name")
	h_aw_config_typed "$H/$name.yaml" -- \
	    "bind:$name:$(h_named_conf "$name")"
	cat >>"$H/$name.yaml" <<EOC
    address: $addr@53
    reload: [/usr/sbin/rndc, -k, $dir/rndc.key, -s, $addr, -p, "953", reconfig]
probes:
  timeout: 3
  signed_name: hello.harness
EOC
}

# f_dryrun NAME: `fix NAME` (dry run) into $H/NAME.dry, exit status in
# AW_RC.
f_dryrun() {
	h_aw "$H/$1.yaml" fix "$1"
	cp "$H/aw.out" "$H/$1.dry"
}

# f_diff NAME FILE: the hunk of FILE in NAME's dry run (--- to the next
# "NAME:" line), as patch(1) takes it.
# f_apply NAME: `fix --apply NAME`, output kept in $H/NAME.applied and
# shown when it does not exit 0.
f_apply() {
	h_aw "$H/$1.yaml" fix --apply "$1"
	cp "$H/aw.out" "$H/$1.applied"
	[ "$AW_RC" = 0 ] || h_aw_show
}

# shellcheck disable=SC2317 # run through h_ok
f_diff() {
	awk -v f="--- $2" -v who="$1:" '
		$0 == f { on = 1 }
		on && index($0, who) == 1 { exit }
		on { print }' "$H/$1.dry"
}

# f_patched NAME FILE: 0 if FILE equals its copy FILE.orig patched with
# the dry run's diff.
# shellcheck disable=SC2317 # run through h_ok
f_patched() {
	f_diff "$1" "$2" >"$H/$1.diff"
	[ -s "$H/$1.diff" ] &&
	    patch -s -o "$H/$1.patched" "$2.orig" "$H/$1.diff" &&
	    cmp "$H/$1.patched" "$2"
}

# f_no_anchor_finding NAME: 0 if the last run has no finding about what
# NAME trusts for the root.
# shellcheck disable=SC2317 # run through h_ok
f_no_anchor_finding() {
	! grep -Eq "^[A-Z]+ (ANCHOR_STALE|SUCCESSOR_NOT_TRUSTED|REVOKED_STILL_TRUSTED|NO_ANCHOR|LOADED_MISMATCH) " \
	    "$H/aw.out"
}

t_fail_logs() {
	[ "$H_NFAIL" -gt 0 ] && h_named_dump_logs
	return 0
}

# ---- stage pre: KSK1 signs ------------------------------------------------
H_NAMED_INCLUDE=1 h_named_start st1 127.0.0.21 static
H_NAMED_INCLUDE=1 h_named_start rf1 127.0.0.22 initial
h_named_start bk1 127.0.0.23 bindkeys
h_named_start mn1 127.0.0.24 static
H_NAMED_MKEYTIMERS=1/4/600 H_NAMED_INCLUDE=1 h_named_start pd1 127.0.0.25 \
    initial
H_NAMED_INCLUDE=1 h_named_start ed1 127.0.0.26 initial
for n in st1:21 rf1:22 bk1:23 mn1:24 pd1:25 ed1:26; do
	f_config "${n%%:*}" "127.0.0.${n#*:}"
done
h_ok "pre: rf1 trusts KSK1" \
    h_wait_for "rf1 KSK1 trusted" "$T" h_named_mkey rf1 "$KSK1" trusted
h_ok "pre: bk1 trusts KSK1 from its bindkeys-file" \
    h_wait_for "bk1 KSK1 trusted" "$T" h_named_mkey bk1 "$KSK1" trusted
h_ok "pre: rf1 answers with AD" h_has_ad 127.0.0.22
# rf1 and bk1 sleep through the publish stage: their key zones never see
# KSK2 and keep trusting KSK1 alone.
h_ok "pre: ed1 trusts KSK1" \
    h_wait_for "ed1 KSK1 trusted" "$T" h_named_mkey ed1 "$KSK1" trusted
for n in rf1 bk1 ed1; do
	h_named_rndc "$n" managed-keys sync >/dev/null
	h_named_stop "$n"
done
h_aw_expect "pre: st1 as the agent sees it, exit 1" "$H/st1.yaml" 1 \
    STATIC_ANCHOR "$T"

# ---- stage publish: the agent takes KSK2 through its hold-down -------------
h_root_stage publish
h_aw_expect "publish: st1 SUCCESSOR_NOT_TRUSTED (agent past its hold-down)" \
    "$H/st1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_ok "publish: pd1 holds KSK2 pending (600 s hold-down)" \
    h_wait_for "pd1 KSK2 pending" "$T" h_named_mkey pd1 "$KSK2" pending

# ---- stage roll: KSK2 signs -------------------------------------------------
h_root_stage roll
h_named_restart rf1
h_named_restart bk1
h_named_restart ed1
for n in st1:21 rf1:22 bk1:23 mn1:24 pd1:25 ed1:26; do
	h_ok "roll: ${n%%:*} fails (SERVFAIL)" h_wait_for "${n%%:*} SERVFAIL" \
	    15 h_rcode_is "127.0.0.${n#*:}" SERVFAIL
done
h_not_ok "roll: rf1's key zone does not know KSK2" \
    h_named_mkey rf1 "$KSK2" pending
h_aw_expect "roll: st1 ANCHOR_STALE, exit 2" "$H/st1.yaml" 2 ANCHOR_STALE \
    "$T"

# ---- st1: static-key in an include file --------------------------------------
INC=$(h_named_dir st1)/anchors.conf
cp -p "$INC" "$INC.orig"
f_dryrun st1
h_is "$AW_RC" 1 "st1: the dry run exits 1 (changes to make)"
h_ok "st1: it would add KSK2 to the include file (KSK1 still published)" \
    grep -qF "st1: would change $INC: add $KSK2" "$H/st1.dry"
h_ok "st1: it would run rndc reconfig" grep -qF \
    "st1: would run: /usr/sbin/rndc -k" "$H/st1.dry"
h_ok "st1: the dry run changed nothing" cmp "$INC" "$INC.orig"
f_apply st1
h_is "$AW_RC" 0 "st1: fix --apply exits 0"
h_ok "st1: FIX_APPLIED, validates again" grep -q \
    "FIX_APPLIED .*validates again" "$H/st1.applied"
h_ok "st1: the include equals the original patched with the dry run" \
    f_patched st1 "$INC"
h_ok "st1: now static-key KSK2" grep -qF \
    "$(h_named_anchor ksk2 static-key | sed 's/^\t//')" "$INC"
h_ok "st1: a dated backup beside it" \
    sh -c "ls -a '$(dirname "$INC")' | grep -q '^\.anchors\.conf\.anchorwatch-'"
h_ok "st1: named-checkconf accepts the result" \
    named-checkconf "$(h_named_conf st1)"
h_ok "st1: answers with AD" h_has_ad 127.0.0.21
h_aw "$H/st1.yaml" check
h_ok "st1: check has no anchor finding" f_no_anchor_finding
h_ok "st1: check is at worst the STATIC_ANCHOR warning" \
    test "$AW_RC" -le 1
f_dryrun st1
h_is "$AW_RC" 0 "st1: a second dry run has nothing to do"

# ---- rf1: RFC 5011, its key zone trusting KSK1 only ----------------------------
INC=$(h_named_dir rf1)/anchors.conf
cp -p "$INC" "$INC.orig"
f_dryrun rf1
h_is "$AW_RC" 1 "rf1: the dry run exits 1"
h_ok "rf1: it would add KSK2 to the include file" grep -qF \
    "rf1: would change $INC: add $KSK2" "$H/rf1.dry"
h_ok "rf1: it would run rndc managed-keys destroy" grep -qF \
    "rf1: would run: /usr/sbin/rndc -s 127.0.0.22 -p 953 -k $(h_named_dir rf1)/rndc.key managed-keys destroy" \
    "$H/rf1.dry"
f_apply rf1
h_is "$AW_RC" 0 "rf1: fix --apply exits 0"
h_ok "rf1: the include equals the original patched with the dry run" \
    f_patched rf1 "$INC"
h_ok "rf1: initial-key KSK2 in it" grep -qF \
    "$(h_named_anchor ksk2 initial-key | sed 's/^\t//')" "$INC"
h_ok "rf1: answers with AD" h_has_ad 127.0.0.22
h_ok "rf1: its key zone trusts KSK2" \
    h_wait_for "rf1 KSK2 trusted" "$T" h_named_mkey rf1 "$KSK2" trusted
h_aw_expect "rf1: check OK, exit 0" "$H/rf1.yaml" 0 - "$T"

# ---- ed1: KSK2 added by hand, named reconfigured, still failing -------------
INC=$(h_named_dir ed1)/anchors.conf
sed -i "/^trust-anchors {/r /dev/stdin" "$INC" <<<"$(h_named_anchor ksk2 initial-key)"
h_ok "ed1: rndc reconfig with KSK2 as initial-key" h_named_rndc ed1 reconfig
sleep 3
h_ok "ed1: still SERVFAIL: named keeps its key zone" \
    h_rcode_is 127.0.0.26 SERVFAIL
h_not_ok "ed1: its key zone has not taken KSK2" \
    h_named_mkey ed1 "$KSK2" trusted
cp -p "$INC" "$INC.orig"
f_dryrun ed1
h_is "$AW_RC" 1 "ed1: the dry run exits 1"
h_not_ok "ed1: no file to change" grep -q "would change" "$H/ed1.dry"
h_ok "ed1: it would destroy the key zone" \
    grep -q "ed1: would run: .* managed-keys destroy" "$H/ed1.dry"
f_apply ed1
h_is "$AW_RC" 0 "ed1: fix --apply exits 0"
h_ok "ed1: the include is byte-identical" cmp "$INC" "$INC.orig"
h_ok "ed1: answers with AD" h_has_ad 127.0.0.26
h_aw_expect "ed1: check OK, exit 0" "$H/ed1.yaml" 0 - "$T"

# ---- pd1: KSK2 stuck in AddPend past the roll ---------------------------------
h_ok "pd1: KSK2 still pending after the roll" h_named_mkey pd1 "$KSK2" pending
h_ok "pd1: rndc managed-keys refresh does not help" \
    h_named_rndc pd1 managed-keys refresh
sleep 3
h_ok "pd1: still SERVFAIL after the refresh" h_rcode_is 127.0.0.25 SERVFAIL
INC=$(h_named_dir pd1)/anchors.conf
cp -p "$INC" "$INC.orig"
f_dryrun pd1
h_is "$AW_RC" 1 "pd1: the dry run exits 1"
h_ok "pd1: it would add KSK2 and destroy the key zone" \
    grep -q "pd1: would run: .* managed-keys destroy" "$H/pd1.dry"
f_apply pd1
h_is "$AW_RC" 0 "pd1: fix --apply exits 0"
h_ok "pd1: the include equals the original patched with the dry run" \
    f_patched pd1 "$INC"
h_ok "pd1: answers with AD" h_has_ad 127.0.0.25
h_ok "pd1: KSK2 trusted at once" \
    h_wait_for "pd1 KSK2 trusted" "$T" h_named_mkey pd1 "$KSK2" trusted
h_aw_expect "pd1: check OK, exit 0" "$H/pd1.yaml" 0 - "$T"

# ---- bk1: the bindkeys-file -----------------------------------------------------
BKF=$(h_named_dir bk1)/bind.keys
cp -p "$BKF" "$BKF.orig"
f_dryrun bk1
h_is "$AW_RC" 1 "bk1: the dry run exits 1"
h_ok "bk1: it would add KSK2 to the bindkeys-file" grep -qF \
    "bk1: would change $BKF: add $KSK2" "$H/bk1.dry"
h_ok "bk1: and destroy the key zone" grep -q \
    "bk1: would run: .* managed-keys destroy" "$H/bk1.dry"
f_apply bk1
h_is "$AW_RC" 0 "bk1: fix --apply exits 0"
h_ok "bk1: the bindkeys-file equals the original patched with the dry run" \
    f_patched bk1 "$BKF"
h_ok "bk1: answers with AD" h_has_ad 127.0.0.23
h_aw_expect "bk1: check OK, exit 0" "$H/bk1.yaml" 0 - "$T"

# ---- mn1: anchors in named.conf itself -------------------------------------------
CONF=$(h_named_conf mn1)
ls -a "$(h_named_dir mn1)" >"$H/mn1.ls"
cp -p "$CONF" "$CONF.orig"
f_dryrun mn1
h_is "$AW_RC" 2 "mn1: the dry run exits 2 (refused)"
h_ok "mn1: FIX_REFUSED names the main configuration" grep -q \
    "FIX_REFUSED .*main configuration" "$H/mn1.dry"
h_ok "mn1: the new clause is suggested" grep -qF \
    "$(h_named_anchor ksk2 static-key | sed 's/^\t//')" "$H/mn1.dry"
h_aw "$H/mn1.yaml" fix --apply mn1
h_is "$AW_RC" 2 "mn1: fix --apply exits 2"
h_ok "mn1: named.conf is byte-identical" cmp "$CONF" "$CONF.orig"
h_ok "mn1: no file added beside it (no backup, no temp)" \
    sh -c "ls -a '$(h_named_dir mn1)' | grep -v 'named.conf.orig' | diff -q - '$H/mn1.ls' >/dev/null"
h_ok "mn1: still SERVFAIL" h_rcode_is 127.0.0.24 SERVFAIL

# ---- stage revoke: KSK1 revoked, removed from st1 like any other ------------
h_root_stage revoke
h_aw_expect "revoke: st1 REVOKED_STILL_TRUSTED, exit 1" "$H/st1.yaml" 1 \
    REVOKED_STILL_TRUSTED "$T"
INC=$(h_named_dir st1)/anchors.conf
cp -p "$INC" "$INC.orig"
f_dryrun st1
h_ok "revoke: st1 would remove KSK1 $KSK1" grep -qF \
    "st1: would change $INC: remove $KSK1" "$H/st1.dry"
f_apply st1
h_is "$AW_RC" 0 "revoke: st1 fix --apply exits 0"
h_ok "revoke: st1's include equals the original patched with the dry run" \
    f_patched st1 "$INC"
h_not_ok "revoke: KSK1 is gone from it" grep -qF \
    "$(h_named_anchor ksk1 static-key | sed 's/^\t//')" "$INC"
h_ok "revoke: st1 answers with AD" h_has_ad 127.0.0.21
h_aw "$H/st1.yaml" check
h_ok "revoke: st1 check has no anchor finding" f_no_anchor_finding

t_fail_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
