#!/bin/bash
#
# t-landlock.sh: what a reading run may write where the kernel offers
# Landlock, and that its absence is not an error (issue 12).  No daemon:
# the agent has no route to the root in this namespace, and a BIND
# resolver's key zone has a journal beside it, which anchorwatch reads
# through /usr/bin/named-journalprint.  Over that, in this mount namespace
# only, a stand-in is bind-mounted: it runs with what anchorwatch holds by
# then (a program inherits its Landlock domain, which nothing lifts) and
# tries to write in a directory of root's the run has no business in
# ($H/outside), in state_dir, in the Prometheus textfile's directory and
# /dev/null, and says what each attempt gave.
#
#   1. check and run as root (state_dir root's: it stays uid 0, owner of
#      $H/outside, so Landlock alone stands in the way): creating,
#      appending, truncating, removing, renaming, making a directory or a
#      symbolic link in $H/outside is refused (Permission denied: EACCES)
#      and $H/outside is unchanged; state_dir, the textfile's directory
#      and /dev/null are written; reading $H/outside works (reads are not
#      confined: the resolvers' files are read where they are).
#   2. the same check on a kernel that seems to lack Landlock
#      (tests/harness/landlock.py hide: a seccomp filter fails its three
#      system calls with ENOSYS, as a kernel built without it does): the
#      same exit status and status line, nothing said of Landlock, and the
#      stand-in writes in $H/outside (what stopped it was Landlock).
#
# On a kernel without Landlock part 1 is skipped (TAP "# SKIP") and part
# 2 still runs.  TAP on stdout.  AW_KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
LL="python3 $H_TOP/tests/harness/landlock.py"
ABI=$($LL abi) || h_bail "landlock.py abi failed"
h_diag "Landlock ABI of this kernel: $ABI"

# ---- a BIND key zone with a journal, and the stand-in ------------------------

O=$H/outside P=$H/prom
h_aw_journal "$H/aw.yaml" "$H/bind"
JP=/usr/bin/named-journalprint
chmod 0755 "$H/state"
mkdir -p "$P"
printf 'prometheus:\n  textfile: %s/anchorwatch.prom\n' "$P" >>"$H/aw.yaml"

# t_outside: a fresh $H/outside, root's, mode 0755.
t_outside() {
	rm -rf "$O"
	mkdir -m 0755 "$O"
	printf 'kept\n' >"$O/kept"
	printf 'victim\n' >"$O/victim"
	printf 'moved\n' >"$O/moved"
}

# t_snapshot: names, sizes, modes and contents of $H/outside.
t_snapshot() {
	(cd "$O" && find . -printf '%p %y %s %m\n' | sort &&
	    cat kept victim moved 2>/dev/null)
}

# t_unchanged: 0 if $H/outside is as t_snapshot saw it in outside.before.
t_unchanged() {
	t_snapshot | cmp -s - "$H/outside.before"
}

# The stand-in: each attempt as "WHAT: ok" or "WHAT: its error", into
# $H/state/ll.out (state_dir: where a reading run may write).  Its
# environment is cleaned by spawn.c: the paths are written into it.
cat >"$H/standin" <<EOF
#!/bin/sh
out=$H/state/ll.out
: >"\$out"
try() {
	what=\$1
	shift
	if err=\$( (eval "\$@") 2>&1 ); then
		echo "\$what: ok" >>"\$out"
	else
		echo "\$what: \$err" >>"\$out"
	fi
}
try out-create ': >$O/new'
try out-append 'echo x >>$O/kept'
try out-truncate 'truncate -s 0 $O/kept'
try out-remove 'rm $O/victim'
try out-rename 'mv $O/moved $O/renamed'
try out-mkdir 'mkdir $O/dir'
try out-symlink 'ln -s /etc/shadow $O/link'
try out-read 'cat $O/kept >/dev/null'
try in-state ': >$H/state/probe && rm $H/state/probe'
try in-textfile-dir ': >$P/probe && rm $P/probe'
try in-devnull 'echo x >/dev/null'
exit 1
EOF
chmod 0755 "$H/standin"
mount --bind "$H/standin" "$JP" || h_bail "cannot bind-mount over $JP"

# t_said WHAT: what the stand-in's attempt WHAT gave.
t_said() {
	sed -n "s/^$1: //p" "$H/state/ll.out"
}

# t_refused WHAT...: 0 if each attempt was refused with EACCES.
t_refused() {
	local w
	for w in "$@"; do
		t_said "$w" | grep -q 'Permission denied' || return 1
	done
}

# t_allowed WHAT...: 0 if each attempt worked.
t_allowed() {
	local w
	for w in "$@"; do
		[ "$(t_said "$w")" = ok ] || return 1
	done
}

OUT="out-create out-append out-remove out-rename out-mkdir out-symlink"
# truncate(2) is Landlock's from ABI 3 (Linux 6.2).
[ "$ABI" -ge 3 ] && OUT="$OUT out-truncate"
IN="out-read in-state in-textfile-dir in-devnull"

# ---- 1. confined ----------------------------------------------------------------

for mode in check run; do
	if [ "$ABI" -lt 1 ]; then
		h_pass "$mode: writes outside refused # SKIP no Landlock in this kernel"
		continue
	fi
	t_outside
	t_snapshot >"$H/outside.before"
	rm -f "$H/state/ll.out"
	h_aw "$H/aw.yaml" -t 30 "$mode"
	h_diag <"$H/state/ll.out"
	h_ok "$mode: the stand-in ran under anchorwatch" test -s "$H/state/ll.out"
	# shellcheck disable=SC2086 # the attempts are words
	h_ok "$mode: writing outside what it writes is refused, EACCES ($OUT)" \
	    t_refused $OUT
	h_ok "$mode: $H/outside is unchanged" t_unchanged
	# shellcheck disable=SC2086 # the attempts are words
	h_ok "$mode: reading outside, writing state_dir, the textfile's directory and /dev/null work" \
	    t_allowed $IN
	h_not_ok "$mode: nothing said of Landlock" \
	    grep -qi landlock "$H/aw.out" "$H/aw.err"
	[ "$mode" = check ] && cp "$H/aw.out" "$H/check.out" &&
	    CHECK_RC=$AW_RC
done

# ---- 2. a kernel without Landlock -------------------------------------------

t_outside
rm -f "$H/state/ll.out"
AW_RC=0
$LL hide "$AW_BIN" -c "$H/aw.yaml" -t 30 check >"$H/aw.out" 2>"$H/aw.err" ||
    AW_RC=$?
h_diag <"$H/state/ll.out"
h_diag <"$H/aw.err"
h_ok "without Landlock: the stand-in ran" test -s "$H/state/ll.out"
h_not_ok "without Landlock: nothing said of it, no error" \
    grep -qi landlock "$H/aw.out" "$H/aw.err"
if [ "$ABI" -ge 1 ]; then
	h_is "$AW_RC" "$CHECK_RC" "without Landlock: the same exit status as with it ($AW_RC)"
	h_is "$(head -n 1 "$H/aw.out")" "$(head -n 1 "$H/check.out")" \
	    "without Landlock: the same status line"
	h_ok "without Landlock: the stand-in writes outside (Landlock stopped it before)" \
	    t_allowed out-create out-append out-mkdir
else
	h_ok "without Landlock: a status line" \
	    grep -q '^ANCHORWATCH [A-Z]* - ' "$H/aw.out"
fi
umount "$JP"

h_done
