# shellcheck shell=bash
#
# unbound.sh: what the integration tests of `anchorwatch fix` on unbound
# need beyond lib.sh (sourced after it): daemons with unbound-control on a
# unix socket, an agent config that probes them and names their reload,
# and the diff of one file out of a dry run.

# h_ubfix_start NAME ADDR MODE [SERVER-LINE...]: h_unbound_start with
# unbound-control on $(h_ub_dir NAME)/control.sock.
h_ubfix_start() {
	H_UB_CONTROL=1 h_unbound_start "$@"
}

# unbound-control for unbound NAME: ARGS...
h_ubfix_control() {
	local name=$1
	shift
	unbound-control -c "$(h_ub_conf "$name")" "$@"
}

# h_ubfix_config FILE [KEY=VALUE...] -- NAME ADDR [RELOAD]...: an agent
# config (h_aw_config's KEY=VALUE) probing each unbound NAME at ADDR,
# reloaded by RELOAD (a program; "" or none: unbound-control -c CONF
# reload).  Triples, so that RELOAD may be "".
h_ubfix_config() {
	local file=$1 name addr reload conf
	shift
	local opts=()
	while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "$#" -gt 0 ] && shift
	h_aw_config "$file" "${opts[@]}" --
	sed -i '/^resolvers: \[\]$/d' "$file"
	cat >>"$file" <<EOC
probes:
  timeout: 3
  signed_name: hello.harness
  sentinel_domain: sentinel.harness
resolvers:
EOC
	while [ "$#" -ge 3 ]; do
		name=$1 addr=$2 reload=$3
		shift 3
		conf=$(h_ub_conf "$name")
		[ -n "$reload" ] ||
		    reload="[/usr/sbin/unbound-control, -c, $conf, reload]"
		printf '  - name: %s\n    type: unbound\n    config: %s\n    address: %s@53\n    reload: %s\n' \
		    "$name" "$conf" "$addr" "$reload" >>"$file"
	done
}

# h_fix_diff OUT PATH: the unified diff of PATH in dry-run output OUT
# (from its "--- PATH" line to the next line that is not part of it).
h_fix_diff() {
	awk -v p="$2" '
	$0 == "--- " p { on = 1 }
	on && !/^(--- |\+\+\+ |@@ |[-+ \\])/ { exit }
	on { print }' "$1"
}
