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
	dnsmasq --keep-in-foreground -C "$dir/dnsmasq.conf" \
	    >>"$dir/dnsmasq.log" 2>&1 &
	h_pid_add "dnsmasq-$name" $!
	h_wait_for "dnsmasq $name answering on $addr" 10 h_answers "$addr" ||
	    h_bail "dnsmasq $name did not start"
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
