# shellcheck shell=bash
#
# knot.sh: Knot Resolver (kresd 5.x) daemons for the integration harness,
# sourced after lib.sh.
#
# kresd iterates from the harness root: hints.root() points the root NS
# at 127.0.0.2 (port 53; root hints take no port).  RFC 5011 timers are
# seconds through the ta_update module's fields (kresd 5.6 reads
# ta_update.hold_down_time and ta_update.refresh_time; the documented
# trust_anchors.hold_down_time is not read by 5.6's ta_update.lua).
# kresd drops to knot-resolver with user(), as Debian's unit runs it, so
# its root.keys directory belongs to that user.
#
# Facts observed with kresd 5.6.0: root.keys lines are ". TTL DNSKEY ...
# ; <State>:<timer> ; KeyTag:<tag>", AddPend and Revoked keys are written
# commented out with "; ", a revoked key is kept under its unrevoked
# record, and the file is rewritten after every successful refresh.

h_kr_dir() {
	echo "$H/kr/$1"
}
h_kr_conf() {
	echo "$H/kr/$1/kresd.conf"
}
h_kr_keys() {
	echo "$H/kr/$1/keys/root.keys"
}

# h_knot_start NAME ADDR MODE [LUA-LINE...]: a real kresd on ADDR port 53
# whose only upstream is the local root; wait until it answers.  MODE:
#	managed	trust_anchors.add_file(root.keys) seeded with KSK1, RFC 5011
#		with hold-downs of 3 s and a refresh every second
#	ro	trust_anchors.add_file(KSK1 file, true): read-only, static
#	custom	no anchor line: the LUA-LINEs say everything
h_knot_start() {
	local name=$1 addr=$2 mode=$3 dir anchor line
	shift 3
	dir=$(h_kr_dir "$name")
	mkdir -p "$dir/keys"
	h_addr_add "$addr"
	case $mode in
	managed)
		cp "$H/ksk1.key" "$dir/keys/root.keys"
		anchor="trust_anchors.add_file('$dir/keys/root.keys')"
		;;
	ro)
		cp "$H/ksk1.key" "$dir/keys/ksk1.key"
		anchor="trust_anchors.add_file('$dir/keys/ksk1.key', true)"
		;;
	custom) anchor="" ;;
	*) h_bail "h_knot_start: unknown mode '$mode'" ;;
	esac
	{
		cat <<EOC
-- kresd $name for the anchorwatch harness
net.listen('$addr', 53, { kind = 'dns' })
user('knot-resolver', 'knot-resolver')
modules = { 'hints > iterate' }
hints.root({ ['ns.harness.'] = '$H_ROOT_ADDR' })
cache.size = 10 * MB
ta_update.hold_down_time = 3 * sec
ta_update.refresh_time = 1 * sec
EOC
		[ -n "$anchor" ] && echo "$anchor"
		for line in "$@"; do
			echo "$line"
		done
	} >"$dir/kresd.conf"
	chown -R knot-resolver:knot-resolver "$dir"
	# rundir: cache, control socket; -n: no interactive console
	(cd "$dir" && exec kresd -n -c "$dir/kresd.conf" "$dir" \
	    >"$dir/kresd.log" 2>&1) &
	h_pid_add "kr-$name" $!
	echo $! >"$dir/kresd.pid"
	h_wait_for "kresd $name answering on $addr" 15 h_answers "$addr" || {
		h_knot_logs
		h_bail "kresd $name did not start"
	}
}

h_knot_stop() {
	h_daemon_stop "kr-$1"
}

# 0 if kresd NAME's root.keys shows key tag TAG in state STATE (Valid,
# AddPend, Missing, Revoked), commented out or not.
h_knot_state() {
	grep -Eq "; $3:[0-9]* ; KeyTag:$2\$" "$(h_kr_keys "$1")" 2>/dev/null
}

# 0 if kresd NAME's root.keys no longer lists key tag TAG.
h_knot_gone() {
	! grep -q "KeyTag:$2\$" "$(h_kr_keys "$1")" 2>/dev/null
}

# 0 if kresd NAME's root.keys holds exactly one key, TAG, Valid.
h_knot_only() {
	[ "$(grep -c . "$(h_kr_keys "$1")")" = 1 ] && h_knot_state "$1" "$2" Valid
}

# The kresd logs as TAP diagnostics (lib.sh's h_dump_logs knows nsd and
# unbound only).
h_knot_logs() {
	local f
	for f in "$H"/kr/*/kresd.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 30 lines)"
		tail -n 30 "$f" | h_diag
	done
}

# 0 if the last `anchorwatch status --json` lists, for resolver NAME, an
# anchor with key tag TAG in state STATE.
h_aw_json_state() {
	python3 - "$H/aw.out" "$1" "$2" "$3" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc.get("resolvers", []):
    if r.get("name") != sys.argv[2]:
        continue
    for s in r.get("sources", []):
        for a in s.get("anchors", []):
            if (a.get("keytag") == int(sys.argv[3]) and
                    a.get("state") == sys.argv[4]):
                sys.exit(0)
sys.exit(1)
PY
}

# h_knot_restart_cmd NAME ADDR: write $dir/restart.sh, which restarts kresd
# NAME as systemctl restart would (stop it, start it again on the same
# config and run directory, wait until it answers): the reload command a
# repair runs where the harness has no systemd.  It first copies the key
# files to $dir/at-reload/, as the repair left them (kresd rewrites its
# root.keys after a good refresh).  The new kresd is nobody's child in
# particular; it dies with the test's PID namespace.
h_knot_restart_cmd() {
	local name=$1 addr=$2 dir
	dir=$(h_kr_dir "$name")
	cat >"$dir/restart.sh" <<EOS
#!/bin/bash
mkdir -p '$dir/at-reload' && cp -p '$dir'/keys/* '$dir/at-reload/'
pid=\$(cat '$dir/kresd.pid')
kill "\$pid" 2>/dev/null
for i in \$(seq 50); do
	st=\$(awk '{ print \$3 }' "/proc/\$pid/stat" 2>/dev/null)
	[ -z "\$st" ] || [ "\$st" = Z ] && break
	sleep 0.1
done
cd '$dir' || exit 1
setsid kresd -n -c '$dir/kresd.conf' '$dir' </dev/null >>'$dir/kresd.log' 2>&1 &
echo \$! >'$dir/kresd.pid'
for i in \$(seq 100); do
	drill @$addr . SOA 2>/dev/null | grep -q HEADER && exit 0
	sleep 0.1
done
echo "kresd $name did not answer after its restart" >&2
exit 1
EOS
	chmod 0755 "$dir/restart.sh"
}
