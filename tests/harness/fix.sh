# shellcheck shell=bash
#
# fix.sh: what the tests of `anchorwatch fix` share, sourced after lib.sh
# (t-fix-dnsmasq.sh, t-fix-resolved.sh).

# h_fix_config FILE ADDR WORD...: append to the last resolver of
# anchorwatch.yaml FILE its address (ADDR, port 53) and its reload command
# (the WORDs: in the namespace there is no systemd, so tests/harness/restart
# stands for `systemctl restart`), then the probes of the signed name.
h_fix_config() {
	local file=$1 addr=$2 w list=""
	shift 2
	for w in "$@"; do
		list="${list:+$list, }$w"
	done
	cat >>"$file" <<EOC
    address: $addr@53
    reload: [$list]
probes:
  timeout: 3
  signed_name: hello.harness
EOC
}

# h_fix_diff OUT NAME: the unified diffs of fix's dry run in OUT (what
# patch(1) reads), without the other lines it prints for resolver NAME.
h_fix_diff() {
	awk -v who="$2: " '/^--- / { d = 1 } index($0, who) == 1 { d = 0 } d' \
	    "$1"
}
