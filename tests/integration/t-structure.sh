#!/bin/sh
# t-structure.sh: the shape issue 9 gave the sources stays true.
#  - no file of src/ or tests/unit/ is over 800 lines;
#  - no two object files use each other's symbols (a call, or a table
#    pointing back): each format has one home that others use, never the
#    reverse;
#  - no reader uses another product's reader: the files of one product
#    (anchor-TYPE.c and its parts, bind-*.c, knot-*.c, pdns-*.c,
#    unbound-*.c) use only their own and the shared modules;
#  - no reader or format module reads the clock: `now` comes from main.c.
# Reads the objects of build/ (make all builds them).  TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
n=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for f in src/*.c src/*.h tests/unit/*.c tests/unit/*.h; do
	l=$(wc -l <"$f")
	[ "$l" -le 800 ]
	ok $? "$f is at most 800 lines ($l)"
done

set -- build/*.o
[ -e "$1" ] && [ "$#" -ge 30 ]
ok $? "build/ holds the objects ($# of them)"
for o in build/*.o; do
	s=$(basename "$o" .o)
	nm -g --defined-only "$o" | awk -v s="$s" 'NF == 3 { print s, $3 }'
done >"$tmp/defs"
for o in build/*.o; do
	s=$(basename "$o" .o)
	nm -u "$o" | awk -v s="$s" '{ print s, $NF }'
done >"$tmp/uses"
# "user definer" for every symbol one object takes from another.
awk 'NR == FNR { def[$2] = $1; next }
    ($2 in def) && def[$2] != $1 { print $1, def[$2] }' \
    "$tmp/defs" "$tmp/uses" | sort -u >"$tmp/edges"
[ -s "$tmp/edges" ]
ok $? "objects use each other at all (the check sees the links)"
awk '{ e[$1 " " $2] = 1 }
    END { for (k in e) { split(k, a, " ");
        if ((a[2] " " a[1]) in e && a[1] < a[2]) print a[1] " <-> " a[2] } }' \
    "$tmp/edges" >"$tmp/mutual"
[ ! -s "$tmp/mutual" ]
ok $? "no two files use each other"
sed 's/^/# /' "$tmp/mutual"

# The product a file belongs to, or "" for a shared module.
product() {
	case $1 in
	anchor-*) echo "${1#anchor-}" ;;
	bind-*) echo bind ;;
	knot-*) echo knot ;;
	pdns-*) echo pdns ;;
	unbound-*) echo unbound ;;
	*) echo "" ;;
	esac
}
while read -r user def; do
	pu=$(product "$user")
	pd=$(product "$def")
	[ -n "$pu" ] && [ -n "$pd" ] && [ "$pu" != "$pd" ] &&
	    echo "$user uses $def"
done <"$tmp/edges" >"$tmp/cross"
[ ! -s "$tmp/cross" ]
ok $? "no reader uses another product's reader"
sed 's/^/# /' "$tmp/cross"

readers="src/anchor-*.c src/bind-*.c src/knot-*.c src/pdns-*.c \
src/unbound-*.c src/zonefile.c src/autotrust.c src/namedconf.c \
src/luascan.c src/units.c src/yamlwalk.c src/date.c src/events.c \
src/events-ready.c src/detect.c src/calendar.c"
# shellcheck disable=SC2086 # the globs are meant
grep -n 'time(NULL)\|time(0)\|clock_gettime\|gettimeofday' $readers \
    >"$tmp/clock"
[ ! -s "$tmp/clock" ]
ok $? "no reader, format module or verdict reads the clock"
sed 's/^/# /' "$tmp/clock"
echo "1..$n"
