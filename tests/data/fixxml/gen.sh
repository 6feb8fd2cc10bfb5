#!/bin/sh
# Regenerate the fixtures of tests/unit/test_fixxml.c: a test CA and the
# S/MIME signers it issues, another CA, and RFC 9718 root-anchors.xml files
# holding the real root KSKs (/work/shared/reference/root-ksks.txt: KSK-2010
# 19036, KSK-2017 20326, KSK-2024 38696) with their real IANA digests, each
# signed as IANA signs root-anchors.xml (detached CMS, DER).  The private
# keys live in a temporary directory and are thrown away: rerunning this
# replaces every certificate and signature.  Certificates are valid
# 2025-01-01..2035-01-01 (the old signer 2020..2021), so that the tests,
# pinned at 2026-12-04, do not depend on the day this ran.
# Usage: sh tests/data/fixxml/gen.sh   (from the top of the tree)
set -eu
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

K2010=AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=
K2017=AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=
K2024=AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=
D2010=49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5
D2017=E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
D2024=683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16

cat >"$tmp/ca.cnf" <<'CNF'
[ ca ]
default_ca = test
[ test ]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = any
email_in_dn = yes
unique_subject = no
[ any ]
organizationName = optional
commonName = supplied
emailAddress = optional
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_signer ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# mkca NAME CN: a self-signed CA in $tmp/NAME, its certificate NAME.pem.
mkca() {
	mkdir -p "$tmp/$1"
	: >"$tmp/$1/index.txt"
	echo 01 >"$tmp/$1/serial"
	openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/$1/ca.key" \
	    -subj "/O=anchorwatch tests/CN=$2" -out "$tmp/$1/ca.csr" 2>/dev/null
	CADIR="$tmp/$1" openssl ca -batch -notext -config "$tmp/ca.cnf" \
	    -selfsign -keyfile "$tmp/$1/ca.key" -in "$tmp/$1/ca.csr" \
	    -extensions v3_ca -startdate 20250101000000Z \
	    -enddate 20350101000000Z -out "$out/$1.pem" 2>/dev/null
}

# mksigner CA NAME EMAIL FROM UNTIL: a signer certificate issued by CA.
mksigner() {
	openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/$2.key" \
	    -subj "/O=anchorwatch tests/CN=$3/emailAddress=$3" \
	    -out "$tmp/$2.csr" 2>/dev/null
	CADIR="$tmp/$1" openssl ca -batch -notext -config "$tmp/ca.cnf" \
	    -cert "$out/$1.pem" -keyfile "$tmp/$1/ca.key" -in "$tmp/$2.csr" \
	    -extensions v3_signer -startdate "$4" -enddate "$5" \
	    -out "$tmp/$2.pem" 2>/dev/null
}

# sign XML SIGNER OUT: a detached DER signature of XML's bytes.
sign() {
	openssl cms -sign -binary -in "$out/$1" -signer "$tmp/$2.pem" \
	    -inkey "$tmp/$2.key" -md sha256 -outform DER -out "$out/$3"
}

# kd ID TAG DIGEST KEY FROM [UNTIL]: one KeyDigest, as IANA writes it;
# a date without a time is at 00:00:00+00:00.
kd() {
	from=$5
	case $from in *T*) ;; *) from="${from}T00:00:00+00:00" ;; esac
	until=""
	[ -n "${6:-}" ] && until=" validUntil=\"$6T00:00:00+00:00\""
	printf '    <KeyDigest id="%s" validFrom="%s"%s>\n' "$1" "$from" \
	    "$until"
	printf '        <KeyTag>%s</KeyTag>\n' "$2"
	printf '        <Algorithm>8</Algorithm>\n'
	printf '        <DigestType>2</DigestType>\n'
	printf '        <Digest>%s</Digest>\n' "$3"
	if [ -n "$4" ]; then
		printf '        <PublicKey>%s</PublicKey>\n' "$4"
		printf '        <Flags>257</Flags>\n'
	fi
	printf '    </KeyDigest>\n'
}

head_() {
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<TrustAnchor id="0C05FDD6-422C-4910-8ED6-430ED15E11C2" '
	printf 'source="http://data.iana.org/root-anchors/root-anchors.xml">\n'
	printf '    <Zone>%s</Zone>\n' "${1:-.}"
}

# The three KSKs as IANA lists them, 19036 past its validUntil.
{
	head_
	kd Kjqmt7v 19036 $D2010 $K2010 2010-07-15 2019-01-11
	kd Klajeyz 20326 $D2017 $K2017 2017-02-02
	kd Kmyv6jo 38696 $D2024 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/good.xml"
# The shape of IANA's file since 2024: 19036 without its key.
{
	head_
	kd Kjqmt7v 19036 $D2010 "" 2010-07-15 2019-01-11
	kd Klajeyz 20326 $D2017 $K2017 2017-02-02
	kd Kmyv6jo 38696 $D2024 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/iana.xml"
# 20326 valid from 2026-12-04 11:00 UTC (written +02:00), 38696 from 2027.
{
	head_
	kd Klajeyz 20326 $D2017 $K2017 2026-12-04T13:00:00+02:00
	kd Kmyv6jo 38696 $D2024 $K2024 2027-01-01
	printf '</TrustAnchor>\n'
} >"$out/future.xml"
# 20326 given a validUntil already passed on 2026-12-04.
{
	head_
	kd Klajeyz 20326 $D2017 $K2017 2017-02-02 2026-10-11
	kd Kmyv6jo 38696 $D2024 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/expired.xml"
# Nothing valid at all: only KSK-2010.
{
	head_
	kd Kjqmt7v 19036 $D2010 $K2010 2010-07-15 2019-01-11
	printf '</TrustAnchor>\n'
} >"$out/allexpired.xml"
# 38696's Digest is 20326's.
{
	head_
	kd Klajeyz 20326 $D2017 $K2017 2017-02-02
	kd Kmyv6jo 38696 $D2017 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/wrongdigest.xml"
# Only 38696, with 20326's Digest: nothing left.
{
	head_
	kd Kmyv6jo 38696 $D2017 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/onlywrong.xml"
# RFC 9718 allows a KeyDigest without PublicKey: no key to build.
{
	head_
	kd Klajeyz 20326 $D2017 "" 2017-02-02
	printf '</TrustAnchor>\n'
} >"$out/nokey.xml"
# Another zone's anchors.
{
	head_ example.
	kd Kmyv6jo 38696 $D2024 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/zone.xml"
# A DOCTYPE with an entity (the start of every entity expansion attack).
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<!DOCTYPE TrustAnchor [ <!ENTITY tag "38696"> ]>\n'
	printf '<TrustAnchor id="x" source="y">\n    <Zone>.</Zone>\n'
	kd Kmyv6jo '&tag;' $D2024 $K2024 2024-07-18
	printf '</TrustAnchor>\n'
} >"$out/doctype.xml"
# As RFC 9718's example writes it: comments, Digest and PublicKey folded
# over indented lines.
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<TrustAnchor id="E9724F53-1851-4F86-85E5-F1392102940B"\n'
	printf '  source="http://data.iana.org/root-anchors/root-anchors.xml">\n'
	printf '  <Zone>.</Zone>\n'
	printf '  <!-- The following is called "KSK-2024" -->\n'
	printf '  <KeyDigest id="Kmyv6jo"\n      validFrom="2024-07-18T00:00:00+00:00">\n'
	printf '    <KeyTag>38696</KeyTag>\n    <Algorithm>8</Algorithm>\n'
	printf '    <DigestType>2</DigestType>\n    <Digest>\n%s\n    </Digest>\n' \
	    "$D2024"
	printf '    <PublicKey>\n'
	printf '%s\n' "$K2024" | fold -w 61 | sed 's/^/      /'
	printf '    </PublicKey>\n    <Flags>257</Flags>\n  </KeyDigest>\n'
	printf '</TrustAnchor>\n'
} >"$out/folded.xml"
# Small breakages of good.xml, each refused with its line.
sed 's|<Flags>257</Flags>|&<Note/>|' "$out/good.xml" >"$out/unknown.xml"
sed 's|<KeyDigest id="Klajeyz"|& colour="red"|' "$out/good.xml" >"$out/attr.xml"
sed 's|validFrom="2017-02-02T00:00:00+00:00"|validFrom="2017-02-02T00:00:00"|' \
    "$out/good.xml" >"$out/nozone.xml"
sed 's|<KeyTag>38696</KeyTag>|<KeyTag>38696x</KeyTag>|' "$out/good.xml" \
    >"$out/badnum.xml"
sed 's|<Zone>.</Zone>|&text|' "$out/good.xml" >"$out/text.xml"
sed 's|</TrustAnchor>|<Zone>.</Zone>&|' "$out/good.xml" >"$out/zone2.xml"
sed 's|<Zone>.</Zone>|<Zone>.\&#9;x</Zone>|' "$out/good.xml" >"$out/zonetab.xml"
# Cut in the middle of a KeyDigest.
head -c 900 "$out/good.xml" >"$out/truncated.xml"
# An element inside a field.
sed 's|<KeyTag>20326</KeyTag>|<KeyTag><b>20326</b></KeyTag>|' \
    "$out/good.xml" >"$out/deep.xml"
: >"$out/empty.xml"

mkca ca "anchorwatch test root CA"
mkca otherca "another CA"
mksigner ca signer dnssec@iana.org 20250101000000Z 20350101000000Z
mksigner ca someone someone@iana.org 20250101000000Z 20350101000000Z
mksigner ca oldsigner dnssec@iana.org 20200101000000Z 20210101000000Z
mksigner otherca othersigner dnssec@iana.org 20250101000000Z 20350101000000Z
for f in good iana future folded expired allexpired wrongdigest onlywrong \
    nokey zone doctype truncated deep unknown attr nozone badnum text zone2 \
    zonetab; do
	sign $f.xml signer $f.p7s
done
openssl cms -cmsout -inform DER -in "$out/good.p7s" -outform PEM \
    -out "$out/good.p7s.pem"
sign good.xml someone good.someone.p7s
sign good.xml oldsigner good.oldsigner.p7s
sign good.xml othersigner good.othersigner.p7s
