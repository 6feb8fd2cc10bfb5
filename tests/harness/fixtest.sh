# shellcheck shell=bash
#
# fixtest.sh: `anchorwatch fix` in the integration harness, sourced after
# lib.sh: a dry run kept per resolver, its diff applied with patch(1) to a
# copy of the original, and the checks every repair test makes (issue
# 10).  Used by t-fix-knot.sh and t-fix-pdns.sh.

# h_ft_config FILE TYPE NAME CONFIG ADDR RELOAD-WORD...: an anchorwatch
# config for one resolver, probed at ADDR (port 53) on the harness's
# signed name, reloaded with the RELOAD words after a repair.
h_ft_config() {
	local file=$1 type=$2 name=$3 conf=$4 addr=$5 w words=""
	shift 5
	for w in "$@"; do
		words="$words${words:+, }\"$w\""
	done
	h_aw_config_typed "$file" -- "$type:$name:$conf"
	cat >>"$file" <<EOC
    address: $addr@53
    reload: [$words]
probes:
  timeout: 3
  signed_name: hello.harness
EOC
}

# h_ft_nostub FILE TYPE NAME CONFIG ADDR: as h_ft_config, for an agent of
# its own whose stub does not answer: it has no validated view of the
# root, so every repair must be refused.
h_ft_nostub() {
	h_ft_config "$@" /bin/false
	sed -i "s|state_dir: .*|state_dir: $H/aw-nostub|
	    s|anchor_file: .*|anchor_file: $H/aw-nostub/root.key|
	    s|stub: .*|stub: [\"127.0.0.9@53\"]|; s|timeout: 5|timeout: 2|" \
	    "$1"
}

# h_ft_dryrun CONF NAME: `fix NAME` (dry run) into $H/NAME.dry, exit
# status in AW_RC.
h_ft_dryrun() {
	h_aw "$1" fix "$2"
	cp "$H/aw.out" "$H/$2.dry"
}

# h_ft_diff NAME FILE: the hunk of FILE in NAME's dry run, from its
# "--- FILE" line to the next line of NAME's, as patch(1) takes it.
h_ft_diff() {
	awk -v f="--- $2" -v who="$1:" '
		$0 == f { on = 1 }
		on && index($0, who) == 1 { exit }
		on { print }' "$H/$1.dry"
}

# h_ft_patched NAME FILE [WRITTEN]: 0 if FILE (or WRITTEN, a copy of
# what --apply wrote there, for a daemon that rewrites FILE itself)
# equals FILE.orig (the copy taken before the dry run) patched with the
# dry run's diff.
h_ft_patched() {
	h_ft_diff "$1" "$2" >"$H/$1.diff"
	[ -s "$H/$1.diff" ] &&
	    patch -s -o "$H/$1.patched" "$2.orig" "$H/$1.diff" &&
	    cmp "$H/$1.patched" "${3:-$2}"
}

# h_ft_keep FILE...: copies FILE.orig (owner and mode kept) to compare
# with after a run.
h_ft_keep() {
	local f
	for f in "$@"; do
		cp -p "$f" "$f.orig"
	done
}

# h_ft_same FILE...: 0 if each FILE is byte-identical to FILE.orig.
h_ft_same() {
	local f
	for f in "$@"; do
		cmp -s "$f" "$f.orig" || return 1
	done
}

# 0 if the last run has no finding about what resolver NAME trusts for
# the root.
h_ft_no_anchor_finding() {
	! grep -E "^[A-Z]+ (ANCHOR_STALE|SUCCESSOR_NOT_TRUSTED|REVOKED_STILL_TRUSTED|ZONE_MARKED_REVOKED|NO_ANCHOR|LOADED_DIFFERS_FROM_DISK) " \
	    "$H/aw.out" | grep -q "$1"
}
