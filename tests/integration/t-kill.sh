#!/bin/bash
#
# t-kill.sh: `anchorwatch run` and `check` killed with SIGKILL at any
# point, and runs at once.  The local signed root at stage "pre" and a
# healthy RFC 5011 unbound.  A run is killed 40 times, and a check 20
# times (it writes the history too), at delays spread evenly over the
# time a whole run takes (and the root query's own process with it, as a
# cron job killed with its process group would be); after each, nothing
# is left in state_dir but the files of a finished run, and the history
# still holds every key it held.  Then the next run recovers: OK, the
# history and the record written.  Then four runs at once: one or more
# work, the others skip their turn (cron mode), nothing is torn; and two
# checks with a run: each check waits its turn (plugin mode) and is OK,
# all within their -t.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_aw_config "$H/aw.yaml" -- auto1
KSK1=$(h_tag ksk1)

# t_keys: the key lines of the history, sorted (tags and first sightings).
t_keys() {
	awk '$1 == "key" { print $2, $6 }' "$H/aw/history" | sort
}

# t_leftovers: the names in state_dir a finished run does not leave.
t_leftovers() {
	find "$H/aw" -mindepth 1 -maxdepth 1 ! -name root.key ! -name history \
	    ! -name last-run.json ! -name anchorwatch.lock ! -name root.key.good \
	    -printf '%f\n'
}

# t_ours: the leftovers that are not a file named in place just before
# its rename: libunbound's own temporary anchor file
# (root.key.PID-THREAD-HEX), and the hidden name the agent gives a new
# file of its own (.NAME.awPID-N, fileio_replace); a kill between naming
# and renaming leaves them, and the next run removes them (query_sweep,
# fileio_sweep_tmp).  Anything else left is the agent's fault.
t_ours() {
	t_leftovers | grep -Ev '^(root\.key\.[0-9]+-[0-9]+-[0-9a-f]+|\..+\.aw[0-9]+-[0-9]+)$'
}

t0=$(h_ms)
h_aw "$H/aw.yaml" run
dur=$(($(h_ms) - t0))
h_is "$AW_RC" 0 "a first run: exit 0"
h_ok "a first run: the history holds KSK1" \
    sh -c "awk '\$1 == \"key\" { print \$2 }' '$H/aw/history' | grep -qx '$KSK1'"
t_keys >"$H/keys.before"
h_diag "a whole run takes ${dur} ms"

# t_kills MODE N: anchorwatch MODE started N times and killed with its
# root query process at delays spread over a whole run; bad=1 if any kill
# left a temporary file of the agent's or lost a key of the history;
# ubleft counts the kills that left libunbound's.
t_kills() {
	local mode=$1 n=$2 i ms pid
	bad=0 ubleft=0
	for i in $(seq 0 $(($2 - 1))); do
		ms=$((dur * i / n))
		setsid "$AW_BIN" -c "$H/aw.yaml" "$mode" >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		# The run and its root query process (same session).
		kill -9 -- "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if [ -n "$(t_ours)" ]; then
			h_diag "$mode killed after ${ms} ms: left $(t_ours |
			    tr '\n' ' ')"
			bad=1
		fi
		[ -z "$(t_leftovers)" ] || ubleft=$((ubleft + 1))
		t_keys >"$H/keys.now"
		if ! comm -23 "$H/keys.before" "$H/keys.now" |
		    cmp -s - /dev/null; then
			h_diag "$mode killed after ${ms} ms: the history lost a key"
			bad=1
		fi
	done
	h_diag "$ubleft of $n kills of $mode left libunbound's temporary anchor file"
}

t_kills run 40
h_is "$bad" 0 "40 runs killed at any point: no temporary file of the agent's, no key lost"
t_kills check 20
h_is "$bad" 0 "20 checks killed at any point: no temporary file of the agent's, no key lost"

# What a killed query leaves (a dead process's name), and two that stay:
# a live process's (an unbound writing beside it) and another name.
: >"$H/aw/root.key.999999-0-5598d3c049a0"
: >"$H/aw/root.key.$$-0-abc"
: >"$H/aw/root.key.old"
# The query process's link for the good copy, and the agent's named new
# history, each killed before its rename.
ln "$H/aw/root.key" "$H/aw/root.key.good.aw-link.999999"
ln "$H/aw/root.key" "$H/aw/root.key.good.aw-link.$$"
cp "$H/aw/history" "$H/aw/.history.aw999999-0"
: >"$H/aw/.history.aw$$-0"
h_aw "$H/aw.yaml" run
h_is "$AW_RC" 0 "the next run recovers: exit 0"
h_ok "the next run removes the temporary files of dead processes" \
    test -z "$(t_leftovers | grep -Ev \
    '^(root\.key\.('"$$"'-0-abc|old|good\.aw-link\.'"$$"')|\.history\.aw'"$$"'-0)$')"
h_ok "the next run keeps a live process's and other names" \
    test -e "$H/aw/root.key.$$-0-abc" -a -e "$H/aw/root.key.old" \
    -a -e "$H/aw/root.key.good.aw-link.$$" -a -e "$H/aw/.history.aw$$-0"
rm -f "$H/aw/root.key.$$-0-abc" "$H/aw/root.key.old" \
    "$H/aw/root.key.good.aw-link.$$" "$H/aw/.history.aw$$-0"
t_keys >"$H/keys.after"
h_ok "the next run: the history still holds every key" \
    sh -c "comm -23 '$H/keys.before' '$H/keys.after' | cmp -s - /dev/null"
h_ok "the next run: the record says OK" \
    jq -e '.unknown == null and ([.findings[] | select(.severity !=
    "OK" and (.code != "PROBE_OVERDUE"))] | length == 0)' \
    "$H/aw/last-run.json"

# Four at once: the lock lets one through; the others skip (exit 3, no
# record of their own), and the state is whole afterwards.
pids=""
for i in 1 2 3 4; do
	("$AW_BIN" -c "$H/aw.yaml" run >"$H/p$i.out" 2>"$H/p$i.err"
	    echo $? >"$H/p$i.rc") &
	pids="$pids $!"
done
# shellcheck disable=SC2086 # the pids are words
wait $pids
ok=0 skipped=0
for i in 1 2 3 4; do
	case $(cat "$H/p$i.rc") in
	0) ok=$((ok + 1)) ;;
	3) grep -q "lock" "$H/p$i.err" && skipped=$((skipped + 1)) ;;
	esac
done
h_ok "four runs at once: one or more finished, the others skipped on the lock (ok $ok, skipped $skipped)" \
    test "$ok" -ge 1 -a $((ok + skipped)) = 4
h_ok "four runs at once: the record is whole" \
    jq -e '.version == 1' "$H/aw/last-run.json"
h_ok "four runs at once: nothing left behind" test -z "$(t_leftovers)"

# Two checks and a run at once: a check waits its turn on the lock
# (plugin mode: the answer is wanted), the run takes its turn or skips.
t0=$(h_ms)
pids=""
for i in 1 2 3; do
	mode=check
	[ "$i" = 3 ] && mode=run
	("$AW_BIN" -c "$H/aw.yaml" -t 30 "$mode" >"$H/p$i.out" \
	    2>"$H/p$i.err"
	    echo $? >"$H/p$i.rc") &
	pids="$pids $!"
done
# shellcheck disable=SC2086 # the pids are words
wait $pids
ms=$(($(h_ms) - t0))
h_is "$(cat "$H/p1.rc") $(cat "$H/p2.rc")" "0 0" \
    "two checks and a run at once: both checks OK (each waited its turn)"
h_ok "two checks and a run at once: the run finished or skipped on the lock" \
    sh -c "[ \$(cat '$H/p3.rc') = 0 ] || grep -q lock '$H/p3.err'"
h_ok "two checks and a run at once: all done within -t 30 (${ms} ms)" \
    [ "$ms" -lt 30000 ]
h_ok "two checks and a run at once: nothing left behind" \
    test -z "$(t_leftovers)"
h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "after them: check is OK"

h_done
