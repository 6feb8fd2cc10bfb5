#!/bin/bash
# tests/bench/check-vs-unbound-anchor.sh: the speed and memory goal of
# `anchorwatch check` (issue 2): on one resolver, against the local signed
# root, it is no slower than unbound-anchor validating the same root, and
# peaks at no more than 8 MiB RSS.  Both are measured in the same run, in
# the same private network namespace, by hyperfine (median wall time of
# repeated runs) and tests/bench/maxrss.c (the maximum resident set size
# of any process of the run).  The resolver has an address, so check
# probes it (issue 13 item 7), with the default probes: ". DNSKEY" for
# the AD bit and trustanchor.unbound CH TXT, asked while the root query
# is in flight.
#
# usage: make bench   (or: sh tests/bench/check-vs-unbound-anchor.sh [RUNS])
# Prints a table; the figures in README.md come from it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
runs=${1:-40}

for t in hyperfine jq unbound-anchor cc valgrind; do
	command -v "$t" >/dev/null || h_bail "$t not installed (make deps)"
done

h_root_init >/dev/null
h_root_stage pre
h_unbound_start edge1 127.0.0.11 auto

mkdir -p "$H/aw"
cat >"$H/aw.yaml" <<EOC
state_dir: $H/aw
root:
  anchor_file: $H/aw/root.key
  bootstrap: $H/ksk1.key
  stub: ["$H_ROOT_ADDR@53"]
  timeout: 5
resolvers:
  - name: edge1
    type: unbound
    config: $(h_ub_conf edge1)
    address: 127.0.0.11@53
EOC
# unbound-anchor validates the root DNSKEY set with the same libunbound;
# its -C reads a libunbound config, which points it at the local root.
cp "$H/ksk1.key" "$H/ua.key"
cat >"$H/ua.conf" <<EOC
server:
	do-not-query-localhost: no
stub-zone:
	name: "."
	stub-addr: $H_ROOT_ADDR@53
EOC

"$AW_BIN" -c "$H/aw.yaml" check >"$H/check.out"
rc=$?
[ "$rc" -eq 0 ] || { cat "$H/check.out"; h_bail "check exit $rc, expected 0"; }
# The probes ran and were answered: validating, and the loaded anchors.
"$AW_BIN" -c "$H/aw.yaml" status --json >"$H/status.json" ||
    h_bail "status failed"
jq -e '.resolvers[0].probe | .reachable and .dnskey_ad and
    (.loaded | length > 0)' "$H/status.json" >/dev/null ||
    { cat "$H/status.json"; h_bail "the probes did not run"; }
unbound-anchor -v -a "$H/ua.key" -C "$H/ua.conf" >"$H/ua.out" 2>&1
grep -q "success: the anchor is ok" "$H/ua.out" ||
    { cat "$H/ua.out"; h_bail "unbound-anchor did not validate the root"; }

hyperfine -N --warmup 3 --runs "$runs" --export-json "$H/hf.json" \
    -n "anchorwatch check" "$AW_BIN -c $H/aw.yaml check" \
    -n "unbound-anchor" "unbound-anchor -a $H/ua.key -C $H/ua.conf" \
    >"$H/hf.out" 2>&1 || { cat "$H/hf.out"; h_bail "hyperfine failed"; }

aw_med=$(jq '.results[0].median * 1000' "$H/hf.json")
ua_med=$(jq '.results[1].median * 1000' "$H/hf.json")
# Peak RSS of the largest process of each command's tree (maxrss.c: the
# root query process that check leaves to end on its own is counted).
cc -O2 -Wall -Wextra -Werror -o "$H/maxrss" \
    "$(dirname "$0")/maxrss.c" || h_bail "cannot build maxrss"
peak() {
	local m=0 r
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		r=$("$H/maxrss" "$@" 2>&1 >/dev/null | tail -n 1)
		[ "$r" -gt "$m" ] && m=$r
	done
	echo "$m"
}
rss=$(peak "$AW_BIN" -c "$H/aw.yaml" check)
ua_rss=$(peak unbound-anchor -a "$H/ua.key" -C "$H/ua.conf")

# Instructions (callgrind): the same count whatever else the machine does,
# so a second, noise-free view of the same comparison.  check's root query
# runs in a child process, which starts with the counts of its parent at
# the fork: --dump-before=fork writes those out and starts again from zero,
# so the sum of every part of every process counts each instruction once.
instr() {
	rm -rf "$H/cg" && mkdir "$H/cg" &&
	    valgrind --tool=callgrind --trace-children=yes --dump-before=fork \
	    --callgrind-out-file="$H/cg/out.%p" "$@" >/dev/null 2>&1 &&
	    cat "$H"/cg/out.* | sed -n 's/^totals: \([0-9]*\)$/\1/p' |
	    awk '{ n += $1 } END { print n }'
}
aw_ins=$(instr "$AW_BIN" -c "$H/aw.yaml" check)
ua_ins=$(instr unbound-anchor -a "$H/ua.key" -C "$H/ua.conf")

echo "anchorwatch check: one RFC 5011 unbound with an address, probes on"
printf '%-20s %14s %14s %16s\n' "" "median wall ms" "max RSS KiB" \
    "instructions"
printf '%-20s %14.2f %14d %16s\n' "anchorwatch check" "$aw_med" "$rss" \
    "$aw_ins"
printf '%-20s %14.2f %14d %16s\n' "unbound-anchor" "$ua_med" "$ua_rss" \
    "$ua_ins"
printf 'runs: %s each; %s; %s\n' "$runs" "$(nproc) cores" \
    "$(unbound -V | head -n 1)"
verdict=ok
awk -v a="$aw_med" -v u="$ua_med" 'BEGIN { exit !(a <= u) }' ||
    verdict="SLOWER than unbound-anchor"
[ "$rss" -le 8192 ] || verdict="$verdict; RSS above 8 MiB"
echo "goal (median <= unbound-anchor, RSS <= 8192 KiB): $verdict"
