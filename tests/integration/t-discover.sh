#!/bin/bash
#
# t-discover.sh: `anchorwatch discover` on a host with the resolver packages
# installed and a real unbound running in the test's namespaces: every
# installed type is listed, the running daemon with the config it was
# started with (-c) and the address it answers on; the printed block is a
# valid configuration; and a configuration without a resolvers key checks
# what discover finds.
# TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto

"$AW_BIN" discover >"$H/found.yaml" 2>"$H/found.err"
h_is "$?" 0 "discover exits 0"
h_diag <"$H/found.yaml"

# Each type whose Debian package is installed here (packaging/deps.sh
# installs them) is listed with its packaged config.
for t in bind:/etc/bind/named.conf pdns-recursor:/etc/powerdns/recursor.conf \
    dnsmasq:/etc/dnsmasq.conf; do
	type=${t%%:*} conf=${t#*:}
	if [ -f "$conf" ]; then
		h_ok "discover lists $type with $conf" \
		    grep -Pzq "  - name: $type\n    type: $type\n    config: $conf\n" \
		    "$H/found.yaml"
	else
		h_pass "$type not installed here # SKIP $conf missing"
	fi
done
# kresd does not run here: the -c options of Debian's kresd@.service, the
# preconfig file first, as a list ending with the config.
unit=/lib/systemd/system/kresd@.service
if [ -f /etc/knot-resolver/kresd.conf ] && [ -f "$unit" ]; then
	pre=$(sed -n 's/^ExecStart=.* -c \([^ ]*\) -c .*/\1/p' "$unit")
	h_ok "discover lists knot-resolver with the -c files of kresd@.service" \
	    grep -Fzq "  - name: knot-resolver
    type: knot-resolver
    config: [$pre, /etc/knot-resolver/kresd.conf]
    # kresd is not running; config from the command line of kresd@.service" \
	    "$H/found.yaml"
else
	h_pass "knot-resolver not installed here # SKIP no kresd@.service"
fi
h_ok "discover lists the running unbound with its -c config" \
    grep -Pzq "  - name: unbound\n    type: unbound\n    config: $(h_ub_conf auto1)\n" \
    "$H/found.yaml"
h_ok "discover gives the running unbound's address" \
    grep -q "    address: 127.0.0.11@53   # unbound, pid" "$H/found.yaml"
h_not_ok "systemd-resolved (not installed) is not listed" \
    grep -q "type: systemd-resolved" "$H/found.yaml"

# The block drops into a configuration as it is.
h_aw_config "$H/aw.yaml" -- auto1
sed -i '/^resolvers:/,$d' "$H/aw.yaml"
echo "resolvers:" >>"$H/aw.yaml"
awk '/^  - name: / { keep = ($3 == "unbound") } keep' "$H/found.yaml" \
    >>"$H/aw.yaml"
h_aw_expect "the discovered unbound checks OK" "$H/aw.yaml" 0 - 30
h_ok "and it was probed at its address" \
    grep -q "running at 127.0.0.11@53" <("$AW_BIN" -c "$H/aw.yaml" status)

# No resolvers key at all: the other commands use what discover finds.
h_aw_config "$H/none.yaml" -- auto1
sed -i '/^resolvers:/,$d' "$H/none.yaml"
h_aw "$H/none.yaml" status --json
h_ok "no resolvers key: status checks the discovered unbound" \
    jq -e '.resolvers[] | select(.name == "unbound") | .sources[0].path' \
    "$H/aw.out"
h_is "$(jq -r '.resolvers[] | select(.name == "unbound") | .probe.address' "$H/aw.out")" \
    127.0.0.11@53 "no resolvers key: the discovered address is probed"
h_done
