# shellcheck shell=bash
#
# bind.sh: real BIND 9 (named 9.18) daemons for the integration tests,
# sourced after lib.sh.  Each named listens on its own 127.0.0.x port 53,
# takes the harness root (127.0.0.2, port 53: root hints carry no port) as
# its only upstream through a hints file, and answers rndc on port 953 of
# the same address with a key of its own.  `-T mkeytimers=1/4/6` turns the
# RFC 5011 refresh and hold-downs into seconds (testing only).  Facts in
# /work/shared/reference/formats.md.
#
#	h_named_start NAME ADDR MODE	MODE: initial | static (KSK1 anchor)
#					| auto (dnssec-validation auto, none)
#					| bindkeys (auto, KSK1 initial-key in
#					  bind.keys of its own);
#					H_NAMED_MKEYTIMERS overrides 1/4/6;
#					H_NAMED_INCLUDE=1 puts the anchors in
#					anchors.conf, which named.conf includes
#	h_named_restart NAME		start it again on the same files
#	h_named_refuses NAME OPT... -- LINE...	0 if named refuses
#					the named.conf of these (exits)
#	h_named_conf NAME		its named.conf
#	h_named_rndc NAME ARGS...	rndc against it
#	h_named_stop NAME

h_named_dir() {
	echo "$H/bind/$1"
}

h_named_conf() {
	echo "$H/bind/$1/named.conf"
}

# The trust-anchors entry for key NAME (ksk1, ksk2) of kind KIND.
h_named_anchor() {
	awk -v kind="$2" '$3 == "DNSKEY" {
		key = ""
		for (i = 7; i <= NF; i++)
			key = key $i
		printf "\t. %s %s %s %s \"%s\";\n", kind, $4, $5, $6, key
	}' "$H/$1.key"
}

# h_named_start NAME ADDR MODE [OPTION-LINE...]: write a named.conf, start
# named as user bind in the foreground (-g: log to stderr, kept in
# named.log) and wait until it answers and rndc works.
h_named_start() {
	local name=$1 addr=$2 mode=$3 dir kind line val
	shift 3
	command -v named >/dev/null 2>&1 || h_bail "named is not installed"
	dir=$(h_named_dir "$name")
	mkdir -p "$dir"
	h_addr_add "$addr"
	val=yes
	case $mode in
	initial) kind=initial-key ;;
	static) kind=static-key ;;
	auto) kind="" val=auto ;;
	bindkeys)
		kind="" val=auto
		{
			echo "trust-anchors {"
			h_named_anchor ksk1 initial-key
			echo "};"
		} >"$dir/bind.keys"
		set -- "bindkeys-file \"$dir/bind.keys\";" "$@"
		;;
	*) h_bail "h_named_start: unknown mode '$mode'" ;;
	esac
	printf '.\t3600000\tNS\tns.harness.\nns.harness.\t3600000\tA\t%s\n' \
	    "$H_ROOT_ADDR" >"$dir/root.hints"
	tsig-keygen -a hmac-sha256 rndc-key >"$dir/rndc.key" ||
	    h_bail "tsig-keygen failed"
	{
		cat <<EOC
// named.conf for the anchorwatch harness: $name ($mode)
options {
	directory "$dir";
	pid-file "$dir/named.pid";
	listen-on port 53 { $addr; };
	listen-on-v6 { none; };
	recursion yes;
	allow-query { any; };
	allow-recursion { any; };
	notify no;
	dnssec-validation $val;
EOC
		for line in "$@"; do
			printf '\t%s\n' "$line"
		done
		cat <<EOC
};
include "$dir/rndc.key";
controls {
	inet $addr port 953 allow { 127.0.0.0/8; } keys { "rndc-key"; };
};
zone "." {
	type hint;
	file "$dir/root.hints";
};
EOC
		if [ -n "$kind" ] && [ "${H_NAMED_INCLUDE:-}" = 1 ]; then
			echo "include \"$dir/anchors.conf\";"
		elif [ -n "$kind" ]; then
			echo "trust-anchors {"
			h_named_anchor ksk1 "$kind"
			echo "};"
		fi
	} >"$dir/named.conf"
	if [ -n "$kind" ] && [ "${H_NAMED_INCLUDE:-}" = 1 ]; then
		{
			echo "// root trust anchors of $name, kept apart"
			echo "trust-anchors {"
			h_named_anchor ksk1 "$kind"
			echo "};"
		} >"$dir/anchors.conf"
	fi
	chown -R bind:bind "$dir"
	if ! named-checkconf "$dir/named.conf" >"$dir/checkconf.out" 2>&1; then
		h_diag <"$dir/checkconf.out"
		h_bail "named-checkconf failed for $name"
	fi
	echo "$addr" >"$dir/addr"
	echo "${H_NAMED_MKEYTIMERS:-1/4/6}" >"$dir/mkeytimers"
	h_named_run "$name"
}

# Start named NAME on its files and wait until it answers and rndc works.
h_named_run() {
	local name=$1 dir addr
	dir=$(h_named_dir "$name")
	addr=$(cat "$dir/addr")
	named -g -u bind -c "$dir/named.conf" \
	    -T "mkeytimers=$(cat "$dir/mkeytimers")" \
	    >>"$dir/named.log" 2>&1 &
	h_pid_add "named-$name" $!
	h_wait_for "named $name answering on $addr" 15 h_answers "$addr" ||
	    h_bail "named $name did not start"
	h_wait_for "rndc to named $name" 15 h_named_rndc "$name" status ||
	    h_bail "rndc does not reach named $name"
}

# h_named_refuses NAME OPTION... -- LINE...: a named.conf for NAME with
# OPTIONs in its options (after directory and pid-file) and LINEs after
# it; run named on it in the foreground: 0 if it exits non-zero within
# 20 s, as it does when its configuration is refused ("loading
# configuration: failure").  Its log is named.log.
h_named_refuses() {
	local name=$1 dir rc=0
	shift
	dir=$(h_named_dir "$name")
	mkdir -p "$dir"
	{
		printf 'options {\n\tdirectory "%s";\n' "$dir"
		printf '\tpid-file "%s/named.pid";\n' "$dir"
		printf '\tlisten-on { none; };\n\tlisten-on-v6 { none; };\n'
		while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
			printf '\t%s\n' "$1"
			shift
		done
		echo "};"
		[ "$#" -gt 0 ] && shift
		[ "$#" -gt 0 ] && printf '%s\n' "$@"
	} >"$dir/named.conf"
	chown -R bind:bind "$dir"
	timeout 20 named -g -u bind -c "$dir/named.conf" >>"$dir/named.log" \
	    2>&1 || rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
}

# h_named_rndc NAME ARGS...: rndc with NAME's key and address.
h_named_rndc() {
	local name=$1 dir
	shift
	dir=$(h_named_dir "$name")
	rndc -k "$dir/rndc.key" -s "$(cat "$dir/addr")" -p 953 "$@"
}

# 0 if `rndc managed-keys status` of named NAME shows key TAG in STATE:
# trusted ("trusted since"), pending ("trust pending"), revoked.
h_named_mkey() {
	h_named_rndc "$1" managed-keys status 2>/dev/null | awk -v tag="$2" \
	    -v want="$3" '
		/keyid:/ { cur = $2; next }
		cur == tag && /trusted since/ { st = "trusted" }
		cur == tag && /trust pending/ { st = "pending" }
		cur == tag && /trust revoked/ { st = "revoked" }
		END { exit st == want ? 0 : 1 }'
}

# 0 if named NAME's log says key TAG for zone . is now trusted.
h_named_log_trusted() {
	grep -q "Key $2 for zone \. is now trusted" \
	    "$(h_named_dir "$1")/named.log"
}

h_named_stop() {
	h_daemon_stop "named-$1"
}

h_named_restart() {
	h_named_run "$1"
}

# Print named logs as diagnostics (h_dump_logs knows only nsd/unbound).
h_named_dump_logs() {
	local f
	for f in "$H"/bind/*/named.log; do
		[ -s "$f" ] || continue
		h_diag "---- ${f#"$H"/} (last 40 lines)"
		tail -n 40 "$f" | h_diag
	done
}
