#!/bin/sh
# Install the Debian packages that building, testing and the demo need,
# but only those that are missing.  Used by `make deps` (and so by `make
# check` and `make demo`) on a fresh Debian 12 machine.
set -u

build="gcc make pkg-config libunbound-dev libyaml-dev libssl-dev libjson-c-dev"
test="libcmocka-dev unbound unbound-anchor nsd ldnsutils dns-root-data \
iproute2 util-linux mandoc valgrind procps time hyperfine jq socat \
bind9 bind9-utils bind9-dnsutils knot-resolver pdns-recursor dnsmasq"
want="$build $test"
[ "${1:-}" = "--build-only" ] && want="$build"

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
for s in unbound nsd named bind9 kresd@1 pdns-recursor dnsmasq; do
	systemctl disable --now "$s" >/dev/null 2>&1 || true
done
exit $rc
