# shellcheck shell=bash
#
# lib.sh: the integration harness, sourced by tests/integration/t-*.sh and
# by tests/harness/demo.sh.
#
# It plays an RFC 5011 root KSK roll (RFC 5011 section 2, RFC 7583 stages)
# on loopback, never on the network: a private network and PID namespace
# holds a locally generated, signed root zone served by nsd on 127.0.0.2,
# and real unbound daemons on 127.0.0.1x that take that root as their only
# upstream.  Every daemon dies with the namespace; the work directory is
# removed on exit (kept when AW_KEEP=1).
#
# Usage from a script:
#	. "$(dirname "$0")/../harness/lib.sh"
#	h_enter "$@"		# re-executes the script inside the namespace
#	h_root_init; h_root_stage pre
#	h_unbound_start auto1 127.0.0.11 auto
#	...
#	h_done
#
# Facts this relies on are in /work/shared/reference/formats.md (unbound's
# autr file, ldns-signzone's published-not-signing keys, nsd on the root).

# ---- globals ---------------------------------------------------------------

H_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# tests/run.sh exports ANCHORWATCH; AW_BIN wins for a one-off run.
AW_BIN=${AW_BIN:-${ANCHORWATCH:-$H_TOP/anchorwatch}}
H_ROOT_ADDR=127.0.0.2
H_NTEST=0
H_NFAIL=0
H=""			# the work directory, set by h_enter
H_PIDS=""		# "name:pid ..." of the daemons we started

# ---- small utilities ---------------------------------------------------------

# A TAP diagnostic line per line of input (or of the arguments).
h_diag() {
	if [ "$#" -gt 0 ]; then
		printf '%s\n' "$*" | sed 's/^/# /'
	else
		sed 's/^/# /'
	fi
}

# Abort the whole script: TAP "Bail out!", logs, exit 1 (cleanup by trap).
h_bail() {
	printf 'Bail out! %s\n' "$*"
	h_dump_logs
	exit 1
}

# Print every daemon log of the work directory as diagnostics.
h_dump_logs() {
	local f
	[ -n "$H" ] && [ -d "$H" ] || return 0
	for f in "$H"/nsd/nsd.log "$H"/ub/*/unbound.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 40 lines)"
		tail -n 40 "$f" | h_diag
	done
}

# Seconds since the epoch.
h_now() {
	date +%s
}

# ---- namespace and work directory -----------------------------------------

# h_need TOOL...: skip the whole script (TAP "1..0 # SKIP") unless every
# TOOL is on the PATH.  Called before h_enter.
h_need() {
	local t
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "1..0 # SKIP $t not installed"
			exit 0
		fi
	done
}

# h_need_dnstap: skip the whole script unless unbound writes dnstap.
h_need_dnstap() {
	if ! unbound -V 2>/dev/null | grep -q -- '--enable-dnstap'; then
		echo "1..0 # SKIP unbound is built without dnstap"
		exit 0
	fi
}

# h_enter "$@": run the calling script inside fresh network, PID and mount
# namespaces (re-executing it there), then set up loopback and the work
# directory.  Outside root or without the tools, the script is skipped.
h_enter() {
	local script t
	if [ "${AW_NS:-}" != 1 ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "1..0 # SKIP needs root (namespaces, daemons)"
			exit 0
		fi
		for t in unshare ip nsd nsd-control unbound ldns-keygen \
		    ldns-signzone ldns-key2ds drill; do
			if ! command -v "$t" >/dev/null 2>&1; then
				echo "1..0 # SKIP $t not installed"
				exit 0
			fi
		done
		script=$(readlink -f "$0")
		# --mount-proc implies --mount: ps and /proc show only ours.
		# --kill-child: if unshare itself is killed, TERM our first
		# process so that its trap still cleans up (best effort: the
		# parent-death signal is not delivered on every kernel; the
		# daemons die with the namespace in any case).
		exec unshare --net --pid --fork --mount-proc --kill-child=TERM \
		    env AW_NS=1 bash "$script" "$@"
	fi
	# Refuse to start daemons anywhere but in an empty network namespace:
	# AW_NS=1 set by hand must not put a fake root on a real network.
	# The kernel's fallback tunnels (made, down, in every new namespace
	# once a test has loaded ip_gre, sit and the like: t-encap.sh) carry
	# nothing and do not count.
	if ip -o link show | grep -Eqv \
	    ': (lo|(gre|gretap|erspan|ip_vti|ip6_vti|sit|ip6tnl|ip6gre|tunl)0@NONE):'
	then
		h_bail "AW_NS=1 but this network namespace has more than lo"
	fi
	ip link set lo up || h_bail "cannot bring lo up"
	h_addr_add "$H_ROOT_ADDR"
	H=$(mktemp -d /tmp/aw-harness.XXXXXX) || h_bail "mktemp failed"
	# unbound runs as user unbound and must traverse to its directory.
	chmod 0755 "$H"
	trap h_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# Add ADDR/32 to lo (idempotent).
h_addr_add() {
	if ! ip -o addr show dev lo | grep -q " $1/32 "; then
		ip addr add "$1/32" dev lo || h_bail "cannot add $1 to lo"
	fi
}

# h_group_add NAME MEMBER...: a group NAME of those users, in this mount
# namespace only: a copy of /etc/group with it is bind-mounted over the
# file (the host's is never touched).  Daemons started after it are in
# it (they call initgroups when they drop to their user).
h_group_add() {
	local name=$1 gid=4242 members
	shift
	while getent group "$gid" >/dev/null; do
		gid=$((gid + 1))
	done
	members=$(IFS=,; echo "$*")
	cp /etc/group "$H/etc-group" &&
	    echo "$name:x:$gid:$members" >>"$H/etc-group" &&
	    mount --bind "$H/etc-group" /etc/group ||
	    h_bail "cannot add group $name"
}

# EXIT trap: stop our daemons by pid, then remove the work directory.
h_cleanup() {
	local rc=$? entry
	for entry in $H_PIDS; do
		kill "${entry#*:}" 2>/dev/null
	done
	for entry in $H_PIDS; do
		wait "${entry#*:}" 2>/dev/null
	done
	if [ -n "$H" ] && [ -d "$H" ]; then
		if [ "${AW_KEEP:-}" = 1 ]; then
			echo "# kept work directory $H" >&2
		else
			rm -rf "$H"
		fi
	fi
	exit "$rc"
}

# Remember a daemon's pid under NAME.
h_pid_add() {
	H_PIDS="$H_PIDS $1:$2"
}

# Pid of daemon NAME, or nothing.
h_pid_of() {
	local entry
	for entry in $H_PIDS; do
		[ "${entry%%:*}" = "$1" ] && echo "${entry#*:}" && return 0
	done
	return 1
}

# Forget daemon NAME.
h_pid_del() {
	local entry keep=""
	for entry in $H_PIDS; do
		[ "${entry%%:*}" = "$1" ] || keep="$keep $entry"
	done
	H_PIDS=$keep
}

# 0 if daemon NAME is alive.  A dead child stays a zombie until
# h_daemon_stop reaps it, so ps must be asked, not kill -0.
h_alive() {
	local pid st
	pid=$(h_pid_of "$1") || return 1
	st=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
	case $st in
	Z*) return 1 ;;
	esac
	return 0
}

# 0 if daemon NAME has exited.
h_dead() {
	! h_alive "$1"
}

# 0 once process PID is gone or a zombie (a daemon we started stays one
# until the test reaps it).
h_gone() {
	case $(ps -o stat= -p "$1" 2>/dev/null) in
	'' | Z*) return 0 ;;
	esac
	return 1
}

# Stop daemon NAME (TERM, then KILL after 5 s) and reap it.
h_daemon_stop() {
	local pid i=0
	pid=$(h_pid_of "$1") || return 0
	kill "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	h_pid_del "$1"
	return 0
}

# ---- polling -------------------------------------------------------------

# h_wait_for DESC TIMEOUT CMD...: run CMD every 0.2 s until it succeeds;
# after TIMEOUT seconds, report DESC and fail.
h_wait_for() {
	local desc=$1 timeout=$2 end
	shift 2
	end=$(($(h_now) + timeout))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(h_now)" -ge "$end" ]; then
			h_diag "timed out after ${timeout}s: $desc"
			return 1
		fi
		sleep 0.2
	done
	return 0
}

# ---- TAP -------------------------------------------------------------------

# h_ok DESC CMD...: test passes when CMD exits 0.
h_ok() {
	local desc=$1
	shift
	if "$@"; then
		h_pass "$desc"
	else
		h_fail "$desc"
	fi
}

# h_not_ok DESC CMD...: test passes when CMD fails.
h_not_ok() {
	local desc=$1
	shift
	if "$@"; then
		h_fail "$desc"
	else
		h_pass "$desc"
	fi
}

# h_is GOT WANT DESC: test passes when the two strings are equal.
h_is() {
	if [ "$1" = "$2" ]; then
		h_pass "$3"
	else
		h_fail "$3"
		h_diag "  got: '$1'" "  want: '$2'"
	fi
}

h_pass() {
	H_NTEST=$((H_NTEST + 1))
	echo "ok $H_NTEST - $1"
}

h_fail() {
	H_NTEST=$((H_NTEST + 1))
	H_NFAIL=$((H_NFAIL + 1))
	echo "not ok $H_NTEST - $1"
}

# Print the plan; on any failure show the daemon logs and exit 1.
h_done() {
	echo "1..$H_NTEST"
	if [ "$H_NFAIL" -gt 0 ]; then
		h_diag "$H_NFAIL of $H_NTEST failed"
		h_dump_logs
		exit 1
	fi
	exit 0
}

# ---- the signed root ----------------------------------------------------

# Generate one key into $H/root/keys/NAME.{key,private}; -k for a KSK.
h_keygen() {
	local name=$1 base
	shift
	base=$(cd "$H/root/keys" && ldns-keygen -a RSASHA256 -b 2048 "$@" .) ||
	    h_bail "ldns-keygen failed"
	mv "$H/root/keys/$base.key" "$H/root/keys/$name.key"
	mv "$H/root/keys/$base.private" "$H/root/keys/$name.private"
	rm -f "$H/root/keys/$base.ds"
}

# The DNSKEY presentation line of key NAME with TTL 2, without comment.
h_dnskey_line() {
	sed -n 's/^\.[[:space:]]*IN[[:space:]]*DNSKEY[[:space:]]*\([^;]*[^;[:space:]]\).*$/.\t2\tIN\tDNSKEY\t\1/p' \
	    "$H/root/keys/$1.key"
}

# Export anchor seeds and key tags of key NAME: $H/NAME.key, .ds, .tag.
h_key_export() {
	local name=$1
	h_dnskey_line "$name" | sed 's/\t2\t/\t/' >"$H/$name.key"
	ldns-key2ds -f -n -2 "$H/$name.key" >"$H/$name.ds" ||
	    h_bail "ldns-key2ds failed for $name"
	awk '$4 == "DS" { print $5; exit }' "$H/$name.ds" >"$H/$name.tag"
	[ -s "$H/$name.tag" ] || h_bail "no key tag for $name"
}

# Key tag of key NAME (ksk1, ksk1r, ksk2, zsk).
h_tag() {
	cat "$H/$1.tag"
}

# h_root_init: keys, a revoked copy of KSK1, the nsd configuration; nsd is
# started by the first h_root_stage.
h_root_init() {
	mkdir -p "$H/root/keys" "$H/nsd"
	h_keygen ksk1 -k
	h_keygen ksk2 -k
	h_keygen zsk
	# KSK1 revoked: the same private key, flags 257 + REVOKE (128).
	cp "$H/root/keys/ksk1.private" "$H/root/keys/ksk1r.private"
	sed 's/DNSKEY[[:space:]]*257 /DNSKEY\t385 /' "$H/root/keys/ksk1.key" \
	    >"$H/root/keys/ksk1r.key"
	grep -q 'DNSKEY.385 ' "$H/root/keys/ksk1r.key" ||
	    h_bail "could not make the revoked KSK1"
	h_key_export ksk1
	h_key_export ksk1r
	h_key_export ksk2
	h_key_export zsk
	echo 0 >"$H/root/serial"
	h_nsd_conf
}

h_nsd_conf() {
	cat >"$H/nsd/nsd.conf" <<EOF
server:
	ip-address: $H_ROOT_ADDR@53
	ip-address: $H_ROOT_ADDR@5353
	do-ip6: no
	server-count: 1
	database: ""
	zonelistfile: "$H/nsd/zone.list"
	xfrdfile: "$H/nsd/xfrd.state"
	pidfile: "$H/nsd/nsd.pid"
	logfile: "$H/nsd/nsd.log"
	username: ""
	chroot: ""
	zonesdir: "$H/root"
	# Not /tmp: parallel runs in PID namespaces reuse the same pids, and
	# nsd names its transfer directory after its pid.
	xfrdir: "$H/nsd"
	verbosity: 1
	hide-version: yes
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
${H_NSD_EDNS:+	ipv4-edns-size: $H_NSD_EDNS}
remote-control:
	control-enable: yes
	control-interface: "$H/nsd/nsd.ctl"
zone:
	name: "."
	zonefile: "$H/root/root.signed"
EOF
}

# Write the unsigned root zone with serial SERIAL and the DNSKEYs of the
# key names given.
h_root_zone() {
	local serial=$1 k
	shift
	{
		echo "\$TTL 3600"
		printf '.\t60\tIN\tSOA\tns.harness. hostmaster.harness. %s 1800 900 604800 1\n' "$serial"
		printf '.\t86400\tIN\tNS\tns.harness.\n'
		for k in "$@"; do
			h_dnskey_line "$k"
		done
		printf 'ns.harness.\t86400\tIN\tA\t%s\n' "$H_ROOT_ADDR"
		printf 'hello.harness.\t1\tIN\tTXT\t"hello from the harness root"\n'
		printf 'hello.harness.\t1\tIN\tA\t192.0.2.1\n'
		printf 'www.harness.\t60\tIN\tA\t192.0.2.2\n'
		# RFC 8509 key sentinel names: any label under sentinel.harness.
		printf '*.sentinel.harness.\t60\tIN\tA\t192.0.2.3\n'
	} >"$H/root/root.zone"
}

# h_root_stage STAGE: publish the DNSKEY RRset of an RFC 5011 roll stage,
# re-sign, (re)load nsd and wait until it serves the new serial.
#	pre	KSK1 signs                      RRset: ZSK KSK1
#	publish	KSK1 signs                      RRset: ZSK KSK1 KSK2
#	roll	KSK2 signs                      RRset: ZSK KSK1 KSK2
#	revoke	KSK2 and revoked KSK1 sign      RRset: ZSK KSK1(385) KSK2
#	remove	KSK2 signs                      RRset: ZSK KSK2
# A key in the RRset whose file is not given to ldns-signzone is published
# without signing.
h_root_stage() {
	local stage=$1 serial keys signers now k
	case $stage in
	pre) keys="zsk ksk1" signers="zsk ksk1" ;;
	publish) keys="zsk ksk1 ksk2" signers="zsk ksk1" ;;
	roll) keys="zsk ksk1 ksk2" signers="zsk ksk2" ;;
	revoke) keys="zsk ksk1r ksk2" signers="zsk ksk2 ksk1r" ;;
	remove) keys="zsk ksk2" signers="zsk ksk2" ;;
	*) h_bail "h_root_stage: unknown stage '$stage'" ;;
	esac
	serial=$(($(cat "$H/root/serial") + 1))
	echo "$serial" >"$H/root/serial"
	# shellcheck disable=SC2086 # word lists of key names
	h_root_zone "$serial" $keys
	set --
	for k in $signers; do
		set -- "$@" "$H/root/keys/$k"
	done
	now=$(h_now)
	# -d: the DNSKEYs come from the zone (TTL 2), not from the key files.
	ldns-signzone -d -o . -i $((now - 3600)) -e $((now + 30 * 86400)) \
	    -f "$H/root/root.signed.new" "$H/root/root.zone" "$@" ||
	    h_bail "ldns-signzone failed at stage $stage"
	mv "$H/root/root.signed.new" "$H/root/root.signed"
	if h_alive nsd; then
		nsd-control -c "$H/nsd/nsd.conf" reload . >/dev/null ||
		    h_bail "nsd-control reload failed"
	else
		h_nsd_start
	fi
	h_wait_for "nsd serving serial $serial" 10 h_root_has_serial "$serial" ||
	    h_bail "nsd did not load stage $stage"
	echo "$stage" >"$H/root/stage"
}

# Start nsd in the foreground as a child of ours.
h_nsd_start() {
	nsd -d -c "$H/nsd/nsd.conf" >>"$H/nsd/nsd.log" 2>&1 &
	h_pid_add nsd $!
}

# 0 if the root server answers SOA with serial SERIAL.
h_root_has_serial() {
	[ "$(h_soa_serial "$H_ROOT_ADDR")" = "$1" ]
}

# The serial of the root SOA as served by ADDR (port 53).
h_soa_serial() {
	drill @"$1" . SOA 2>/dev/null |
	    awk '$1 == "." && $4 == "SOA" { print $7; exit }'
}

# ---- unbound daemons ---------------------------------------------------------

# Directory, config and autr file of unbound NAME.
h_ub_dir() {
	echo "$H/ub/$1"
}
h_ub_conf() {
	echo "$H/ub/$1/unbound.conf"
}
h_autr() {
	cat "$H/ub/$1/autr-path"
}

# h_unbound_start NAME ADDR MODE [SERVER-LINE...]: write a config for a real
# unbound on ADDR port 53 whose only upstream is the local root, start it and
# wait until it answers.  MODE:
#	auto	  RFC 5011: auto-trust-anchor-file seeded with KSK1, hold-downs
#		  of seconds (permit-small-holddown), owned by user unbound
#	auto-ro	  as auto, but the autr file and its directory belong to root
#		  (0644/0755): the daemon cannot write it and dies on its
#		  first probe; h_unbound_start does not wait for an answer
#	static	  trust-anchor-file holding KSK1 only
#	custom	  no anchor lines: the SERVER-LINEs say everything
# Each SERVER-LINE is added to the server: clause as is.
h_unbound_start() {
	local name=$1 addr=$2 mode=$3 dir anchor autr=""
	shift 3
	dir=$(h_ub_dir "$name")
	mkdir -p "$dir"
	h_addr_add "$addr"
	case $mode in
	auto)
		autr=$dir/root.key
		cp "$H/ksk1.key" "$autr"
		anchor="auto-trust-anchor-file: \"$autr\""
		;;
	auto-ro)
		mkdir -p "$dir/ro"
		autr=$dir/ro/root.key
		cp "$H/ksk1.key" "$autr"
		chown -R root:root "$dir/ro"
		chmod 0755 "$dir/ro"
		chmod 0644 "$autr"
		anchor="auto-trust-anchor-file: \"$autr\""
		;;
	static)
		cp "$H/ksk1.key" "$dir/root.static"
		anchor="trust-anchor-file: \"$dir/root.static\""
		;;
	custom) anchor="" ;;
	*) h_bail "h_unbound_start: unknown mode '$mode'" ;;
	esac
	echo "$autr" >"$dir/autr-path"
	h_unbound_conf "$dir" "$addr" "$anchor" "$@" >"$dir/unbound.conf"
	chown unbound:unbound "$dir" "$dir/unbound.conf"
	[ -n "$autr" ] && [ "$mode" = auto ] && chown unbound:unbound "$autr"
	if ! unbound-checkconf "$dir/unbound.conf" >"$dir/checkconf.out" 2>&1; then
		h_diag <"$dir/checkconf.out"
		h_bail "unbound-checkconf failed for $name"
	fi
	: >"$dir/unbound.log"
	chown unbound:unbound "$dir/unbound.log"
	unbound -d -c "$dir/unbound.conf" >>"$dir/unbound.log" 2>&1 &
	h_pid_add "ub-$name" $!
	echo "$addr" >"$dir/addr"
	[ "$mode" = auto-ro ] && return 0
	h_wait_for "unbound $name answering on $addr" 10 h_answers "$addr" ||
	    h_bail "unbound $name did not start"
}

# The unbound.conf text for h_unbound_start.
h_unbound_conf() {
	local dir=$1 addr=$2 anchor=$3 line
	shift 3
	cat <<EOF
server:
	interface: $addr
	port: 53
	do-ip6: no
	num-threads: 1
	so-reuseport: no
	username: "unbound"
	chroot: ""
	directory: "$dir"
	pidfile: "$dir/unbound.pid"
	logfile: "$dir/unbound.log"
	use-syslog: no
	verbosity: 1
	val-log-level: 2
	access-control: 127.0.0.0/8 allow
	do-not-query-localhost: no
	module-config: "validator iterator"
	permit-small-holddown: yes
	add-holddown: 3
	del-holddown: 3
	keep-missing: 5
EOF
	[ -n "$anchor" ] && printf '\t%s\n' "$anchor"
	for line in "$@"; do
		printf '\t%s\n' "$line"
	done
	# H_UB_CONTROL=1: unbound-control on a unix socket in its directory
	if [ "${H_UB_CONTROL:-0}" = 1 ]; then
		printf 'remote-control:\n\tcontrol-enable: yes\n\tcontrol-interface: "%s/control.sock"\n' "$dir"
	else
		printf 'remote-control:\n\tcontrol-enable: no\n'
	fi
	cat <<EOF
stub-zone:
	name: "."
	stub-addr: $H_ROOT_ADDR@53
EOF
}

# 0 if a DNS server answers on ADDR port 53 (any rcode).
h_answers() {
	drill @"$1" hello.harness. TXT 2>/dev/null | grep -q 'HEADER'
}

# The rcode ADDR gives for hello.harness. TXT (NOERROR, SERVFAIL, ...).
h_rcode() {
	drill @"$1" hello.harness. TXT 2>/dev/null |
	    sed -n 's/.*rcode: \([A-Z]*\).*/\1/p'
}

# 0 if ADDR answers hello.harness. TXT with RCODE.
h_rcode_is() {
	[ "$(h_rcode "$1")" = "$2" ]
}

# 0 if ADDR's answer for hello.harness. TXT has the AD bit.
h_has_ad() {
	drill -D @"$1" hello.harness. TXT 2>/dev/null | grep -q 'flags:.* ad[ ;]'
}

# h_unbound_stop NAME
h_unbound_stop() {
	h_daemon_stop "ub-$1"
}

# 0 if unbound NAME's autr file shows key tag TAG in state STATE (VALID,
# ADDPEND, MISSING, REVOKED).
h_autr_state() {
	grep -Eq "id = $2 .*;;state=[0-9] \[ *$3 *\]" "$(h_autr "$1")" 2>/dev/null
}

# 0 if unbound NAME's autr file no longer lists key tag TAG.
h_autr_gone() {
	! grep -q "id = $2 " "$(h_autr "$1")" 2>/dev/null
}

# 0 if unbound NAME's autr file carries the ;;REVOKED marker.
h_autr_zone_revoked() {
	grep -q '^;;REVOKED' "$(h_autr "$1")" 2>/dev/null
}

# ---- anchorwatch ---------------------------------------------------------

# h_aw_config FILE [KEY=VALUE...] -- RESOLVER...: write an anchorwatch
# config.  By default every config shares one agent state, $H/aw, as one
# agent on one host would, so that each run advances the agent's own RFC
# 5011 view.  KEY=VALUE: stub=IP@PORT, probe_overdue=SECONDS, state=DIR.
# Each RESOLVER is an unbound NAME of ours.
h_aw_config() {
	local file=$1 stub="$H_ROOT_ADDR@53" overdue=259200 state="$H/aw" r
	shift
	while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		stub=*) stub=${1#stub=} ;;
		probe_overdue=*) overdue=${1#probe_overdue=} ;;
		state=*) state=${1#state=} ;;
		*) h_bail "h_aw_config: unknown setting $1" ;;
		esac
		shift
	done
	[ "$#" -gt 0 ] && shift
	{
		cat <<EOF
state_dir: $state
root:
  anchor_file: $state/root.key
  bootstrap: $H/ksk1.key
  stub: ["$stub"]
  timeout: 5
  add_holddown: 3
  del_holddown: 3
  keep_missing: 5
checks:
  probe_overdue: $overdue
EOF
		if [ "$#" -eq 0 ]; then
			echo "resolvers: []"
		else
			echo "resolvers:"
		fi
		for r in "$@"; do
			printf '  - name: %s\n    type: unbound\n    config: %s\n' \
			    "$r" "$(h_ub_conf "$r")"
		done
	} >"$file"
}

# h_aw_journal CONF DIR: a BIND resolver whose key zone (a copy of
# tests/data/bind/good/named's in DIR/keys) has a journal beside it, which
# is none: a check runs /usr/bin/named-journalprint on it.  DIR/named.conf
# is its configuration, CONF an anchorwatch config with state_dir
# $H/state (made), no probes, a root it cannot reach (no stub; timeout 2)
# and that resolver, b1.  No daemon is needed; named-journalprint is.
h_aw_journal() {
	local conf=$1 dir=$2
	[ -x /usr/bin/named-journalprint ] ||
	    h_bail "/usr/bin/named-journalprint is not installed (bind9-utils)"
	mkdir -p "$dir/keys" "$H/state"
	cp "$H_TOP/tests/data/bind/good/named/managed-keys.bind" "$dir/keys/"
	printf 'not a journal\n' >"$dir/keys/managed-keys.bind.jnl"
	sed "s|tests/data/bind/good/named|$dir/keys|" \
	    "$H_TOP/tests/data/bind/good/named.conf" >"$dir/named.conf"
	cat >"$conf" <<EOF
state_dir: $H/state
root:
  timeout: 2
probes:
  enabled: false
resolvers:
  - name: b1
    type: bind
    config: $dir/named.conf
EOF
}

# h_aw CONF ARGS...: run anchorwatch; output in $H/aw.out and $H/aw.err,
# exit status in AW_RC.
h_aw() {
	local conf=$1
	shift
	AW_RC=0
	"$AW_BIN" -c "$conf" "$@" >"$H/aw.out" 2>"$H/aw.err" || AW_RC=$?
}

# 0 if the last run printed a finding line with code CODE.
h_aw_has() {
	grep -Eq "^[A-Z]+ $1 " "$H/aw.out"
}

# 0 if the last run printed a finding line of severity SEV with code CODE.
h_aw_has_sev() {
	grep -Eq "^$1 $2 " "$H/aw.out"
}

# 0 if the last run's finding CODE names key tag TAG.
h_aw_names_tag() {
	grep -E "^[A-Z]+ $1 " "$H/aw.out" |
	    grep -Eq "keytag=([0-9]+,)*$2(,|:| |$)"
}

# h_aw_until CONF RC CODE TIMEOUT: run `anchorwatch check` until it exits
# RC and (unless CODE is "-") reports CODE.  The agent takes a new key
# through its own hold-down only across runs, so one run is not enough.
h_aw_until() {
	local conf=$1 rc=$2 code=$3 timeout=$4 end
	end=$(($(h_now) + timeout))
	while ! h_aw_check_is "$conf" "$rc" "$code"; do
		if [ "$(h_now)" -ge "$end" ]; then
			h_diag "timed out after ${timeout}s waiting for exit $rc, code $code; last run:"
			h_aw_show
			return 1
		fi
		sleep 0.5
	done
	return 0
}

h_aw_check_is() {
	h_aw "$1" check
	[ "$AW_RC" = "$2" ] || return 1
	[ "$3" = - ] || h_aw_has "$3"
}

# h_aw_expect DESC CONF RC CODE TIMEOUT: one TAP test of h_aw_until; the
# status line of the deciding run is shown as a diagnostic.
h_aw_expect() {
	local desc=$1
	shift
	if h_aw_until "$@"; then
		h_pass "$desc"
		head -n 1 "$H/aw.out" | h_diag
	else
		h_fail "$desc"
	fi
}

# Show the last run as diagnostics.
h_aw_show() {
	h_diag "anchorwatch exit $AW_RC, stdout:"
	h_diag <"$H/aw.out"
	if [ -s "$H/aw.err" ]; then
		h_diag "stderr:"
		h_diag <"$H/aw.err"
	fi
	return 0
}

# ---- clock, silent servers, syslog capture ------------------------------

# Milliseconds since the epoch (bash 5's EPOCHREALTIME), for timing a run.
h_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# h_sink_start NAME ADDR: a server on ADDR port 53 (UDP) that reads every
# query and never answers, so that a client waits for its own time-out.  A
# dead port is no substitute: the kernel answers it with ICMP port
# unreachable, and a blackhole or unreachable route makes sendto(2) fail at
# once; both fail fast.
h_sink_start() {
	h_addr_add "$2"
	socat -u "UDP-RECV:53,bind=$2" /dev/null 2>>"$H/sink-$1.log" &
	h_pid_add "sink-$1" $!
	h_wait_for "sink $1 bound to $2:53" 5 h_udp_bound "$2" ||
	    h_bail "sink $1 did not start"
}

# 0 if a UDP socket is bound to ADDR port 53.
h_udp_bound() {
	ss -Hnul "src $1:53" | grep -q .
}

# h_syslog_start: collect what syslog(3) sends to /dev/log, in
# $H/syslog.out.  /dev/log may not exist on the host and must not be
# created there, so socat binds the datagram socket in $H/dev, a stand-in
# /dev holding null, zero, full, random, urandom and log, which h_devlog
# puts over /dev in a nested mount namespace for one command only.
# Returns 1 if socat is missing.
h_syslog_start() {
	local d=$H/dev n
	command -v socat >/dev/null 2>&1 || return 1
	mkdir -p "$d"
	for n in null zero full random urandom; do
		: >"$d/$n"
	done
	ln -sfn /proc/self/fd "$d/fd"
	ln -sfn /proc/self/fd/0 "$d/stdin"
	ln -sfn /proc/self/fd/1 "$d/stdout"
	ln -sfn /proc/self/fd/2 "$d/stderr"
	: >"$H/syslog.out"
	socat -u "UNIX-RECV:$d/log,unlink-early" \
	    "OPEN:$H/syslog.out,append" 2>>"$H/syslog.err" &
	h_pid_add syslog $!
	h_wait_for "syslog socket $d/log" 5 test -S "$d/log" ||
	    h_bail "socat did not bind $d/log"
	H_SYSLOG_SEQ=0
}

# h_devlog CMD...: run CMD with /dev replaced by $H/dev, in a mount
# namespace of its own (private propagation): neither the host's /dev nor
# this script's sees any of it.  125 if the mounts fail.
h_devlog() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -c '
		d=$1
		shift
		for n in null zero full random urandom; do
			mount --bind "/dev/$n" "$d/$n" || exit 125
		done
		mount --rbind "$d" /dev || exit 125
		exec "$@"' h-devlog "$H/dev" "$@"
}

# h_aw_devlog CONF ARGS...: h_aw with syslog(3) reaching h_syslog_start.
h_aw_devlog() {
	local conf=$1
	shift
	AW_RC=0
	h_devlog "$AW_BIN" -c "$conf" "$@" >"$H/aw.out" 2>"$H/aw.err" ||
	    AW_RC=$?
}

# h_syslog_sync: return once every message sent so far is in
# $H/syslog.out.  Datagrams on one socket arrive in order, so a marker sent
# now is written last.
h_syslog_sync() {
	H_SYSLOG_SEQ=$((${H_SYSLOG_SEQ:-0} + 1))
	logger -u "$H/dev/log" -d -t h-sync "mark $H_SYSLOG_SEQ." ||
	    return 1
	h_wait_for "syslog marker $H_SYSLOG_SEQ" 5 \
	    grep -q "h-sync: mark $H_SYSLOG_SEQ\\." "$H/syslog.out"
}

# The messages received, one a line ("<PRI>date ident[pid]: text"),
# without the markers of h_syslog_sync.  syslog(3) ends none with a newline.
h_syslog_lines() {
	sed 's/<[0-9]\{1,3\}>/\n&/g' "$H/syslog.out" | grep -v '^$' |
	    grep -v ' h-sync: mark ' || true
}

# Forget the messages received so far.
h_syslog_clear() {
	: >"$H/syslog.out"
}

# h_aw_config_typed FILE [KEY=VALUE...] -- TYPE:NAME:CONFIG...: as
# h_aw_config, for resolvers of any type: each entry gives the anchorwatch
# resolver type, its name and the path of its main config file.
h_aw_config_typed() {
	local file=$1 entry type name conf
	shift
	local args=()
	while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	[ "$#" -gt 0 ] && shift
	h_aw_config "$file" "${args[@]}" --
	[ "$#" -gt 0 ] || return 0
	sed -i '/^resolvers: \[\]$/d' "$file"
	echo "resolvers:" >>"$file"
	for entry in "$@"; do
		type=${entry%%:*}
		name=${entry#*:}
		conf=${name#*:}
		name=${name%%:*}
		printf '  - name: %s\n    type: %s\n    config: %s\n' \
		    "$name" "$type" "$conf" >>"$file"
	done
}
