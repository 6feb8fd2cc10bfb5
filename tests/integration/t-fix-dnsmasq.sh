#!/bin/bash
#
# t-fix-dnsmasq.sh: `anchorwatch fix` repairs real dnsmasq 2.90 daemons on
# the local signed root (RFC 7583 stages).  dnsmasq has no RFC 5011 and
# reads its trust-anchor= options only when it starts.
#
#	fix1	KSK1's trust-anchor= in a conf-dir file, and one of a key
#		the root does not publish: misses the roll (SERVFAIL); fix
#		removes the one, adds KSK2 there, the daemon is restarted
#		and validates again
#	main1	KSK1's trust-anchor= in the main dnsmasq.conf: fix refuses
#		(the main configuration is never written) and prints the
#		included file to create; no file changes
#
# In the namespace there is no systemd: resolvers[].reload names
# tests/harness/restart, which restarts the harness's daemon as
# `systemctl restart dnsmasq` would.  After KSK1's revocation, fix removes
# KSK1 from fix1.  The revoked set (three keys, two signatures) is over
# 1232 bytes and dnsmasq 2.90 takes a truncated answer as it is and fails
# whatever its anchors: here nsd answers up to 4096 bytes over UDP
# (H_NSD_EDNS) and fix1 asks for that much (edns-packet-max).  TAP on stdout.  AW_KEEP=1 keeps the
# work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/dnsmasq.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/fix.sh"
if ! command -v dnsmasq >/dev/null 2>&1; then
	echo "1..0 # SKIP dnsmasq not installed"
	exit 0
fi
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T=${AW_TIMEOUT:-30}

# t_config FILE NAME ADDR: anchorwatch.yaml for dnsmasq NAME, probed at
# ADDR, reloaded by the harness's restart.
t_config() {
	h_aw_config_typed "$1" -- "dnsmasq:$2:$(h_dnsmasq_conf "$2")"
	h_fix_config "$1" "$3" "$H_TOP/tests/harness/restart" dnsmasq "$2" "$H"
}

# t_state DIR: every file under DIR but pid files and logs, with its hash.
t_state() {
	find "$1" -type f ! -name pid ! -name '*.pid' ! -name '*.log' \
	    ! -name '*.out' -print0 | sort -z | xargs -0 sha256sum
}

H_NSD_EDNS=4096
h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
h_diag "root keys: KSK1 $KSK1, KSK2 $KSK2"
ta=$H/dnsmasq/fix1.d/root.conf
mkdir -p "$H/dnsmasq/fix1.d"
{
	echo "# the root's trust anchors, by hand"
	echo "trust-anchor=$(h_dnsmasq_ta ksk1)   # KSK1"
	echo "# KSK-2017 of the real root, never in the local one"
	echo "trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"
	echo "# end"
} >"$ta"
h_dnsmasq_start fix1 127.0.0.45 dnssec "conf-dir=$H/dnsmasq/fix1.d" \
    edns-packet-max=4096
h_dnsmasq_start main1 127.0.0.46 dnssec "trust-anchor=$(h_dnsmasq_ta ksk1)"
t_config "$H/fix1.yaml" fix1 127.0.0.45
t_config "$H/main1.yaml" main1 127.0.0.46
h_ok "pre: fix1 answers with AD" h_has_ad 127.0.0.45
h_aw_expect "pre: fix1 OK, exit 0" "$H/fix1.yaml" 0 - "$T"
h_aw "$H/fix1.yaml" fix
h_is "$AW_RC" 1 "pre: the dry run has a change for fix1 (exit 1)"
h_ok "pre: only the removal of 20326, nothing to add" \
    grep -qxF "fix1: would change $ta: remove 20326" "$H/aw.out"
h_aw "$H/main1.yaml" fix
h_is "$AW_RC" 0 "pre: fix has nothing to do for main1 (exit 0)"

# ---- the roll: KSK2 signs, fix1 and main1 trust KSK1 only -------------------
h_root_stage publish
h_aw_expect "publish: fix1 SUCCESSOR_NOT_TRUSTED" \
    "$H/fix1.yaml" 1 SUCCESSOR_NOT_TRUSTED "$T"
h_root_stage roll
# dnsmasq keeps the DNSKEY set it validated until its cache is cleared
sleep 3
for n in fix1 main1; do
	kill -HUP "$(h_pid_of "dnsmasq-$n")"
done
h_ok "roll: fix1 fails to resolve (SERVFAIL)" \
    h_wait_for "fix1 SERVFAIL" 15 h_rcode_is 127.0.0.45 SERVFAIL
h_ok "roll: main1 fails to resolve (SERVFAIL)" \
    h_wait_for "main1 SERVFAIL" 15 h_rcode_is 127.0.0.46 SERVFAIL
h_aw_expect "roll: fix1 ANCHOR_STALE, exit 2" \
    "$H/fix1.yaml" 2 ANCHOR_STALE "$T"

# ---- fix1: the dry run, then --apply ------------------------------------------
cp "$ta" "$H/root.conf.orig"
state_before=$(t_state "$H/dnsmasq")
h_aw "$H/fix1.yaml" fix
cp "$H/aw.out" "$H/dry1.out"
h_diag <"$H/dry1.out"
h_is "$AW_RC" 1 "dry run: changes pending (exit 1)"
h_ok "dry run: removes 20326 (not in the root) and adds KSK2" \
    grep -qF "fix1: would change $ta: remove 20326, add $KSK2" \
    "$H/dry1.out"
h_ok "dry run: names the restart it would run" \
    grep -qF "fix1: would run: $H_TOP/tests/harness/restart dnsmasq fix1 $H" \
    "$H/dry1.out"
h_is "$(t_state "$H/dnsmasq")" "$state_before" "dry run: no file changed"
h_fix_diff "$H/dry1.out" fix1 >"$H/dry1.diff"
h_ok "dry run: its diff applies to the file (patch -o)" \
    patch -s -o "$H/root.conf.want" "$H/root.conf.orig" "$H/dry1.diff"
old_pid=$(cat "$(h_dnsmasq_dir fix1)/pid")
h_aw "$H/fix1.yaml" fix --apply
h_diag <"$H/aw.out"
h_is "$AW_RC" 0 "apply: exit 0"
h_dnsmasq_adopt fix1
h_ok "apply: the file is the original patched with the dry run's diff" \
    cmp "$ta" "$H/root.conf.want"
h_ok "apply: FIX_APPLIED, validates again" \
    grep -Eq "FIX_APPLIED .*validates again" "$H/aw.out"
h_not_ok "apply: the daemon was restarted (a new pid)" \
    test "$(cat "$(h_dnsmasq_dir fix1)/pid")" = "$old_pid"
h_ok "apply: fix1 answers with AD" \
    h_wait_for "fix1 AD" 15 h_has_ad 127.0.0.45
set -- "$H"/dnsmasq/fix1.d/.root.conf.anchorwatch-*
h_ok "apply: the backup is beside it, hidden" test -f "$1"
h_ok "apply: the backup is the original" cmp "$1" "$H/root.conf.orig"
h_aw_expect "apply: fix1 OK (no anchor finding), exit 0" \
    "$H/fix1.yaml" 0 - "$T"
h_aw "$H/fix1.yaml" fix
h_is "$AW_RC" 0 "apply: fix has nothing more to do"

# The backup's leading dot keeps it out of conf-dir: the same bad line
# under the backup's name is skipped by dnsmasq, without the dot it is read.
bad=anchorwatch-20990101T000000Z
echo "no-such-option" >"$H/dnsmasq/fix1.d/.root.conf.$bad"
h_ok "conf-dir: dnsmasq skips a file named as a backup (.NAME.$bad)" \
    dnsmasq --test -C "$(h_dnsmasq_conf fix1)"
mv "$H/dnsmasq/fix1.d/.root.conf.$bad" "$H/dnsmasq/fix1.d/root.conf.$bad"
h_not_ok "conf-dir: without the dot dnsmasq reads it (and refuses)" \
    dnsmasq --test -C "$(h_dnsmasq_conf fix1)"
rm -f "$H/dnsmasq/fix1.d/root.conf.$bad"

# ---- main1: every anchor in the main configuration: refused ------------------
state_before=$(t_state "$H/dnsmasq")
h_aw "$H/main1.yaml" fix
cp "$H/aw.out" "$H/dry-main1.out"
h_diag <"$H/aw.out"
h_is "$AW_RC" 2 "main1: fix refuses (exit 2)"
h_ok "main1: FIX_REFUSED says the main configuration is never changed" \
    grep -q "FIX_REFUSED .*fix never changes the main configuration" \
    "$H/aw.out"
h_ok "main1: the conf-file= line to add is printed" \
    grep -qxF "conf-file=$(h_dnsmasq_dir main1)/trust-anchors.conf" \
    "$H/aw.out"
h_ok "main1: and KSK2's trust-anchor= for it" \
    grep -qixF "trust-anchor=$(h_dnsmasq_ta ksk2)" "$H/aw.out"
h_aw "$H/main1.yaml" fix --apply
h_is "$AW_RC" 2 "main1: fix --apply refuses (exit 2)"
h_is "$(t_state "$H/dnsmasq")" "$state_before" \
    "main1: every file is byte-identical"
h_ok "main1: still SERVFAIL" h_rcode_is 127.0.0.46 SERVFAIL

# ---- the revocation: fix1 trusts KSK1 (revoked) and KSK2; fix removes KSK1 --
h_root_stage revoke
sleep 3
kill -HUP "$(h_pid_of "dnsmasq-fix1")"
h_ok "revoke: fix1 still answers with AD (KSK2 signs)" \
    h_wait_for "fix1 AD" 15 h_has_ad 127.0.0.45
h_aw_expect "revoke: fix1 REVOKED_STILL_TRUSTED" \
    "$H/fix1.yaml" 1 REVOKED_STILL_TRUSTED "$T"
cp "$ta" "$H/root.conf.orig2"
h_aw "$H/fix1.yaml" fix
cp "$H/aw.out" "$H/dry2.out"
h_diag <"$H/dry2.out"
h_is "$AW_RC" 1 "revoke: the dry run removes KSK1 (exit 1)"
h_ok "revoke: it says so" \
    grep -qxF "fix1: would change $ta: remove $KSK1" "$H/dry2.out"
h_fix_diff "$H/dry2.out" fix1 >"$H/dry2.diff"
patch -s -o "$H/root.conf.want2" "$H/root.conf.orig2" "$H/dry2.diff"
h_aw "$H/fix1.yaml" fix --apply
h_diag <"$H/aw.out"
h_is "$AW_RC" 0 "revoke: apply: exit 0"
h_dnsmasq_adopt fix1
h_ok "revoke: the file is the original patched with the dry run's diff" \
    cmp "$ta" "$H/root.conf.want2"
h_not_ok "revoke: KSK1 is gone from it" \
    grep -qiF "$(h_dnsmasq_ta ksk1)" "$ta"
h_ok "revoke: fix1 answers with AD after its restart" \
    h_wait_for "fix1 AD" 15 h_has_ad 127.0.0.45
h_aw_expect "revoke: fix1 OK (no anchor finding), exit 0" \
    "$H/fix1.yaml" 0 - "$T"

if [ "$H_NFAIL" -gt 0 ]; then
	h_dnsmasq_dump_logs
fi
h_diag "integration run took $(($(h_now) - t_start)) s"
h_done
