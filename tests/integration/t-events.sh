#!/bin/bash
#
# t-events.sh: the root KSK calendar from the command line, at dates given
# with --now.  No daemon and no namespace: the resolvers are anchor_files
# fixtures (tests/data/events/good) and the root stub is a closed loopback
# port, so every check also reports ROOT_UNREACHABLE (UNKNOWN).  That shows
# what the issue asks: EVENT_AHEAD works from files and the calendar even
# when the live root cannot be reached.  Exit codes follow from it:
# CRITICAL (2) outranks UNKNOWN (3), which outranks WARNING.
#
#	compliant	RFC 5011 file, 20326 and 38696 Valid
#	late		RFC 5011 file, 38696 in AddPend since 2026-09-20:
#			trusted from 2026-10-20, after the 2026-10-11 roll
#	static2017	static DS for 20326 only
#	static-both	static DS for 20326 and 38696
#	auto2017	RFC 5011 file, 20326 Valid only
#
# Golden outputs live in tests/data/events/golden (paths as @TOP@);
# AW_GOLDEN=update rewrites them.  TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
AW=${ANCHORWATCH:-$TOP/anchorwatch}
G=$TOP/tests/data/events/golden
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The RFC 5011 fixtures must look writable to the resolver's user, or
# ANCHOR_NOT_WRITABLE (CRITICAL) would hide the exit codes under test.
mkdir -p "$T/files" "$T/state"
cp tests/data/events/good/* "$T/files/"
chmod 0777 "$T/files"
chmod 0666 "$T/files"/*

# conf NAME [RESOLVER...]: a configuration with the shipped calendar and
# the named resolvers (each "name:fixture"); extra lines from $EXTRA.
conf() {
	local f=$T/$1.yaml r
	shift
	cat >"$f" <<EOF
state_dir: $T/state
root:
  stub: [127.0.0.1@9]
  timeout: 1
  bootstrap: $T/files/compliant.key
probes:
  enabled: false
events:
  file: ${CAL:-$TOP/etc/anchorwatch/events.yaml}
${EXTRA:-}
resolvers:
EOF
	for r in "$@"; do
		printf '  - name: %s\n    type: unbound\n    anchor_files: [%s]\n' \
		    "${r%%:*}" "$T/files/${r#*:}" >>"$f"
	done
	echo "$f"
}

# aw ARGS...: run anchorwatch; stdout in $T/out, stderr in $T/err, $RC.
aw() {
	RC=0
	"$AW" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

# golden NAME: $T/out, paths made @TOP@ and @T@, equals the golden file.
golden() {
	sed -e "s|$T|@T@|g" -e "s|$TOP|@TOP@|g" "$T/out" >"$T/got"
	if [ "${AW_GOLDEN:-}" = update ]; then
		cp "$T/got" "$G/$1.out"
	fi
	diff -u "$G/$1.out" "$T/got" | sed 's/^/# /'
	cmp -s "$G/$1.out" "$T/got"
}

# has ERE: a line of $T/out matches.
has() {
	grep -Eq "$1" "$T/out"
}

mkdir -p "$G"
ALL=$(conf all compliant:compliant.key late:late.key \
    static2017:static-2017.ds static-both:static-both.ds)
READY=$(conf ready compliant:compliant.key static-both:static-both.ds)

# ---- anchorwatch events ----------------------------------------------------
aw -c "$ALL" --now 2026-09-25 events
[ "$RC" = 0 ] && golden events-2026-09-25
ok $? "events --now 2026-09-25: the roll and the assumed 2027 dates, a readiness line per resolver"

aw -c "$ALL" --now 2026-09-25 events
[ "$(grep -A4 '^2027-01-11 .*revoke .*ASSUMED' "$T/out" | grep -c '^    [a-z0-9-]*: ')" = 4 ]
ok $? "events shows the 2027 KSK-2017 revocation with one line per configured resolver"

# late held 38696 in AddPend until 2026-10-20: the roll of 2026-10-11
# broke it first, so the hold-down never ends (RFC 5011 takes a key only
# from a set it validates).  The roll is listed as a past event it did not
# survive, and it is ready for nothing after.
aw -c "$ALL" --now 2026-10-12 events
[ "$RC" = 0 ] && has '^Past events a resolver did not survive:$' &&
    has '^2026-10-11  +roll ' &&
    has '^    late: did not survive it \(trusts 20326; the root is signed by 38696\)$' &&
    has '^    static2017: did not survive it ' && ! has '^    compliant: did not' &&
    has '^    late: NOT READY: broken since the 2026-10-11 roll \(trusts 20326; the root is signed by 38696\)$' &&
    ! has 'late: ready'
ok $? "events --now 2026-10-12: late and static2017 did not survive the roll, and are ready for nothing after it"

# The issue's example: an unbound autotrust file trusting only KSK-2017,
# on 2027-01-20, is broken since the roll, not "ready (has not seen 38696".
A2017=$(conf a2017 auto2017:auto2017.key)
aw -c "$A2017" --now 2027-01-20 events
[ "$RC" = 0 ] && ! has 'ready \(has not seen' &&
    has '^    auto2017: NOT READY: broken since the 2026-10-11 roll \(trusts 20326; the root is signed by 38696\)$' &&
    has '^    auto2017: did not survive it '
ok $? "events --now 2027-01-20: an RFC 5011 resolver trusting only 20326 has been broken since the 2026-10-11 roll"

aw -c "$ALL" --now 2027-03-23 events
[ "$RC" = 0 ] && golden events-2027-03-23
ok $? "events --now 2027-03-23: no coming events"

H2017=$(conf h2017 auto2010:ksk2010-auto.key static2010:static-2010.ds)
aw -c "$H2017" --now 2017-06-01 events
[ "$RC" = 0 ] && golden events-2017-06-01
ok $? "events --now 2017-06-01: an RFC 5011 resolver learns KSK-2017 in time, a static KSK-2010 one does not"

LEARN=$(conf learn compliant:compliant.key)
sed -i "s|^  bootstrap: .*|  anchor_file: $T/files/agent-learn.key|" "$LEARN"
aw -c "$LEARN" --now 2026-12-05 events
[ "$RC" = 0 ] && has '^2026-12-31  +trust +keys 19036 +learned +KSK 19036 becomes trusted by compliant resolvers \(first seen 2026-12-01\)$'
ok $? "events: a key in AddPend in the agent's own file starts a countdown"

EXTRA='  extra:
    - id: ksk2017-revoke
      date: 2027-02-01
      name: KSK-2017 revoked, as announced
      kind: revoke
      keys: [20326]
      requires: [38696]'
OVR=$(conf ovr static2017:static-2017.ds)
unset EXTRA
aw -c "$OVR" --now 2026-12-01 events
has '^2027-02-01  +revoke +keys 20326 +operator +KSK-2017 revoked, as announced$' && ! has '^2027-01-11'
ok $? "events.extra with a calendar id replaces the assumed date"

# ---- check: EVENT_AHEAD ----------------------------------------------------
aw -c "$ALL" --now 2026-09-10 check
[ "$RC" = 3 ] && ! has EVENT_AHEAD && has '^UNKNOWN ROOT_UNREACHABLE'
ok $? "check 31 days before the roll: no EVENT_AHEAD (exit 3, root unreachable)"

aw -c "$ALL" --now 2026-09-11 check
[ "$RC" = 3 ] && [ "$(grep -c EVENT_AHEAD "$T/out")" = 1 ] &&
    has '^WARNING EVENT_AHEAD resolver=static2017 keytag=38696: 2026-10-11 roll \(KSK-2024 signs the root DNSKEY RRset, KSK-2017 no longer\) is in 30 days and needs key 38696; this resolver does not trust 38696$'
ok $? "check 30 days before the roll: WARNING for static2017, naming date and key"

aw -c "$ALL" --now 2026-09-20 check
[ "$RC" = 3 ] && [ "$(grep -c '^WARNING EVENT_AHEAD' "$T/out")" = 2 ] &&
    has '^WARNING EVENT_AHEAD resolver=late keytag=38696: 2026-10-11 roll .* is in 21 days and needs key 38696; this resolver holds 38696 in AddPend, trusted from 2026-10-20$' &&
    ! has 'CRITICAL'
ok $? "check 21 days before the roll: late's AddPend cannot reach Valid in time: WARNING"

aw -c "$ALL" --now 2026-10-04 check
[ "$RC" = 2 ] && [ "$(grep -c '^CRITICAL EVENT_AHEAD' "$T/out")" = 2 ] &&
    head -n 1 "$T/out" | grep -q '^ANCHORWATCH CRITICAL - .*EVENT_AHEAD (38696)'
ok $? "check 7 days before the roll: CRITICAL, exit 2"

aw -c "$READY" --now 2026-10-04 check
[ "$RC" = 3 ] && ! has EVENT_AHEAD
ok $? "check 7 days before the roll: ready resolvers get no EVENT_AHEAD"

aw -c "$ALL" --now 2027-01-05 check
[ "$RC" = 2 ] && [ "$(grep -c '^CRITICAL EVENT_AHEAD' "$T/out")" = 2 ] &&
    has '^CRITICAL EVENT_AHEAD resolver=static2017 keytag=38696: 2027-01-11 revocation \(KSK-2017 revoked, published as 20454 with the REVOKE bit; date assumed\) is in 6 days and needs key 38696; this resolver has been broken since the 2026-10-11 roll \(trusts 20326; the root is signed by 38696\)$' &&
    has '^CRITICAL EVENT_AHEAD resolver=late keytag=38696: .* this resolver has been broken since the 2026-10-11 roll ' &&
    ! has 'EVENT_AHEAD resolver=(compliant|static-both)'
ok $? "check 6 days before the assumed revocation: CRITICAL for static2017 and late, broken since the roll (late never finished its hold-down)"

aw -c "$ALL" --now 2026-09-20T12:00:00Z status --json
[ "$RC" = 3 ] && jq -e '[.. | objects | select(.code? == "EVENT_AHEAD")] | length == 2' "$T/out" >/dev/null
ok $? "status --json carries EVENT_AHEAD"

# ---- bad input -------------------------------------------------------------
for bad in 2027-02-30 2027-01-05T12:00:00 tomorrow 2010-07-14 1279151999; do
	aw -c "$ALL" --now "$bad" check
	[ "$RC" = 3 ] && head -n 1 "$T/out" | grep -q '^ANCHORWATCH UNKNOWN - --now: ' &&
	    grep -q -- '--now: ' "$T/err"
	ok $? "check --now $bad: refused, exit 3"
done
aw -c "$ALL" --now 2010-07-15 events
[ "$RC" = 0 ]
ok $? "events --now 2010-07-15: the first date accepted"

BADCAL=$(CAL=$TOP/tests/data/events/bad/bad-date.yaml conf badcal static2017:static-2017.ds)
aw -c "$BADCAL" --now 2026-09-11 check
[ "$RC" = 3 ] && grep -q "^ANCHORWATCH UNKNOWN - CONFIG_ERROR: $TOP/tests/data/events/bad/bad-date.yaml:3: " "$T/out"
ok $? "check with a bad calendar: CONFIG_ERROR naming FILE:LINE, exit 3"
aw -c "$BADCAL" events
[ "$RC" = 3 ] && grep -q "bad-date.yaml:3: events.date" "$T/err"
ok $? "events with a bad calendar: FILE:LINE on stderr, exit 3"

echo "1..$n"
exit $fail
