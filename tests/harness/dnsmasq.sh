# shellcheck shell=bash
#
# dnsmasq.sh: dnsmasq 2.90 daemons for the integration harness, sourced
# after lib.sh.  Each forwards everything to the local signed root on
# 127.0.0.2 port 53 (no resolv.conf, no hosts file, no DHCP) and validates
# with the trust-anchor= lines it is given; it runs in the foreground with
# its own -C config, pid file and log under $H/dnsmasq/NAME.

# Directory and config of dnsmasq NAME.
h_dnsmasq_dir() {
	echo "$H/dnsmasq/$1"
}
h_dnsmasq_conf() {
	echo "$H/dnsmasq/$1/dnsmasq.conf"
}

# The trust-anchor= value of key NAME (ksk1, ksk2): ".,TAG,ALG,DT,DIGEST".
h_dnsmasq_ta() {
	awk '$4 == "DS" { printf ".,%s,%s,%s,%s\n", $5, $6, $7, $8; exit }' \
	    "$H/$1.ds"
}

# h_dnsmasq_start NAME ADDR CONF-LINE...: write the config (the CONF-LINEs
# after the fixed part, for example "dnssec" "trust-anchor=..."), start
# dnsmasq in the foreground and wait until it answers.
h_dnsmasq_start() {
	local name=$1 addr=$2 dir line
	shift 2
	dir=$(h_dnsmasq_dir "$name")
	mkdir -p "$dir"
	h_addr_add "$addr"
	{
		cat <<EOT
# dnsmasq for the anchorwatch harness: forward to the local root only.
port=53
listen-address=$addr
bind-interfaces
no-resolv
no-hosts
no-poll
server=$H_ROOT_ADDR
pid-file=$dir/dnsmasq.pid
log-facility=-
log-queries
user=dnsmasq
max-cache-ttl=1
EOT
		for line in "$@"; do
			printf '%s\n' "$line"
		done
	} >"$dir/dnsmasq.conf"
	if ! dnsmasq --test -C "$dir/dnsmasq.conf" >"$dir/test.out" 2>&1; then
		h_diag <"$dir/test.out"
		h_bail "dnsmasq --test failed for $name"
	fi
	: >"$dir/dnsmasq.log"
	h_dnsmasq_launch "$name"
	h_pid_add "dnsmasq-$name" "$(cat "$dir/pid")"
	h_wait_for "dnsmasq $name answering on $addr" 10 h_answers "$addr" ||
	    h_bail "dnsmasq $name did not start"
}

# h_dnsmasq_launch NAME: start dnsmasq NAME in the background, in the
# foreground mode, its pid in its directory's "pid" file.
h_dnsmasq_launch() {
	local dir
	dir=$(h_dnsmasq_dir "$1")
	dnsmasq --keep-in-foreground -C "$dir/dnsmasq.conf" \
	    >>"$dir/dnsmasq.log" 2>&1 </dev/null &
	echo $! >"$dir/pid"
}

# h_dnsmasq_restart NAME: what `systemctl restart dnsmasq` does on a host,
# for `anchorwatch fix` (tests/harness/restart runs it): stop NAME, start
# it again from its config and wait until it answers.  0, or 1.
h_dnsmasq_restart() {
	local dir addr
	dir=$(h_dnsmasq_dir "$1")
	addr=$(sed -n 's/^listen-address=//p' "$dir/dnsmasq.conf")
	kill "$(cat "$dir/pid")" 2>/dev/null
	h_wait_for "dnsmasq $1 gone" 5 h_gone "$(cat "$dir/pid")" || return 1
	echo "---- restarted $(date +%T)" >>"$dir/dnsmasq.log"
	h_dnsmasq_launch "$1"
	h_wait_for "dnsmasq $1 answering on $addr" 10 h_answers "$addr"
}

# h_dnsmasq_adopt NAME: after a restart by anchorwatch, reap the old
# daemon and track the new one under the same name.
h_dnsmasq_adopt() {
	local old
	old=$(h_pid_of "dnsmasq-$1") && wait "$old" 2>/dev/null
	h_pid_del "dnsmasq-$1"
	h_pid_add "dnsmasq-$1" "$(cat "$(h_dnsmasq_dir "$1")/pid")"
}

# h_dnsmasq_stop NAME
h_dnsmasq_stop() {
	h_daemon_stop "dnsmasq-$1"
}

# Print the last lines of the daemon logs as diagnostics.
h_dnsmasq_dump_logs() {
	local f
	for f in "$H"/dnsmasq/*/dnsmasq.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 40 lines)"
		tail -n 40 "$f" | h_diag
	done
}
