#!/bin/bash
#
# demo.sh: `make demo`.  Plays a root KSK roll (pre, publish, roll, revoke,
# remove) on a local signed root, in private namespaces on loopback, with
# two real unbound daemons: auto1 follows RFC 5011, static1 has KSK1 as a
# static anchor.  At each stage it shows what the resolvers answer and what
# anchorwatch says about them; at the end `anchorwatch fix` repairs static1
# and shows it validate again.  Exits 1 if a stage never settles or the
# repair does not take.
#
# Run from the top of the tree after `make all`; AW_KEEP=1 keeps the work
# directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/unbound.sh"
h_enter "$@"
# unbound-control on a socket, for the reload after `anchorwatch fix`.
H_UB_CONTROL=1

if [ ! -x "$AW_BIN" ]; then
	echo "demo: $AW_BIN is not built: run make all" >&2
	exit 1
fi
t_start=$(h_now)

banner() {
	printf '\n==== %s ====\n' "$*"
}

# What resolver NAME at ADDR answers for hello.harness. TXT.
resolves() {
	local out rcode ad=""
	out=$(drill -D @"$2" hello.harness. TXT 2>/dev/null)
	rcode=$(printf '%s\n' "$out" | sed -n 's/.*rcode: \([A-Z]*\).*/\1/p')
	printf '%s\n' "$out" | grep -q 'flags:.* ad[ ;]' && ad=", validated (AD)"
	printf '  %-8s %s%s\n' "$1" "${rcode:-no answer}" "$ad"
}

# The check line and exit code, then the status report.
show() {
	banner "$1"
	echo "resolvers asked for hello.harness. TXT:"
	resolves auto1 127.0.0.11
	resolves static1 127.0.0.12
	echo
	echo "\$ anchorwatch -c demo.yaml check"
	h_aw "$CONF" check
	head -n 1 "$H/aw.out"
	echo "(exit $AW_RC)"
	echo
	echo "\$ anchorwatch -c demo.yaml status"
	h_aw "$CONF" status
	cat "$H/aw.out"
}

# Give up on the demo with a reason.
give_up() {
	echo "demo: $*" >&2
	h_dump_logs >&2
	exit 1
}

# Run check until its output matches the ERE (the agent takes a new key
# through its hold-down only across runs).
settle() {
	local ere=$1 end=$(($(h_now) + 30))
	while :; do
		h_aw "$CONF" check
		grep -Eq "$ere" "$H/aw.out" && return 0
		[ "$(h_now)" -ge "$end" ] && give_up "no '$ere' after 30 s"
		sleep 0.5
	done
}

banner "anchorwatch demo: a root KSK roll on loopback"
echo "generating a root zone and its keys..."
h_root_init
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
echo "root on $H_ROOT_ADDR: KSK1 $KSK1 (old), KSK2 $KSK2 (new)," \
    "KSK1 revoked is $(h_tag ksk1r), ZSK $(h_tag zsk)"
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
echo "auto1   unbound on 127.0.0.11: auto-trust-anchor-file (RFC 5011)," \
    "seeded with KSK1"
echo "static1 unbound on 127.0.0.12: trust-anchor-file with KSK1 only"
CONF=$H/demo.yaml
h_ubfix_config "$CONF" -- auto1 127.0.0.11 "" static1 127.0.0.12 ""

settle '^ANCHORWATCH '
show "1/5 pre: KSK1 $KSK1 signs the root DNSKEY set"

h_root_stage publish
h_wait_for "auto1 trusts KSK2" 30 h_autr_state auto1 "$KSK2" VALID ||
    give_up "auto1 never took KSK2 to Valid"
settle "SUCCESSOR_NOT_TRUSTED resolver=static1"
show "2/5 publish: KSK2 $KSK2 joins the set; KSK1 still signs"

h_root_stage roll
h_wait_for "static1 fails" 10 h_rcode_is 127.0.0.12 SERVFAIL
settle "ANCHOR_STALE resolver=static1"
show "3/5 roll: KSK2 $KSK2 signs; KSK1 stays published"

h_root_stage revoke
h_wait_for "auto1 revokes KSK1" 30 \
    h_autr_state auto1 "$(h_tag ksk1r)" REVOKED ||
    give_up "auto1 never marked KSK1 revoked"
settle "REVOKED_STILL_TRUSTED resolver=static1"
show "4/5 revoke: KSK1 published with the REVOKE bit as $(h_tag ksk1r)"

h_root_stage remove
h_wait_for "auto1 forgets KSK1" 30 h_autr_gone auto1 "$(h_tag ksk1r)" ||
    give_up "auto1 never dropped KSK1"
settle "ANCHOR_STALE resolver=static1"
show "5/5 remove: KSK1 is gone; only KSK2 $KSK2 remains"

banner "6/6 fix: anchorwatch repairs static1"
echo "\$ anchorwatch -c demo.yaml fix          # the dry run: changes nothing"
h_aw "$CONF" fix static1
cat "$H/aw.out"
echo "(exit $AW_RC: changes pending)"
[ "$AW_RC" = 1 ] || give_up "the dry run planned nothing for static1"
echo
echo "\$ anchorwatch -c demo.yaml fix --apply static1"
h_aw "$CONF" fix --apply static1
cat "$H/aw.out"
echo "(exit $AW_RC)"
grep -q "FIX_APPLIED resolver=static1:.*validates again" "$H/aw.out" ||
    give_up "static1 was not repaired: $(cat "$H/aw.out" "$H/aw.err")"
echo
echo "resolvers asked for hello.harness. TXT:"
resolves static1 127.0.0.12
echo
echo "\$ anchorwatch -c demo.yaml check"
h_aw "$CONF" check
head -n 1 "$H/aw.out"
echo "(exit $AW_RC)"

banner "done in $(($(h_now) - t_start)) s"
echo "auto1 followed the roll; static1 missed it, anchorwatch named the" \
    "key it lacked, $KSK2, and wrote it from its own validated view."
