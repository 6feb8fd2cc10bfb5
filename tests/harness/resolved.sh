# shellcheck shell=bash
#
# resolved.sh: systemd-resolved 252 daemons for the integration harness,
# sourced after lib.sh.
#
# The package is never installed (it would take over the host's
# /etc/resolv.conf): packaging/deps.sh unpacks Debian's systemd-resolved
# of the installed libsystemd-shared's version into
# /var/cache/anchorwatch-tests/systemd-resolved/root, and the daemon runs
# from there (AW_RESOLVED_ROOT names another unpacked tree).  It runs
# without systemd as PID 1 and without D-Bus: it waits for the bus in the
# background and serves its stub listeners meanwhile.
#
# resolved reads fixed paths, so each daemon NAME runs in a mount namespace
# of its own (private propagation, nested in the test's) in which
#	/etc	is a read-only overlay: $H/resolved/NAME/tree/etc over the
#		host's /etc, carrying resolved.conf, dnssec-trust-anchors.d/,
#		passwd and group with the systemd-resolve user, resolv.conf;
#	/run	is an empty tmpfs holding /run/systemd/resolve; it also
#		hides the host's /run/dbus, whose system bus the daemon
#		would otherwise join, taking org.freedesktop.resolve1 there.
# The host's /etc and /run are not written, and nothing of it outlives the
# daemon.  The tree is also what anchorwatch reads: its config: is
# $H/resolved/NAME/tree/etc/systemd/resolved.conf, whose prefix
# anchor-resolved.c takes as the root of the tree.
#
# resolved answers "network-down" without trying any server while no link
# but lo has a routable address (manager_routable()); h_resolved_link
# gives it one on an interface that has no peer outside this network
# namespace.  Its stub is DNSStubListenerExtra=ADDR (127.0.0.53/54 stay
# off, so that two daemons can run side by side).

H_RS_ROOT=${AW_RESOLVED_ROOT:-/var/cache/anchorwatch-tests/systemd-resolved/root}
H_RS_BIN=$H_RS_ROOT/lib/systemd/systemd-resolved
H_RS_LINK=aw-rs0
H_RS_LINK_ADDR=198.18.0.53

# Print why the daemon cannot run here and return 1, or return 0.  Called
# before h_enter, so that the script can skip.
h_resolved_usable() {
	if [ ! -x "$H_RS_BIN" ]; then
		echo "no unpacked systemd-resolved at $H_RS_BIN (make deps)"
		return 1
	fi
	if ldd "$H_RS_BIN" 2>&1 | grep -q 'not found'; then
		echo "$H_RS_BIN lacks libraries: $(ldd "$H_RS_BIN" 2>&1 |
		    grep 'not found' | awk '{ print $1 }' | tr '\n' ' ')"
		return 1
	fi
	if ! grep -qw overlay /proc/filesystems; then
		echo "no overlay file system (modprobe overlay)"
		return 1
	fi
	return 0
}

# Directory, tree and config of resolved NAME.
h_resolved_dir() {
	echo "$H/resolved/$1"
}
h_resolved_tree() {
	echo "$H/resolved/$1/tree"
}
h_resolved_conf() {
	echo "$H/resolved/$1/tree/etc/systemd/resolved.conf"
}

# The positive trust anchor line of key NAME (ksk1, ksk2):
# ". IN DS TAG ALG DT DIGEST".
h_resolved_ds() {
	awk '$4 == "DS" { printf ". IN DS %s %s %s %s\n", $5, $6, $7, $8; exit }' \
	    "$H/$1.ds"
}

# h_resolved_link: one interface besides lo, up, with a /32 address and
# no peer: ifb if the kernel has it, else a veth pair whose both ends stay
# in this network namespace.  Nothing is routed through it.
h_resolved_link() {
	ip link show "$H_RS_LINK" >/dev/null 2>&1 && return 0
	if ! ip link add "$H_RS_LINK" type ifb 2>/dev/null; then
		ip link add "$H_RS_LINK" type veth peer name "$H_RS_LINK-p" ||
		    h_bail "cannot add a link for resolved"
		ip link set "$H_RS_LINK-p" addrgenmode none
		ip link set "$H_RS_LINK-p" up
	fi
	ip link set "$H_RS_LINK" addrgenmode none
	ip addr add "$H_RS_LINK_ADDR/32" dev "$H_RS_LINK" ||
	    h_bail "cannot address $H_RS_LINK"
	ip link set "$H_RS_LINK" up || h_bail "cannot bring $H_RS_LINK up"
}

# Packets sent through h_resolved_link's interface (0 expected).  Not
# from /sys/class/net: the sysfs mounted here shows the host's network
# namespace.
h_resolved_link_tx() {
	sed 's/:/ /' /proc/net/dev |
	    awk -v dev="$H_RS_LINK" '$1 == dev { print $11 }'
}

# h_resolved_anchor NAME KEY...: write NAME's
# /etc/dnssec-trust-anchors.d/root.positive with the DS of each KEY.
h_resolved_anchor() {
	local name=$1 f k
	shift
	f=$(h_resolved_tree "$name")/etc/dnssec-trust-anchors.d/root.positive
	{
		echo "; root anchors of resolved $name (harness)"
		for k in "$@"; do
			h_resolved_ds "$k"
		done
	} >"$f"
}

# h_resolved_setup NAME ADDR KEY... [-- CONF-LINE...]: write NAME's tree:
# resolved.conf forwarding to the local root only, validating
# (DNSSEC=yes), stub on ADDR, then the CONF-LINEs; root.positive with the
# DS of each KEY.
h_resolved_setup() {
	local name=$1 addr=$2 tree line uid keys=()
	shift 2
	while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
		keys+=("$1")
		shift
	done
	[ "$#" -gt 0 ] && shift
	tree=$(h_resolved_tree "$name")
	mkdir -p "$tree/etc/systemd" "$tree/etc/dnssec-trust-anchors.d"
	{
		cat <<EOT
# systemd-resolved for the anchorwatch harness: the local root only.
[Resolve]
DNS=$H_ROOT_ADDR
FallbackDNS=
DNSSEC=yes
DNSOverTLS=no
LLMNR=no
MulticastDNS=no
ReadEtcHosts=no
DNSStubListener=no
DNSStubListenerExtra=$addr
EOT
		for line in "$@"; do
			printf '%s\n' "$line"
		done
	} >"$tree/etc/systemd/resolved.conf"
	h_resolved_anchor "$name" "${keys[@]}"
	# The user the daemon switches to: the host's, or one added to a copy
	# of passwd and group that only the overlay shows.
	cp /etc/passwd /etc/group "$tree/etc/"
	if ! grep -q '^systemd-resolve:' /etc/passwd; then
		uid=990
		while grep -q "^[^:]*:[^:]*:$uid:" /etc/passwd /etc/group; do
			uid=$((uid - 1))
		done
		echo "systemd-resolve:x:$uid:$uid:systemd Resolver:/:/usr/sbin/nologin" \
		    >>"$tree/etc/passwd"
		echo "systemd-resolve:x:$uid:" >>"$tree/etc/group"
	fi
	# What a host running resolved has: its own stub.  resolved may take
	# servers from /etc/resolv.conf (252 with DNS= set listed none from
	# it, not even another address here); the host's is never shown.
	echo "nameserver $addr" >"$tree/etc/resolv.conf"
	echo "$addr" >"$(h_resolved_dir "$name")/addr"
}

# h_resolved_start NAME: start NAME's daemon in the foreground (as a
# child of ours, in its own mount namespace) and wait until its stub
# answers.
h_resolved_start() {
	local name=$1 dir addr
	dir=$(h_resolved_dir "$name")
	addr=$(cat "$dir/addr")
	h_resolved_link
	h_addr_add "$addr"
	h_resolved_launch "$name"
	h_pid_add "resolved-$name" "$(cat "$dir/pid")"
	h_wait_for "resolved $name answering on $addr" 10 h_answers "$addr" ||
	    h_bail "resolved $name did not start"
}

# h_resolved_launch NAME: start NAME's daemon in the background in its
# mount namespace, its pid in its directory's "pid" file.
h_resolved_launch() {
	local name=$1 dir tree
	dir=$(h_resolved_dir "$name")
	tree=$(h_resolved_tree "$name")
	: >>"$dir/resolved.log"
	echo "---- start $(date +%T)" >>"$dir/resolved.log"
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -c '
		etc=$1
		bin=$2
		shift 2
		mount -t overlay -o "lowerdir=$etc:/etc" h-resolved-etc /etc ||
		    exit 125
		mount -t tmpfs -o mode=0755 h-resolved-run /run || exit 125
		mkdir -p /run/systemd/resolve || exit 125
		chown systemd-resolve:systemd-resolve /run/systemd/resolve ||
		    exit 125
		exec env SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_COLOR=0 \
		    SYSTEMD_LOG_LEVEL="${AW_RESOLVED_LOG_LEVEL:-info}" "$bin"' \
	    h-resolved "$tree/etc" "$H_RS_BIN" >>"$dir/resolved.log" 2>&1 \
	    </dev/null &
	echo $! >"$dir/pid"
}

# h_resolved_restart NAME: what `systemctl restart systemd-resolved` does
# on a host, for `anchorwatch fix` (tests/harness/restart runs it): stop
# NAME, start it again in a new mount namespace (a fresh overlay of its
# /etc) and wait until it answers.  0, or 1.
h_resolved_restart() {
	local dir
	dir=$(h_resolved_dir "$1")
	kill "$(cat "$dir/pid")" 2>/dev/null
	h_wait_for "resolved $1 gone" 5 h_gone "$(cat "$dir/pid")" || return 1
	h_resolved_launch "$1"
	h_wait_for "resolved $1 answering" 10 h_answers "$(cat "$dir/addr")"
}

# h_resolved_adopt NAME: after a restart by anchorwatch, reap the old
# daemon and track the new one under the same name.
h_resolved_adopt() {
	local old
	old=$(h_pid_of "resolved-$1") && wait "$old" 2>/dev/null
	h_pid_del "resolved-$1"
	h_pid_add "resolved-$1" "$(cat "$(h_resolved_dir "$1")/pid")"
}

# h_resolved_stop NAME
h_resolved_stop() {
	h_daemon_stop "resolved-$1"
}

# The lines of NAME's log since its last start that match the ERE.
h_resolved_log() {
	awk '/^---- start/ { n = 0; next } { l[n++] = $0 }
	    END { for (i = 0; i < n; i++) print l[i] }' \
	    "$(h_resolved_dir "$1")/resolved.log" | grep -E "$2"
}

# Print the last lines of the daemon logs as diagnostics.
h_resolved_dump_logs() {
	local f
	for f in "$H"/resolved/*/resolved.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 40 lines)"
		tail -n 40 "$f" | h_diag
	done
}

# A fingerprint of what on the host resolved could have touched: the
# files themselves and the names in /run and /etc/systemd.
h_resolved_host_state() {
	local f
	for f in /etc/passwd /etc/group /etc/resolv.conf /etc/nsswitch.conf; do
		if [ -e "$f" ]; then
			printf '%s %s\n' "$f" "$(sha256sum <"$f")"
		else
			echo "$f absent"
		fi
		stat -c '%A %U %G %Y' "$f" 2>&1
	done
	ls -A /run /etc/systemd 2>&1
	ls -d /etc/dnssec-trust-anchors.d /run/systemd/resolve 2>&1
}

# h_resolved_ta_tags NAME: the key tags of the root DS anchors daemon NAME
# loaded, from the list it logs at start (at level info), one a line in
# ascending order.  SIGUSR1's state dump does not show them.
h_resolved_ta_tags() {
	h_resolved_log "$1" . | awk '
	    /^Positive Trust Anchors:/ { dump = 1; next }
	    dump && $1 == "." && $3 == "DS" { print $4; next }
	    { dump = 0 }' | sort -n
}
