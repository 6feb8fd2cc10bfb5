#!/bin/bash
#
# t-history.sh: the agent's history (state_dir/history) against a real
# RFC 5011 unbound on the local signed root, through a whole roll.  The two
# watch the same root: the history's first sightings must come no later
# than unbound's own state changes, the keys it says a compliant resolver
# trusts must be the ones unbound holds Valid, and the revocation it
# records must be the one unbound acted on.  The history file must also
# survive being read back, and a --now run must not write it.
# TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}
HOLD=3			# add_holddown of the agent (h_aw_config) and of unbound

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_aw_config "$H/aw.yaml" -- auto1
KSK1=$(h_tag ksk1)
KSK1R=$(h_tag ksk1r)
KSK2=$(h_tag ksk2)
HIST=$H/aw/history

# y_first TAG: the history's first sighting of TAG, epoch.
y_first() {
	awk -v t="$1" '$1 == "key" && $2 == t { print $6 }' "$HIST" |
	    xargs -r -I{} date -u -d {} +%s
}
# y_field TAG N: field N (a time) of TAG's line, epoch, or "-".
y_field() {
	local v
	v=$(awk -v t="$1" -v n="$2" '$1 == "key" && $2 == t { print $n }' "$HIST")
	if [ "$v" = - ] || [ -z "$v" ]; then echo -; else date -u -d "$v" +%s; fi
}
# u_change TAG: unbound's ;;lastchange for TAG.
u_change() {
	sed -n "s/.*id = $1 .*;;lastchange=\([0-9]*\).*/\1/p" "$(h_autr auto1)"
}
# The keys unbound holds Valid, sorted.
u_valid() {
	grep -E ';;state=2 ' "$(h_autr auto1)" |
	    sed -n 's/.*id = \([0-9]*\) .*/\1/p' | sort -n | tr '\n' ' '
}
# The keys the history says a compliant resolver trusts now, sorted: seen
# at least HOLD s ago, not revoked.
y_trusted() {
	local now tag first rev
	now=$(date +%s)
	awk '$1 == "key" { print $2 }' "$HIST" | while read -r tag; do
		first=$(y_field "$tag" 6)
		rev=$(y_field "$tag" 13)
		[ "$rev" = - ] || continue
		[ $((first + HOLD)) -le "$now" ] && echo "$tag"
	done | sort -n | tr '\n' ' '
}

h_aw_expect "pre: OK" "$H/aw.yaml" 0 - "$T"
h_ok "pre: the history file exists" test -s "$HIST"
h_ok "pre: it is version 1" grep -qx 'anchorwatch-history 1' "$HIST"
h_ok "pre: it records KSK1 $KSK1 signing" \
    test "$(y_field "$KSK1" 10)" != -

h_root_stage publish
t_pub=$(h_now)
# Runs of the agent until both hold KSK2 Valid (hold-downs of 3 s).
a_both_valid() {
	h_aw "$H/aw.yaml" check
	h_autr_state auto1 "$KSK2" VALID &&
	    grep -Eq "id = $KSK2 .*;;state=2 " "$H/aw/root.key"
}
h_ok "publish: agent and unbound take KSK2 $KSK2" \
    h_wait_for "both hold KSK2 Valid" "$T" a_both_valid
first2=$(y_first "$KSK2")
h_ok "publish: the history first saw KSK2 after it was published" \
    test "$first2" -ge "$((t_pub - 1))"
h_ok "publish: unbound took KSK2 Valid no sooner than a hold-down after the history first saw it" \
    test "$(u_change "$KSK2")" -ge "$((first2 + HOLD - 1))"
h_is "$(y_trusted)" "$(u_valid)" \
    "publish: the keys the history says to trust are unbound's Valid keys"

h_root_stage roll
h_aw_expect "roll: OK" "$H/aw.yaml" 0 - "$T"
h_ok "roll: the history saw KSK2 start signing" \
    test "$(y_field "$KSK2" 10)" != -

h_root_stage revoke
a_revoked() {
	h_aw "$H/aw.yaml" check
	h_autr_state auto1 "$KSK1R" REVOKED && [ "$(y_field "$KSK1" 13)" != - ]
}
h_ok "revoke: both see KSK1 revoked" \
    h_wait_for "KSK1 revoked" "$T" a_revoked
# The agent sees the revocation at its next check, and the loop above
# checks every few seconds (longer on a loaded machine): 10 s of slack.
h_ok "revoke: the history recorded the revocation within 10 s of unbound" \
    test "$(y_field "$KSK1" 13)" -le "$(($(u_change "$KSK1R") + 10))"
h_is "$(y_trusted)" "$(u_valid)" \
    "revoke: the keys the history says to trust are unbound's Valid keys"

# The file read back: status shows what it holds.
h_aw "$H/aw.yaml" status --json
h_is "$(jq -r ".root.keys[] | select(.keytag == $KSK2) | .first_seen" "$H/aw.out")" \
    "$first2" "status --json gives KSK2's first sighting from the history"

# A question about another date never writes the history.
cp "$HIST" "$H/history.before"
"$AW_BIN" -c "$H/aw.yaml" --now 2030-01-01 check >/dev/null 2>&1
h_ok "--now leaves the history as it was" cmp -s "$HIST" "$H/history.before"

# A damaged history: said on stderr with FILE:LINE, the run goes on.
printf 'anchorwatch-history 1\nkey 1 2 3\n' >"$HIST"
h_aw "$H/aw.yaml" check
h_ok "damaged history: FILE:LINE on stderr" grep -q "$HIST:2:" "$H/aw.err"
h_is "$AW_RC" 0 "damaged history: the check itself still runs (exit 0)"
h_done
