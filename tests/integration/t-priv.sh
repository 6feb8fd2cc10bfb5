#!/bin/bash
#
# t-priv.sh: what a running anchorwatch holds, read from /proc while it
# waits on a silent resolver (probes.timeout 3).  Against the local signed
# root at stage "pre", a healthy RFC 5011 unbound (auto1), and a resolver
# entry whose address is a sink that never answers.
#
#	check as root, state_dir owned by root: uid 0, only
#	    CAP_DAC_READ_SEARCH (effective, bounding, ambient), no_new_privs;
#	check as root, state_dir owned by the user anchorwatch (made in this
#	    namespace's own /etc/passwd): that uid, the same capability, and
#	    it still reads a resolver configuration only root may read;
#	fix --apply: uid 0 and root's capabilities (its reload commands
#	    restart daemons), no_new_privs;
#	run under umask 000, its state_dir not made yet: nothing it creates
#	    (state_dir, the lock, root.key and its good copy, the history,
#	    the record, the Prometheus textfile) is writable by others.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

# Capability bits (linux/capability.h).
CAP_DAC_OVERRIDE=1 CAP_DAC_READ_SEARCH=2
hexcaps() {
	local m=0 c
	for c in "$@"; do m=$((m | 1 << c)); done
	printf '%016x' "$m"
}
READ=$(hexcaps $CAP_DAC_READ_SEARCH)

# t_status_of ARGS...: start anchorwatch ARGS, wait for it to be probing
# the sink, and copy its /proc/PID/status to $H/status; then let it end.
t_status_of() {
	local pid i
	"$AW_BIN" "$@" >"$H/aw.out" 2>"$H/aw.err" &
	pid=$!
	: >"$H/status"
	# The probes come after the root query: wait until it asks the sink.
	for i in $(seq 1 50); do
		sleep 0.1
		if [ -s "$H/sink-silent.log" ] ||
		    ss -Hnup | grep -q "pid=$pid,"; then
			break
		fi
	done
	sleep 0.5
	cat "/proc/$pid/status" >"$H/status" 2>/dev/null
	wait "$pid"
	AW_RC=$?
}
# t_field NAME: a field of the copied status.
t_field() {
	sed -n "s/^$1:[[:space:]]*//p" "$H/status"
}

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_sink_start silent 127.0.0.78
h_aw_config "$H/aw.yaml" -- auto1
cat >>"$H/aw.yaml" <<EOF
  - name: silent
    type: unbound
    config: $(h_ub_conf auto1)
    address: 127.0.0.78@53
probes:
  enabled: true
  timeout: 3
EOF

# ---- 1. root, root's state_dir -------------------------------------------

t_status_of -c "$H/aw.yaml" -t 30 check
h_diag <"$H/status"
h_ok "check as root: caught while probing" test -s "$H/status"
h_is "$(t_field Uid | awk '{ print $1, $2, $3 }')" "0 0 0" \
    "root's state_dir: it stays uid 0"
h_is "$(t_field CapEff)" "$READ" "root's state_dir: effective: CAP_DAC_READ_SEARCH only"
h_is "$(t_field CapBnd)" "$READ" "root's state_dir: bounding set: the same"
h_is "$(t_field CapAmb)" "$READ" "root's state_dir: ambient (for rndc and the like): the same"
h_is "$(t_field NoNewPrivs)" 1 "root's state_dir: no_new_privs"
h_ok "check as root: it finished, the silent resolver UNREACHABLE" \
    grep -q '^[A-Z]* RESOLVER_UNREACHABLE resolver=silent ' "$H/aw.out"

# ---- 2. root, state_dir of the user anchorwatch --------------------------

# This namespace's own passwd and group, with the user the packages make.
cp /etc/passwd "$H/passwd" && cp /etc/group "$H/group"
echo "anchorwatch:x:990:990:anchorwatch:/nonexistent:/usr/sbin/nologin" \
    >>"$H/passwd"
echo "anchorwatch:x:990:" >>"$H/group"
mount --bind "$H/passwd" /etc/passwd && mount --bind "$H/group" /etc/group ||
    h_bail "cannot mount this namespace's passwd"
mkdir -p "$H/aw-user"
chown 990:990 "$H/aw-user"
chmod 0750 "$H/aw-user"
sed "s|^state_dir: .*|state_dir: $H/aw-user|; s|anchor_file: .*|anchor_file: $H/aw-user/root.key|" \
    "$H/aw.yaml" >"$H/user.yaml"
# Only root may read auto1's configuration now.
conf=$(h_ub_conf auto1)
chmod 0600 "$conf"
t_status_of -c "$H/user.yaml" -t 30 check
h_diag <"$H/status"
h_is "$(t_field Uid | awk '{ print $1, $2, $3 }')" "990 990 990" \
    "anchorwatch's state_dir: it runs as uid 990"
h_is "$(t_field Gid | awk '{ print $1, $2, $3 }')" "990 990 990" \
    "anchorwatch's state_dir: and gid 990"
h_is "$(t_field CapEff)" "$READ" "as anchorwatch: effective: CAP_DAC_READ_SEARCH only"
h_is "$(t_field CapBnd)" "$READ" "as anchorwatch: bounding set: the same"
h_is "$(t_field NoNewPrivs)" 1 "as anchorwatch: no_new_privs"
h_ok "as anchorwatch: auto1 (root-only configuration) read and judged" \
    sh -c "! grep -q 'CONFIG_ERROR resolver=auto1' '$H/aw.out' &&
    grep -Eq \"'auto1_trusted'=1\" '$H/aw.out'"
h_ok "as anchorwatch: its files in state_dir are its own" \
    sh -c "[ -z \"\$(find '$H/aw-user' -mindepth 1 ! -uid 990)\" ] &&
    [ -s '$H/aw-user/root.key' ]"
chmod 0644 "$conf"

# ---- 3. fix --apply --------------------------------------------------------

# It writes the resolvers' files and runs reload commands that restart
# daemons (a restart needs what root has): uid 0, its capabilities,
# no_new_privs still.
t_status_of -c "$H/aw.yaml" -t 30 fix --apply
h_diag <"$H/status"
h_is "$(t_field Uid | awk '{ print $1, $2, $3 }')" "0 0 0" \
    "fix --apply: uid 0 (it writes the resolvers' files)"
h_ok "fix --apply: more than reading (CAP_DAC_OVERRIDE, to write them)" \
    test $((0x$(t_field CapEff) & 1 << CAP_DAC_OVERRIDE)) -ne 0
h_is "$(t_field NoNewPrivs)" 1 "fix --apply: no_new_privs"

# ---- 4. what it creates, under umask 000 ------------------------------------

mkdir -m 0755 "$H/prom"
sed "s|^state_dir: .*|state_dir: $H/fresh|; s|anchor_file: .*|anchor_file: $H/fresh/root.key|" \
    "$H/aw.yaml" >"$H/fresh.yaml"
printf 'prometheus:\n  textfile: %s/anchorwatch.prom\n' "$H/prom" \
    >>"$H/fresh.yaml"
(umask 000 && h_aw "$H/fresh.yaml" -t 30 run)
find "$H/fresh" "$H/prom" -printf '%m %p\n' | h_diag
h_ok "umask 000: run made state_dir, the lock, root.key, the history, the record and the textfile" \
    test -d "$H/fresh" -a -e "$H/fresh/anchorwatch.lock" -a -s "$H/fresh/root.key" \
    -a -s "$H/fresh/history" -a -s "$H/fresh/last-run.json" \
    -a -s "$H/prom/anchorwatch.prom"
h_is "$(find "$H/fresh" "$H/prom" -perm /022 ! -type l -printf '%m %p\n')" "" \
    "umask 000: nothing it created is writable by group or others"

h_done
