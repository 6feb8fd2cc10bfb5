#!/bin/bash
#
# t-fixxml.sh: `anchorwatch fix` without a SECURE root answer of its own
# takes keys only from a root-anchors.xml whose S/MIME signature verifies
# (fix.anchors_xml, fix.anchors_p7s, fix.ca_cert), and refuses otherwise.
# Inside a network namespace holding only loopback the root never answers,
# so the agent's view is not SECURE.  The resolver is an unbound static DS
# file holding only KSK-2017 (20326), stale since 2026-10-11.  The XML
# files, the test CA and its signers are tests/data/fixxml/ (gen.sh).
#
# Shown: without fix.anchors_xml, and with a file whose
# signature fails (one byte changed; signer of another CA; expired signer;
# signer not dnssec@iana.org), whose only key is expired, whose only key
# has a wrong digest, or that carries a DOCTYPE, `fix` and `fix --apply`
# exit 2 with FIX_REFUSED naming the reason, and the anchor file is byte
# for byte what it was.  A good file is accepted as the trust source: any
# refusal left is not about the file.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
X=$H_TOP/tests/data/fixxml
mkdir -p "$H/files"
cp "$H_TOP/tests/data/events/good/static-2017.ds" "$H/files/anchor.ds"
cp "$H/files/anchor.ds" "$H/orig.ds"
# A copy of good.xml with one byte changed.
cp "$X/good.xml" "$H/tampered.xml"
sed -i 's/<KeyTag>38696</<KeyTag>38697</' "$H/tampered.xml"

# t_conf FILE [XML P7S [CA]]: a configuration with one unbound resolver.
t_conf() {
	{
		printf 'state_dir: %s\n' "$H/state"
		printf 'root:\n  timeout: 2\n'
		printf 'probes:\n  enabled: false\n'
		if [ -n "${2:-}" ]; then
			printf 'fix:\n  anchors_xml: %s\n  anchors_p7s: %s\n' \
			    "$2" "$3"
			printf '  ca_cert: %s\n' "${4:-$X/ca.pem}"
		fi
		printf 'resolvers:\n  - name: u1\n    type: unbound\n'
		printf '    anchor_files: [%s]\n' "$H/files/anchor.ds"
	} >"$1"
}

# t_refused DESC REGEX: fix (at 2026-12-04) and fix --apply (at the real
# date: --apply refuses --now; each refusal here holds while the test
# certificates are valid, 2025 to 2035) both exit 2 with FIX_REFUSED for
# u1 matching REGEX, and the anchor file is unchanged.
t_refused() {
	local args
	for args in "--now 2026-12-04 fix" "fix --apply"; do
		# shellcheck disable=SC2086
		h_aw "$H/aw.yaml" $args
		h_is "$AW_RC" 2 "$1: $args exits 2"
		h_ok "$1: $args says FIX_REFUSED, naming why" \
		    grep -Eq "^(u1: FIX_REFUSED|CRITICAL FIX_REFUSED resolver=u1:) .*$2" \
		    "$H/aw.out"
		[ "$AW_RC" = 2 ] || h_aw_show
		h_ok "$1: $args leaves the anchor file byte-identical" \
		    cmp -s "$H/files/anchor.ds" "$H/orig.ds"
	done
}

t_conf "$H/aw.yaml"
t_refused "no SECURE answer, no anchors_xml" \
    "not SECURE .*fix.anchors_xml is not set"

t_conf "$H/aw.yaml" "$H/tampered.xml" "$X/good.p7s"
t_refused "one byte of the XML changed" \
    "tampered.xml: its signature .*good.p7s does not verify against .*ca.pem"

t_conf "$H/aw.yaml" "$X/good.xml" "$X/good.othersigner.p7s"
t_refused "signer from another CA" \
    "does not verify .*unable to get local issuer certificate"

t_conf "$H/aw.yaml" "$X/good.xml" "$X/good.p7s" "$X/otherca.pem"
t_refused "the good signature against another CA" "does not verify"

t_conf "$H/aw.yaml" "$X/good.xml" "$X/good.oldsigner.p7s"
t_refused "signer certificate expired" "certificate has expired"

t_conf "$H/aw.yaml" "$X/good.xml" "$X/good.someone.p7s"
t_refused "signer not dnssec@iana.org" \
    "signed by .*someone@iana.org.*, not dnssec@iana.org"

t_conf "$H/aw.yaml" "$X/allexpired.xml" "$X/allexpired.p7s"
t_refused "only key past its validUntil" \
    "allexpired.xml: no key to trust: Kjqmt7v \(19036\): validUntil 2019-01-11T00:00:00Z has passed"

t_conf "$H/aw.yaml" "$X/onlywrong.xml" "$X/onlywrong.p7s"
t_refused "only key with a wrong digest" \
    "onlywrong.xml: no key to trust: Kmyv6jo \(38696\): Digest does not match"

t_conf "$H/aw.yaml" "$X/doctype.xml" "$X/doctype.p7s"
t_refused "a DOCTYPE with an entity" "doctype.xml:2: DOCTYPE refused"

# The good file is the trust source: nothing said about it.
t_conf "$H/aw.yaml" "$X/good.xml" "$X/good.p7s"
h_aw "$H/aw.yaml" --now 2026-12-04 fix
h_ok "good file: fix exits 1 or 2 (changes pending, or no repair known)" \
    test "$AW_RC" = 1 -o "$AW_RC" = 2
h_not_ok "good file: no refusal names the XML or its signature" \
    grep -Eq "FIX_REFUSED .*(good\.xml|good\.p7s|not SECURE)" "$H/aw.out"
h_aw_show
h_ok "good file: the dry run leaves the anchor file byte-identical" \
    cmp -s "$H/files/anchor.ds" "$H/orig.ds"

h_done
