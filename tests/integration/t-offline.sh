#!/bin/bash
#
# t-offline.sh: anchorwatch without the live root, as on an air-gapped host
# or behind a broken uplink.  Inside a network namespace holding only
# loopback nothing answers for the root: with no stub the agent's
# libunbound has the root hints and no route to them; with a stub it asks
# a sink that reads and never answers, so the query waits out
# root.timeout.  The resolvers hold the real root KSKs (the agent seeds
# from Debian's /usr/share/dns/root.key, 20326 and 38696):
#
#	static2017	unbound static DS file, KSK-2017 (20326) only
#	auto2017	unbound autotrust file, 20326 Valid only
#	static-both	unbound static DS file, 20326 and 38696
#	auto-both	unbound autotrust file, 20326 and 38696 Valid
#
# Shown: `check` and `status` judge each resolver against the calendar when
# the root does not answer (ANCHOR_STALE, CRITICAL, "verdict from the
# calendar", plus ROOT_UNREACHABLE), and not before the 2026-10-11 roll;
# `run` logs every finding to syslog, ROOT_UNREACHABLE included, when the
# root does not answer within root.timeout (the run goes on); `-t` expiry
# in `run` reaches syslog too, and so does an error that stops a run, at
# the configured facility.  Syslog is a socat listener on a private
# /dev/log (h_syslog_start).
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need socat
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
D=$H_TOP/tests/data/events/good
SEED=/usr/share/dns/root.key
[ -r "$SEED" ] || SEED=$D/compliant.key

# The RFC 5011 fixtures must look writable to unbound's user, or
# ANCHOR_NOT_WRITABLE (CRITICAL) would hide what is shown here.
mkdir -p "$H/files"
cp "$D/static-2017.ds" "$D/static-both.ds" "$D/auto2017.key" \
    "$D/compliant.key" "$H/files/"
chmod 0777 "$H/files"
chmod 0666 "$H/files"/*

# t_conf FILE STUB TIMEOUT [NAME:FIXTURE...]: a configuration; STUB "-"
# for none (the root hints); extra lines from $EXTRA.
t_conf() {
	local f=$1 stub=$2 timeout=$3 r
	shift 3
	{
		printf 'state_dir: %s\nroot:\n' "$H/aw-$(basename "$f" .yaml)"
		[ "$stub" = - ] || printf '  stub: ["%s"]\n' "$stub"
		printf '  timeout: %s\n  bootstrap: %s\n' "$timeout" "$SEED"
		printf 'checks:\n  probe_overdue: 31622400\n'
		printf 'events:\n  file: %s\n' "$H_TOP/etc/anchorwatch/events.yaml"
		printf '%s\n' "${EXTRA:-probes:
  enabled: false}"
		echo "resolvers:"
		for r in "$@"; do
			printf '  - name: %s\n    type: unbound\n    anchor_files: [%s]\n' \
			    "${r%%:*}" "$H/files/${r#*:}"
			[ -z "${ADDR:-}" ] || printf '    address: "%s"\n' "$ADDR"
		done
	} >"$f"
}

# t_has ERE: a line of the last run's stdout matches.
t_has() {
	grep -Eq "$1" "$H/aw.out"
}

# t_jq FILTER: jq -e FILTER holds for the last run's stdout.
t_jq() {
	jq -e "$1" "$H/aw.out" >/dev/null
}

# t_run CONF ARGS...: h_aw_devlog, its run time in T_MS (milliseconds).
t_run() {
	local t0
	t0=$(h_ms)
	h_aw_devlog "$@"
	T_MS=$(($(h_ms) - t0))
}

STALE='trusts 20326, but by the calendar the root DNSKEY set is signed by key 38696 since 2026-10-11 \(KSK-2024 signs the root DNSKEY RRset, KSK-2017 no longer\): validation fails for every name; add key 38696 to its anchors and restart \(verdict from the calendar: the live root did not answer\)$'

# ---- 1. check with no route to the root ------------------------------------

t_conf "$H/old.yaml" - 2 static2017:static-2017.ds auto2017:auto2017.key
h_aw "$H/old.yaml" --now 2026-12-04 check
h_is "$AW_RC" 2 "no network, 20326 only, 2026-12-04: check exits 2"
h_ok "status line: CRITICAL naming ANCHOR_STALE (38696)" \
    t_has '^ANCHORWATCH CRITICAL - .*static2017 ANCHOR_STALE \(38696\)'
h_ok "static2017: CRITICAL ANCHOR_STALE from the calendar" \
    t_has "^CRITICAL ANCHOR_STALE resolver=static2017 keytag=38696: $STALE"
h_ok "auto2017 (RFC 5011 file): CRITICAL ANCHOR_STALE from the calendar" \
    t_has "^CRITICAL ANCHOR_STALE resolver=auto2017 keytag=38696: $STALE"
h_ok "ROOT_UNREACHABLE, UNKNOWN, is reported too" \
    t_has '^UNKNOWN ROOT_UNREACHABLE resolver=- keytag=-: no secure root DNSKEY answer'
h_aw_show

h_aw "$H/old.yaml" --now 2026-10-10 check
h_ok "the day before the roll: no ANCHOR_STALE (20326 still signs)" \
    sh -c '! grep -q ANCHOR_STALE "$1"' - "$H/aw.out"
h_ok "the day before the roll: EVENT_AHEAD instead" \
    t_has '^CRITICAL EVENT_AHEAD resolver=static2017 keytag=38696: 2026-10-11 roll '

h_aw "$H/old.yaml" --now 2026-12-04 status --json
h_is "$AW_RC" 2 "status --json: exit 2"
h_ok "status --json: ANCHOR_STALE CRITICAL for static2017, from the calendar" \
    t_jq '[.. | objects | select(.code? == "ANCHOR_STALE" and
        .resolver == "static2017" and .severity == "CRITICAL" and
        (.message | test("verdict from the calendar")))] | length == 1'
h_ok "status --json: the root says it was judged by the calendar, 38696" \
    t_jq '.root.secure == false and .root.judged_by == "calendar" and
        .root.judged_signers == [38696]'
h_aw "$H/old.yaml" --now 2026-12-04 status
h_is "$AW_RC" 2 "status: exit 2"
h_ok "status (text): the root line says the calendar judged, 38696" \
    grep -q '^  resolvers judged by the calendar instead: signed by 38696$' \
    "$H/aw.out"
h_ok "status (text): ANCHOR_STALE CRITICAL for auto2017" \
    grep -q '^  CRITICAL auto2017 ANCHOR_STALE \[38696\]$' "$H/aw.out"
h_ok "status (text): its message says the calendar's verdict" \
    grep -q '^    trusts 20326, but by the calendar .*(verdict from the calendar: the live root did not answer)$' \
    "$H/aw.out"

t_conf "$H/new.yaml" - 2 static-both:static-both.ds auto-both:compliant.key
h_aw "$H/new.yaml" --now 2026-12-04 check
h_is "$AW_RC" 3 "no network, 38696 trusted: exit 3 (ROOT_UNREACHABLE only)"
h_ok "38696 trusted: no ANCHOR_STALE" \
    sh -c '! grep -q ANCHOR_STALE "$1"' - "$H/aw.out"
h_ok "38696 trusted: ROOT_UNREACHABLE" t_has '^UNKNOWN ROOT_UNREACHABLE '
h_aw_show

# ---- 2. run: a root that never answers, findings to syslog ---------------

h_sink_start silent 127.0.0.78
if h_syslog_start; then
	EXTRA='syslog:
  facility: local3
probes:
  enabled: false' t_conf "$H/run.yaml" 127.0.0.78@53 2 \
	    static2017:static-2017.ds
	t_run "$H/run.yaml" --now 2026-12-04 -t 30 run
	h_is "$AW_RC" 2 "run, silent root, timeout 2: exit 2 (the run went on)"
	h_ok "run: waited root.timeout, not more (${T_MS} ms)" \
	    test "$T_MS" -ge 1900 -a "$T_MS" -le 6000
	h_ok "run: nothing on stdout" test ! -s "$H/aw.out"
	h_ok "run: no \"timed out\" on stderr" \
	    sh -c '! grep -q "timed out" "$1"' - "$H/aw.err"
	h_syslog_sync
	h_syslog_lines >"$H/syslog.lines"
	h_diag <"$H/syslog.lines"
	# local3 (19) * 8 + err (3) = 155, + crit (2) = 154, + warning (4) = 156
	h_ok "run: syslog has ROOT_UNREACHABLE (local3.err), naming root.timeout" \
	    grep -Eq '^<155>.*anchorwatch\[[0-9]+\]: UNKNOWN ROOT_UNREACHABLE resolver=- keytag=- msgid=AW118: .*within 2 s \(root.timeout\)' \
	    "$H/syslog.lines"
	h_ok "run: syslog has ANCHOR_STALE from the calendar (local3.crit)" \
	    grep -Eq "^<154>.*anchorwatch\[[0-9]+\]: CRITICAL ANCHOR_STALE resolver=static2017 keytag=38696 msgid=AW101: $STALE" \
	    "$H/syslog.lines"
	h_ok "run: syslog has STATIC_ANCHOR (local3.warning)" \
	    grep -Eq '^<156>.*anchorwatch\[[0-9]+\]: WARNING STATIC_ANCHOR resolver=static2017 ' \
	    "$H/syslog.lines"

	# -t expiry: a resolver whose address is the sink, probes that wait
	# 10 s each, -t 3.
	h_syslog_clear
	EXTRA='syslog:
  facility: local3
probes:
  enabled: true
  timeout: 10' ADDR=127.0.0.78@53 t_conf "$H/slow.yaml" 127.0.0.78@53 1 \
	    static2017:static-2017.ds
	t_run "$H/slow.yaml" --now 2026-12-04 -t 3 run
	h_is "$AW_RC" 3 "run -t 3 with a probe that waits 10 s: exit 3"
	h_ok "run -t 3: ended at -t (${T_MS} ms)" \
	    test "$T_MS" -ge 2900 -a "$T_MS" -le 6000
	h_ok "run -t 3: stderr says timed out" grep -q 'timed out' "$H/aw.err"
	h_syslog_sync
	h_syslog_lines >"$H/syslog.lines"
	h_diag <"$H/syslog.lines"
	h_ok "run -t 3: syslog has the expiry (local3.err)" \
	    grep -Eq '^<155>anchorwatch\[[0-9]+\]: UNKNOWN ERROR resolver=- keytag=- msgid=AW901: timed out: the run took longer than -t 3 s$' \
	    "$H/syslog.lines"

	# An error that stops the run, once the configuration is read, is
	# logged at its facility too: a state_dir that cannot be created.
	h_syslog_clear
	sed "s|^state_dir: .*|state_dir: $H/files/static-2017.ds/state|" \
	    "$H/run.yaml" >"$H/nostate.yaml"
	h_aw_devlog "$H/nostate.yaml" run
	h_is "$AW_RC" 3 "run, state_dir cannot be created: exit 3"
	h_syslog_sync
	h_syslog_lines >"$H/syslog.lines"
	h_diag <"$H/syslog.lines"
	h_ok "run, state_dir cannot be created: syslog at local3.err" \
	    grep -Eq '^<155>.*anchorwatch\[[0-9]+\]: UNKNOWN ERROR resolver=- keytag=- msgid=AW900: .*cannot create state_dir' \
	    "$H/syslog.lines"

	# An error in the configuration itself: its syslog.facility still
	# holds, read up to the first fault.
	h_syslog_clear
	{ cat "$H/run.yaml"; echo "no_such_key: 1"; } >"$H/badkey.yaml"
	h_aw_devlog "$H/badkey.yaml" run
	h_is "$AW_RC" 3 "run, an unknown key in the configuration: exit 3"
	h_syslog_sync
	h_syslog_lines >"$H/syslog.lines"
	h_diag <"$H/syslog.lines"
	h_ok "run, configuration error: CONFIG_ERROR at its local3.err" \
	    grep -Eq "^<155>.*anchorwatch\[[0-9]+\]: UNKNOWN CONFIG_ERROR resolver=- keytag=- msgid=AW119: $H/badkey.yaml:[0-9]+: unknown key \"no_such_key\"" \
	    "$H/syslog.lines"
	h_daemon_stop syslog
else
	h_pass "run to syslog # SKIP socat cannot listen"
fi
h_daemon_stop sink-silent

h_done
