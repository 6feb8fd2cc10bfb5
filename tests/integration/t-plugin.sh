#!/bin/bash
#
# t-plugin.sh: one privileged run, many readers.  Against a local signed
# root at stage "pre" (KSK1 signs) and two real unbound daemons:
#
#	auto1	RFC 5011 (auto-trust-anchor-file, KSK1 seed): healthy
#	static1	trust-anchor-file with KSK1: STATIC_ANCHOR, a WARNING
#
# `anchorwatch run` (root) records its result in state_dir/last-run.json
# and writes the Prometheus textfile; check_anchorwatch (a link to the
# binary) and `anchorwatch check`, run as an unprivileged user, report
# that record with their own thresholds; an old, missing or forged record
# is UNKNOWN; the monitoring-plugins options and their errors; promtool
# reads the textfile.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

# The monitoring system's user.
T_USER=nobody
T_GROUP=$(id -gn nobody)

# t_as_user ARGS...: run ARGS as T_USER (no capabilities, no groups);
# output in $H/p.out, $H/p.err, exit status in P_RC.
t_as_user() {
	P_RC=0
	setpriv --reuid="$T_USER" --regid="$T_GROUP" --clear-groups \
	    --inh-caps=-all --bounding-set=-all "$@" \
	    >"$H/p.out" 2>"$H/p.err" || P_RC=$?
}

# t_plugin ARGS...: check_anchorwatch ARGS as the unprivileged user.
t_plugin() {
	t_as_user "$H/bin/check_anchorwatch" "$@"
}

# t_text FILE: the status line's text (before " | ") and the finding lines.
t_text() {
	sed -n '1s/ | .*//p; 2,${/^|$/q; /^[A-Z]* [A-Z_]* resolver=/p}' "$1"
}

# t_one_line FILE ERE: 0 if FILE is exactly one line matching ERE.
t_one_line() {
	[ "$(wc -l <"$1")" = 1 ] && grep -Eq "$2" "$1"
}

# t_record_edit JQ: rewrite the record with jq filter JQ.
t_record_edit() {
	jq "$1" "$H/aw/last-run.json" >"$H/rec.tmp" &&
	    cat "$H/rec.tmp" >"$H/aw/last-run.json"
}

h_root_init
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
KSK1=$(h_tag ksk1)
h_aw_config "$H/both.yaml" -- auto1 static1
mkdir -p "$H/prom" "$H/bin"
cat >>"$H/both.yaml" <<EOF
prometheus:
  textfile: $H/prom/anchorwatch.prom
EOF
sed -i 's/^checks:$/checks:\n  record_max_age: 600/' "$H/both.yaml"
ln -s "$AW_BIN" "$H/bin/check_anchorwatch"
h_wait_for "auto1 records a successful probe" 15 \
    grep -q '^;;last_success: [1-9]' "$(h_autr auto1)" ||
    h_bail "auto1 never recorded a probe"

# ---- 1. the privileged run records -----------------------------------------

h_ok "before any run: no record" test ! -e "$H/aw/last-run.json"
t_plugin -C "$H/both.yaml"
h_is "$P_RC" 3 "no record yet: check_anchorwatch exits 3"
h_ok "no record yet: UNKNOWN naming the file and the timer" t_one_line \
    "$H/p.out" "^ANCHORWATCH UNKNOWN - no recorded result: $H/aw/last-run.json does not exist; has .anchorwatch run. \\(anchorwatch.timer or cron\\) run yet\\?\$"

h_aw "$H/both.yaml" run
h_is "$AW_RC" 1 "run: exit 1 (STATIC_ANCHOR is a WARNING)"
h_ok "run: the record exists" test -f "$H/aw/last-run.json"
h_is "$(stat -c %a "$H/aw/last-run.json")" 644 "run: the record is mode 0644"
h_ok "run: the record is JSON of version 1" \
    jq -e '.version == 1' "$H/aw/last-run.json"
h_ok "run: the record holds STATIC_ANCHOR for static1 with KSK1" \
    jq -e --argjson k "$KSK1" '[.findings[] | select(.code ==
    "STATIC_ANCHOR" and .resolver == "static1" and .keytags == [$k])] |
    length == 1' "$H/aw/last-run.json"
h_ok "run: the record holds auto1's probe age as a candidate" \
    jq -e '[.findings[] | select(.code == "PROBE_OVERDUE" and
    .resolver == "auto1" and .value >= 0)] | length == 1' \
    "$H/aw/last-run.json"
h_ok "run: the record names the signing key" \
    jq -e --argjson k "$KSK1" '.root.secure and ([.root.keys[] |
    select(.signing) | .keytag] == [$k])' "$H/aw/last-run.json"
h_ok "run: no temporary file beside the record" test "$(find "$H/aw" \
    -maxdepth 1 -name '*last-run*' | wc -l)" = 1

# ---- 2. the unprivileged reader --------------------------------------------

h_aw "$H/both.yaml" check
cp "$H/aw.out" "$H/live.out"
h_is "$AW_RC" 1 "live check as root: exit 1"
t_plugin -C "$H/both.yaml"
cp "$H/p.out" "$H/rec.out"
h_is "$P_RC" 1 "check_anchorwatch as $T_USER: exit 1, as the live check"
h_ok "check_anchorwatch: the live check's status text and finding lines" \
    cmp -s <(t_text "$H/live.out") <(t_text "$H/rec.out")
h_diag <"$H/rec.out"
h_ok "check_anchorwatch: perfdata 'static1_trusted'=1 on the first line" \
    sh -c "head -n 1 '$H/rec.out' | grep -q \"'static1_trusted'=1;;1:;0\""
h_ok "check_anchorwatch: auto1's probe age with the config's threshold" \
    sh -c "head -n 1 '$H/rec.out' | grep -Eq \"'auto1_probe_age'=[0-9]+s;259200;;0\""
h_ok "check_anchorwatch: nothing on stderr" test ! -s "$H/p.err"
h_ok "check_anchorwatch: the user could not have run it live" \
    sh -c "! setpriv --reuid=$T_USER --regid=$T_GROUP --clear-groups \
    test -w '$H/aw'"

t_as_user "$AW_BIN" -c "$H/both.yaml" check
h_is "$P_RC" 1 "anchorwatch check as $T_USER: the record too, exit 1"
h_ok "anchorwatch check as $T_USER: same lines" \
    cmp -s <(t_text "$H/live.out") <(t_text "$H/p.out")

t_plugin -C "$H/both.yaml" -vv
h_ok "-vv: says where the verdict comes from" \
    grep -Eq "^verdict: recorded in $H/aw/last-run.json [0-9]+ s ago; thresholds: events warn 30 days, critical 7 days; probe age warn 259200 s, critical none\$" \
    "$H/p.out"
h_ok "-v: what auto1 trusts" grep -q "^resolver auto1 (unbound) trusts $KSK1" \
    "$H/p.out"

# -w/-c judge the record again: the record says auto1's last probe was
# 100 s old when it was made.
cp "$H/aw/last-run.json" "$H/good.json"
t_record_edit '(.findings[] | select(.code == "PROBE_OVERDUE" and
    .resolver == "auto1") | .value) = 100 |
    (.resolvers[] | select(.name == "auto1") | .probe_age) = 100'
t_plugin -C "$H/both.yaml" -w 30,50 -c 7,99s
h_is "$P_RC" 2 "-w 30,50 -c 7,99s: auto1's probe is 100 s old: exit 2"
h_ok "-w 30,50 -c 7,99s: CRITICAL PROBE_OVERDUE for auto1" \
    grep -q '^CRITICAL PROBE_OVERDUE resolver=auto1 ' "$H/p.out"
h_ok "-w 30,50 -c 7,99s: the perfdata carries 50 and 99" \
    sh -c "head -n 1 '$H/p.out' | grep -q \"'auto1_probe_age'=100s;50;99;0\""
t_plugin -C "$H/both.yaml" -w 30,1m
h_is "$P_RC" 1 "-w 30,1m: WARNING"
h_ok "-w 30,1m: WARNING PROBE_OVERDUE for auto1" \
    grep -q '^WARNING PROBE_OVERDUE resolver=auto1 ' "$H/p.out"
t_plugin -C "$H/both.yaml" -w 30,2m
h_is "$P_RC" 1 "-w 30,2m: back to the STATIC_ANCHOR WARNING only"
h_ok "-w 30,2m: no PROBE_OVERDUE" sh -c "! grep -q PROBE_OVERDUE '$H/p.out'"
cp "$H/good.json" "$H/aw/last-run.json"

# -H as the unprivileged user: the root as the run recorded it, nothing
# written.
ls -l --time-style=+%s "$H/aw" >"$H/aw.before"
t_plugin -C "$H/both.yaml" -H 127.0.0.11
h_is "$P_RC" 0 "-H auto1 as $T_USER: OK from the recorded root (exit 0)"
h_ok "-H auto1 as $T_USER: judged from its answers" \
    grep -q '^ANCHORWATCH OK - 127.0.0.11 .*answers alone' "$H/p.out"
h_ok "-H as $T_USER: nothing in state_dir changed" \
    cmp -s "$H/aw.before" <(ls -l --time-style=+%s "$H/aw")
t_plugin -C "$H/both.yaml" -H 127.0.0.79
h_is "$P_RC" 3 "-H where nothing answers, as $T_USER: exit 3"

# ---- 3. records that cannot be trusted -------------------------------------

cp "$H/aw/last-run.json" "$H/good.json"
t_record_edit '.written -= 700'
t_plugin -C "$H/both.yaml"
h_is "$P_RC" 3 "a record 700 s old (record_max_age 600): exit 3"
h_ok "an old record: UNKNOWN saying how old and what to check" t_one_line \
    "$H/p.out" '^ANCHORWATCH UNKNOWN - recorded result .*/last-run.json is 70[0-9] s old \(checks.record_max_age 600 s\): is anchorwatch.timer \(or cron\) running `anchorwatch run`\?$'

cp "$H/good.json" "$H/aw/last-run.json"
t_record_edit '.findings[0].severity = "SEVERE"'
t_plugin -C "$H/both.yaml"
h_is "$P_RC" 3 "a forged severity: exit 3"
h_ok "a forged severity: UNKNOWN naming the file" t_one_line "$H/p.out" \
    "^ANCHORWATCH UNKNOWN - $H/aw/last-run.json: not a record of anchorwatch: unknown severity\$"

printf '{"version": 1,\n "time": ' >"$H/aw/last-run.json"
t_plugin -C "$H/both.yaml"
h_is "$P_RC" 3 "a cut record: exit 3"
h_ok "a cut record: UNKNOWN naming file and line" t_one_line "$H/p.out" \
    "^ANCHORWATCH UNKNOWN - $H/aw/last-run.json:2: not a record of anchorwatch: "

# A run that cannot judge is recorded as UNKNOWN.
sed "s|bootstrap: .*|bootstrap: $H/none.key|; s|^state_dir: .*|state_dir: $H/aw2|; s|anchor_file: .*|anchor_file: $H/aw2/root.key|" \
    "$H/both.yaml" >"$H/broken.yaml"
mkdir -p "$H/aw2"
h_aw "$H/broken.yaml" run
h_is "$AW_RC" 3 "run without a bootstrap anchor: exit 3"
t_plugin -C "$H/broken.yaml"
h_is "$P_RC" 3 "its record: check_anchorwatch exits 3"
h_ok "its record: UNKNOWN with the run's reason" \
    grep -q "^ANCHORWATCH UNKNOWN - .*$H/none.key" "$H/p.out"
cp "$H/good.json" "$H/aw/last-run.json"

# ---- 4. the plugin's command line ------------------------------------------

t_plugin -h
h_is "$P_RC" 3 "-h: exit 3 (monitoring-plugins guidelines)"
h_ok "-h: the options" sh -c "grep -q -- '-w, --warning DAYS\\[,AGE\\]' \
    '$H/p.out' && grep -q -- '-H, --host' '$H/p.out'"
t_plugin -V
h_is "$P_RC" 3 "-V: exit 3"
h_ok "-V: one line with the version" t_one_line "$H/p.out" \
    '^check_anchorwatch \(anchorwatch [0-9]+\.[0-9]+(\.[0-9]+)?\)$'
for bad in "-w x" "-w 30,1y" "-c" "-t 0" "-Z" "extra" "-w 400"; do
	# shellcheck disable=SC2086 # the words are the arguments
	t_plugin -C "$H/both.yaml" $bad
	h_is "$P_RC" 3 "bad argument '$bad': exit 3"
	h_ok "bad argument '$bad': one UNKNOWN line with the usage" \
	    t_one_line "$H/p.out" '^ANCHORWATCH UNKNOWN - bad argument: .*; usage: check_anchorwatch '
done
t_plugin -C "$H/both.yaml" -w 5 -c 7
h_is "$P_RC" 3 "-c 7 beyond -w 5: exit 3"
h_ok "-c 7 beyond -w 5: UNKNOWN saying so" t_one_line "$H/p.out" \
    '^ANCHORWATCH UNKNOWN - critical days \(7\) more than warning days \(5\)$'
t_plugin -C "$H/nonexistent.yaml"
h_is "$P_RC" 3 "a missing -C file: exit 3"
h_ok "a missing -C file: UNKNOWN CONFIG_ERROR naming it" \
    grep -q "^ANCHORWATCH UNKNOWN - CONFIG_ERROR: $H/nonexistent.yaml" \
    "$H/p.out"

# --recorded as root; --live as root is the live check.
h_aw "$H/both.yaml" check --recorded
h_is "$AW_RC" 1 "check --recorded as root: exit 1"
h_ok "check --recorded as root: the record" \
    cmp -s <(t_text "$H/live.out") <(t_text "$H/aw.out")
h_aw "$H/both.yaml" status --recorded
h_is "$AW_RC" 3 "status --recorded: a usage error, exit 3"

# ---- 5. the Prometheus textfile --------------------------------------------

P="$H/prom/anchorwatch.prom"
h_ok "run wrote the textfile" test -f "$P"
h_is "$(stat -c %a "$P")" 644 "the textfile is mode 0644"
h_ok "textfile: static1's status is 1 (WARNING)" \
    grep -qx 'anchorwatch_resolver_status{resolver="static1",type="unbound"} 1' "$P"
h_ok "textfile: STATIC_ANCHOR warning counted once" \
    grep -qx 'anchorwatch_findings{code="STATIC_ANCHOR",severity="warning"} 1' "$P"
h_ok "textfile: KSK1 signs" \
    grep -qx "anchorwatch_root_key{keytag=\"$KSK1\",algorithm=\"8\",state=\"signing\"} 1" "$P"
h_ok "textfile: no PROBE_OVERDUE below its threshold" \
    grep -qx 'anchorwatch_findings{code="PROBE_OVERDUE",severity="warning"} 0' "$P"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$P" >"$H/promtool.out" 2>&1
	h_is "$?" 0 "promtool check metrics accepts the textfile"
	h_diag <"$H/promtool.out"
else
	h_pass "promtool check metrics # SKIP promtool is not installed"
fi

h_done
