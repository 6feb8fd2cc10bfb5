#!/bin/sh
# Install the Debian packages that building, testing and the demo need,
# but only those that are missing.  Used by `make deps` (and so by `make
# check` and `make demo`) on a fresh Debian 12 machine.
set -u

build="gcc make pkg-config libunbound-dev libyaml-dev nettle-dev libssl-dev libjson-c-dev \
libpcap-dev libfstrm-dev libprotobuf-c-dev protobuf-c-compiler libexpat1-dev"
test="libcmocka-dev unbound unbound-anchor nsd ldnsutils dns-root-data \
iproute2 util-linux mandoc valgrind procps time hyperfine jq socat \
bind9 bind9-utils bind9-dnsutils knot-resolver pdns-recursor dnsmasq libpcap-dev tcpdump \
fstrm-bin python3 python3-yaml prometheus faketime tshark \
clang libclang-rt-14-dev strace"
# Building and checking the packages (`make deb`, `make rpm`,
# tests/integration/t-package.sh): never needed by `make` or `make test`.
pkg="debhelper dpkg-dev fakeroot lintian rpm systemd-container"
# Only for `make bench` (tests/bench/traffic.sh compares with them).
bench="dnscap"
# Only for `make fuzz`: clang and its runtime of libFuzzer and the
# sanitizers.  (`make check` replays the corpora with gcc's sanitizers
# and with clang's, which is why the test packages have them too.)
fuzz="clang libclang-rt-14-dev"
want="$build $test $pkg"
[ "${1:-}" = "--build-only" ] && want="$build"
[ "${1:-}" = "--bench" ] && want="$build $test $pkg $bench"
[ "${1:-}" = "--fuzz" ] && want="$build $fuzz"

# systemd-resolved is never installed: it would take over the host's
# /etc/resolv.conf.  Its package, of the version of the installed
# libsystemd-shared it links with, is unpacked into a cache of ours for
# tests/integration/t-resolved.sh, once.
resolved_cache() {
	dir=/var/cache/anchorwatch-tests/systemd-resolved
	[ -x "$dir/root/lib/systemd/systemd-resolved" ] && return 0
	[ "$(id -u)" -eq 0 ] || return 0
	ver=$(dpkg-query -W -f='${Version}' libsystemd-shared 2>/dev/null)
	if [ -z "$ver" ]; then
		echo "deps: no libsystemd-shared: t-resolved.sh will skip" >&2
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir" || return 0
	if ! resolved_fetch "$dir" "$ver"; then
		apt-get update -qq
		if ! resolved_fetch "$dir" "$ver"; then
			echo "deps: cannot fetch systemd-resolved $ver:" \
			    "t-resolved.sh will skip" >&2
			rm -rf "$dir"
		fi
	fi
	return 0
}

resolved_fetch() {
	(cd "$1" && apt-get download -qq -o APT::Sandbox::User=root \
	    "systemd-resolved=$2") &&
	    dpkg-deb -x "$1"/systemd-resolved_*.deb "$1/root"
}
case "${1:-}" in --build-only|--fuzz) ;; *) resolved_cache ;; esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark (tests/integration/t-encap.sh checks against its decoding) asks
# whether non-root users may capture: no, and without a question.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    debconf-set-selections
# The packaged daemons must not start, hold ports or run outside the tests:
# policy-rc.d 101 tells the maintainer scripts not to start them.
prc=/usr/sbin/policy-rc.d
own_prc=""
if [ ! -e "$prc" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$prc" && chmod 0755 "$prc" && own_prc=1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
rc=$?
[ -n "$own_prc" ] && rm -f "$prc"
for s in unbound nsd named bind9 kresd@1 pdns-recursor dnsmasq prometheus; do
	systemctl disable --now "$s" >/dev/null 2>&1 || true
done
exit $rc
