# shellcheck shell=bash
#
# pdns.sh: PowerDNS Recursor 4.8 daemons for the integration harness,
# sourced after lib.sh.  Each daemon iterates from the local signed root on
# 127.0.0.2 (a hint file naming it) and is confined to its own directory
# under $H/pdns/NAME: config-dir, socket-dir (control socket, pid file) and
# the Lua file holding its trust anchors.  pdns_recursor refuses to query
# 127/8 unless dont-query is emptied (formats.md).

# Directory and recursor.conf of pdns daemon NAME.
h_pdns_dir() {
	echo "$H/pdns/$1"
}
h_pdns_conf() {
	echo "$H/pdns/$1/recursor${H_PDNS_CONFIG_NAME:+-$H_PDNS_CONFIG_NAME}.conf"
}

# h_pdns_start NAME ADDR LUA-LINE...: write recursor.conf and recursor.lua
# (the LUA-LINEs, for example "clearTA()" "addTA('.', '...')"), start
# pdns_recursor in the foreground as user pdns and wait until it answers.
# With H_PDNS_CONFIG_NAME=INST set, the file is recursor-INST.conf and the
# daemon runs with --config-name=INST, as pdns-recursor@INST.service.
h_pdns_start() {
	local name=$1 addr=$2 dir line
	shift 2
	dir=$(h_pdns_dir "$name")
	mkdir -p "$dir"
	h_addr_add "$addr"
	printf '.\t3600000\tIN\tNS\tns.harness.\nns.harness.\t3600000\tIN\tA\t%s\n' \
	    "$H_ROOT_ADDR" >"$dir/root.hints"
	for line in "$@"; do
		printf '%s\n' "$line"
	done >"$dir/recursor.lua"
	cat >"$(h_pdns_conf "$name")" <<EOF
# pdns_recursor for the anchorwatch harness: iterate from the local root.
config-dir=$dir
socket-dir=$dir
local-address=$addr
local-port=53
allow-from=127.0.0.0/8
dont-query=
hint-file=$dir/root.hints
lua-config-file=$dir/recursor.lua
dnssec=validate
setuid=pdns
setgid=pdns
threads=1
daemon=no
write-pid=yes
disable-syslog=yes
log-timestamp=no
loglevel=6
quiet=no
security-poll-suffix=
max-cache-ttl=2
max-negative-ttl=1
packetcache-ttl=0
packetcache-servfail-ttl=0
EOF
	chown -R pdns:pdns "$dir"
	: >"$dir/pdns.log"
	pdns_recursor --config-dir="$dir" \
	    ${H_PDNS_CONFIG_NAME:+--config-name="$H_PDNS_CONFIG_NAME"} \
	    >>"$dir/pdns.log" 2>&1 &
	h_pid_add "pdns-$name" $!
	echo "$addr" >"$dir/addr"
	h_wait_for "pdns_recursor $name answering on $addr" 15 h_answers "$addr" ||
	    h_bail "pdns_recursor $name did not start"
}

# h_pdns_stop NAME
h_pdns_stop() {
	h_daemon_stop "pdns-$1"
}

# rec_control for daemon NAME (its socket-dir).
h_pdns_rec_control() {
	local name=$1
	shift
	rec_control --socket-dir="$(h_pdns_dir "$name")" --timeout=5 "$@"
}

# Print the last lines of the daemon logs as diagnostics.
h_pdns_dump_logs() {
	local f
	for f in "$H"/pdns/*/pdns.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 40 lines)"
		tail -n 40 "$f" | h_diag
	done
}
