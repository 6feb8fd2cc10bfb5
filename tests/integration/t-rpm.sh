#!/bin/sh
# t-rpm.sh: the RPM spec.  `rpmspec -P` parses it; `make rpm` builds the
# package with rpmbuild (--nodeps: the build dependencies are Debian's
# here, and systemd-rpm-macros is missing, so the spec's own fallbacks
# stand in for Fedora's macros), its %check running make test; the
# package holds every file at Fedora's paths, the configuration as
# %config(noreplace), the licence as %license, and scriptlets that make
# the user (sysusers) and the state directory (tmpfiles) and enable the
# timer.  Nothing is installed.
# run.sh: alone
# TAP on stdout.
cd "$(dirname "$0")/../.." || exit 1
for t in rpmbuild rpmspec rpm2archive; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done
. tests/harness/tap.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
spec=packaging/rpm/anchorwatch.spec
v=$(cat VERSION)

rpmspec -P --define "_sourcedir $PWD/packaging/systemd" "$spec" \
    >"$tmp/spec.out" 2>&1
ok $? "rpmspec -P parses the spec"
grep -q '^systemd-sysusers --replace=/usr/lib/sysusers.d/anchorwatch.conf' \
    "$tmp/spec.out" && grep -q '^u anchorwatch ' "$tmp/spec.out"
ok $? "%pre: the user from the sysusers.d file, as %sysusers_create_compat does"

t0=$(date +%s)
make rpm PKGBUILD="$tmp/pkg" >"$tmp/rpm.log" 2>&1
ok $? "make rpm builds the package ($(($(date +%s) - t0)) s)"
rpm=$(ls "$tmp"/pkg/rpm/RPMS/*/anchorwatch-"$v"-1.*.rpm 2>/dev/null)
[ -f "$rpm" ]
ok $? "build/pkg/rpm/RPMS/ARCH/anchorwatch-$v-1.ARCH.rpm"
[ -f "$rpm" ] || tail -n 30 "$tmp/rpm.log" | sed 's/^/# /'
grep -q '^[0-9]* passed, 0 failed$' "$tmp/rpm.log"
ok $? "%check ran make test: $(grep -o '^[0-9]* passed, [0-9]* failed$' "$tmp/rpm.log")"

rpm -qlp "$rpm" 2>/dev/null >"$tmp/files"
for f in /usr/sbin/anchorwatch /usr/lib64/nagios/plugins/check_anchorwatch \
    /usr/share/anchorwatch/events.yaml /usr/share/anchorwatch/icannbundle.pem \
    /usr/lib/systemd/system/anchorwatch.service \
    /usr/lib/systemd/system/anchorwatch.timer \
    /usr/lib/sysusers.d/anchorwatch.conf /usr/lib/tmpfiles.d/anchorwatch.conf \
    /usr/share/icinga2/include/plugins-contrib.d/anchorwatch.conf \
    /usr/share/man/man8/anchorwatch.8 \
    /usr/share/doc/anchorwatch/examples/anchorwatch.yaml; do
	grep -qx "$f" "$tmp/files"
	ok $? "the package holds $f"
done
is "$(rpm -qcp "$rpm" 2>/dev/null | tr '\n' ' ')" \
    "/etc/anchorwatch/anchorwatch.yaml /etc/cron.d/anchorwatch /etc/nrpe.d/anchorwatch.cfg " \
    "%config: the configuration, cron.d, NRPE (Fedora's /etc/nrpe.d)"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm" 2>/dev/null |
    grep -q '^cn /etc/anchorwatch/anchorwatch.yaml$'
ok $? "the configuration is %config(noreplace)"
rpm -qLp "$rpm" 2>/dev/null | grep -q '/LICENSE$'
ok $? "%license LICENSE"
rpm -qp --scripts "$rpm" >"$tmp/scripts" 2>/dev/null
grep -q 'systemd-tmpfiles --create /usr/lib/tmpfiles.d/anchorwatch.conf' "$tmp/scripts"
ok $? "%post makes the state directory (tmpfiles)"
grep -q 'preset anchorwatch.timer' "$tmp/scripts"
ok $? "%post enables the timer"
rpm2archive - <"$rpm" | tar -xzf - -C "$tmp" ./etc/nrpe.d/anchorwatch.cfg
grep -q '=/usr/lib64/nagios/plugins/check_anchorwatch ' "$tmp/etc/nrpe.d/anchorwatch.cfg"
ok $? "its NRPE commands call the plugin at Fedora's path"

tap_end
