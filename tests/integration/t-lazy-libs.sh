#!/bin/sh
# t-lazy-libs.sh: the libraries only some commands need are loaded only
# by them, at their first use (issue 13 item 7).  libpcap and the
# libraries it needs (dbus, systemd, gcrypt, lzma, zstd, lz4, cap,
# gpg-error) made every start of `check` 1.4 ms slower, libcrypto 1.2 ms,
# json-c, fstrm, protobuf-c and expat together 0.5 ms
# (tests/bench/check-vs-unbound-anchor.sh), so the binary links none of
# them: capture.c opens libpcap at the first capture, lazy.c the others
# at the first call of one of their functions, by the sonames the
# Makefile reads.  Base64 and the DS digests come from nettle, which
# libunbound loads anyway.  The packages, which no longer learn these
# dependencies from the binary, name them.  A library of such a name
# without the functions used is refused, exit 3, naming both.  (That
# check loads none of them is asserted in t-probe-overlap.sh, where a
# real check runs.)
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
. tests/harness/tap.sh
log=${TMPDIR:-/tmp}/aw-lazy.$$
lazy='lib(pcap|crypto|json-c|fstrm|protobuf-c|expat)\.'

needed=$(readelf -d "$AW" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed" | grep -q '^libunbound\.'
ok $? "readelf lists the binary's libraries (libunbound among them)"
echo "$needed" | grep -q '^libnettle\.'
ok $? "the binary links nettle (base64, DS digests)"
! echo "$needed" | grep -Eq "^$lazy"
ok $? "the binary links none of libpcap, libcrypto, json-c, fstrm, protobuf-c, expat"

LD_DEBUG=files "$AW" --version >/dev/null 2>"$log"
! grep -Eq "file=$lazy" "$log"
ok $? "--version loads none of them"

out=$(LD_DEBUG=files "$AW" traffic tests/data/captures/dns_tcp.pcap \
    2>"$log")
rc=$?
is "$rc" 0 "traffic on a capture exits 0"
echo "$out" | grep -q '^11 packets, 1 DNS queries from 1 sources'
ok $? "traffic counted the capture's 11 packets and its query"
grep -q 'file=libpcap.*dynamically loaded' "$log"
ok $? "traffic loaded libpcap when it read the capture"
! grep -Eq 'file=lib(crypto|json-c|fstrm|protobuf-c|expat)\.' "$log"
ok $? "and nothing else of the lazy ones"

out=$(LD_DEBUG=files "$AW" traffic --json \
    tests/data/captures/dns_tcp.pcap 2>"$log")
is "$?" 0 "traffic --json exits 0"
echo "$out" | grep -q '"packets": *11'
ok $? "its JSON counts the 11 packets"
grep -q 'file=libjson-c.*dynamically loaded' "$log"
ok $? "traffic --json loaded json-c when it wrote"
rm -f "$log"

# t_standin LIB PREFIX: a stand-in of LIB's soname without its functions
# (found first through LD_LIBRARY_PATH), alone in $fake.
fake=$(mktemp -d)
t_standin() {
	rm -f "$fake"/*
	soname=$(objdump -p "$(cc -print-file-name="$1.so")" 2>/dev/null |
	    sed -n 's/^ *SONAME *//p')
	printf 'int %s_unrelated(void) { return 0; }\n' "$2" >"$fake/f.c"
	cc -shared -fPIC -Wl,-soname,"$soname" -o "$fake/$soname" "$fake/f.c"
	ok $? "a stand-in $soname without $1's functions is built"
}

# libpcap: refused, exit 3, no packet counted.
t_standin libpcap pcap
out=$(LD_LIBRARY_PATH=$fake "$AW" traffic tests/data/captures/dns_tcp.pcap \
    2>&1)
is "$?" 3 "traffic with that stand-in exits 3"
echo "$out" | grep -q "$soname: no pcap_open_offline"
ok $? "the error names the library and the missing function ($out)"

# json-c (through lazy.c): refused at the first JSON call, exit 3.
t_standin libjson-c json
out=$(LD_LIBRARY_PATH=$fake "$AW" traffic --json \
    tests/data/captures/dns_tcp.pcap 2>&1)
is "$?" 3 "traffic --json with that stand-in exits 3"
echo "$out" | grep -q "$soname: no json_object_array_add"
ok $? "the error names the library and the missing function ($out)"
! echo "$out" | grep -q '"packets"'
ok $? "and no JSON was written"
rm -rf "$fake"

for p in libexpat1 libfstrm0 libjson-c5 libpcap0.8 libprotobuf-c1 libssl3; do
	grep -q "^ $p,\$" packaging/debian/control
	ok $? "debian/control: the package depends on $p"
done
for p in libpcap openssl-libs json-c fstrm protobuf-c expat; do
	grep -q "^Requires: *$p%" packaging/rpm/anchorwatch.spec
	ok $? "anchorwatch.spec: the package requires $p"
done
tap_end
