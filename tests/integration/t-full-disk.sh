#!/bin/bash
#
# t-full-disk.sh: the agent's own anchor survives a full disk (issue 12).
# state_dir is a small tmpfs mounted in the test's own mount namespace;
# the agent validates the local signed root (stage "pre") with libunbound,
# which rewrites state_dir/root.key after each probe.  Once the tmpfs is
# filled, libunbound's write of root.key fails and it renames an empty
# file into place: before issue 12 that run said OK and every later run
# failed ("initialization failure", ROOT_UNREACHABLE) and never re-seeded.
#
#   1. a run on free space: OK, root.key.good kept beside root.key;
#   2. the disk full: each run still validates, says AGENT_ANCHOR_RESTORED
#      (WARNING) in check, status, --json and run's syslog, and leaves a
#      usable root.key; nothing is ROOT_UNREACHABLE;
#   3. space again: the next run is OK, with no finding;
#   4. a root.key cut inside its key, and no good copy: seeded again from the
#      bootstrap file, said so, and validating.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init
h_root_stage pre

S=$H/small
mkdir -m 0755 "$S"
mount -t tmpfs -o size=64k,nr_inodes=64,mode=0755 tmpfs "$S" ||
    h_bail "cannot mount a tmpfs on $S"
h_aw_config "$H/aw.yaml" state="$S"

# t_usable: root.key holds KSK1 (not empty, not cut).
t_usable() {
	grep -q "DNSKEY.*257" "$S/root.key" && grep -q ";;state=2" "$S/root.key"
}

# t_fill: write until the tmpfs is full.
t_fill() {
	dd if=/dev/zero of="$S/fill" bs=4k 2>/dev/null
	! dd if=/dev/zero of="$S/fill2" bs=1 count=1 2>/dev/null
}

# t_validates DESC: the last check validated the root and restored the
# anchor: exit 1, AGENT_ANCHOR_RESTORED, no ROOT_UNREACHABLE.
t_validates() {
	h_is "$AW_RC" 1 "$1: exit 1 (a WARNING)"
	h_ok "$1: WARNING AGENT_ANCHOR_RESTORED, from the good copy" \
	    grep -q "^WARNING AGENT_ANCHOR_RESTORED resolver=-.*restored from $S/root.key.good" \
	    "$H/aw.out"
	h_not_ok "$1: no ROOT_UNREACHABLE" h_aw_has ROOT_UNREACHABLE
	h_ok "$1: the root validated: its signing key counted" \
	    grep -q "^ANCHORWATCH WARNING - .*root_signers=1;" "$H/aw.out"
	h_ok "$1: root.key usable after the run" t_usable
}

# ---- 1. free space ---------------------------------------------------------

h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "free space: exit 0"
h_aw_show
h_ok "free space: root.key usable" t_usable
h_ok "free space: root.key.good kept, the same content" \
    cmp -s "$S/root.key" "$S/root.key.good"

# ---- 2. the disk full ------------------------------------------------------

h_ok "the tmpfs is full" t_fill
h_aw "$H/aw.yaml" check
h_aw_show
t_validates "full, first run"
h_ok "full: the message says what was wrong with the file" \
    grep -q "AGENT_ANCHOR_RESTORED .*unusable after libunbound rewrote it (libunbound could not write it: a full disk?): $S/root.key: no root DNSKEY or DS in it (empty or cut short)" \
    "$H/aw.out"
h_ok "full: said on stderr too" grep -q "restored from $S/root.key.good" \
    "$H/aw.err"
h_aw "$H/aw.yaml" check
t_validates "full, second run"
h_aw "$H/aw.yaml" status
h_ok "full, status: the finding" grep -q "AGENT_ANCHOR_RESTORED" "$H/aw.out"
h_aw "$H/aw.yaml" --json status
h_ok "full, status --json: the finding, as a WARNING" \
    jq -e '[.findings[] | select(.code == "AGENT_ANCHOR_RESTORED" and
    .severity == "WARNING")] | length == 1' "$H/aw.out"
if h_syslog_start; then
	h_aw_devlog "$H/aw.yaml" run
	h_syslog_sync
	h_ok "full, run: syslog has the finding" \
	    sh -c "h() { :; }; grep -q 'WARNING AGENT_ANCHOR_RESTORED resolver=- keytag=- msgid=AW125' '$H/syslog.out'"
	h_syslog_lines | grep AGENT | h_diag
else
	h_pass "full, run: # SKIP no socat for syslog"
fi
h_ok "full, run: root.key usable" t_usable

# ---- 3. space again --------------------------------------------------------

rm -f "$S/fill" "$S/fill2"
h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "space again: exit 0"
h_aw_show
h_not_ok "space again: no AGENT_ANCHOR_RESTORED" h_aw_has AGENT_ANCHOR_RESTORED
h_ok "space again: root.key.good follows root.key" \
    cmp -s "$S/root.key" "$S/root.key.good"

# ---- 4. cut short, and no good copy ---------------------------------------

rm -f "$S/root.key.good"
awk '/DNSKEY/ { print substr($0, 1, 60); exit } { print }' "$S/root.key" \
    >"$H/cut.key"
cat "$H/cut.key" >"$S/root.key"		# cut inside the key
h_aw "$H/aw.yaml" check
h_aw_show
h_is "$AW_RC" 1 "cut short, no good copy: exit 1 (a WARNING)"
h_ok "cut short: seeded again from the bootstrap file, and said so" \
    grep -q "^WARNING AGENT_ANCHOR_RESTORED .*seeded again from $H/ksk1.key" \
    "$H/aw.out"
h_not_ok "cut short: no ROOT_UNREACHABLE" h_aw_has ROOT_UNREACHABLE
h_ok "cut short: root.key usable again" t_usable
h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "cut short, the run after: exit 0"
umount "$S"
h_done
