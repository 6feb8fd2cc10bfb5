#!/bin/bash
#
# t-hostile-state.sh: state_dir in hostile hands (issue 12).  anchorwatch
# runs as root and writes in state_dir: its own root.key (rewritten by
# libunbound, then given back its owner and mode), the lock, the history
# and the record.  Whoever may write there could swap a symbolic link in
# between a write and the owner copy and make any file theirs, or have
# the lock created anywhere.  Against a local signed root at stage "pre":
#
#   1. state_dir owned by nobody: a helper running as nobody swaps, as
#      fast as it can, symbolic links to root's files (and regular files
#      of its own) in for every name anchorwatch uses, while anchorwatch
#      check runs again and again: every run is refused (UNKNOWN, exit 3,
#      naming state_dir), nothing outside state_dir changes owner, mode
#      or content, and the lock's target is never created;
#   2. state_dir writable by its group, by everyone (sticky), or a
#      symbolic link: refused the same way, the plugin line saying why;
#   3. a proper state_dir whose root.key or lock is a symbolic link:
#      refused, naming the file; its target untouched;
#   4. a proper state_dir (root's, 0755): the run validates.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need setpriv /usr/bin/python3
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T_USER=nobody
T_GROUP=$(id -gn nobody)

h_root_init
h_root_stage pre

# Root's files outside state_dir, and what they must stay.
V=$H/victim
mkdir -m 0755 "$V"
printf 'root only\n' >"$V/secret"
chmod 0600 "$V/secret"
mkdir -m 0700 "$V/dir"
t_snapshot() {
	find "$V" -printf '%p %u %g %m %s\n' | sort
	sha256sum "$V/secret"
}
t_snapshot >"$H/victim.before"

# t_refused DESC STATE_DIR ERE: anchorwatch check with that state_dir is
# UNKNOWN (exit 3) and its one line matches ERE.
t_refused() {
	h_aw_config "$H/t.yaml" state="$2"
	h_aw "$H/t.yaml" check
	if [ "$AW_RC" = 3 ] && [ "$(wc -l <"$H/aw.out")" = 1 ] &&
	    grep -Eq "^ANCHORWATCH UNKNOWN - $3" "$H/aw.out"; then
		h_pass "$1"
	else
		h_fail "$1"
		h_aw_show
	fi
}

# ---- 1. a state_dir nobody can write, and nobody racing in it -------------

S=$H/nobodys
mkdir -m 0755 "$S"
chown "$T_USER:$T_GROUP" "$S"
cp "$H/ksk1.key" "$S/root.key"
chown "$T_USER:$T_GROUP" "$S/root.key"
# The helper: for each name, a link to root's secret (to a file that does
# not exist yet, for the lock) or a copy of the seed of its own, renamed
# over the name; until killed.
cat >"$H/swapper.py" <<'EOF'
import os, sys
d, secret, absent, seed = sys.argv[1:5]
names = ["root.key", "anchorwatch.lock", "history", "last-run.json",
         "root.key.good"]
tmp = os.path.join(d, ".swap")
i = 0
while True:
    for n in names:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if i % 2:
            os.symlink(absent if n == "anchorwatch.lock" else secret, tmp)
        else:
            with open(tmp, "w") as f:
                f.write(seed)
        os.rename(tmp, os.path.join(d, n))
    i += 1
EOF
setpriv --reuid="$T_USER" --regid="$T_GROUP" --clear-groups \
    /usr/bin/python3 "$H/swapper.py" "$S" "$V/secret" "$V/created-by-lock" \
    "$(cat "$H/ksk1.key")" &
SWAPPER=$!
h_pid_add swapper "$SWAPPER"
sleep 0.5
h_ok "the helper (as $T_USER) is swapping links in $S" \
    sh -c "find '$S' -maxdepth 1 -type l | grep -q ."
refused=0
for i in $(seq 1 20); do
	h_aw_config "$H/t.yaml" state="$S"
	h_aw "$H/t.yaml" check
	# Root becomes state_dir's owner before writing there (priv.c): a
	# run ends refused by the lock on a planted link (UNKNOWN naming
	# it), or as that user, who can harm nothing it could not already;
	# the victim files are compared below.  A link swapped in between
	# the check of root.key and libunbound's open of it (as that user,
	# without capabilities: priv_shed) leaves the agent without a
	# secure root: UNKNOWN ROOT_UNREACHABLE.
	cat "$H/aw.out" "$H/aw.err" >>"$H/all.out"
	if { [ "$AW_RC" = 3 ] && grep -Eq "^ANCHORWATCH UNKNOWN - (.*$S|agent ROOT_UNREACHABLE)" \
	    "$H/aw.out"; } || [ "$AW_RC" -lt 3 ]; then
		refused=$((refused + 1))
	else
		h_aw_show
	fi
done
h_is "$refused" 20 "20 runs in $T_USER's state_dir: each refused naming it, or run as $T_USER"
h_ok "no run read root's file through a planted link (its content never shown)" \
    sh -c "! grep -q 'root only' '$H/all.out'"
h_aw_show
h_daemon_stop swapper
t_snapshot >"$H/victim.after"
h_ok "nothing outside state_dir changed owner, mode or content" \
    cmp -s "$H/victim.before" "$H/victim.after"
diff "$H/victim.before" "$H/victim.after" | h_diag
h_ok "the lock's link target was never created" test ! -e "$V/created-by-lock"

# ---- 2. state_dirs others may write, or a link --------------------------

G=$H/groupw
mkdir -m 0775 "$G"
chgrp "$T_GROUP" "$G"
chmod 0775 "$G"
t_refused "a group-writable state_dir: refused" "$G" \
    "state_dir $G is writable by its group \(mode 0775\): refused"
h_aw "$H/t.yaml" run
h_is "$AW_RC" 3 "a group-writable state_dir, run: exit 3"
h_ok "a group-writable state_dir, run: nothing written in it" \
    test -z "$(ls -A "$G")"
W=$H/worldw
mkdir "$W"
chmod 1777 "$W"
t_refused "a world-writable (sticky) state_dir: refused" "$W" \
    "state_dir $W is writable by others \(mode 1777\): refused"
mkdir -m 0755 "$H/sd"
h_aw_config "$H/t.yaml" state="$H/sd"
sed -i "s|^  anchor_file: .*|  anchor_file: $G/root.key|" "$H/t.yaml"
h_aw "$H/t.yaml" check
h_ok "root.anchor_file in a group-writable directory: refused, naming it" \
    grep -q "^ANCHORWATCH UNKNOWN - the directory of root.anchor_file $G is writable by its group" \
    "$H/aw.out"
mkdir -m 0755 "$H/real"
ln -s "$H/real" "$H/link"
t_refused "a state_dir that is a symbolic link: refused" "$H/link" \
    "state_dir $H/link is a symbolic link, not a directory: refused"
h_ok "nothing was written through it" test -z "$(ls -A "$H/real")"

# ---- 3. a proper state_dir with links in it (put there by root) --------

P=$H/proper
mkdir -m 0755 "$P"
ln -s "$V/secret" "$P/root.key"
t_refused "root.key a symbolic link: refused, naming it" "$P" \
    "$P/root.key: a symbolic link: refused"
rm "$P/root.key"
rm -f "$P/anchorwatch.lock"
ln -s "$V/created-by-lock" "$P/anchorwatch.lock"
t_refused "the lock a symbolic link: refused, naming it" "$P" \
    "$P/anchorwatch.lock: cannot read: a symbolic link, refused"
h_ok "the lock's link target was not created" test ! -e "$V/created-by-lock"
rm "$P/anchorwatch.lock"
t_snapshot >"$H/victim.after"
h_ok "root's files still untouched" cmp -s "$H/victim.before" "$H/victim.after"

# ---- 4. a proper state_dir ----------------------------------------------

h_aw_config "$H/t.yaml" state="$P"
h_aw "$H/t.yaml" check
h_is "$AW_RC" 0 "root's 0755 state_dir: the run validates (exit 0)"
h_aw_show
h_ok "root.key is a regular file of root's" \
    test "$(stat -c '%F %U' "$P/root.key")" = "regular file root"
h_done
