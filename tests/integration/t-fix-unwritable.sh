#!/bin/bash
#
# t-fix-unwritable.sh: ANCHOR_NOT_WRITABLE repaired on a real unbound.
# ro1's RFC 5011 file and its directory belong to root, and unbound runs
# as user unbound: it cannot rewrite its file and dies on its first probe.
# `anchorwatch fix --apply` gives the file to unbound and the directory to
# unbound's group (owner kept), then runs the reload, here a restart (the
# daemon is gone); ro1 then validates (AD), rewrites its own file, and
# check no longer finds the fault.  TAP on stdout.  AW_KEEP=1 keeps the
# work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/unbound.sh"
h_enter "$@"

[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"
T=${AW_TIMEOUT:-30}

h_root_init
h_root_stage pre
h_unbound_start ro1 127.0.0.51 auto-ro
R=$(dirname "$(h_autr ro1)")
CONF=$(h_ub_conf ro1)
# The reload: start unbound again, as `systemctl restart unbound` would
# (it daemonizes; its output goes to its log, not to anchorwatch).
cat >"$H/restart-ro1" <<EOF
#!/bin/sh
pkill -f "unbound -d -c $CONF"
exec /usr/sbin/unbound -c "$CONF" </dev/null >>"$(h_ub_dir ro1)/unbound.log" 2>&1
EOF
chmod 0755 "$H/restart-ro1"
h_ubfix_config "$H/ro1.yaml" -- ro1 127.0.0.51 "[$H/restart-ro1]"

h_aw_expect "ro1: ANCHOR_NOT_WRITABLE" "$H/ro1.yaml" 2 ANCHOR_NOT_WRITABLE "$T"
h_not_ok "ro1: the daemon does not validate (it died on its first probe)" \
    h_has_ad 127.0.0.51
h_aw "$H/ro1.yaml" fix
h_diag <"$H/aw.out"
h_ok "dry run: the file would become unbound's" \
    grep -q "^ro1: would set $R/root.key to uid $(id -u unbound) gid $(id -g unbound)" "$H/aw.out"
h_is "$(stat -c '%U:%G' "$R" "$R/root.key" | tr '\n' ' ')" \
    "root:root root:root " "dry run: nothing changed"
h_aw "$H/ro1.yaml" fix --apply
h_diag <"$H/aw.out"
h_ok "apply: FIX_APPLIED, validates again" \
    grep -q "FIX_APPLIED resolver=ro1:.*validates again" "$H/aw.out"
h_is "$(stat -c '%U:%G' "$R" "$R/root.key" | tr '\n' ' ')" \
    "root:unbound unbound:unbound " "apply: file unbound's, directory unbound's group"
h_ok "ro1 answers with AD" h_wait_for "ro1 AD" 15 h_has_ad 127.0.0.51
h_ok "ro1 rewrites its own file now (its probe stamps it)" \
    h_wait_for "ro1 writes root.key" 15 grep -q ';;last_success' "$R/root.key"
h_aw "$H/ro1.yaml" check
h_not_ok "check: no ANCHOR_NOT_WRITABLE any more" h_aw_has ANCHOR_NOT_WRITABLE
h_done
