#!/bin/bash
#
# t-fix-pdns.sh: `anchorwatch fix` repairs real PowerDNS Recursor 4.8
# daemons broken by a root KSK roll (issue 10) on the harness's local
# signed root.  The Recursor has no RFC 5011: its anchors are what its Lua
# config says.
#
#	plua	clearTA(); addTA('.', DS of KSK1): SERVFAIL after the roll;
#		fix adds addTA('.', DS of KSK2) after it (luascan-write.c),
#		and at the revoke stage removes the revoked KSK1's call
#	pfile	readTrustAnchorsFromFile(root.ds), KSK1's DS: fix adds KSK2's
#		DS to that file (zonefile-write.c)
#	pvar	addTA('.', ksk1), a Lua variable: Lua is not run, so the
#		anchor cannot be known; fix refuses and changes nothing
# and a refusal: with no validated view of the root (the agent's stub
# does not answer) fix refuses and every file stays byte-identical.
#
# The reload is the default, `rec_control reload-lua-config`, given the
# daemon's socket-dir: 4.8 runs the Lua config again, and with it
# readTrustAnchorsFromFile, as pfile shows.  For each repair: the dry
# run's diff, applied with patch(1), is exactly what --apply writes; the
# daemon answers with AD again; `check` has no anchor finding for it.
# TAP on stdout; AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/pdns.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/fixtest.sh"
h_need pdns_recursor rec_control patch
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

# f_start NAME ADDR LUA...: pdns_recursor NAME and its anchorwatch config,
# reloaded with rec_control at its socket-dir.
f_start() {
	local name=$1 addr=$2
	h_pdns_start "$@"
	h_ft_config "$H/$name.yaml" pdns-recursor "$name" \
	    "$(h_pdns_conf "$name")" "$addr" /usr/bin/rec_control \
	    "--socket-dir=$(h_pdns_dir "$name")" reload-lua-config
}

mkdir -p "$(h_pdns_dir pfile)"
printf '; the root DS, by hand\n. IN DS %s\n' "$(ds_of ksk1)" \
    >"$(h_pdns_dir pfile)/root.ds"
f_start plua 127.0.0.41 "-- KSK1 only" "clearTA()" \
    "addTA('.', \"$(ds_of ksk1)\")" "addNTA('example.net', 'kept')"
f_start pfile 127.0.0.42 \
    "readTrustAnchorsFromFile('$(h_pdns_dir pfile)/root.ds')"
f_start pvar 127.0.0.43 "local ksk1 = \"$(ds_of ksk1)\"" "clearTA()" \
    "addTA('.', ksk1)"
h_ok "pre: plua answers with AD" h_has_ad 127.0.0.41
h_ok "pre: pfile answers with AD" h_has_ad 127.0.0.42
h_ok "pre: pvar answers with AD" h_has_ad 127.0.0.43

# ---- stage publish: the agent takes KSK2 through its hold-down --------------
h_root_stage publish
h_aw_expect "publish: plua SUCCESSOR_NOT_TRUSTED (agent past its hold-down)" \
    "$H/plua.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"

# ---- stage roll: KSK2 signs ---------------------------------------------------
h_root_stage roll
for n in plua:41 pfile:42 pvar:43; do
	h_ok "roll: ${n%%:*} fails (SERVFAIL)" h_wait_for "${n%%:*} SERVFAIL" \
	    15 h_rcode_is "127.0.0.${n#*:}" SERVFAIL
done
h_aw_expect "roll: plua ANCHOR_STALE, exit 2" "$H/plua.yaml" 2 ANCHOR_STALE \
    "$T"

# ---- refusal: no validated view of the root ---------------------------------
LUA=$(h_pdns_dir plua)/recursor.lua
ls -a "$(h_pdns_dir plua)" >"$H/plua.ls"
h_ft_keep "$LUA" "$(h_pdns_conf plua)"
h_ft_nostub "$H/nostub.yaml" pdns-recursor plua "$(h_pdns_conf plua)" \
    127.0.0.41
h_aw "$H/nostub.yaml" fix --apply plua
cp "$H/aw.out" "$H/nostub.out"
h_is "$AW_RC" 2 "refusal: fix --apply exits 2 without a validated root"
h_ok "refusal: FIX_REFUSED" grep -q "FIX_REFUSED" "$H/nostub.out"
h_ok "refusal: recursor.lua and recursor.conf byte-identical" \
    h_ft_same "$LUA" "$(h_pdns_conf plua)"
h_ok "refusal: nothing added beside them (no backup, no temp)" \
    sh -c "ls -a '$(h_pdns_dir plua)' | grep -v '\.orig$' | diff -q - '$H/plua.ls' >/dev/null"

# ---- plua: root addTA calls of the Lua config ----------------------------------
h_ft_dryrun "$H/plua.yaml" plua
h_is "$AW_RC" 1 "plua: the dry run exits 1 (changes to make)"
h_ok "plua: it would add KSK2 to recursor.lua (KSK1 still published)" \
    grep -qF "plua: would change $LUA: add $KSK2" "$H/plua.dry"
h_ok "plua: it would run rec_control reload-lua-config" grep -qF \
    "plua: would run: /usr/bin/rec_control --socket-dir=$(h_pdns_dir plua) reload-lua-config" \
    "$H/plua.dry"
h_ok "plua: the dry run changed nothing" h_ft_same "$LUA"
h_aw "$H/plua.yaml" fix --apply plua
cp "$H/aw.out" "$H/plua.applied"
h_is "$AW_RC" 0 "plua: fix --apply exits 0"
h_ok "plua: FIX_APPLIED, validates again" \
    grep -q "FIX_APPLIED .*validates again" "$H/plua.applied"
h_ok "plua: recursor.lua equals the original patched with the dry run" \
    h_ft_patched plua "$LUA"
h_ok "plua: addNTA and the comment are still there" \
    sh -c "grep -qF \"addNTA('example.net', 'kept')\" '$LUA' && grep -qF -- '-- KSK1 only' '$LUA'"
h_ok "plua: answers with AD" h_has_ad 127.0.0.41
h_pdns_rec_control plua get-tas >"$H/plua.tas" 2>&1
h_ok "plua: rec_control get-tas lists KSK2 $KSK2" \
    grep -Eq "^[[:space:]]+$KSK2 " "$H/plua.tas"
h_aw "$H/plua.yaml" check
h_ok "plua: check has no anchor finding" h_ft_no_anchor_finding plua
h_ft_dryrun "$H/plua.yaml" plua
h_is "$AW_RC" 0 "plua: a second dry run has nothing to do"

# ---- pfile: the file readTrustAnchorsFromFile reads ----------------------------
DSF=$(h_pdns_dir pfile)/root.ds
h_ft_keep "$DSF" "$(h_pdns_dir pfile)/recursor.lua"
h_ft_dryrun "$H/pfile.yaml" pfile
h_is "$AW_RC" 1 "pfile: the dry run exits 1"
h_ok "pfile: it would add KSK2 to root.ds" \
    grep -qF "pfile: would change $DSF: add $KSK2" "$H/pfile.dry"
h_aw "$H/pfile.yaml" fix --apply pfile
h_is "$AW_RC" 0 "pfile: fix --apply exits 0"
h_ok "pfile: root.ds equals the original patched with the dry run" \
    h_ft_patched pfile "$DSF"
h_ok "pfile: its Lua config is byte-identical" \
    h_ft_same "$(h_pdns_dir pfile)/recursor.lua"
h_ok "pfile: reload-lua-config read the file again: AD" \
    h_has_ad 127.0.0.42
h_aw "$H/pfile.yaml" check
h_ok "pfile: check has no anchor finding" h_ft_no_anchor_finding pfile

# ---- pvar: an addTA whose DS is a Lua variable -----------------------------------
# Lua is not run: the anchor cannot be known, so it is not rewritten.
h_ft_keep "$(h_pdns_dir pvar)/recursor.lua" "$(h_pdns_conf pvar)"
h_aw "$H/pvar.yaml" fix --apply pvar
cp "$H/aw.out" "$H/pvar.out"
h_is "$AW_RC" 2 "pvar: fix --apply exits 2 (refused)"
h_ok "pvar: FIX_REFUSED says the configuration cannot be read" \
    grep -q "FIX_REFUSED .*not literal" "$H/pvar.out"
h_ok "pvar: recursor.lua and recursor.conf byte-identical" \
    h_ft_same "$(h_pdns_dir pvar)/recursor.lua" "$(h_pdns_conf pvar)"

# ---- stage revoke: the revoked KSK1's addTA goes ----------------------------------
h_root_stage revoke
h_aw_expect "revoke: plua REVOKED_STILL_TRUSTED" "$H/plua.yaml" 1 \
    REVOKED_STILL_TRUSTED "$T"
h_ft_keep "$LUA"
h_ft_dryrun "$H/plua.yaml" plua
h_ok "revoke: plua would remove KSK1 $KSK1" \
    grep -qF "plua: would change $LUA: remove $KSK1" "$H/plua.dry"
h_aw "$H/plua.yaml" fix --apply plua
h_is "$AW_RC" 0 "revoke: plua fix --apply exits 0"
h_ok "revoke: recursor.lua equals the original patched with the dry run" \
    h_ft_patched plua "$LUA"
h_not_ok "revoke: no addTA of KSK1 left" grep -qiF "$(ds_of ksk1)" "$LUA"
h_ok "revoke: plua answers with AD" h_has_ad 127.0.0.41
h_aw "$H/plua.yaml" check
h_ok "revoke: plua check has no anchor finding" h_ft_no_anchor_finding plua

[ "$H_NFAIL" -gt 0 ] && h_pdns_dump_logs
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
