#!/bin/bash
#
# t-cli.sh: the command-line contract of anchorwatch(8), against a local
# signed root at stage "pre" (KSK1 signs) and two real unbound daemons:
#
#	auto1	RFC 5011 (auto-trust-anchor-file, KSK1 seed): healthy
#	static1	trust-anchor-file with KSK1: STATIC_ANCHOR, a WARNING
#
# Covered: -h, -V and usage errors; the plugin status line and its
# perfdata grammar; status --json and the text report; run mode (silence,
# syslog); the lock; root.timeout ending the query, not the run; a clean
# valgrind run; the agent's anchor file keeping its mode; CONFIG_ERROR
# with FILE:LINE.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
# Its valgrind run needs the plain binary, which the ASan one skips:
# run.sh: plain too
#
# shellcheck disable=SC2317 # the t_* helpers run through h_ok
# shellcheck disable=SC2016 # $t in single quotes is jq's, not ours
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# The host's /dev, listed before entering the namespaces; compared at the
# end (the namespace's /dev is the same file system) to show that the
# syslog capture created nothing there.
if [ "${AW_NS:-}" != 1 ]; then
	T_HOST_DEV=$(find /dev -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')
	export T_HOST_DEV
fi

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
t_start=$(h_now)
T_DEV_MOUNTS=$(grep -c ' /dev[/ ]' /proc/self/mountinfo)

# ---- small helpers of this script ------------------------------------------

# t_set CONF KEY VALUE: change "  KEY: old" of the root section that
# h_aw_config wrote.
t_set() {
	sed -i "s|^  $2: .*\$|  $2: $3|" "$1"
	grep -q "^  $2: $3\$" "$1" || h_bail "t_set: no $2 in $1"
}

# t_empty FILE: 0 if FILE is empty.
t_empty() {
	[ ! -s "$1" ]
}

# t_usage FILE: 0 if FILE holds the usage naming the three commands.
t_usage() {
	grep -q '^usage: anchorwatch' "$1" &&
	    grep -q 'anchorwatch .* check$' "$1" &&
	    grep -q 'anchorwatch .* status \[--json\]$' "$1" &&
	    grep -q 'anchorwatch .* run$' "$1"
}

# t_version FILE: 0 if FILE is the one line "anchorwatch <version>".
t_version() {
	[ "$(wc -l <"$1")" = 1 ] &&
	    grep -Eq '^anchorwatch [0-9]+\.[0-9]+(\.[0-9]+)?$' "$1"
}

# t_line1 ERE: 0 if the first line of the last run's stdout matches.
t_line1() {
	head -n 1 "$H/aw.out" | grep -Eq "$1"
}

# t_check_rc CONF RC: 0 if `check` with CONF exits RC.
t_check_rc() {
	h_aw "$1" check
	[ "$AW_RC" = "$2" ]
}

# t_timed CMD...: run CMD, its run time in T_MS (milliseconds).
t_timed() {
	local t0
	t0=$(h_ms)
	"$@"
	T_MS=$(($(h_ms) - t0))
}

# One perfdata item by the monitoring-plugins grammar:
# 'label'=value[UOM];[warn];[crit];[min];[max], trailing fields optional,
# warn and crit as ranges ([@][start:][end], start may be ~).
T_NUM='-?[0-9]+(\.[0-9]+)?'
T_RANGE="@?((~|$T_NUM)?:)?($T_NUM)?"
T_PERF="^('[^'=]+'|[^' =]+)=$T_NUM(s|ms|us|%|B|KB|MB|TB|c)?(;($T_RANGE)(;($T_RANGE)(;($T_NUM)?(;($T_NUM)?)?)?)?)?\$"

# t_perf_valid: 0 if every item after " | " in the status line of the
# last run is valid; each bad item is shown.
t_perf_valid() {
	local perf item bad=0 n=0
	perf=$(head -n 1 "$H/aw.out")
	case $perf in
	*" | "*) perf=${perf#*" | "} ;;
	*) h_diag "no perfdata"; return 1 ;;
	esac
	for item in $perf; do
		n=$((n + 1))
		if ! printf '%s\n' "$item" | grep -Eq "$T_PERF"; then
			h_diag "bad perfdata item: $item"
			bad=1
		fi
	done
	[ "$n" -gt 0 ] && [ "$bad" = 0 ]
}

# t_jq FILTER [JQ-OPTIONS...]: 0 if jq -e FILTER holds for the last run's
# stdout.
t_jq() {
	local f=$1
	shift
	jq -e "$@" "$f" "$H/aw.out" >/dev/null 2>&1
}

# t_between N LO HI: 0 if LO <= N <= HI.
t_between() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# 0 if another process holds the lock file $1.
t_locked() {
	! flock -n "$1" true
}

# ---- the local root and the resolvers ----------------------------------

h_root_init
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
KSK1=$(h_tag ksk1)
h_diag "root keys: KSK1 $KSK1 signs, ZSK $(h_tag zsk)"
h_aw_config "$H/auto1.yaml" -- auto1
h_aw_config "$H/static1.yaml" -- static1
h_aw_config "$H/both.yaml" -- auto1 static1
# probe_age is in the perfdata only once unbound has recorded a probe.
h_wait_for "auto1 records a successful probe" 15 \
    grep -q '^;;last_success: [1-9]' "$(h_autr auto1)" ||
    h_bail "auto1 never recorded a probe"

# ---- 1. -h, -V, usage errors ---------------------------------------------

rc=0
"$AW_BIN" -h >"$H/h.out" 2>"$H/h.err" || rc=$?
h_is "$rc" 0 "-h: exit 0"
h_ok "-h: usage on stdout names check, status and run" t_usage "$H/h.out"
h_ok "-h: nothing on stderr" t_empty "$H/h.err"

rc=0
"$AW_BIN" -V >"$H/v.out" 2>"$H/v.err" || rc=$?
h_is "$rc" 0 "-V: exit 0"
h_ok "-V: one line 'anchorwatch <version>'" t_version "$H/v.out"

rc=0
"$AW_BIN" -c "$H/auto1.yaml" frobnicate >"$H/u.out" 2>"$H/u.err" || rc=$?
h_is "$rc" 3 "unknown command: exit 3"
h_ok "unknown command: usage on stderr" grep -q '^usage: anchorwatch' "$H/u.err"

rc=0
"$AW_BIN" -c "$H/auto1.yaml" --frobnicate check >"$H/u.out" 2>"$H/u.err" ||
    rc=$?
h_is "$rc" 3 "unknown long option: exit 3"
h_ok "unknown long option: usage on stderr" \
    grep -q '^usage: anchorwatch' "$H/u.err"

rc=0
"$AW_BIN" -c "$H/auto1.yaml" -Z check >"$H/u.out" 2>"$H/u.err" || rc=$?
h_is "$rc" 3 "unknown short option: exit 3"
h_ok "unknown short option: usage on stderr" \
    grep -q '^usage: anchorwatch' "$H/u.err"

# ---- 2. check on the healthy resolver: plugin output -------------------

h_aw "$H/auto1.yaml" check
h_is "$AW_RC" 0 "check auto1: exit 0"
h_is "$(wc -l <"$H/aw.out")" 1 "check auto1: exactly one line on stdout"
h_ok "check auto1: status line starts 'ANCHORWATCH OK - '" \
    grep -q '^ANCHORWATCH OK - ' "$H/aw.out"
h_ok "check auto1: perfdata has root_keys= and root_signers=" \
    grep -Eq ' \| (.* )?root_keys=[0-9]+.* root_signers=[0-9]+' "$H/aw.out"
h_ok "check auto1: perfdata has 'auto1_trusted'=1" \
    grep -Eq " 'auto1_trusted'=1(;| |\$)" "$H/aw.out"
h_ok "check auto1: perfdata has 'auto1_probe_age'=Ns" \
    grep -Eq " 'auto1_probe_age'=[0-9]+s(;| |\$)" "$H/aw.out"
h_ok "check auto1: every perfdata item follows the plugin grammar" \
    t_perf_valid
[ "$AW_RC" = 0 ] || h_aw_show
head -n 1 "$H/aw.out" | h_diag

h_aw "$H/both.yaml" check
h_ok "check auto1+static1: perfdata follows the plugin grammar" t_perf_valid

# ---- 3. status --json ------------------------------------------------------

h_aw "$H/auto1.yaml" status --json
h_is "$AW_RC" 0 "status --json auto1: exit 0"
h_ok "status --json: jq parses it" t_jq '.'
h_ok "status --json: .root.secure == true" t_jq '.root.secure == true'
h_ok "status --json: .root.keys[] have keytag, flags, signing" \
    t_jq '(.root.keys | type == "array" and length > 0) and
    all(.root.keys[]; (.keytag | type == "number") and
    (.flags | type == "number") and (.signing | type == "boolean"))'
h_ok "status --json: KSK1 $KSK1 is in .root.keys, flags 257, signing" \
    t_jq 'any(.root.keys[]; .keytag == $t and .flags == 257 and .signing)' \
    --argjson t "$KSK1"
h_ok "status --json: .root.signers is an array naming KSK1" \
    t_jq '(.root.signers | type == "array") and any(.root.signers[]; . == $t)' \
    --argjson t "$KSK1"
h_ok "status --json: .findings is an (empty) array" \
    t_jq '.findings | type == "array" and length == 0'

h_aw "$H/static1.yaml" status --json
h_is "$AW_RC" 1 "status --json static1: exit 1"
h_ok "status --json static1: .findings is an array" \
    t_jq '.findings | type == "array"'
h_ok "status --json static1: STATIC_ANCHOR, WARNING, static1, keytag $KSK1" \
    t_jq 'any(.findings[]; .code == "STATIC_ANCHOR" and
    .severity == "WARNING" and .resolver == "static1" and .keytag == $t)' \
    --argjson t "$KSK1"
t_jq '.' || h_aw_show

# ---- 4. status (text) --------------------------------------------------------

h_aw "$H/both.yaml" status
h_is "$AW_RC" 1 "status auto1+static1: exit 1"
h_ok "status: names resolver auto1" grep -q '^resolver auto1 ' "$H/aw.out"
h_ok "status: names resolver static1" grep -q '^resolver static1 ' "$H/aw.out"
h_is "$(tail -n 1 "$H/aw.out")" "verdict: WARNING" \
    "status: the last line is the verdict"

# ---- 5. run: silent when all is well, syslog otherwise ----------------------

if h_syslog_start; then
	h_aw_devlog "$H/auto1.yaml" run
	h_is "$AW_RC" 0 "run auto1: exit 0"
	h_ok "run auto1: nothing on stdout" t_empty "$H/aw.out"
	h_ok "run auto1: nothing on stderr" t_empty "$H/aw.err"
	h_syslog_sync
	h_is "$(h_syslog_lines)" "" "run auto1: nothing sent to syslog"
	[ "$AW_RC" = 0 ] || h_aw_show

	h_syslog_clear
	h_aw_devlog "$H/static1.yaml" run
	h_is "$AW_RC" 1 "run static1: exit 1"
	h_ok "run static1: nothing on stdout" t_empty "$H/aw.out"
	[ -s "$H/aw.err" ] && h_diag "run static1 stderr:" && h_diag <"$H/aw.err"
	h_syslog_sync
	h_syslog_lines >"$H/syslog.lines"
	h_ok "run static1: syslog has STATIC_ANCHOR for static1" \
	    grep -Eq "anchorwatch\[[0-9]+\]: WARNING STATIC_ANCHOR resolver=static1 keytag=$KSK1 msgid=AW105: " \
	    "$H/syslog.lines"
	# daemon (3) * 8 + warning (4)
	h_ok "run static1: the message is daemon.warning (<28>)" \
	    grep -q '^<28>.* STATIC_ANCHOR ' "$H/syslog.lines"
	h_diag <"$H/syslog.lines"
	h_daemon_stop syslog
else
	for t in "run auto1" "run static1"; do
		h_pass "$t # SKIP socat not installed"
	done
fi

# ---- 9. the agent's anchor file: replaced atomically, mode kept -------------

af=$H/aw/root.key
chmod 0640 "$af"
ino0=$(stat -c %i "$af")
rcs=""
for i in 1 2 3; do
	h_aw "$H/auto1.yaml" check
	rcs="$rcs$AW_RC"
done
h_is "$rcs" 000 "anchor file: three checks exit 0"
# libunbound rewrites the file itself when its probe is due (autr_write_file:
# a new file, then rename): run checks until it has done so at least once.
c_replaced() {
	h_aw "$H/auto1.yaml" check
	[ "$(stat -c %i "$af")" != "$ino0" ]
}
h_ok "anchor file: replaced (new inode), not rewritten in place" \
    h_wait_for "libunbound rewrites the anchor file" 15 c_replaced
# anchorwatch keeps the owner and mode of the file libunbound replaced.
h_is "$(stat -c %a "$af")" 640 "anchor file: mode 0640 kept"
h_ok "anchor file: still holds the root DNSKEY" \
    grep -Eq '^\.[[:space:]].*DNSKEY[[:space:]]+257 ' "$af"
h_is "$(find "$H/aw" -mindepth 1 -maxdepth 1 ! -name root.key \
    ! -name anchorwatch.lock ! -name history ! -name last-run.json \
    ! -name root.key.good | wc -l)" 0 \
    "anchor file: no temporary file left in state_dir"
find "$H/aw" -mindepth 1 -printf '%M %u %s %f\n' | h_diag

# ---- 8. valgrind -----------------------------------------------------------

if ! command -v valgrind >/dev/null 2>&1; then
	h_pass "valgrind # SKIP valgrind not installed"
elif grep -aq __asan_init "$AW_BIN"; then
	h_pass "valgrind # SKIP $AW_BIN is built with AddressSanitizer"
else
	cp "$H/auto1.yaml" "$H/vg.yaml"
	t_set "$H/vg.yaml" timeout 30
	h_aw "$H/vg.yaml" check
	plain=$AW_RC
	rc=0
	t_timed valgrind --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --log-file="$H/vg.log" \
	    "$AW_BIN" -c "$H/vg.yaml" -t 60 check >"$H/vg.out" 2>"$H/vg.err" ||
	    rc=$?
	h_is "$plain" 0 "valgrind: check without valgrind exits 0"
	h_is "$rc" "$plain" "valgrind: check under valgrind exits the same ($plain)"
	h_ok "valgrind: ERROR SUMMARY: 0 errors" \
	    grep -q 'ERROR SUMMARY: 0 errors' "$H/vg.log"
	h_diag "valgrind run took $T_MS ms"
	if [ "$rc" != "$plain" ] || ! grep -q 'ERROR SUMMARY: 0 errors' \
	    "$H/vg.log"; then
		h_diag <"$H/vg.out"
		tail -n 60 "$H/vg.log" | h_diag
	fi
fi

# ---- 6. the lock --------------------------------------------------------------

lock=$H/aw/anchorwatch.lock
flock "$lock" sleep 8 &
lockpid=$!
if h_wait_for "flock holds $lock" 5 t_locked "$lock"; then
	t_timed h_aw "$H/auto1.yaml" run
	h_is "$AW_RC" 3 "lock held: run exits 3"
	h_ok "lock held: run returns at once (${T_MS} ms)" [ "$T_MS" -lt 1500 ]
	h_ok "lock held: run says why on stderr" grep -qi 'lock' "$H/aw.err"
	h_ok "lock held: run prints nothing on stdout" t_empty "$H/aw.out"
	h_diag <"$H/aw.err"

	t_timed h_aw "$H/auto1.yaml" -t 2 check
	h_is "$AW_RC" 3 "lock held: check -t 2 exits 3"
	h_ok "lock held: check -t 2 waits for the lock until -t (${T_MS} ms)" \
	    t_between "$T_MS" 1900 4000
	h_ok "lock held: check -t 2 status line ANCHORWATCH UNKNOWN, timed out" \
	    t_line1 '^ANCHORWATCH UNKNOWN - .*timed out'
	head -n 1 "$H/aw.out" | h_diag
else
	h_fail "lock: flock(1) could not take $lock"
fi
# flock(1) runs sleep as its child; end both, by pid.
for p in $(ps -o pid= --ppid "$lockpid") "$lockpid"; do
	kill "$p" 2>/dev/null
done
wait "$lockpid" 2>/dev/null
h_ok "lock released: check exits 0 again" t_check_rc "$H/auto1.yaml" 0

# ---- 7. root.timeout: UNKNOWN, local findings kept ---------------------------

# A dead port: the kernel refuses it (ICMP), so this may fail fast.
h_aw_config "$H/dead.yaml" stub=127.0.0.77@53 state="$H/aw-dead" -- static1
t_set "$H/dead.yaml" timeout 2
t_timed h_aw "$H/dead.yaml" -t 30 check
h_is "$AW_RC" 3 "dead stub: exit 3"
# root.timeout (2 s) ends it, not -t 30; 5 s leaves room for a loaded CI
h_ok "dead stub: done within 5 s (${T_MS} ms)" [ "$T_MS" -le 5000 ]
h_ok "dead stub: first line ANCHORWATCH UNKNOWN" \
    t_line1 '^ANCHORWATCH UNKNOWN - '
h_ok "dead stub: ROOT_UNREACHABLE listed" h_aw_has ROOT_UNREACHABLE
h_ok "dead stub: STATIC_ANCHOR for static1 still listed" \
    grep -q "^WARNING STATIC_ANCHOR resolver=static1 keytag=$KSK1: " "$H/aw.out"
h_aw_show

# A silent server: no kernel refusal, the query itself must time out.
h_diag "a blackhole or unreachable route fails sendto(2) at once and no"
h_diag "iptables/nft is installed: the silent stub is a socat sink that"
h_diag "reads queries and never answers"
h_sink_start silent 127.0.0.78
h_aw_config "$H/silent.yaml" stub=127.0.0.78@53 state="$H/aw-silent" -- static1
t_set "$H/silent.yaml" timeout 2
t_timed h_aw "$H/silent.yaml" -t 30 check
h_is "$AW_RC" 3 "silent stub, timeout 2: exit 3"
h_ok "silent stub: waits for root.timeout, done within 3 s (${T_MS} ms)" \
    t_between "$T_MS" 1900 3500
h_ok "silent stub: first line ANCHORWATCH UNKNOWN" \
    t_line1 '^ANCHORWATCH UNKNOWN - '
h_ok "silent stub: ROOT_UNREACHABLE listed" h_aw_has ROOT_UNREACHABLE
h_ok "silent stub: STATIC_ANCHOR for static1 still listed" \
    grep -q "^WARNING STATIC_ANCHOR resolver=static1 keytag=$KSK1: " "$H/aw.out"
h_ok "silent stub: ROOT_UNREACHABLE blames root.timeout" \
    grep -q '^UNKNOWN ROOT_UNREACHABLE .*within 2 s (root.timeout)' "$H/aw.out"
h_ok "silent stub: root.timeout ends the query, not the run: nothing on stderr" \
    t_empty "$H/aw.err"
h_aw_show
h_daemon_stop sink-silent

# ---- 10. CONFIG_ERROR: FILE:LINE ---------------------------------------------

# A resolver whose unbound.conf does not exist.
h_aw_config "$H/ghost.yaml" -- ghost
h_aw "$H/ghost.yaml" check
h_is "$AW_RC" 3 "missing unbound.conf: exit 3"
h_ok "missing unbound.conf: CONFIG_ERROR for ghost" \
    grep -q '^UNKNOWN CONFIG_ERROR resolver=ghost ' "$H/aw.out"
# The file has no line of its own: the resolver's entry in the config.
h_ok "missing unbound.conf: the message names the entry's FILE:LINE" \
    grep -Eq "^UNKNOWN CONFIG_ERROR .*: [^ ]+:[0-9]+:" "$H/aw.out"
h_aw_show

# A resolver whose trust-anchor-file holds a malformed DS on line 2.
mkdir -p "$H/ub/bad1"
printf '; a hand-edited anchor\n. IN DS %s 8 2 NOT-HEX\n' "$KSK1" \
    >"$H/ub/bad1/root.ds"
sed "s|^\ttrust-anchor-file: .*|\ttrust-anchor-file: \"$H/ub/bad1/root.ds\"|" \
    "$(h_ub_conf static1)" >"$(h_ub_conf bad1)"
grep -q "bad1/root.ds" "$(h_ub_conf bad1)" || h_bail "could not write bad1's config"
h_aw_config "$H/bad1.yaml" -- bad1
h_aw "$H/bad1.yaml" check
h_is "$AW_RC" 3 "malformed anchor: exit 3"
h_ok "malformed anchor: CONFIG_ERROR for bad1" \
    grep -q '^UNKNOWN CONFIG_ERROR resolver=bad1 ' "$H/aw.out"
h_ok "malformed anchor: the message names $H/ub/bad1/root.ds:2:" \
    grep -q "^UNKNOWN CONFIG_ERROR .*$H/ub/bad1/root.ds:2:" "$H/aw.out"
h_aw_show

# ---- the host's /dev ---------------------------------------------------------

if [ -n "${T_HOST_DEV:-}" ]; then
	h_is "$(find /dev -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')" \
	    "$T_HOST_DEV" \
	    "host /dev: same entries as before the test"
fi
h_is "$(grep -c ' /dev[/ ]' /proc/self/mountinfo)" "$T_DEV_MOUNTS" \
    "host /dev: no mount left over /dev"

h_diag "t-cli took $(($(h_now) - t_start)) s"
h_done
