#!/bin/sh
# t-docs.sh: the documentation stays true to the program.  Man pages are
# mandoc -Tlint clean; every finding code of detect.c is documented in the
# man page and the README; every option of usage() is in the man page;
# every option of `traffic` (traffic-cmd.c) is in usage() and the man
# page; every key of the configuration schema (config.c, calendar.c) is in
# anchorwatch.yaml.5, and every traffic: key in the example configuration;
# every perfdata label of output-nagios.c is in the man page;
# `make install` honours DESTDIR and PREFIX, puts everything a working
# system needs in place, and never replaces an edited configuration.  (The example configuration is
# loaded by test_config; running it here would ask the real root.)
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
. tests/harness/tap.sh

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
    [ -f "$d/usr/share/doc/anchorwatch/examples/anchorwatch.yaml" ]
ok $? "make install DESTDIR=... PREFIX=/usr puts binary, pages, example in place"
for f in usr/lib/nagios/plugins/check_anchorwatch etc/anchorwatch/anchorwatch.yaml \
    usr/share/anchorwatch/events.yaml usr/share/anchorwatch/icannbundle.pem \
    usr/share/anchorwatch/scenarios/2024-2027.yaml \
    usr/lib/systemd/system/anchorwatch.service \
    usr/lib/systemd/system/anchorwatch.timer usr/lib/sysusers.d/anchorwatch.conf \
    usr/lib/tmpfiles.d/anchorwatch.conf etc/cron.d/anchorwatch \
    etc/nagios/nrpe.d/anchorwatch.cfg \
    usr/share/icinga2/include/plugins-contrib.d/anchorwatch.conf; do
	[ -f "$d/$f" ]
	ok $? "make install puts /$f in place"
done
[ "$(readlink "$d/usr/lib/nagios/plugins/check_anchorwatch")" = ../../../sbin/anchorwatch ]
ok $? "check_anchorwatch is a relative link to the binary"
# The installed minimal configuration loads (discovery, no resolvers key).
"$AW" -c "$d/etc/anchorwatch/anchorwatch.yaml" discover >/dev/null 2>&1
ok $? "the installed anchorwatch.yaml loads"
echo "# edited" >>"$d/etc/anchorwatch/anchorwatch.yaml"
make -s install DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1 &&
    grep -q '^# edited$' "$d/etc/anchorwatch/anchorwatch.yaml"
ok $? "make install again keeps an edited anchorwatch.yaml"
rm -rf "$d" && mkdir "$d"
make -s install DESTDIR="$d" PREFIX=/usr/local PLUGINDIR=/opt/plugins \
    >/dev/null 2>&1 &&
    grep -q '^ExecStart=/usr/local/sbin/anchorwatch ' \
    "$d/usr/local/lib/systemd/system/anchorwatch.service" &&
    grep -q ' /usr/local/sbin/anchorwatch ' "$d/etc/cron.d/anchorwatch" &&
    grep -q '=/opt/plugins/check_anchorwatch ' "$d/etc/nagios/nrpe.d/anchorwatch.cfg"
ok $? "installed files name the directories given to make install"
rm -rf "$d"

tap_end
