#!/bin/sh
# t-docs.sh: the documentation stays true to the program.  Man pages are
# mandoc -Tlint clean; every finding code of detect.c is documented in the
# man page and the README; every option of usage() is in the man page;
# `make install` honours DESTDIR and PREFIX.  (The example configuration is
# loaded by test_config; running it here would ask the real root.)
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

for page in man/anchorwatch.8 man/anchorwatch.yaml.5; do
	out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
	[ -z "$out" ]
	ok $? "$page is mandoc -Tlint -Wwarning clean"
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
done

codes=$(sed -n 's/^	\[F_[A-Z_]*\] = "\([A-Z_]*\)",$/\1/p' src/detect.c)
[ "$(echo "$codes" | wc -w)" -ge 10 ]
ok $? "detect.c lists at least 10 finding codes"
for c in $codes; do
	grep -q "$c" man/anchorwatch.8 && grep -q "$c" README.md
	ok $? "finding $c is documented in anchorwatch.8 and README.md"
done

for opt in $("$AW" -h | sed -n 's/^  *\(-[a-zA-Z]\),.*/\1/p'); do
	grep -q "^\.Fl ${opt#-}\b\|^\.It Fl ${opt#-}\b" man/anchorwatch.8
	ok $? "option $opt of --help is in anchorwatch.8"
done

d=$(mktemp -d)
make -s install DESTDIR="$d" PREFIX=/usr SYSCONFDIR=/etc >/dev/null 2>&1 &&
    [ -x "$d/usr/sbin/anchorwatch" ] &&
    [ -f "$d/usr/share/man/man8/anchorwatch.8" ] &&
    [ -f "$d/usr/share/man/man5/anchorwatch.yaml.5" ] &&
    [ -f "$d/etc/anchorwatch/anchorwatch.yaml.example" ]
ok $? "make install DESTDIR=... PREFIX=/usr puts binary, pages, example in place"
rm -rf "$d"

echo "1..$n"
exit $fail
