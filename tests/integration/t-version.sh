#!/bin/sh
# t-version.sh: one version everywhere, and the packages built from what
# the tree says.  VERSION holds it; the binary's -V (the Makefile passes
# -DAW_VERSION), the fallback in anchorwatch.h, the man pages' .Os, the
# first NEWS entry, debian/changelog and the RPM spec repeat it.  The
# Debian source package builds with what packaging/deps.sh installs to
# build (gcc and make aside, which build-essential gives) and
# libcmocka-dev; the RPM spec names a BuildRequires for each library of
# the Makefile's pkg-config list.  TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
AW=${ANCHORWATCH:-./anchorwatch}
. tests/harness/tap.sh

v=$(cat VERSION)
echo "$v" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+'
ok $? "VERSION is MAJOR.MINOR.PATCH ($v)"

is "$("$AW" -V)" "anchorwatch $v" "anchorwatch -V says $v"
is "$(sed -n 's/^#define AW_VERSION "\(.*\)"$/\1/p' src/anchorwatch.h)" "$v" \
    "the fallback AW_VERSION of anchorwatch.h is $v"
for page in man/anchorwatch.8 man/anchorwatch.yaml.5; do
	is "$(sed -n 's/^\.Os //p' "$page")" "anchorwatch $v" "$page: .Os anchorwatch $v"
done
is "$(sed -n 's/^\([0-9][0-9.]*\), [0-9-]*: .*/\1/p' NEWS | head -n 1)" "$v" \
    "the first NEWS entry is $v"

deb=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version 2>/dev/null)
is "${deb%-*}" "$v" "debian/changelog: upstream version $v ($deb)"
is "$(sed -n 's/^Version: *//p' packaging/rpm/anchorwatch.spec)" "$v" \
    "anchorwatch.spec: Version $v"
is "$(sed -n '/^%changelog/{n;s/.* - \([0-9.]*\)-[0-9]*$/\1/p;}' \
    packaging/rpm/anchorwatch.spec)" "$v" "anchorwatch.spec: %changelog begins at $v"
if command -v rpmspec >/dev/null 2>&1; then
	is "$(rpmspec -q --srpm --qf '%{VERSION}' \
	    --define "_sourcedir $PWD/packaging/systemd" \
	    packaging/rpm/anchorwatch.spec 2>/dev/null)" "$v" \
	    "rpmspec reads Version $v"
fi

# Build-Depends: each package of deps.sh's build list but gcc and make.
bd=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' packaging/debian/control |
    sed -n 's/^ \([a-z0-9.+-]*\).*/\1/p')
build=$(sed -n '/^build="/,/"$/p' packaging/deps.sh | tr -d '"\\' |
    sed 's/^build=//')
for p in $build libcmocka-dev; do
	case $p in gcc | make) continue ;; esac
	echo "$bd" | grep -qx "$p"
	ok $? "debian/control Build-Depends names $p"
done
# BuildRequires: pkgconfig(X) for each X of the Makefile's PKGS.
for p in $(sed -n 's/^PKGS = //p' Makefile) libunbound cmocka; do
	grep -q "^BuildRequires: *pkgconfig($p)" packaging/rpm/anchorwatch.spec
	ok $? "anchorwatch.spec BuildRequires pkgconfig($p)"
done

tap_end
