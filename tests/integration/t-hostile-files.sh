#!/bin/bash
#
# t-hostile-files.sh: files that stall or swell a run (issue 12), against
# a local signed root at stage "pre", no daemon needed (the resolvers'
# files alone are read):
#
#   1. a FIFO as an unbound include, an unbound anchor file, a named.conf
#      include and a kresd trust_anchors.add_file: each a CONFIG_ERROR
#      naming file and line, at once, and the healthy resolver beside
#      them still judged (STATIC_ANCHOR); a FIFO as anchorwatch.yaml or as
#      the lock: UNKNOWN at once, naming it.  Before, each blocked until -t
#      and every finding was lost.
#   2. include fan-out, each file including four others fifteen levels
#      deep, for unbound and named.conf: a CONFIG_ERROR naming the cap on
#      files read per resolver, in well under a second.
#   3. memory: unbound's trusted-keys-file glob matching 20,000 files, and
#      a dnsmasq.conf of 5,000 trust-anchor= lines, in 256 MiB of address
#      space (prlimit --as): the cap's CONFIG_ERROR, no out of memory.
#   4. out of memory all the same (address space cut step by step): the
#      plugin still prints one ANCHORWATCH UNKNOWN line, exit 3.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need prlimit mkfifo
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init
h_root_stage pre
F=$H/files
mkdir -p "$F"
cp "$H/ksk1.key" "$F/root.key"

# t_aw CONF ARGS...: h_aw with -t 20; its time in T_MS.
t_aw() {
	local conf=$1 start
	shift
	start=$(h_ms)
	h_aw "$conf" -t 20 "$@"
	T_MS=$(($(h_ms) - start))
}

# t_fast DESC: the last run took under 5 s (not until -t).
t_fast() {
	if [ "$T_MS" -lt 5000 ]; then
		h_pass "$1 (${T_MS} ms)"
	else
		h_fail "$1 (${T_MS} ms)"
	fi
}

# t_config FILE STATE_DIR -- TYPE:NAME:CONFIG...
t_config() {
	local file=$1 state=$2
	shift 3
	h_aw_config_typed "$file" "state=$state" -- "$@"
}

# t_error NAME ERE: resolver NAME has a CONFIG_ERROR matching ERE.
t_error() {
	grep -Eq "^UNKNOWN CONFIG_ERROR resolver=$1 keytag=-: $2" "$H/aw.out"
}

# ---- 1. FIFOs ----------------------------------------------------------------

for f in ub-inc ub-anchor named-inc kresd-keys aw.yaml; do
	mkfifo "$F/$f.fifo"
done
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/root.key" >"$F/good.conf"
printf 'server:\n  include: "%s"\n' "$F/ub-inc.fifo" >"$F/ub-inc.conf"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/ub-anchor.fifo" \
    >"$F/ub-anchor.conf"
printf 'options { dnssec-validation yes; };\ninclude "%s";\n' \
    "$F/named-inc.fifo" >"$F/named.conf"
printf "trust_anchors.add_file('%s', true)\n" "$F/kresd-keys.fifo" \
    >"$F/kresd.conf"
t_config "$H/fifo.yaml" "$H/aw" -- unbound:good:"$F/good.conf" \
    unbound:ubinc:"$F/ub-inc.conf" unbound:ubanchor:"$F/ub-anchor.conf" \
    bind:named:"$F/named.conf" knot-resolver:kresd:"$F/kresd.conf"
t_aw "$H/fifo.yaml" check
h_aw_show
t_fast "FIFOs: the run ends at once"
h_ok "FIFO as an unbound include: CONFIG_ERROR naming file, line and FIFO" \
    t_error ubinc "$F/ub-inc.conf:2: include: $F/ub-inc.fifo: a FIFO, not a regular file"
h_ok "FIFO as an unbound anchor file: CONFIG_ERROR naming it" \
    t_error ubanchor "$F/ub-anchor.conf:2: .*$F/ub-anchor.fifo: a FIFO, not a regular file"
h_ok "FIFO as a named.conf include: CONFIG_ERROR naming file and line" \
    t_error named "$F/named.conf:2: include: $F/named-inc.fifo: a FIFO, not a regular file"
h_ok "FIFO as a kresd add_file: CONFIG_ERROR naming file and line" \
    t_error kresd "$F/kresd.conf:1: trust_anchors.add_file: $F/kresd-keys.fifo: a FIFO, not a regular file"
h_ok "the healthy resolver is still judged: STATIC_ANCHOR" \
    grep -q "^WARNING STATIC_ANCHOR resolver=good " "$H/aw.out"

h_aw "$F/aw.yaml.fifo" -t 20 check
h_is "$AW_RC" 3 "FIFO as anchorwatch.yaml: exit 3"
h_ok "FIFO as anchorwatch.yaml: one UNKNOWN line naming it" \
    grep -q "^ANCHORWATCH UNKNOWN - CONFIG_ERROR: $F/aw.yaml.fifo: a FIFO, not a regular file" \
    "$H/aw.out"
mkdir -m 0755 "$H/lockdir"
mkfifo "$H/lockdir/anchorwatch.lock"
t_config "$H/lock.yaml" "$H/lockdir" -- unbound:good:"$F/good.conf"
t_aw "$H/lock.yaml" check
h_is "$AW_RC" 3 "FIFO as the lock: exit 3"
t_fast "FIFO as the lock: at once"
h_ok "FIFO as the lock: UNKNOWN naming it" grep -q \
    "^ANCHORWATCH UNKNOWN - $H/lockdir/anchorwatch.lock: a FIFO, not a regular file" \
    "$H/aw.out"

# ---- 2. include fan-out --------------------------------------------------

# t_fanout DIR FMT: 4 files a level, 15 levels, each including the 4 of
# the next (FMT: printf format of one include line, %s the path).
t_fanout() {
	local dir=$1 fmt=$2 lv j k
	mkdir -p "$dir"
	for lv in $(seq 0 15); do
		for j in 0 1 2 3; do
			: >"$dir/l$lv-$j.conf"
			[ "$lv" -eq 15 ] && continue
			for k in 0 1 2 3; do
				# shellcheck disable=SC2059 # the format is ours
				printf "$fmt" "$dir/l$((lv + 1))-$k.conf" \
				    >>"$dir/l$lv-$j.conf"
			done
		done
	done
}
t_fanout "$F/ubfan" 'server:\n  include: "%s"\n'
t_fanout "$F/ncfan" 'include "%s";\n'
printf 'options { dnssec-validation yes; };\ninclude "%s";\n' \
    "$F/ncfan/l0-0.conf" >"$F/ncfan.conf"
t_config "$H/fan.yaml" "$H/aw" -- unbound:ubfan:"$F/ubfan/l0-0.conf" \
    bind:ncfan:"$F/ncfan.conf" unbound:good:"$F/good.conf"
t_aw "$H/fan.yaml" check
h_aw_show
t_fast "fan-out: the run ends at once"
h_ok "unbound fan-out: CONFIG_ERROR naming the cap on files" \
    t_error ubfan ".*: resolver ubfan reads more than 256 files \(anchorwatch's cap on files read per resolver\)"
h_ok "named.conf fan-out: CONFIG_ERROR naming the cap on files" \
    t_error ncfan ".*: include: .*: resolver ncfan reads more than 256 files \(anchorwatch's cap on files read per resolver\)"
h_ok "fan-out: the healthy resolver is still judged" \
    grep -q "^WARNING STATIC_ANCHOR resolver=good " "$H/aw.out"

# ---- 3. memory -------------------------------------------------------------

# Under ASan the address space is the shadow's: no limit applies.
AS_OK=1
grep -aq __asan_init "$AW_BIN" && AS_OK=""
mkdir -p "$F/many"
for i in $(seq -w 1 20000); do
	printf '. 3600 IN DS 20326 8 2 %s\n' \
	    E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D \
	    >"$F/many/a$i.ds"
done
printf 'server:\n  trusted-keys-file: "%s/many/*.ds"\n' "$F" >"$F/glob.conf"
{
	echo dnssec
	for i in $(seq 1 5000); do
		echo 'trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'
	done
} >"$F/dnsmasq.conf"
t_config "$H/mem.yaml" "$H/aw" -- unbound:glob:"$F/glob.conf" \
    dnsmasq:dm:"$F/dnsmasq.conf"
if [ -n "$AS_OK" ]; then
	AW_RC=0
	start=$(h_ms)
	prlimit --as=268435456 "$AW_BIN" -c "$H/mem.yaml" -t 60 check \
	    >"$H/aw.out" 2>"$H/aw.err" || AW_RC=$?
	T_MS=$(($(h_ms) - start))
	h_aw_show
	h_ok "20,000 files and 5,000 lines in 256 MiB: no out of memory" \
	    sh -c "! grep -q 'out of memory' '$H/aw.out' '$H/aw.err'"
	h_ok "glob of 20,000 files: CONFIG_ERROR naming the cap" \
	    t_error glob "$F/glob.conf:2: $F/many/a00256.ds: resolver glob reads more than 256 files"
	h_ok "5,000 trust-anchor= lines: CONFIG_ERROR naming dnsmasq's cap" \
	    t_error dm "$F/dnsmasq.conf:258: more than 256 root trust-anchor options"
	t_fast "memory: at once"
else
	h_pass "memory # SKIP prlimit --as does not apply under ASan"
fi

# ---- 4. out of memory all the same ---------------------------------------

# From 48 MiB down to 8: each run either completes or, out of memory, prints
# exactly one UNKNOWN line (a limit too small to load the libraries
# prints nothing and is not counted).
if [ -n "$AS_OK" ]; then
	oom=0 bad=0
	for mib in $(seq 48 -2 8); do
		rc=0
		prlimit --as=$((mib * 1048576)) "$AW_BIN" -c "$H/mem.yaml" \
		    -t 60 check >"$H/oom.out" 2>"$H/oom.err" || rc=$?
		grep -q 'error while loading shared libraries' "$H/oom.err" &&
		    continue
		if grep -q 'out of memory' "$H/oom.err"; then
			oom=$((oom + 1))
			if [ "$rc" != 3 ] || [ "$(wc -l <"$H/oom.out")" != 1 ] ||
			    ! grep -q '^ANCHORWATCH UNKNOWN - out of memory$' \
			    "$H/oom.out"; then
				bad=$((bad + 1))
				h_diag "at $mib MiB: exit $rc, stdout:"
				h_diag <"$H/oom.out"
			fi
		fi
	done
	h_ok "out of memory reached at some limit ($oom runs)" test "$oom" -gt 0
	h_is "$bad" 0 "out of memory: each time exit 3 and one line 'ANCHORWATCH UNKNOWN - out of memory'"
else
	h_pass "out of memory # SKIP prlimit --as does not apply under ASan"
fi
h_done
