#!/bin/bash
#
# t-wild.sh: anchorwatch on real configurations.  Each tree under
# tests/data/wild/TYPE/NAME/ holds a resolver's files as a public project
# (distribution, container image, router firmware, configuration
# management role, vendor or lab example) puts them on a host, with a
# README naming its source and an `expect` file saying what the daemon
# does with it (format: tests/data/wild/README.md).
#
# For each tree, in a mount namespace of its own where the tree's etc/,
# usr/ and var/ are read-only overlays over the host's (real
# configurations name absolute paths):
#   1. the daemon's checker, or the daemon itself, must agree with
#      `expect`: unbound-checkconf (and -o for each `option` line),
#      named-checkconf, dnsmasq --test; kresd 5 is started with one more
#      -c that prints trust_anchors.summary() and quits; pdns_recursor 4
#      is started and asked with rec_control get-tas.  systemd-resolved,
#      Knot Resolver 6 and PowerDNS Recursor 5 are judged by their
#      documented semantics (no checker for them on Debian 12).
#   2. anchorwatch, at --now 2026-12-04 with the live root unreachable,
#      must read what the daemon reads: no CONFIG_ERROR, CONFIG_REFUSED
#      exactly when the daemon refuses, validation on or off, the trusted
#      root key tags and how each is held, and the verdict.
# Expectations come from the daemons, never from anchorwatch: a failure
# here is a misreading to fix in the reader, not a test to bend.
#
# usage: t-wild.sh [TYPE/NAME...]	(default: every tree)
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need jq
if ! grep -qw overlay /proc/filesystems 2>/dev/null &&
    ! modprobe overlay 2>/dev/null; then
	echo "1..0 # SKIP no overlay file system"
	exit 0
fi
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
WILD=$H_TOP/tests/data/wild
NOW=2026-12-04
t_start=$(h_now)

# ---- the tree's view of the file system ------------------------------------

# w_in TREE CMD...: run CMD in a private mount namespace where TREE's etc,
# usr, var and opt lie over the host's (read-only overlays), and where each
# of the tree's own directories (etc/X but etc/default, var/lib/X,
# var/cache/X, and any directory holding a .wild-opaque file) replaces the
# host's whole, so that the host's packages add nothing to a tree's
# unbound.conf.d or dnsmasq.d, and a tree of another distribution does not
# see Debian's /usr/share/dns.  125 if a mount fails.
w_in() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -c '
		tree=$1
		shift
		for d in etc usr var opt; do
			[ -d "$tree/$d" ] || continue
			mount -t overlay -o "lowerdir=$tree/$d:/$d" "wild-$d" \
			    "/$d" || exit 125
		done
		for d in "$tree"/etc/*/ "$tree"/var/lib/*/ "$tree"/var/cache/*/ \
		    $(find "$tree" -name .wild-opaque -printf "%h/\n"); do
			[ -d "$d" ] || continue
			d=${d%/}
			[ "$d" = "$tree/etc/default" ] &&
			    [ ! -e "$d/.wild-opaque" ] && continue
			mount --bind "$d" "/${d#"$tree"/}" || exit 125
		done
		if [ -s "$WILD_PASSWD" ]; then
			mount --bind "$WILD_PASSWD" /etc/passwd || exit 125
			mount --bind "$WILD_GROUP" /etc/group || exit 125
		fi
		exec "$@"' w-in "$1" "${@:2}"
}

# w_users TREE: the users the tree's image or package creates (expect's
# `user NAME` lines, as a Dockerfile's useradd does), added to copies of
# the host's passwd and group that w_in shows; none: the host's own.
w_users() {
	local u n=0
	WILD_PASSWD=$H/passwd
	WILD_GROUP=$H/group
	: >"$WILD_PASSWD"
	while read -r u; do
		[ -n "$u" ] || continue
		[ -s "$WILD_PASSWD" ] || {
			cp /etc/passwd "$WILD_PASSWD"
			cp /etc/group "$WILD_GROUP"
		}
		n=$((n + 1))
		printf '%s:x:%s:%s::/nonexistent:/usr/sbin/nologin\n' \
		    "$u" $((64000 + n)) $((64000 + n)) >>"$WILD_PASSWD"
		printf '%s:x:%s:\n' "$u" $((64000 + n)) >>"$WILD_GROUP"
	done < <(w_lines "$1" user)
	export WILD_PASSWD WILD_GROUP
}

# w_field TREE KEY: the words after KEY on KEY's first line of expect
# (comments stripped).
w_field() {
	sed -n "s/#.*//; s/^$2[[:space:]]\\{1,\\}//p" "$1/expect" | head -n 1 |
	    sed 's/[[:space:]]*$//'
}

# w_lines TREE KEY: every KEY line's words, one line each.
w_lines() {
	sed -n "s/#.*//; s/^$2[[:space:]]\\{1,\\}//p" "$1/expect" |
	    sed 's/[[:space:]]*$//'
}

# The expected trusted tags, sorted, without how: "20326 38696" or "".
w_want_tags() {
	local t
	t=$(w_field "$1" trusted)
	[ "$t" = none ] && return 0
	tr ' ' '\n' <<<"$t" | sed 's/:.*//' | sort -n -u | tr '\n' ' ' |
	    sed 's/ $//'
}

# ---- the daemons and their checkers ----------------------------------------

# w_check_unbound TREE CONF: 0 if unbound-checkconf accepts; each `option
# NAME VALUE` line of expect is asked with -o and compared.
w_check_unbound() {
	local tree=$1 conf=$2 name want got rc=0
	w_in "$tree" unbound-checkconf "$conf" >"$H/checker.out" 2>&1 || rc=1
	while read -r name want; do
		[ -n "$name" ] || continue
		[ "$want" = '""' ] && want=""
		got=$(w_in "$tree" unbound-checkconf -o "$name" "$conf" 2>&1 |
		    tr '\n' ' ' | sed 's/ $//')
		h_is "$got" "$want" "$W: unbound-checkconf -o $name"
	done < <(w_lines "$tree" option)
	return "$rc"
}

# w_unbound_ta TREE CONF: where expect has `unbound-ta PORT DIR...`, start
# the real unbound (each DIR, its state directory, copied to a tmpfs; /run
# on tmpfs) and ask it trustanchor.unbound CH TXT on 127.0.0.1@PORT: the
# key tags of the trust points it loaded, in $H/daemon.tags.
w_unbound_ta() {
	local tree=$1 conf=$2 port words=()
	read -r -a words < <(w_lines "$tree" unbound-ta)
	[ "${#words[@]}" -gt 0 ] || return 0
	port=${words[0]}
	# shellcheck disable=SC2016 # expanded by the inner sh
	w_in "$tree" sh -c '
		conf=$1 port=$2 out=$3
		shift 3
		mount -t tmpfs wild-run /run || exit 125
		for d in "$@"; do
			mkdir -p /run/wild-copy
			cp -a "$d" /run/wild-copy/state || exit 125
			mount -t tmpfs wild-state "$d" || exit 125
			cp -a /run/wild-copy/state/. "$d"/ && chown -R unbound "$d"
			rm -rf /run/wild-copy
		done
		timeout 10 unbound -d -c "$conf" >"$out.log" 2>&1 &
		i=0
		while [ "$i" -lt 25 ]; do
			drill -p "$port" @127.0.0.1 trustanchor.unbound CH TXT \
			    >"$out" 2>&1 && grep -q "CH.*TXT" "$out" && break
			sleep 0.2
			i=$((i + 1))
		done
		kill %1 2>/dev/null
		wait
		exit 0' w-unbound "$conf" "$port" "$H/unbound-ta" \
	    "${words[@]:1}" </dev/null
	sed -n "s/^trustanchor\.unbound\..*TXT[[:space:]]*\"\. \(.*\)\"/\1/p" \
	    "$H/unbound-ta" | tr ' ' '\n' | grep -v '^$' | sort -n -u |
	    tr '\n' ' ' | sed 's/ $//' >"$H/daemon.tags"
	h_is "$(cat "$H/daemon.tags")" "$(w_want_tags "$tree")" \
	    "$W: the running unbound says trustanchor.unbound is the expected tags"
	: >"$H/daemon.tags"
}

# w_kresd TREE CONF: start kresd 5 with the tree's config and one more -c
# that prints the trust anchors it holds and quits; tags in $H/daemon.tags,
# "managed" or "unmanaged" per key set in $H/daemon.how.  0 if it started.
w_kresd() {
	local tree=$1 conf=$2 run=$H/kresd-run
	rm -rf "$run"
	mkdir -p "$run"
	chmod 0777 "$run"
	# distro-preconfig.lua logs to syslog: errors to stderr instead.
	echo "log_target('stderr')" >"$H/klog.lua"
	cat >"$H/kprobe.lua" <<'EOF'
local out = 'WILD-TA-BEGIN\n'
for _, ks in pairs(trust_anchors.keysets) do
	out = out .. 'WILD-KEYSET ' .. kres.dname2str(ks.owner) .. ' ' ..
	    (ks.managed and 'managed' or 'unmanaged') .. '\n'
end
for _, nta in pairs(trust_anchors.insecure) do
	out = out .. 'WILD-NTA ' .. nta .. '\n'
end
out = out .. trust_anchors.summary() .. 'WILD-TA-END\n'
io.stdout:write(out)
io.stdout:flush()
quit()
EOF
	# Debian's kresd@.service: the distribution's preconfig first.
	# shellcheck disable=SC2016 # expanded by the inner sh
	w_in "$tree" sh -c 'cd "$1" && exec timeout 20 kresd -n \
	    -c /usr/lib/x86_64-linux-gnu/knot-resolver/distro-preconfig.lua \
	    -c "$4" -c "$2" -c "$3" "$1"' w-kresd "$run" "$conf" \
	    "$H/kprobe.lua" "$H/klog.lua" \
	    >"$H/checker.out" 2>&1 </dev/null
	grep -q '^WILD-TA-END' "$H/checker.out" || return 1
	sed -n 's/.*KeyTag:\([0-9]*\).*/\1/p; s/.*[[:space:]]DS[[:space:]]\{1,\}\([0-9]\{1,5\}\) .*/\1/p' \
	    "$H/checker.out" | sort -n -u | tr '\n' ' ' | sed 's/ $//' \
	    >"$H/daemon.tags"
	grep '^WILD-KEYSET \. ' "$H/checker.out" | awk '{ print $3 }' \
	    >"$H/daemon.how"
	return 0
}

# w_pdns TREE CONFDIR: start pdns_recursor 4 with the tree's config
# directory (socket-dir moved to the work directory) and ask rec_control
# get-tas; tags in $H/daemon.tags.  0 if it answered.
w_pdns() {
	local tree=$1 dir=$2 run=$H/pdns-run
	rm -rf "$run"
	mkdir -p "$run"
	chmod 0777 "$run"
	# shellcheck disable=SC2016 # expanded by the inner sh
	w_in "$tree" sh -c '
		pdns_recursor --config-dir="$1" --socket-dir="$2" \
		    --daemon=no --disable-syslog=yes >"$2/log" 2>&1 &
		pid=$!
		i=0
		while [ "$i" -lt 40 ]; do
			kill -0 "$pid" 2>/dev/null || break
			if rec_control --socket-dir="$2" --timeout=2 get-tas \
			    >"$2/tas" 2>/dev/null; then
				rec_control --socket-dir="$2" --timeout=2 \
				    get-parameter dnssec >"$2/dnssec" 2>&1
				break
			fi
			sleep 0.25
			i=$((i + 1))
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		exit 0' w-pdns "$dir" "$run" </dev/null
	cp "$run/log" "$H/checker.out" 2>/dev/null
	[ -s "$run/tas" ] || return 1
	awk '$3 == 8 || $3 == 13 || $2 ~ /^[0-9]+$/ { if ($1 ~ /^[0-9]+$/) print $1 }' \
	    "$run/tas" | sort -n -u | tr '\n' ' ' | sed 's/ $//' \
	    >"$H/daemon.tags"
	return 0
}

# w_named TREE CONF: where expect has `named-log REGEX` lines, start the
# real named for a few seconds (its state directories on tmpfs, no
# network) and assert that its log says each REGEX: which keys it loads,
# from which file, what it refuses.
w_named() {
	local tree=$1 conf=$2 re
	w_lines "$tree" named-log | grep -q . || return 0
	# shellcheck disable=SC2016 # expanded by the inner sh
	w_in "$tree" sh -c '
		for d in /var/cache/bind /run; do
			mount -t tmpfs wild-named "$d" || exit 125
		done
		mkdir -p /run/named
		chown bind /run/named /var/cache/bind
		timeout 5 named -g -u bind -c "$1" 2>&1
		exit 0' w-named "$conf" >"$H/named.log" 2>&1 </dev/null
	while read -r re; do
		[ -n "$re" ] || continue
		h_ok "$W: named logs /$re/" grep -Eq "$re" "$H/named.log"
	done < <(w_lines "$tree" named-log)
}

# w_resolved TREE: for a validating systemd-resolved tree, start the real
# daemon (Debian's 252, unpacked by `make deps`, as tests/harness/resolved.sh
# runs it: /run on tmpfs, user systemd-resolve added) on the tree and
# compare the "Positive Trust Anchors" it logs with expect's trusted tags.
W_RS_BIN=${AW_RESOLVED_ROOT:-/var/cache/anchorwatch-tests/systemd-resolved/root}/lib/systemd/systemd-resolved
w_resolved() {
	local tree=$1 got
	[ "$(w_field "$tree" dnssec)" = on ] || return 0
	if [ ! -x "$W_RS_BIN" ]; then
		h_diag "$W: no unpacked systemd-resolved at $W_RS_BIN (make deps)"
		return 0
	fi
	WILD_PASSWD=$H/passwd WILD_GROUP=$H/group
	cp /etc/passwd "$WILD_PASSWD"
	cp /etc/group "$WILD_GROUP"
	if ! grep -q '^systemd-resolve:' /etc/passwd; then
		echo 'systemd-resolve:x:64990:64990::/:/usr/sbin/nologin' \
		    >>"$WILD_PASSWD"
		echo 'systemd-resolve:x:64990:' >>"$WILD_GROUP"
	fi
	# shellcheck disable=SC2016 # expanded by the inner sh
	w_in "$tree" sh -c '
		mount -t tmpfs -o mode=0755 wild-run /run || exit 125
		mkdir -p /run/systemd/resolve &&
		    chown systemd-resolve:systemd-resolve /run/systemd/resolve ||
		    exit 125
		SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_COLOR=0 \
		    timeout 3 "$1" 2>&1
		exit 0' w-resolved "$W_RS_BIN" >"$H/resolved.log" 2>&1 </dev/null
	WILD_PASSWD=""
	got=$(sed -n 's/.*IN DS \([0-9]*\) .*/\1/p' "$H/resolved.log" |
	    sort -n -u | tr '\n' ' ' | sed 's/ $//')
	h_is "$got" "$(w_want_tags "$tree")" \
	    "$W: the running systemd-resolved logs the expected positive trust anchors"
	[ -n "$got" ] || tail -n 10 "$H/resolved.log" | h_diag
}

# w_checker TREE TYPE CONF: run what judges TYPE's configurations and
# assert it agrees with expect's `checker` (accept, refuse, none).
w_checker() {
	local tree=$1 type=$2 conf=$3 want got=accept kind=""
	want=$(w_field "$tree" checker)
	[ "$type" = systemd-resolved ] && w_resolved "$tree"
	[ "$want" = none ] && return 0
	: >"$H/daemon.tags"
	case $type in
	unbound)
		kind=unbound-checkconf
		w_check_unbound "$tree" "$conf" || got=refuse
		[ "$got" = accept ] && w_unbound_ta "$tree" "$conf"
		;;
	bind)
		kind=named-checkconf
		w_in "$tree" named-checkconf "$conf" >"$H/checker.out" 2>&1 ||
		    got=refuse
		[ "$got" = accept ] && w_named "$tree" "$conf"
		;;
	dnsmasq)
		kind="dnsmasq --test"
		w_in "$tree" dnsmasq --test -C "$conf" >"$H/checker.out" 2>&1 ||
		    got=refuse
		;;
	knot-resolver)
		kind="kresd 5 -c ... -c probe"
		w_kresd "$tree" "$conf" || got=refuse
		;;
	pdns-recursor)
		kind="pdns_recursor + rec_control get-tas"
		w_pdns "$tree" "${conf%/*}" || got=refuse
		;;
	*)
		h_bail "$W: no checker for $type (say checker none)"
		;;
	esac
	h_is "$got" "$want" "$W: $kind ${want}s it"
	if [ "$got" != "$want" ]; then
		tail -n 15 "$H/checker.out" | h_diag
		return 0
	fi
	# Where the daemon itself said what it trusts, expect must say the same.
	if [ "$got" = accept ] && [ -s "$H/daemon.tags" ]; then
		h_is "$(cat "$H/daemon.tags")" "$(w_want_tags "$tree")" \
		    "$W: $kind trusts the expected root key tags"
	fi
}

# ---- anchorwatch ---------------------------------------------------------

# w_aw TREE TYPE CONF: anchorwatch status --json for one resolver of TYPE
# named "wild" with config CONF, inside the tree's view; JSON in $H/aw.json.
w_aw() {
	local tree=$1 type=$2 conf=$3 line
	rm -rf "$H/aw"
	mkdir -p "$H/aw"
	{
		cat <<EOF
state_dir: $H/aw
root:
  anchor_file: $H/aw/root.key
  bootstrap: $WILD/root-anchors.key
  stub: ["$H_ROOT_ADDR@53"]
  timeout: 2
events:
  file: $H_TOP/etc/anchorwatch/events.yaml
resolvers:
  - name: wild
    type: $type
    config: $conf
EOF
		while read -r line; do
			[ -n "$line" ] && printf '    %s\n' "$line"
		done < <(w_lines "$tree" awconf)
	} >"$H/aw.yaml"
	AW_RC=0
	w_in "$tree" "$AW_BIN" -c "$H/aw.yaml" -t 30 --now "$NOW" status \
	    --json >"$H/aw.json" 2>"$H/aw.err" || AW_RC=$?
}

# The codes of the findings about resolver "wild", one a line.
w_codes() {
	jq -r '.findings[] | select(.resolver == "wild") | .code' \
	    "$H/aw.json" 2>/dev/null
}

# shellcheck disable=SC2317 # also called through h_ok and h_not_ok
w_has() {
	w_codes | grep -qx "$1"
}

# "TAG:HOW ..." sorted: what anchorwatch says wild trusts (anchors in
# state Valid, Missing or Static of sources not marked ;;REVOKED).
w_aw_trusted() {
	jq -r '.resolvers[] | select(.name == "wild") | .sources[] |
	    select(.zone_revoked | not) as $s | $s.anchors[] |
	    select(.state | ascii_downcase |
	        . == "valid" or . == "missing" or . == "static") |
	    "\(.keytag):\(if $s.kind == "auto" then "rfc5011"
	        elif $s.kind == "builtin" then "builtin" else "static" end)"' \
	    "$H/aw.json" 2>/dev/null | sort -t: -k1,1n -k2 -u | tr '\n' ' ' |
	    sed 's/ $//'
}

# The expected "TAG:HOW ..." in the same order.
w_want_trusted() {
	local t
	t=$(w_field "$1" trusted)
	[ "$t" = none ] && return 0
	tr ' ' '\n' <<<"$t" | sort -t: -k1,1n -k2 -u | tr '\n' ' ' |
	    sed 's/ $//'
}

# w_judge TREE TYPE CONF: anchorwatch's reading against expect.
w_judge() {
	local tree=$1 type=$2 conf=$3 dnssec refused verdict codes limit
	dnssec=$(w_field "$tree" dnssec)
	refused=$(w_field "$tree" refused)
	verdict=$(w_field "$tree" verdict)
	w_aw "$tree" "$type" "$conf"
	if ! jq -e '.resolvers[] | select(.name == "wild")' "$H/aw.json" \
	    >/dev/null 2>&1; then
		h_fail "$W: anchorwatch status --json reports the resolver"
		h_diag "exit $AW_RC: $(head -c 600 "$H/aw.err")"
		return 0
	fi
	codes=$(w_codes | sort -u | tr '\n' ' ')
	h_diag "$W: anchorwatch: ${codes:-no findings}"
	h_not_ok "$W: anchorwatch reads it without CONFIG_ERROR" w_has CONFIG_ERROR
	limit=$(w_field "$tree" limitation)
	if [ "$refused" = no ]; then
		h_not_ok "$W: no CONFIG_REFUSED (the daemon starts)" \
		    w_has CONFIG_REFUSED
	elif [ -n "$limit" ] && ! w_has CONFIG_REFUSED; then
		# What the daemon refuses only by running its config (a
		# documented limit of the reader), shown, not hidden.
		H_NTEST=$((H_NTEST + 1))
		echo "ok $H_NTEST - $W: CONFIG_REFUSED ($refused) # SKIP $limit"
	else
		h_ok "$W: CONFIG_REFUSED ($refused)" w_has CONFIG_REFUSED
		h_ok "$W: status --json carries the refusal in resolvers[].refused" \
		    jq -e '.resolvers[] | select(.name == "wild") |
		    .refused | type == "string"' "$H/aw.json"
	fi
	jq -r '.findings[] | select(.resolver == "wild") |
	    select(.code == "CONFIG_ERROR" or .code == "CONFIG_REFUSED") |
	    "  \(.code): \(.message)"' "$H/aw.json" | h_diag
	# A daemon that will not start validates nothing: its trust is moot.
	if [ "$refused" != no ]; then
		:
	elif [ "$dnssec" = off ]; then
		h_ok "$W: validation off (VALIDATION_OFF or NO_ANCHOR)" \
		    w_off
	else
		h_not_ok "$W: validation on (no VALIDATION_OFF, NO_ANCHOR)" \
		    w_off
	fi
	# What a daemon that does not validate, or does not start, trusts
	# does not matter.
	if [ "$dnssec" = on ] && [ "$refused" = no ] &&
	    [ "$(w_field "$tree" trusted)" != unchecked ]; then
		h_is "$(w_aw_trusted)" "$(w_want_trusted "$tree")" \
		    "$W: trusted root keys and how they are held"
	fi
	case $verdict in
	ok)
		h_not_ok "$W: verdict ok (no ANCHOR_STALE)" w_has ANCHOR_STALE
		;;
	stale)
		h_ok "$W: verdict ANCHOR_STALE at $NOW" w_has ANCHOR_STALE
		;;
	refused | off) ;;	# asserted above
	*) h_bail "$W: unknown verdict '$verdict'" ;;
	esac
}

# 0 if anchorwatch says the resolver does not validate.
# shellcheck disable=SC2317 # called through h_ok and h_not_ok
w_off() {
	w_has VALIDATION_OFF || w_has NO_ANCHOR
}

# ---- the trees -------------------------------------------------------------

if [ "$#" -gt 0 ]; then
	trees=("$@")
else
	trees=()
	for d in "$WILD"/*/*/; do
		[ -f "$d/expect" ] && trees+=("${d#"$WILD"/}")
	done
fi
[ "${#trees[@]}" -gt 0 ] || h_bail "no trees under $WILD"

for W in "${trees[@]}"; do
	W=${W%/}
	tree=$WILD/$W
	[ -f "$tree/expect" ] || h_bail "$W: no expect file"
	[ -f "$tree/README.md" ] || h_bail "$W: no README.md naming its source"
	type=$(w_field "$tree" type)
	conf=$(w_field "$tree" config)
	if [ -z "$type" ] || [ -z "$conf" ]; then
		h_bail "$W: expect lacks type or config"
	fi
	w_users "$tree"
	w_checker "$tree" "$type" "$conf"
	w_judge "$tree" "$type" "$conf"
done

h_diag "${#trees[@]} trees in $(($(h_now) - t_start)) s"
h_done
