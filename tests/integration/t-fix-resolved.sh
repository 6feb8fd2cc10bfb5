#!/bin/bash
#
# t-fix-resolved.sh: `anchorwatch fix` repairs real systemd-resolved 252
# daemons on the local signed root (RFC 7583 stages).  resolved has no RFC
# 5011 and reads dnssec-trust-anchors.d only when it starts.
#
#	stale1	root.positive in /etc holds KSK1's DS: misses the roll
#		(SERVFAIL); fix adds KSK2's DS there, the daemon is
#		restarted and validates again; after KSK1's revocation fix
#		removes its DS
#	bi1	no positive file: the built-in anchors (the real root's
#		keys, useless on the local root); fix creates
#		/etc/dnssec-trust-anchors.d/root.positive with the local
#		root's keys, which turns them off
#	mask1	the built-in anchors and a masked root.positive in /etc
#		(a link to /dev/null): fix refuses, no file changes
#
# Each daemon runs in its own mount namespace over an overlay of its tree's
# /etc (tests/harness/resolved.sh); there is no systemd, so
# resolvers[].reload names tests/harness/restart, which restarts it as
# `systemctl restart systemd-resolved` would.  Without the unpacked daemon
# the test is skipped.  TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/resolved.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/fix.sh"
if ! why=$(h_resolved_usable); then
	echo "1..0 # SKIP $why"
	exit 0
fi
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

# t_config NAME: anchorwatch.yaml ($H/NAME.yaml) for resolved NAME, probed
# at its stub, reloaded by the harness's restart.
t_config() {
	h_aw_config_typed "$H/$1.yaml" -- \
	    "systemd-resolved:$1:$(h_resolved_conf "$1")"
	h_fix_config "$H/$1.yaml" "$(cat "$(h_resolved_dir "$1")/addr")" \
	    "$H_TOP/tests/harness/restart" resolved "$1" "$H"
}

# t_state: every file of the resolved trees, with its hash (and links).
t_state() {
	find "$H/resolved" -path '*/tree/*' \( -type f -o -type l \) -print0 |
	    sort -z | xargs -0 ls -l --time-style=+ | awk '{ print $1, $NF }'
	find "$H/resolved" -path '*/tree/*' -type f -print0 | sort -z |
	    xargs -0 sha256sum
}

# t_fix NAME ADDR FILE: the dry run (its diff applies to FILE, or to an
# empty file if FILE is not there yet), --apply, and the checks after.
t_fix() {
	local name=$1 addr=$2 file=$3 old_pid
	if [ -f "$file" ]; then
		cp "$file" "$H/$name.orig"
	else
		: >"$H/$name.orig"
	fi
	h_aw "$H/$name.yaml" fix
	cp "$H/aw.out" "$H/$name.dry"
	h_diag <"$H/$name.dry"
	h_is "$AW_RC" 1 "$name: dry run: changes pending (exit 1)"
	h_fix_diff "$H/$name.dry" "$name" >"$H/$name.diff"
	h_ok "$name: dry run: its diff applies (patch -o)" \
	    patch -s -o "$H/$name.want" "$H/$name.orig" "$H/$name.diff"
	old_pid=$(cat "$(h_resolved_dir "$name")/pid")
	h_aw "$H/$name.yaml" fix --apply
	h_diag <"$H/aw.out"
	h_is "$AW_RC" 0 "$name: apply: exit 0"
	h_resolved_adopt "$name"
	h_ok "$name: apply: the file is the original patched with the diff" \
	    cmp "$file" "$H/$name.want"
	h_ok "$name: apply: FIX_APPLIED, validates again" \
	    grep -Eq "FIX_APPLIED .*validates again" "$H/aw.out"
	h_not_ok "$name: apply: the daemon was restarted (a new pid)" \
	    test "$(cat "$(h_resolved_dir "$name")/pid")" = "$old_pid"
	h_ok "$name: apply: answers with AD" \
	    h_wait_for "$name AD" 15 h_has_ad "$addr"
	h_aw_expect "$name: apply: OK (no anchor finding), exit 0" \
	    "$H/$name.yaml" 0 - "$T"
}

h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2; $("$H_RS_BIN" --version | head -n 1)"
tad=dnssec-trust-anchors.d
h_resolved_setup stale1 127.0.0.67 ksk1
h_resolved_setup bi1 127.0.0.68
rm "$(h_resolved_tree bi1)/etc/$tad/root.positive"
h_resolved_setup mask1 127.0.0.69
ln -sf /dev/null "$(h_resolved_tree mask1)/etc/$tad/root.positive"
for n in stale1 bi1 mask1; do
	h_resolved_start "$n"
	t_config "$n"
done
h_ok "pre: stale1 answers with AD" h_has_ad 127.0.0.67
h_ok "pre: bi1 (the real root's built-in keys) fails (SERVFAIL)" \
    h_rcode_is 127.0.0.68 SERVFAIL
h_aw_expect "pre: stale1 OK, exit 0" "$H/stale1.yaml" 0 - "$T"

# ---- the roll: KSK2 signs ------------------------------------------------------
h_root_stage publish
h_aw_expect "publish: stale1 SUCCESSOR_NOT_TRUSTED" \
    "$H/stale1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_root_stage roll
h_ok "roll: stale1 fails to resolve (SERVFAIL)" \
    h_wait_for "stale1 SERVFAIL" 15 h_rcode_is 127.0.0.67 SERVFAIL
h_aw_expect "roll: stale1 ANCHOR_STALE, exit 2" \
    "$H/stale1.yaml" 2 ANCHOR_STALE "$T"

# ---- stale1: KSK2's DS added to its root.positive -----------------------------
f=$(h_resolved_tree stale1)/etc/$tad/root.positive
state_before=$(t_state)
h_aw "$H/stale1.yaml" fix
h_is "$(t_state)" "$state_before" "stale1: the dry run changes no file"
h_ok "stale1: the dry run names the file and KSK2" \
    grep -qF "stale1: would change $f: add $KSK2" "$H/aw.out"
t_fix stale1 127.0.0.67 "$f"
h_is "$(h_resolved_ta_tags stale1 | tr '\n' ' ')" \
    "$(printf '%s\n' "$KSK1" "$KSK2" | sort -n | tr '\n' ' ')" \
    "stale1: the restarted daemon logs KSK1's and KSK2's DS"
set -- "$(h_resolved_tree stale1)/etc/$tad/".root.positive.anchorwatch-*
h_ok "stale1: the backup is beside it, hidden" test -f "$1"

# ---- bi1: a root.positive replaces the built-in anchors -----------------------
f=$(h_resolved_tree bi1)/etc/$tad/root.positive
h_aw "$H/bi1.yaml" fix
h_ok "bi1: the dry run would create root.positive" \
    grep -qF "bi1: would create $f: " "$H/aw.out"
h_ok "bi1: ... replacing the built-in anchors" \
    grep -qF "replaces the built-in anchors" "$H/aw.out"
t_fix bi1 127.0.0.68 "$f"
h_is "$(h_resolved_ta_tags bi1 | tr '\n' ' ')" \
    "$(printf '%s\n' "$KSK1" "$KSK2" | sort -n | tr '\n' ' ')" \
    "bi1: the restarted daemon logs KSK1's and KSK2's DS only"

# ---- mask1: a masked root.positive is not replaced: refused --------------------
state_before=$(t_state)
h_aw "$H/mask1.yaml" fix
h_diag <"$H/aw.out"
h_is "$AW_RC" 2 "mask1: fix refuses (exit 2)"
h_ok "mask1: FIX_REFUSED names the masked file" \
    grep -q "FIX_REFUSED .*root.positive: not a regular file (masked?)" \
    "$H/aw.out"
h_aw "$H/mask1.yaml" fix --apply
h_is "$AW_RC" 2 "mask1: fix --apply refuses (exit 2)"
h_is "$(t_state)" "$state_before" "mask1: every file is byte-identical"
h_ok "mask1: still a link to /dev/null" \
    test -L "$(h_resolved_tree mask1)/etc/$tad/root.positive"

# ---- after KSK1's revocation: stale1's KSK1 DS is removed ---------------------
# t_removes: the dry run removes KSK1 from stale1 (once the agent saw it
# revoked).
# shellcheck disable=SC2317 # called through h_wait_for
t_removes() {
	h_aw "$H/stale1.yaml" fix
	[ "$AW_RC" = 1 ] && grep -qxF "stale1: would change $f: remove $KSK1" \
	    "$H/aw.out"
}
f=$(h_resolved_tree stale1)/etc/$tad/root.positive
h_root_stage revoke
h_ok "revoke: stale1 still answers with AD (KSK2 signs)" \
    h_wait_for "stale1 AD" 15 h_has_ad 127.0.0.67
h_ok "revoke: the dry run removes KSK1's DS (exit 1)" \
    h_wait_for "fix removing KSK1" "$T" t_removes
t_fix stale1 127.0.0.67 "$f"
h_is "$(h_resolved_ta_tags stale1 | tr '\n' ' ')" "$KSK2 " \
    "revoke: the restarted daemon logs KSK2's DS only"

if [ "$H_NFAIL" -gt 0 ]; then
	h_resolved_dump_logs
fi
for n in stale1 bi1 mask1; do
	h_resolved_stop "$n"
done
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
