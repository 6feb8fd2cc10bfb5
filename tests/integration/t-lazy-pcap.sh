#!/bin/sh
# t-lazy-pcap.sh: libpcap is loaded only by a command that reads a capture.
# It and the libraries it needs (dbus, systemd, gcrypt, lzma, zstd, lz4,
# cap, gpg-error) made every start of `check` 1.4 ms slower (issue 13 item
# 7, tests/bench/check-vs-unbound-anchor.sh), so the binary does not link
# it and capture.c opens it by its soname at the first capture.  The
# packages, which no longer learn the dependency from the binary, name it.
# A library of that name without libpcap's functions is refused, exit 3.
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
. tests/harness/tap.sh
log=${TMPDIR:-/tmp}/aw-lazy.$$

needed=$(readelf -d "$AW" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed" | grep -q '^libunbound\.'
ok $? "readelf lists the binary's libraries (libunbound among them)"
! echo "$needed" | grep -q '^libpcap\.'
ok $? "the binary does not link libpcap"

LD_DEBUG=files "$AW" --version >/dev/null 2>"$log"
! grep -q 'file=libpcap' "$log"
ok $? "--version does not load libpcap"

out=$(LD_DEBUG=files "$AW" traffic tests/data/captures/dns_tcp.pcap \
    2>"$log")
rc=$?
is "$rc" 0 "traffic on a capture exits 0"
echo "$out" | grep -q '^11 packets, 1 DNS queries from 1 sources'
ok $? "traffic counted the capture's 11 packets and its query"
grep -q 'file=libpcap.*dynamically loaded' "$log"
ok $? "traffic loaded libpcap when it read the capture"
rm -f "$log"

# A libpcap that lacks a function (a stand-in of that soname, found first
# through LD_LIBRARY_PATH): refused, naming the library and the function,
# exit 3, no packet counted.
fake=$(mktemp -d)
soname=$(objdump -p "$(cc -print-file-name=libpcap.so)" 2>/dev/null |
    sed -n 's/^ *SONAME *//p')
printf 'int pcap_unrelated(void) { return 0; }\n' >"$fake/f.c"
cc -shared -fPIC -Wl,-soname,"$soname" -o "$fake/$soname" "$fake/f.c"
ok $? "a stand-in $soname without libpcap's functions is built"
out=$(LD_LIBRARY_PATH=$fake "$AW" traffic tests/data/captures/dns_tcp.pcap \
    2>&1)
is "$?" 3 "traffic with that stand-in exits 3"
echo "$out" | grep -q "$soname: no pcap_open_offline"
ok $? "the error names the library and the missing function ($out)"
rm -rf "$fake"

grep -q '^ libpcap0\.8,' packaging/debian/control
ok $? "debian/control: the package depends on libpcap0.8"
grep -q '^Requires: *libpcap' packaging/rpm/anchorwatch.spec
ok $? "anchorwatch.spec: the package requires libpcap"
tap_end
