#!/bin/bash
#
# t-fix-knot.sh: `anchorwatch fix` repairs real Knot Resolver daemons
# (kresd 5.6) broken by a root KSK roll (issue 10) on the harness's local
# signed root.
#
#	kman	add_file(root.keys): RFC 5011 managed, but started only after
#		the roll with KSK1 alone (it slept through the publish
#		stage): SERVFAIL; fix writes KSK2 Valid into root.keys
#		(knot-keys.c), kresd is restarted
#	kro	add_file(KSK1 file, true): read-only, SERVFAIL after the
#		roll; fix adds KSK2 to the file (zonefile-write.c); at the
#		revoke stage fix removes the revoked KSK1
#	kinl	trust_anchors.add(KSK1 DS) in kresd.conf: main configuration,
#		the line to write is suggested and no file changes
# and a refusal: with no validated view of the root (the agent's stub
# does not answer) fix refuses and every file stays byte-identical.
#
# kresd reads its anchors only at start: Debian's default reload restarts
# the kresd@ units; here no systemd runs, so each resolver's reload
# (resolvers[].reload) is a script that restarts the harness's kresd.
# For each repair: the dry run's diff, applied with patch(1), is exactly
# what --apply writes; kresd answers with AD again; `check` has no anchor
# finding for it.  TAP on stdout; AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
if ! command -v kresd >/dev/null 2>&1; then
	echo "1..0 # SKIP kresd not installed"
	exit 0
fi
h_need patch
h_enter "$@"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/knot.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/fixtest.sh"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"

# f_start NAME ADDR MODE [LUA...]: kresd NAME, its restart script and its
# anchorwatch config.
f_start() {
	local name=$1 addr=$2
	h_knot_start "$@"
	h_knot_restart_cmd "$name" "$addr"
	h_ft_config "$H/$name.yaml" knot-resolver "$name" \
	    "$(h_kr_conf "$name")" "$addr" /bin/bash \
	    "$(h_kr_dir "$name")/restart.sh"
}

# ---- stages pre and publish: the agent takes KSK2 through its hold-down ----
f_start kro 127.0.0.32 ro
h_ok "pre: kro answers with AD" h_has_ad 127.0.0.32
h_root_stage publish
h_aw_expect "publish: kro SUCCESSOR_NOT_TRUSTED (agent past its hold-down)" \
    "$H/kro.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"

# ---- stage roll: KSK2 signs ---------------------------------------------------
h_root_stage roll
f_start kman 127.0.0.31 managed
f_start kinl 127.0.0.33 custom \
    "trust_anchors.add('$(awk '$4 == "DS"' "$H/ksk1.ds")')"
for n in kman:31 kro:32 kinl:33; do
	h_ok "roll: ${n%%:*} fails (SERVFAIL)" h_wait_for "${n%%:*} SERVFAIL" \
	    15 h_rcode_is "127.0.0.${n#*:}" SERVFAIL
done
h_aw_expect "roll: kman ANCHOR_STALE, exit 2" "$H/kman.yaml" 2 ANCHOR_STALE \
    "$T"

# ---- refusal: no validated view of the root ---------------------------------
KEYS=$(h_kr_keys kman)
ls -a "$(h_kr_dir kman)/keys" >"$H/kman.ls"
h_ft_keep "$KEYS" "$(h_kr_conf kman)"
h_ft_nostub "$H/nostub.yaml" knot-resolver kman "$(h_kr_conf kman)" \
    127.0.0.31
h_aw "$H/nostub.yaml" fix --apply kman
cp "$H/aw.out" "$H/nostub.out"
h_is "$AW_RC" 2 "refusal: fix --apply exits 2 without a validated root"
h_ok "refusal: FIX_REFUSED" grep -q "FIX_REFUSED" "$H/nostub.out"
h_ok "refusal: root.keys and kresd.conf byte-identical" \
    h_ft_same "$KEYS" "$(h_kr_conf kman)"
h_ok "refusal: nothing added beside root.keys (no backup, no temp)" \
    sh -c "ls -a '$(h_kr_dir kman)/keys' | grep -v '\.orig$' | diff -q - '$H/kman.ls' >/dev/null"

# ---- kman: the managed root.keys ----------------------------------------------
h_ft_dryrun "$H/kman.yaml" kman
h_is "$AW_RC" 1 "kman: the dry run exits 1 (changes to make)"
h_ok "kman: it would add KSK2 to root.keys (KSK1 still published)" \
    grep -qF "kman: would change $KEYS: add $KSK2" "$H/kman.dry"
h_ok "kman: it would restart kresd" grep -qF \
    "kman: would run: /bin/bash $(h_kr_dir kman)/restart.sh" "$H/kman.dry"
h_ok "kman: the dry run changed nothing" h_ft_same "$KEYS"
h_aw "$H/kman.yaml" fix --apply kman
cp "$H/aw.out" "$H/kman.applied"
h_is "$AW_RC" 0 "kman: fix --apply exits 0"
h_ok "kman: FIX_APPLIED, validates again" \
    grep -q "FIX_APPLIED .*validates again" "$H/kman.applied"
# kresd rewrites root.keys after its first good refresh: what fix wrote is
# the copy restart.sh took before restarting it.
h_ok "kman: root.keys equals the original patched with the dry run" \
    h_ft_patched kman "$KEYS" "$(h_kr_dir kman)/at-reload/root.keys"
h_ok "kman: KSK2 Valid in root.keys, as kresd writes it" \
    h_knot_state kman "$KSK2" Valid
h_ok "kman: root.keys keeps its owner (kresd rewrites it)" \
    test "$(stat -c %U "$KEYS")" = knot-resolver
h_ok "kman: a dated backup beside it" \
    sh -c "ls -a '$(dirname "$KEYS")' | grep -q '^\.root\.keys\.anchorwatch-'"
h_ok "kman: answers with AD" h_has_ad 127.0.0.31
h_ok "kman: kresd itself keeps KSK2 Valid after its next refresh" \
    h_wait_for "kman KSK2 Valid" 10 h_knot_state kman "$KSK2" Valid
h_aw "$H/kman.yaml" check
h_ok "kman: check has no anchor finding" h_ft_no_anchor_finding kman
h_ft_dryrun "$H/kman.yaml" kman
h_is "$AW_RC" 0 "kman: a second dry run has nothing to do"

# ---- kro: the read-only key file ------------------------------------------------
RO=$(h_kr_dir kro)/keys/ksk1.key
h_ft_keep "$RO"
h_ft_dryrun "$H/kro.yaml" kro
h_is "$AW_RC" 1 "kro: the dry run exits 1"
h_ok "kro: it would add KSK2 to its key file" \
    grep -qF "kro: would change $RO: add $KSK2" "$H/kro.dry"
h_aw "$H/kro.yaml" fix --apply kro
h_is "$AW_RC" 0 "kro: fix --apply exits 0"
h_ok "kro: the key file equals the original patched with the dry run" \
    h_ft_patched kro "$RO"
h_ok "kro: answers with AD" h_has_ad 127.0.0.32
h_aw "$H/kro.yaml" check
h_ok "kro: check has no anchor finding" h_ft_no_anchor_finding kro
h_ok "kro: check is at worst the STATIC_ANCHOR warning" test "$AW_RC" -le 1

# ---- kinl: anchors in kresd.conf itself -------------------------------------------
CONF=$(h_kr_conf kinl)
ls -a "$(h_kr_dir kinl)" >"$H/kinl.ls"
h_ft_keep "$CONF"
h_ft_dryrun "$H/kinl.yaml" kinl
h_ok "kinl: KSK2's DS is suggested for its trust_anchors.add()" grep -qiF \
    ". IN DS $(awk '$4 == "DS" { print $5, $6, $7, $8 }' "$H/ksk2.ds")" \
    "$H/kinl.dry"
h_not_ok "kinl: no file would change" grep -q "kinl: would change" \
    "$H/kinl.dry"
h_aw "$H/kinl.yaml" fix --apply kinl
h_ok "kinl: kresd.conf is byte-identical" h_ft_same "$CONF"
h_ok "kinl: no file added beside it" \
    sh -c "ls -a '$(h_kr_dir kinl)' | grep -v '\.orig$' | diff -q - '$H/kinl.ls' >/dev/null"
h_ok "kinl: still SERVFAIL" h_rcode_is 127.0.0.33 SERVFAIL
# The operator does what was suggested: one add() of both keys (kresd 5.6
# keeps the records of its last add() only) instead of line 9.
sed -n '/^trust_anchors.add(\[\[$/,/^\]\])$/p' "$H/kinl.dry" >"$H/kinl.sugg"
h_is "$(grep -c ' IN DS ' "$H/kinl.sugg")" 2 \
    "kinl: one add() of KSK1 and KSK2 is suggested"
{ head -n 8 "$CONF.orig"; cat "$H/kinl.sugg"; tail -n +10 "$CONF.orig"; } \
    >"$CONF"
h_ok "kinl: with the suggestion applied by hand, kresd restarts" \
    bash "$(h_kr_dir kinl)/restart.sh"
h_ok "kinl: and answers with AD" h_has_ad 127.0.0.33

# ---- stage revoke: the revoked KSK1 leaves kro's key file ----------------------
h_root_stage revoke
h_aw_expect "revoke: kro REVOKED_STILL_TRUSTED" "$H/kro.yaml" 1 \
    REVOKED_STILL_TRUSTED "$T"
h_ft_keep "$RO"
h_ft_dryrun "$H/kro.yaml" kro
h_ok "revoke: kro would remove KSK1 $KSK1" \
    grep -qF "kro: would change $RO: remove $KSK1" "$H/kro.dry"
h_aw "$H/kro.yaml" fix --apply kro
h_is "$AW_RC" 0 "revoke: kro fix --apply exits 0"
h_ok "revoke: the key file equals the original patched with the dry run" \
    h_ft_patched kro "$RO"
h_ok "revoke: answers with AD" h_has_ad 127.0.0.32
h_aw "$H/kro.yaml" check
h_ok "revoke: kro check has no anchor finding" h_ft_no_anchor_finding kro

[ "$H_NFAIL" -gt 0 ] && h_knot_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
