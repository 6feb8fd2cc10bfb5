#!/bin/bash
# t-replay.sh: `anchorwatch replay SCENARIO` (replay.c over rfc5011.c,
# detect.c and events.c).  The two historical scenarios shipped in
# etc/anchorwatch/scenarios and the fixtures of tests/data/replay/good
# print exactly their golden timelines (tests/data/replay/*.out) and exit
# with the worst severity seen; the issue's requirements are checked line
# by line; every hostile fixture of tests/data/replay/bad is refused with
# exit 3 and its "FILE:LINE: problem" (the .err next to it).  No daemons,
# no network.  AW_UPDATE=1 rewrites the golden files (review the diff).
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
case $AW in /*) ;; *) AW=$PWD/$AW ;; esac
D=tests/data/replay
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# golden NAME SCENARIO EXIT: output and exit status as recorded.
golden() {
	"$AW" replay "$2" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	[ "${AW_UPDATE:-}" = 1 ] && cp "$tmp/$1.out" "$D/$1.out"
	[ "$rc" -eq "$3" ] && [ ! -s "$tmp/$1.err" ]
	ok $? "replay $2 exits $3 (got $rc), nothing on stderr"
	diff -u "$D/$1.out" "$tmp/$1.out" >"$tmp/$1.diff"
	ok $? "replay $2 prints $D/$1.out"
	sed 's/^/# /' "$tmp/$1.diff" | head -40
}

golden 2017-2019 etc/anchorwatch/scenarios/2017-2019.yaml 2
golden 2024-2027 etc/anchorwatch/scenarios/2024-2027.yaml 2
golden comes-and-goes $D/good/comes-and-goes.yaml 0
# every date form of a scenario (date.c's DATE_LOOSE), printed by minute
golden date-forms $D/good/date-forms.yaml 1

# has FILE REGEX: the timeline holds a matching line.
has() {
	grep -Eq "$2" "$tmp/$1.out"
}
r=2017-2019
has $r '^2018-10-11 16:00  static-2010 +CRITICAL ANCHOR_STALE keytag=20326: '
ok $? "2017-2019: static KSK-2010 resolver turns CRITICAL at the roll"
! grep -q '^2018-10-1[01] .*static-2010 .*CRITICAL ANCHOR_STALE' "$tmp/$r.out" ||
    [ "$(grep -c 'static-2010 .*ANCHOR_STALE' "$tmp/$r.out")" -eq 1 ]
ok $? "2017-2019: ... and not before it"
has $r '^2018-09-1[0-9] .*static-2010 +WARNING  EVENT_AHEAD keytag=20326: 2018-10-11 16:00' &&
    has $r '^2018-10-0[0-9] .*static-2010 +CRITICAL EVENT_AHEAD keytag=20326'
ok $? "2017-2019: static KSK-2010 resolver is warned ahead of the roll (EVENT_AHEAD)"
has $r '^2017-08-1[01] .*static-2010 +WARNING  SUCCESSOR_NOT_TRUSTED keytag=20326'
ok $? "2017-2019: ... and told once KSK-2017 is past its hold-down"
! grep -Eq '^[0-9-]+ [0-9:]+  compliant +(OK|WARNING|CRITICAL|UNKNOWN) ' "$tmp/$r.out" &&
    has $r '^2017-08-1[01] 00:00  compliant +key 20326 AddPend -> Valid'
ok $? "2017-2019: compliant resolver started before 2017-07-11 stays OK throughout"
has $r '^2018-10-01 00:00  late-2018-10-01 +WARNING ' &&
    has $r '^2018-10-11 16:00  late-2018-10-01 +CRITICAL ANCHOR_STALE keytag=20326'
ok $? "2017-2019: resolver started 2018-10-01 with only KSK-2010 is flagged"
has $r '^2019-01-11 14:00  compliant +key 19036 Valid -> Revoked \(Revoked\)' &&
    has $r '^2019-04-2[01] .*compliant +key 19036 Revoked -> Removed \(RemTime\)'
ok $? "2017-2019: KSK-2010 revoked at once, removed after the remove hold-down"
has $r '^2019-02-10 14:00  knot +key 19036 Revoked -> Removed'
ok $? "2017-2019: Knot rules: remove hold-down from the revocation"
has $r 'unwritable +CRITICAL ANCHOR_NOT_WRITABLE' &&
    has $r '^2018-10-11 16:00  unwritable +CRITICAL ANCHOR_STALE'
ok $? "2017-2019: unwritable RFC 5011 file behaves as static after its start"
has $r '^2018-09-04 00:00  offline-60d +WARNING  PROBE_OVERDUE' &&
    has $r '^2018-10-31 00:00  offline-60d +cleared  PROBE_OVERDUE' &&
    ! grep -q 'offline-60d .*ANCHOR_STALE' "$tmp/$r.out"
ok $? "2017-2019: offline 60 days across the roll: PROBE_OVERDUE, survives"

r=2024-2027
has $r '^2026-10-11 00:00  static-2017 +CRITICAL ANCHOR_STALE keytag=38696' &&
    has $r '^2026-09-11 00:00  static-2017 +WARNING  EVENT_AHEAD keytag=38696'
ok $? "2024-2027: static KSK-2017 resolver warned ahead, CRITICAL at the roll"
has $r '^2027-01-11 00:00  root .*\(assumed date\)$' &&
    has $r '^2027-03-22 00:00  root .*\(assumed date\)$'
ok $? "2024-2027: the KSK-2017 revocation and removal are marked assumed"
! grep -Eq '  (compliant|static-both|knot) +(WARNING|CRITICAL) (ANCHOR_STALE|SUCCESSOR|EVENT_AHEAD)' "$tmp/$r.out"
ok $? "2024-2027: compliant, knot and a static file with both keys survive the roll"

# Hostile and malformed scenarios: exit 3, FILE:LINE: problem.
for f in "$D"/bad/*.yaml; do
	exp=$(cat "${f%.yaml}.err")
	(cd "$D" && "$AW" replay "bad/${f##*/}") >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	[ "$rc" -eq 3 ] && [ ! -s "$tmp/bad.out" ] && grep -qF -- "$exp" "$tmp/bad.err"
	ok $? "bad/${f##*/}: exit 3 (got $rc) with \"$exp\""
	[ "$rc" -eq 3 ] || sed 's/^/# /' "$tmp/bad.err"
done
"$AW" replay "$D/does-not-exist.yaml" >/dev/null 2>"$tmp/bad.err"
[ $? -eq 3 ] && grep -q 'does-not-exist.yaml' "$tmp/bad.err"
ok $? "a missing scenario file: exit 3, named"
"$AW" replay >/dev/null 2>&1
[ $? -eq 3 ]
ok $? "replay without a file: usage, exit 3"

echo "1..$n"
exit $fail
