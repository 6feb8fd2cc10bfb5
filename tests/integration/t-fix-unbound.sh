#!/bin/bash
#
# t-fix-unbound.sh: `anchorwatch fix` on real unbound 1.17 daemons, on the
# local signed root (lib.sh), reloaded with unbound-control.
#
#	st1	static trust-anchor-file with KSK1 only, after the roll:
#		SERVFAIL; the dry run's diff is exactly what --apply writes;
#		reloaded, it validates again and check finds no anchor fault
#	spoof	the agent's stub on a spoofed root (keys no anchor names):
#		fix --apply is FIX_REFUSED, exit 2, every file byte-identical
#	stale1	RFC 5011 file of an unbound that was down through the roll
#		(KSK1 Valid, KSK2 never seen): SERVFAIL; fix adds KSK2 Valid
#	late1	RFC 5011 file the daemon marked ;;REVOKED (it started with
#		only KSK1 after KSK1's revocation): no AD; fix clears the
#		marker and trusts KSK2; reloaded, it validates again
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/unbound.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/spoof.sh"
h_need patch
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}

h_root_init >/dev/null
h_root_stage pre
h_ubfix_start st1 127.0.0.21 static
KSK1=$(h_tag ksk1)
KSK1R=$(h_tag ksk1r)
KSK2=$(h_tag ksk2)
ST1=$(h_ub_dir st1)/root.static
h_ubfix_config "$H/st1.yaml" -- st1 127.0.0.21 ""
# stale1: RFC 5011, trusts KSK1 after a probe, then is down for the roll.
h_ubfix_start stale1 127.0.0.23 auto
STALE=$(h_autr stale1)
h_ok "stale1: KSK1 Valid in its autotrust file" \
    h_wait_for "stale1 KSK1 Valid" "$T" h_autr_state stale1 "$KSK1" VALID
h_unbound_stop stale1

# The agent learns KSK2 through its own hold-down, then the root rolls.
h_root_stage publish
h_aw_expect "publish: st1 SUCCESSOR_NOT_TRUSTED" \
    "$H/st1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_root_stage roll
h_ok "roll: st1 SERVFAILs" \
    h_wait_for "st1 SERVFAIL" 10 h_rcode_is 127.0.0.21 SERVFAIL
h_aw_expect "roll: st1 ANCHOR_STALE" "$H/st1.yaml" 2 ANCHOR_STALE "$T"

# ---- a spoofed root: nothing is written ------------------------------------
h_spoof_root 127.0.0.3
h_ubfix_config "$H/spoof.yaml" stub=127.0.0.3@53 state="$H/aw-spoof" -- \
    st1 127.0.0.21 ""
# What the resolver reads (its log and pid file are the daemon's own).
mkdir -p "$H/before"
cp -p "$(h_ub_conf st1)" "$ST1" "$H/before/"
h_aw "$H/spoof.yaml" fix --apply
h_is "$AW_RC" 2 "spoof: fix --apply exits 2"
h_ok "spoof: FIX_REFUSED for st1" grep -q '^CRITICAL FIX_REFUSED .*st1' \
    "$H/aw.out"
h_ok "spoof: the refusal says the answer is not SECURE" \
    grep -q 'not SECURE' "$H/aw.out"
[ "$AW_RC" = 2 ] || h_aw_show
same=ok
for f in "$H/before"/*; do
	cmp -s "$f" "$(h_ub_dir st1)/${f##*/}" || same="changed: ${f##*/}"
done
h_is "$same" ok "spoof: st1's config and anchor file are byte-identical"
h_is "$(find "$(h_ub_dir st1)" -name '.*anchorwatch-*' | wc -l)" 0 \
    "spoof: no backup made"
h_daemon_stop nsd-spoof

# ---- st1: the static file repaired ------------------------------------------
cp "$ST1" "$H/st1.orig"
h_aw "$H/st1.yaml" fix
h_is "$AW_RC" 1 "st1 dry run: exit 1 (changes pending)"
cp "$H/aw.out" "$H/st1.dry"
h_diag <"$H/st1.dry"
h_ok "st1 dry run: would change $ST1, adding $KSK2" \
    grep -q "^st1: would change $ST1: add $KSK2\$" "$H/st1.dry"
h_ok "st1 dry run: would reload with unbound-control" \
    grep -q "^st1: would run: /usr/sbin/unbound-control -c .* reload" \
    "$H/st1.dry"
h_ok "st1 dry run: RFC 5011 suggested, not applied" \
    grep -q "auto-trust-anchor-file" "$H/st1.dry"
h_ok "st1 dry run: the file is unchanged" cmp -s "$ST1" "$H/st1.orig"
h_fix_diff "$H/st1.dry" "$ST1" >"$H/st1.diff"
h_ok "st1: the dry run's diff applies to the original" \
    patch -s -o "$H/st1.patched" "$H/st1.orig" "$H/st1.diff"
h_aw "$H/st1.yaml" fix --apply st1
h_is "$AW_RC" 0 "st1 --apply: exit 0"
h_ok "st1 --apply: FIX_APPLIED, validates again" \
    grep -q '^OK FIX_APPLIED .*st1.*validates again' "$H/aw.out"
[ "$AW_RC" = 0 ] || h_aw_show
h_ok "st1: the file is the original patched with the dry run's diff" \
    cmp "$ST1" "$H/st1.patched"
h_ok "st1: a dated backup holds the original" \
    cmp "$(find "$(h_ub_dir st1)" -name '.root.static.anchorwatch-*' |
    head -n 1)" "$H/st1.orig"
h_ok "st1: unbound was reloaded (its log says so)" \
    grep -q 'Restart of unbound' "$(h_ub_dir st1)/unbound.log"
h_ok "st1: answers with AD" h_has_ad 127.0.0.21
h_aw "$H/st1.yaml" check
h_not_ok "st1 check: no ANCHOR_STALE" h_aw_has ANCHOR_STALE
h_not_ok "st1 check: nothing CRITICAL" grep -q '^CRITICAL ' "$H/aw.out"
h_ok "st1 check: exit 0 or 1 (the STATIC_ANCHOR advice stays)" \
    test "$AW_RC" -le 1
h_aw "$H/st1.yaml" fix
h_is "$AW_RC" 0 "st1: a second dry run has nothing to do"

# ---- stale1: an RFC 5011 file that missed the roll -----------------------
h_ubfix_start stale1 127.0.0.23 custom \
    "auto-trust-anchor-file: \"$STALE\""
h_ok "stale1: back after the roll, it SERVFAILs" \
    h_wait_for "stale1 SERVFAIL" 10 h_rcode_is 127.0.0.23 SERVFAIL
h_ubfix_config "$H/stale1.yaml" -- stale1 127.0.0.23 ""
h_aw "$H/stale1.yaml" fix
h_is "$AW_RC" 1 "stale1 dry run: exit 1"
h_ok "stale1 dry run: adds $KSK2, keeps $KSK1" \
    grep -q "^stale1: would change $STALE: add $KSK2\$" "$H/aw.out"
[ "$AW_RC" = 1 ] || h_aw_show
# A failing probe makes unbound rewrite this file every second here (its
# old state): one landing between the write and the reload undoes the
# repair, and anchorwatch(8) says to run fix --apply again.
for try in 1 2 3; do
	h_aw "$H/stale1.yaml" fix --apply
	[ "$AW_RC" = 0 ] && break
	h_diag "stale1: try $try: exit $AW_RC (the daemon wrote its file first)"
done
h_is "$AW_RC" 0 "stale1 --apply: exit 0"
h_ok "stale1 --apply: FIX_APPLIED, validates again" \
    grep -q '^OK FIX_APPLIED .*stale1.*validates again' "$H/aw.out"
[ "$AW_RC" = 0 ] || h_aw_show
h_ok "stale1: answers with AD" h_has_ad 127.0.0.23
h_ok "stale1: unbound itself holds KSK2 Valid" \
    grep -Eq "id = $KSK2 .*;;state=2 \[  VALID  \]" "$STALE"
h_aw "$H/stale1.yaml" check
h_is "$AW_RC" 0 "stale1 check: exit 0"
[ "$AW_RC" = 0 ] || h_aw_show

# ---- late1: ;;REVOKED cleared ----------------------------------------------
h_root_stage revoke
h_ubfix_start late1 127.0.0.22 auto
LATE=$(h_autr late1)
h_ok "late1: unbound marks its autr file ;;REVOKED" \
    h_wait_for "late1 ;;REVOKED" 15 h_autr_zone_revoked late1
h_not_ok "late1: no AD (the root is insecure to it)" h_has_ad 127.0.0.22
# The reload copies what fix wrote before unbound rewrites it, and notes
# whether unbound validates before it reloads (the file alone: not yet).
cat >"$H/late1-reload" <<EOF
#!/bin/sh
cp "$LATE" "$H/late1.written" || exit 1
drill -D @127.0.0.22 hello.harness. TXT >"$H/late1.before-reload" 2>&1
exec /usr/sbin/unbound-control -c "$(h_ub_conf late1)" reload
EOF
chmod 0755 "$H/late1-reload"
h_ubfix_config "$H/late1.yaml" -- late1 127.0.0.22 "[$H/late1-reload]"
h_aw_expect "late1: ZONE_MARKED_REVOKED" \
    "$H/late1.yaml" 2 ZONE_MARKED_REVOKED "$T"
cp "$LATE" "$H/late1.orig"
h_aw "$H/late1.yaml" fix
h_is "$AW_RC" 1 "late1 dry run: exit 1"
cp "$H/aw.out" "$H/late1.dry"
h_diag <"$H/late1.dry"
h_ok "late1 dry run: clears ;;REVOKED, adds $KSK2, removes $KSK1R" \
    grep -q "^late1: would change $LATE: clear ;;REVOKED, add $KSK2, remove revoked $KSK1R\$" \
    "$H/late1.dry"
h_fix_diff "$H/late1.dry" "$LATE" >"$H/late1.diff"
h_ok "late1: the diff adds KSK2 as Valid" \
    grep -Eq "^\+.*id = $KSK2 \(ksk\).*;;state=2 \[  VALID  \] ;;count=0" \
    "$H/late1.diff"
h_ok "late1: the dry run's diff applies to the original" \
    patch -s -o "$H/late1.patched" "$H/late1.orig" "$H/late1.diff"
h_aw "$H/late1.yaml" fix --apply
h_is "$AW_RC" 0 "late1 --apply: exit 0"
h_ok "late1 --apply: FIX_APPLIED, validates again" \
    grep -q '^OK FIX_APPLIED .*late1.*validates again' "$H/aw.out"
[ "$AW_RC" = 0 ] || h_aw_show
h_ok "late1: what fix wrote is the original patched with the diff" \
    cmp "$H/late1.written" "$H/late1.patched"
h_not_ok "late1: before the reload, no AD (its ;;REVOKED is in memory)" \
    grep -q 'flags:.* ad[ ;]' "$H/late1.before-reload"
h_ok "late1: answers with AD" h_has_ad 127.0.0.22
h_ok "late1: unbound itself now holds KSK2 Valid" \
    h_wait_for "late1 KSK2 Valid" "$T" h_autr_state late1 "$KSK2" VALID
h_not_ok "late1: and no ;;REVOKED" h_autr_zone_revoked late1
h_aw "$H/late1.yaml" check
h_is "$AW_RC" 0 "late1 check: exit 0"
[ "$AW_RC" = 0 ] || h_aw_show
h_diag "KSK1 $KSK1 (revoked $KSK1R), KSK2 $KSK2"
h_done
