#!/bin/bash
#
# t-helpers.sh: the programs anchorwatch runs, and traffic's bounds
# (issue 12), through the built binary.  No daemon and no root are needed:
# the agent has no route to the root hints in this namespace and reads
# files only.
#
#	journal	a BIND key zone with a journal beside it, read through
#		/usr/bin/named-journalprint, over which a stand-in is
#		bind-mounted in this mount namespace: one that fails
#		(CONFIG_ERROR says how: it printed an uninitialised buffer),
#		one that records its environment (only PATH and LC_ALL),
#		one that hangs with a grandchild (both gone after its limit,
#		by /proc: the grandchild lived on)
#	traffic	-t: a stream that never ends is cut at -t with exit 3 and
#		"timed out" (there was no -t); a FIFO given to --merge is
#		refused at once, named (it blocked for ever); a listen
#		longer than -t is cut to end in time, its socket removed
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

# ---- a BIND key zone with a journal ----------------------------------------

h_aw_journal "$H/aw.yaml" "$H/bind"
JP=/usr/bin/named-journalprint

# t_fake NAME BODY: /usr/bin/named-journalprint is now the shell script
# BODY (a bind mount in this test's mount namespace only).
t_fake() {
	grep -q " $JP " /proc/self/mountinfo && umount "$JP"
	printf '#!/bin/sh\n%s\n' "$2" >"$H/$1"
	chmod 0755 "$H/$1"
	mount --bind "$H/$1" "$JP" || h_bail "cannot bind-mount over $JP"
}

# t_journal_error: the CONFIG_ERROR line about the journal, of the last
# run's stdout.
t_journal_error() {
	grep -a 'CONFIG_ERROR' "$H/aw.out" | grep -a 'cannot read the journal'
}

# t_printable: 0 if the last run's stdout is printable ASCII lines.
t_printable() {
	! LC_ALL=C grep -q '[^[:print:][:space:]]' "$H/aw.out"
}

t_fake fails 'echo "garbage on stdout"
echo "journal format error" >&2
exit 1'
h_aw "$H/aw.yaml" -t 30 check
h_diag <"$H/aw.out"
h_ok "failing named-journalprint: CONFIG_ERROR names the journal" \
    t_journal_error
h_ok "it says how the program ended: exit status 1" \
    grep -qF "cannot read the journal ($JP exited with status 1)" "$H/aw.out"
h_ok "every byte printed is printable" t_printable
h_not_ok "its output on failure is not taken" grep -q garbage "$H/aw.out"

t_fake env "/usr/bin/env >$H/state/env.out
exit 1"
AW_SECRET=leaked LANG=de_DE.UTF-8 h_aw "$H/aw.yaml" -t 30 check
# (PWD is the stand-in's shell's own: dash exports it)
h_is "$(grep -v '^PWD=' "$H/state/env.out" 2>/dev/null)" \
    "$(printf 'PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C')" \
    "named-journalprint sees PATH and LC_ALL only"

t_fake hang "trap '' TERM
/bin/sleep 300 &
echo \$\$ \$! >$H/hang.pids
exec /bin/sleep 300"
t0=$(date +%s)
h_aw "$H/aw.yaml" -t 30 check
t1=$(date +%s)
h_diag <"$H/aw.out"
h_ok "hanging named-journalprint: CONFIG_ERROR, no answer within 5 s" \
    grep -qF "($JP: no answer within 5 s)" "$H/aw.out"
h_ok "the run went on after its limit (took $((t1 - t0)) s)" \
    [ $((t1 - t0)) -lt 20 ]
read -r p1 p2 <"$H/hang.pids"
h_ok "the program ($p1) is gone" h_wait_for "pid $p1 gone" 3 h_gone "$p1"
h_ok "its grandchild ($p2), which ignored SIGTERM, is gone" \
    h_wait_for "pid $p2 gone" 3 h_gone "$p2"
umount "$JP"

# ---- traffic: -t and what is not a file --------------------------------------

# t_traffic SECONDS ARGS...: anchorwatch traffic ARGS, killed after SECONDS
# by timeout(1) if it hangs; output in aw.out/aw.err, status in AW_RC, wall
# milliseconds in T_MS.
t_traffic() {
	local lim=$1 a
	shift
	a=$(date +%s%N)
	AW_RC=0
	timeout "$lim" "$AW_BIN" traffic "$@" >"$H/aw.out" 2>"$H/aw.err" ||
	    AW_RC=$?
	T_MS=$((($(date +%s%N) - a) / 1000000))
}

mkfifo "$H/stream" "$H/merge.fifo"
exec 4<>"$H/stream"		# a writer that never writes: no EOF
t_traffic 20 -c "$H/aw.yaml" -t 1 - <"$H/stream"
exec 4>&-
h_is "$AW_RC" 3 "traffic -t 1 on a stream that never ends: exit 3"
h_ok "it says it timed out" grep -qx "anchorwatch: timed out" "$H/aw.err"
h_ok "after 1 s (took $T_MS ms)" [ "$T_MS" -ge 900 ] && [ "$T_MS" -lt 5000 ]

t_traffic 20 -c "$H/aw.yaml" --merge "$H/merge.fifo"
h_is "$AW_RC" 3 "traffic --merge FIFO: exit 3, not a hang"
h_ok "the error names the FIFO" \
    grep -qF "$H/merge.fifo: a FIFO, not a regular file" "$H/aw.err"
h_ok "at once (took $T_MS ms)" [ "$T_MS" -lt 3000 ]

t_traffic 20 -c "$H/aw.yaml" -t 2 --dnstap-socket "$H/dt.sock" --seconds 60
h_is "$AW_RC" 0 "traffic -t 2 --seconds 60 on a dnstap socket: exit 0"
h_ok "the listen was cut to fit (took $T_MS ms)" [ "$T_MS" -lt 2000 ]
h_not_ok "its socket is removed" [ -e "$H/dt.sock" ]

h_done
