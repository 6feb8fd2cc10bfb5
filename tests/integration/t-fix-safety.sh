#!/bin/bash
#
# t-fix-safety.sh: `anchorwatch fix --apply` never leaves an anchor file
# half-written, whatever happens while it writes (issue 10, "Safety").  A
# static unbound anchor file missing the new KSK sits on a small tmpfs of
# its own, in the test's private mount namespace; the agent knows KSK2
# from its own SECURE view of the local root (published, past the agent's
# 3 s hold-down).  Then:
#	full disk	the tmpfs is filled: exit 2, the file as it was
#	read-only	the tmpfs is remounted read-only: the same
#	kill -9		fix is killed at random moments, 30 times: the file is
#			always either the old one or the whole new one, and
#			every other file in the directory is a whole backup
#	two at once	two fix --apply together: the new file, one backup
# and where it succeeds: owner and mode kept, backup beside it with the
# old content, owner and mode, the dry run's diff is what was written.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init
h_root_stage publish
KSK2=$(h_tag ksk2)

# The resolver: unbound's files only (nothing here needs the daemon), its
# anchor file on a 256 KiB tmpfs.
D=$H/ta
mkdir -p "$D"
mount -t tmpfs -o size=256k,mode=0755 aw-fix-tmpfs "$D" ||
    h_bail "cannot mount a tmpfs on $D"
cp "$H/ksk1.key" "$D/root.static"
chown unbound:unbound "$D/root.static"
chmod 0640 "$D/root.static"
cp -p "$D/root.static" "$H/orig"
cat >"$H/unbound.conf" <<EOF
server:
	trust-anchor-file: "$D/root.static"
EOF
CONF=$H/aw.yaml
h_aw_config_typed "$CONF" -- "unbound:stat1:$H/unbound.conf"
printf '    reload: [/bin/true]\n' >>"$CONF"

# Until the agent's history has seen KSK2 for its hold-down, the dry run
# plans nothing (KSK2 is kept, not added).
h_wait_for "the agent trusts KSK2 for repairs" 30 sh -c \
    "'$AW_BIN' -c '$CONF' fix >'$H/dry.out' 2>&1; [ \$? = 1 ]" ||
    { h_diag <"$H/dry.out"; h_bail "fix never planned adding KSK2"; }
h_ok "dry run: would change the anchor file" \
    grep -q "^stat1: would change $D/root.static" "$H/dry.out"
h_ok "dry run: the file is unchanged" cmp -s "$D/root.static" "$H/orig"

# The whole directory, names and contents, as a checksum list.
dir_state() {
	(cd "$1" && find . -type f -exec sha256sum {} + | sort)
}

# fix --apply must fail with the file and the directory as they were.
refused_intact() {
	local what=$1 before
	before=$(dir_state "$D")
	h_aw "$CONF" fix --apply
	h_is "$AW_RC" 2 "$what: fix --apply exits 2"
	h_ok "$what: FIX_FAILED said" grep -q "FIX_FAILED resolver=stat1" \
	    "$H/aw.out"
	h_ok "$what: the anchor file is byte-identical" \
	    cmp -s "$D/root.static" "$H/orig"
	h_is "$(dir_state "$D")" "$before" "$what: nothing else in the directory"
	[ "$AW_RC" = 2 ] || h_aw_show
}

# ---- full disk -----------------------------------------------------------
dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null
refused_intact "full disk"
rm -f "$D/filler"

# ---- read-only file system -------------------------------------------------
mount -o remount,ro "$D" || h_bail "cannot remount $D read-only"
refused_intact "read-only file system"
mount -o remount,rw "$D" || h_bail "cannot remount $D read-write"

# ---- the repair, once, as a reference ------------------------------------
h_aw "$CONF" fix --apply
h_is "$AW_RC" 1 "fix --apply: done, exit 1 (no address to see it validate)"
h_ok "fix --apply: FIX_APPLIED names the file" \
    grep -q "FIX_APPLIED resolver=stat1: $D/root.static" "$H/aw.out"
cp "$D/root.static" "$H/fixed"
h_ok "the new file trusts KSK2" grep -q "id = $KSK2\|DNSKEY" "$H/fixed"
h_aw "$CONF" check
h_not_ok "check: no ANCHOR finding for stat1 any more" \
    grep -Eq "(SUCCESSOR_NOT_TRUSTED|ANCHOR_STALE) resolver=stat1" "$H/aw.out"
h_is "$(stat -c '%U:%G %a' "$D/root.static")" "unbound:unbound 640" \
    "owner, group and mode kept"
bak=$(find "$D" -name '.root.static.anchorwatch-*' | head -n 1)
h_ok "a dated backup beside it" test -n "$bak"
h_ok "the backup holds the old content" cmp -s "$bak" "$H/orig"
h_is "$(stat -c '%U:%G %a' "$bak")" "unbound:unbound 640" \
    "the backup has the old owner and mode"
sed -n '/^--- /,/^[a-z0-9]*: /p' "$H/dry.out" | grep -v '^stat1: ' >"$H/diff"
h_ok "the dry run's diff, patched in, gives what --apply wrote" sh -c \
    "patch -s -o '$H/patched' '$H/orig' <'$H/diff' && cmp -s '$H/patched' '$H/fixed'"
h_aw "$CONF" fix
h_is "$AW_RC" 0 "a second dry run: nothing to do"

# Put the old file back (and drop the backups) for the next test.
reset() {
	cp -p "$H/orig" "$D/root.static"
	find "$D" -mindepth 1 ! -name root.static -delete
}

# ---- kill -9 at random moments ---------------------------------------------
bad=0
for i in $(seq 1 30); do
	reset
	"$AW_BIN" -c "$CONF" fix --apply >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 400)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for f in "$D"/* "$D"/.[!.]*; do
		[ -e "$f" ] || continue
		cmp -s "$f" "$H/orig" || cmp -s "$f" "$H/fixed" || {
			h_diag "after kill $i: $f is neither the old nor the new file"
			bad=$((bad + 1))
		}
	done
done
h_is "$bad" 0 "kill -9 at 30 random moments: no file half-written"
h_ok "after the kills, fix --apply still repairs" sh -c \
    "'$AW_BIN' -c '$CONF' fix --apply >/dev/null 2>&1; cmp -s '$D/root.static' '$H/fixed'"

# ---- two runs at once --------------------------------------------------------
reset
"$AW_BIN" -c "$CONF" fix --apply >"$H/r1.out" 2>&1 &
p1=$!
"$AW_BIN" -c "$CONF" fix --apply >"$H/r2.out" 2>&1 &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
h_ok "two at once: both end (exit $rc1, $rc2), neither fails" \
    test "$rc1" -le 1 -a "$rc2" -le 1
h_ok "two at once: the file is the repaired one" \
    cmp -s "$D/root.static" "$H/fixed"
h_is "$(find "$D" -name '.root.static.anchorwatch-*' | wc -l)" 1 \
    "two at once: one repair made, one backup"
h_is "$(cat "$H/r1.out" "$H/r2.out" | grep -c FIX_APPLIED)" 1 \
    "two at once: one FIX_APPLIED; the other found nothing to do"

# ---- run: only with fix.auto, and logged ------------------------------------
reset
h_syslog_start || h_bail "socat is needed for the syslog capture"
h_aw_devlog "$CONF" run
h_ok "run without fix.auto writes nothing" cmp -s "$D/root.static" "$H/orig"
cp "$CONF" "$H/auto.yaml"
printf 'fix:\n  auto: true\n' >>"$H/auto.yaml"
h_syslog_clear
h_aw_devlog "$H/auto.yaml" run
h_ok "run with fix.auto repairs" cmp -s "$D/root.static" "$H/fixed"
h_syslog_sync
h_ok "run with fix.auto logs FIX_APPLIED to syslog" sh -c \
    "grep -q 'FIX_APPLIED resolver=stat1' '$H/syslog.out'"
h_is "$(wc -c <"$H/aw.out")" 0 "run stays silent on stdout"

# ---- ANCHOR_NOT_WRITABLE: owner and mode for the daemon's user ----------
# An RFC 5011 file and its directory owned by root: unbound (user unbound)
# cannot rewrite it.  fix gives the file to unbound and the directory to
# unbound's group, owner kept.
R=$H/ro
mkdir -p "$R"
cp "$H/ksk1.key" "$R/root.key"
chmod 0755 "$R"
chmod 0644 "$R/root.key"
printf 'server:\n\tusername: "unbound"\n\tauto-trust-anchor-file: "%s"\n' \
    "$R/root.key" >"$H/ro.conf"
h_aw_config_typed "$H/ro.yaml" -- "unbound:ro1:$H/ro.conf"
printf '    reload: [/bin/true]\n' >>"$H/ro.yaml"
h_aw "$H/ro.yaml" check
h_ok "ro1: check says ANCHOR_NOT_WRITABLE" h_aw_has ANCHOR_NOT_WRITABLE
h_aw "$H/ro.yaml" fix
h_ok "ro1: the dry run would give the file to unbound" \
    grep -q "^ro1: would set $R/root.key to uid $(id -u unbound) gid $(id -g unbound) mode 0644" "$H/aw.out"
h_ok "ro1: ... and the directory to its group" \
    grep -q "^ro1: would set $R to uid 0 gid $(id -g unbound) mode 0775" "$H/aw.out"
h_is "$(stat -c '%U:%G %a' "$R" "$R/root.key" | tr '\n' ' ')" \
    "root:root 755 root:root 644 " "ro1: the dry run changes nothing"
h_aw "$H/ro.yaml" fix --apply
h_ok "ro1: FIX_APPLIED" grep -q "FIX_APPLIED resolver=ro1" "$H/aw.out"
h_is "$(stat -c '%U:%G %a' "$R" "$R/root.key" | tr '\n' ' ')" \
    "root:unbound 775 unbound:unbound 644 " "ro1: owner and mode set"
h_aw "$H/ro.yaml" check
h_not_ok "ro1: check no longer says ANCHOR_NOT_WRITABLE" \
    h_aw_has ANCHOR_NOT_WRITABLE

umount "$D"
h_done
