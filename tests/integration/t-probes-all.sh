#!/bin/bash
#
# t-probes-all.sh: the live probes against every real daemon that runs here
# (named, kresd, pdns_recursor, dnsmasq), all current, on the local signed
# root: each answers . DNSKEY with AD; named and kresd answer the RFC 8509
# key sentinel under sentinel.harness.; named (rndc managed-keys status) and
# pdns_recursor (rec_control get-tas) tell what they loaded; and a file
# changed behind a running pdns_recursor is LOADED_DIFFERS_FROM_DISK.
# TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
for f in bind knot pdns dnsmasq; do
	. "$(dirname "$0")/../harness/$f.sh"
done
h_need named rndc kresd pdns_recursor rec_control dnsmasq
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}

h_root_init >/dev/null
h_root_stage pre
KSK1=$(h_tag ksk1)
KSK2=$(h_tag ksk2)
ds_of() {
	awk '$4 == "DS" { print $5, $6, $7, $8; exit }' "$H/$1.ds"
}
h_named_start bind1 127.0.0.21 initial
h_knot_start knot1 127.0.0.31 managed
h_pdns_start pdns1 127.0.0.33 "clearTA('.')" "addTA('.', '$(ds_of ksk1)')"
h_dnsmasq_start dnsmasq1 127.0.0.41 dnssec "trust-anchor=$(h_dnsmasq_ta ksk1)"

# a_config FILE TYPE NAME CONFIG ADDR: one resolver, probed at ADDR.
a_config() {
	h_aw_config_typed "$1" -- "$2:$3:$4"
	sed -i "s|^    config: $4\$|    config: $4\n    address: $5@53|" "$1"
	cat >>"$1" <<EOC
probes:
  timeout: 3
  signed_name: hello.harness
  sentinel_domain: sentinel.harness
EOC
}
a_config "$H/bind1.yaml" bind bind1 "$(h_named_conf bind1)" 127.0.0.21
a_config "$H/knot1.yaml" knot-resolver knot1 "$(h_kr_conf knot1)" 127.0.0.31
a_config "$H/pdns1.yaml" pdns-recursor pdns1 "$(h_pdns_conf pdns1)" 127.0.0.33
a_config "$H/dnsmasq1.yaml" dnsmasq dnsmasq1 "$(h_dnsmasq_conf dnsmasq1)" \
    127.0.0.41

# a_json CONF JQ: run status --json, print the jq result.
a_json() {
	h_aw "$1" status --json
	jq -c "$2" "$H/aw.out"
}
# a_sentinel_trusts CONF TAG: the sentinel says the daemon trusts TAG.
a_sentinel_trusts() {
	[ "$(a_json "$1" '[.resolvers[0].probe.sentinel[] | select(.verdict == "trusted") | .keytag]')" = "[$2]" ]
}

for r in bind1 knot1 pdns1 dnsmasq1; do
	h_aw_expect "$r: current, exit 0 with probes" "$H/$r.yaml" 0 - "$T"
	h_is "$(a_json "$H/$r.yaml" '.resolvers[0].probe.dnskey_ad')" true \
	    "$r: . DNSKEY answered with AD"
done
for r in bind1 knot1; do
	if h_wait_for "$r sentinel" 30 a_sentinel_trusts "$H/$r.yaml" \
	    "$KSK1"; then
		h_pass "$r: the key sentinel says it trusts KSK1 $KSK1"
	else
		h_fail "$r: the key sentinel says it trusts KSK1 $KSK1"
		jq -c '[.root.secure, .root.why, .resolvers[0].probe]' \
		    "$H/aw.out" | h_diag
	fi
done
h_is "$(a_json "$H/bind1.yaml" '[.resolvers[0].probe.loaded, .resolvers[0].probe.loaded_how]')" \
    "[[$KSK1],\"rndc managed-keys status\"]" "bind1: rndc says KSK1 is loaded"
h_is "$(a_json "$H/pdns1.yaml" '.resolvers[0].probe.loaded')" "[$KSK1]" \
    "pdns1: rec_control get-tas says KSK1 is loaded"

# Add KSK2 to pdns1's Lua file without telling the daemon.
echo "addTA('.', '$(ds_of ksk2)')" >>"$(h_pdns_dir pdns1)/recursor.lua"
h_aw "$H/pdns1.yaml" check
h_ok "pdns1: file changed behind it: LOADED_DIFFERS_FROM_DISK" \
    h_aw_has_sev WARNING LOADED_DIFFERS_FROM_DISK
h_ok "pdns1: it names KSK2 $KSK2 (on disk, not loaded)" \
    h_aw_names_tag LOADED_DIFFERS_FROM_DISK "$KSK2"
h_is "$AW_RC" 1 "pdns1: exit 1"
h_done
