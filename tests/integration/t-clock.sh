#!/bin/bash
#
# t-clock.sh: a wrong system clock gives the right verdict, never a false
# CRITICAL, and never a corrupted history.  The local signed root at stage
# "pre" and a healthy RFC 5011 unbound; the clock moved for anchorwatch
# alone with libfaketime (LD_PRELOAD).
#
#	a clock before 2010-07-15 (the root was not signed yet): UNKNOWN
#	    CLOCK_SUSPECT, nothing judged, nothing written;
#	a clock gone back 2 days since the last run: CLOCK_SUSPECT (UNKNOWN)
#	    beside the other findings, in check and in run's record, nothing
#	    CRITICAL, and the history is not rewritten.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

FT=$(find /usr/lib -name libfaketime.so.1 -print -quit 2>/dev/null)
[ -n "$FT" ] || h_bail "libfaketime is not installed (faketime package)"

# t_aw_at FAKETIME CONF ARGS...: h_aw with the clock moved.
t_aw_at() {
	local ft=$1
	shift
	AW_RC=0
	# ASan wants to be first: libfaketime goes first here, harmlessly.
	ASAN_OPTIONS=verify_asan_link_order=0 \
	    LD_PRELOAD=$FT FAKETIME=$ft FAKETIME_DONT_FAKE_MONOTONIC=1 \
	    "$AW_BIN" -c "$@" >"$H/aw.out" 2>"$H/aw.err" || AW_RC=$?
}

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_aw_config "$H/aw.yaml" -- auto1

h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "the true clock: check is OK"
h_ok "the true clock: the history is written" test -s "$H/aw/history"
cp "$H/aw/history" "$H/history.before"

# ---- 1. before the root was signed ----------------------------------------

t_aw_at "@2009-06-01 12:00:00" "$H/aw.yaml" check
h_is "$AW_RC" 3 "clock at 2009-06-01: exit 3"
h_ok "clock at 2009-06-01: one UNKNOWN CLOCK_SUSPECT line naming the date" \
    sh -c "[ \$(wc -l <'$H/aw.out') = 1 ] && grep -Eq '^ANCHORWATCH UNKNOWN - CLOCK_SUSPECT: the clock says 2009-06-01 12:00, before the root was signed \\(2010-07-15\\)' '$H/aw.out'"
h_ok "clock at 2009-06-01: the history is unchanged" \
    cmp -s "$H/aw/history" "$H/history.before"
t_aw_at "@2009-06-01 12:00:00" "$H/aw.yaml" run
h_is "$AW_RC" 3 "clock at 2009-06-01, run: exit 3"
h_ok "clock at 2009-06-01, run: recorded as UNKNOWN" \
    jq -e '.unknown.code == "CLOCK_SUSPECT"' "$H/aw/last-run.json"

# ---- 2. gone back two days --------------------------------------------------

t_aw_at "-2d" "$H/aw.yaml" check
h_is "$AW_RC" 3 "clock 2 days back: exit 3 (UNKNOWN), not CRITICAL"
h_ok "clock 2 days back: CLOCK_SUSPECT says the clock went back" \
    grep -Eq '^UNKNOWN CLOCK_SUSPECT resolver=- keytag=-: the clock went back: it says .*, but the last run was at ' \
    "$H/aw.out"
h_ok "clock 2 days back: no CRITICAL finding" \
    sh -c "! grep -q '^CRITICAL ' '$H/aw.out'"
h_ok "clock 2 days back: the history is unchanged" \
    cmp -s "$H/aw/history" "$H/history.before"
h_aw_show
t_aw_at "-2d" "$H/aw.yaml" run
h_diag <"$H/aw/last-run.json"
h_is "$AW_RC" 3 "clock 2 days back, run: exit 3 (UNKNOWN), not CRITICAL"
h_ok "clock 2 days back, run: recorded with CLOCK_SUSPECT, nothing CRITICAL" \
    jq -e '([.findings[] | select(.code == "CLOCK_SUSPECT")] | length
    == 1) and ([.findings[] | select(.severity == "CRITICAL")] | length
    == 0)' "$H/aw/last-run.json"
h_ok "clock 2 days back, run: the history is unchanged" \
    cmp -s "$H/aw/history" "$H/history.before"

# The true clock again: OK, and the history moves on.
h_aw "$H/aw.yaml" check
h_is "$AW_RC" 0 "the true clock again: OK"
h_ok "the true clock again: no CLOCK_SUSPECT" \
    sh -c "! grep -q CLOCK_SUSPECT '$H/aw.out'"

h_done
