#!/bin/sh
# t-docs.sh: the documentation stays true to the program.  Man pages are
# mandoc -Tlint clean; every finding code of detect.c is documented in the
# man page and the README; every option of usage() is in the man page;
# every option of `traffic` (traffic-cmd.c) is in usage() and the man
# page; every key of the configuration schema (config.c, calendar.c) is in
# anchorwatch.yaml.5, and every traffic: key in the example configuration;
# every perfdata label of output-nagios.c is in the man page;
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

# check_anchorwatch's own options (plugin.c), through a link of that name.
pdir=$(mktemp -d)
ln -s "$(cd "$(dirname "$AW")" && pwd)/$(basename "$AW")" \
    "$pdir/check_anchorwatch"
popts=$("$pdir/check_anchorwatch" -h | sed -n 's/^  *\(-[a-zA-Z]\),.*/\1/p')
[ "$(echo "$popts" | wc -w)" -ge 8 ]
ok $? "check_anchorwatch -h lists at least 8 options"
for opt in $popts; do
	sed -n '/^\.Ss check_anchorwatch/,/^\.Sh/p' man/anchorwatch.8 |
	    grep -q "^\.It Fl ${opt#-}\b"
	ok $? "option $opt of check_anchorwatch -h is in anchorwatch.8"
done
rm -rf "$pdir"

# The long options of the traffic command, from its getopt_long table.
topts=$(sed -n 's/^		{ "\([a-z-]*\)", \(required\|no\)_argument,.*/\1/p' \
    src/traffic-cmd.c)
[ "$(echo "$topts" | wc -w)" -ge 11 ]
ok $? "traffic-cmd.c lists at least 11 traffic options"
help=$("$AW" -h)
# In the page, ".It Fl \-name": Fl adds one dash, \- is the other.
page=$(sed 's/\\-/-/g' man/anchorwatch.8)
for o in $topts; do
	printf "%s\n" "$help" | grep -q -- "--$o\b" &&
	    printf "%s\n" "$page" | grep -q "^\.It Fl -$o\b"
	ok $? "traffic option --$o is in --help and anchorwatch.8"
done

# Every key of the configuration schema; "version" is the calendar's.
keys=$(sed -n 's/^	\(CFG_[A-Z]*(\|{ \)"\([a-z_]*\)",.*/\2/p' src/config.c \
    src/calendar.c | sort -u | grep -vx version)
[ "$(echo "$keys" | wc -w)" -ge 30 ]
ok $? "config.c lists at least 30 configuration keys"
for k in $keys; do
	grep -q "^\.It Ic $k\b" man/anchorwatch.yaml.5
	ok $? "configuration key $k is in anchorwatch.yaml.5"
done
tkeys=$(sed -n '/^static const struct yamlwalk_key config_traffic_keys/,/^};/p' \
    src/config.c | sed -n 's/^	\(CFG_[A-Z]*(\|{ \)"\([a-z_]*\)",.*/\2/p')
[ "$(echo "$tkeys" | wc -w)" -ge 5 ]
ok $? "config.c lists at least 5 traffic: keys"
for k in traffic $tkeys; do
	grep -q "^ *#* *$k:" etc/anchorwatch.yaml
	ok $? "configuration key $k is in etc/anchorwatch.yaml"
done

# Perfdata labels: " root_keys=%", " '%s_trusted'=%" and the like.
labels=$(sed -n '/^nagios_perf_[a-z]*(/,/^}/p' src/output-nagios.c |
    grep -o "[ '\"]\(%s\)\?[a-z_]*'\?=%" |
    sed "s/^[ '\"]//; s/^%s//; s/'\?=%\$//" | sort -u)
[ "$(echo "$labels" | wc -w)" -ge 5 ]
ok $? "output-nagios.c prints at least 5 perfdata labels"
for l in $labels; do
	grep -q "^\.It Li .*$l" man/anchorwatch.8
	ok $? "perfdata label $l is in anchorwatch.8"
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
