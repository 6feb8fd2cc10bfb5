#!/bin/bash
#
# t-package.sh: the Debian package, as an operator gets it.  It builds the
# .deb (make deb, into the work directory), has lintian judge it (no error,
# no warning), installs it with dpkg -i, and checks that every file is
# where it should be with its owner and mode, that sysusers.d and
# tmpfiles.d made the user and the state directory, and the service's
# exposure (systemd-analyze security, at most 3.5, the figure its comment
# gives).  Then, against the local signed root (nsd) and real unbound
# daemons, one of them in a directory only its user may enter, it runs the
# service's ExecStart the way the unit says (its User, Group, UMask and
# capabilities, through setpriv; syslog caught), checks what the run left
# in /var/lib/anchorwatch, runs the cron line, and the NRPE and Icinga 2
# command lines (taken from the installed files, macros filled in) as the
# user nagios, fresh and with the record made old; then it starts the
# installed service under a real systemd (the machine's own tree booted by
# systemd-nspawn on a throw-away overlay).  Last: dpkg -r (the
# cron line left behind does nothing), dpkg --purge, and nothing of the
# package is left.
#
# It changes the host: the package, and the users anchorwatch and nagios
# where they did not exist, all undone on exit, failure or not; so
# tests/run.sh runs it once, by itself, after the others.  It skips where
# anchorwatch is installed already; files left in /var/lib/anchorwatch or
# /etc/anchorwatch by other runs (as root, with the default state_dir)
# are moved aside for the test and put back after it.  The test
# configuration is bind-mounted over the conffile in this script's mount
# namespace only.  AW_DEB=FILE tests that .deb instead of building one.
# run.sh: alone
# TAP on stdout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../harness/lib.sh"
h_need dpkg-buildpackage dh lintian setpriv systemd-analyze systemd-sysusers \
    useradd socat jq
if [ "${AW_NS:-}" != 1 ] &&
    dpkg-query -W -f='${Status}' anchorwatch 2>/dev/null | grep -q ' installed$'; then
	echo "1..0 # SKIP anchorwatch is installed on this host: not the test's to remove"
	exit 0
fi
h_enter "$@"

UNIT=/lib/systemd/system/anchorwatch.service
CONF=/etc/anchorwatch/anchorwatch.yaml
STATE=/var/lib/anchorwatch
PLUGIN=/usr/lib/nagios/plugins/check_anchorwatch
P_INSTALLED=""
P_NEW_USERS=""
P_ASIDE=""

# Undo what the test did to the host, then the harness's own cleanup.
p_cleanup() {
	local rc=$? u
	mountpoint -q "$CONF" 2>/dev/null && umount "$CONF"
	[ -n "$P_INSTALLED" ] && dpkg --purge anchorwatch >/dev/null 2>&1
	for u in $P_NEW_USERS; do
		userdel "$u" >/dev/null 2>&1
		groupdel "$u" >/dev/null 2>&1
	done
	for d in $P_ASIDE; do
		rm -rf "$d" && mv "$H/aside/${d//\//_}" "$d"
	done
	(exit "$rc")
	h_cleanup
}
trap p_cleanup EXIT
getent passwd anchorwatch >/dev/null || P_NEW_USERS=anchorwatch
mkdir -p "$H/aside"
for d in "$STATE" /etc/anchorwatch; do
	if [ -e "$d" ]; then
		mv "$d" "$H/aside/${d//\//_}" || h_bail "cannot move $d aside"
		P_ASIDE="$P_ASIDE $d"
		h_diag "$d existed: moved aside until the end"
	fi
done

# p_quiet CMD...: CMD with its output in $H/quiet.out (shown on failure).
p_quiet() {
	"$@" >"$H/quiet.out" 2>&1 && return 0
	h_diag <"$H/quiet.out"
	return 1
}

# "TYPE MODE OWNER:GROUP" of a path, as stat says.
p_stat() {
	stat -c '%F %a %U:%G' "$1" 2>&1
}

# The value of KEY= in the installed unit (the last one).
p_unit() {
	sed -n "s/^$1=//p" "$UNIT" | tail -n 1
}

# ---- build, lintian, install -----------------------------------------------
t0=$(h_now)
if [ -n "${AW_DEB:-}" ]; then
	DEB=$AW_DEB
	: >"$H/deb.log"
elif make -C "$H_TOP" deb PKGBUILD="$H/pkg" >"$H/deb.log" 2>&1; then
	h_pass "make deb builds the package ($(($(h_now) - t0)) s)"
	DEB=$(ls "$H"/pkg/deb/anchorwatch_*.deb)
else
	tail -n 40 "$H/deb.log" | h_diag
	h_bail "make deb failed"
fi
[ -f "$DEB" ] || h_bail "no .deb in $H/pkg/deb"
[ -n "${AW_DEB:-}" ] || h_ok "the package build ran make test: $(grep -o '^[0-9]* passed, [0-9]* failed$' "$H/deb.log")" \
    grep -q '^[0-9]* passed, 0 failed$' "$H/deb.log"
[ -n "${AW_DEB:-}" ] || h_ok "compiled with dpkg-buildflags' fortify and stack protector" \
    grep -q -- '-D_FORTIFY_SOURCE=2 .*-fstack-protector-strong .*-c -o build/main.o' \
    "$H/deb.log"
[ -n "${AW_DEB:-}" ] || h_ok "linked with -z relro -z now" grep -q -- '-Wl,-z,relro -Wl,-z,now .*-o build/anchorwatch ' "$H/deb.log"

if lintian --fail-on error,warning "$DEB" >"$H/lintian.out" 2>&1; then
	h_pass "lintian: no error, no warning"
else
	h_fail "lintian: no error, no warning"
	h_diag <"$H/lintian.out"
fi

P_INSTALLED=1
if ! dpkg -i "$DEB" >"$H/dpkg.log" 2>&1; then
	h_diag <"$H/dpkg.log"
	h_bail "dpkg -i failed"
fi
h_pass "dpkg -i installs it"

# ---- the files ---------------------------------------------------------------
while read -r path want; do
	h_is "$(p_stat "$path")" "$want" "$path: $want"
done <<EOF
/usr/sbin/anchorwatch regular file 755 root:root
$PLUGIN symbolic link 777 root:root
$CONF regular file 644 root:root
/etc/cron.d/anchorwatch regular file 644 root:root
/etc/nagios/nrpe.d/anchorwatch.cfg regular file 644 root:root
/usr/share/anchorwatch/events.yaml regular file 644 root:root
/usr/share/anchorwatch/icannbundle.pem regular file 644 root:root
/usr/share/anchorwatch/scenarios/2017-2019.yaml regular file 644 root:root
/usr/share/anchorwatch/scenarios/2024-2027.yaml regular file 644 root:root
$UNIT regular file 644 root:root
/lib/systemd/system/anchorwatch.timer regular file 644 root:root
/usr/lib/sysusers.d/anchorwatch.conf regular file 644 root:root
/usr/lib/tmpfiles.d/anchorwatch.conf regular file 644 root:root
/usr/share/icinga2/include/plugins-contrib.d/anchorwatch.conf regular file 644 root:root
/usr/share/man/man8/anchorwatch.8.gz regular file 644 root:root
/usr/share/man/man5/anchorwatch.yaml.5.gz regular file 644 root:root
/usr/share/doc/anchorwatch/copyright regular file 644 root:root
/usr/share/doc/anchorwatch/examples/anchorwatch.yaml regular file 644 root:root
/usr/share/doc/anchorwatch/examples/anchorwatch-service.conf regular file 644 root:root
$STATE directory 755 anchorwatch:anchorwatch
EOF
h_is "$(readlink -f "$PLUGIN")" /usr/sbin/anchorwatch "check_anchorwatch leads to the binary"
h_is "$(dpkg-query -W -f='${Conffiles}\n' anchorwatch | awk 'NF { print $1 }' | sort | tr '\n' ' ')" \
    "/etc/anchorwatch/anchorwatch.yaml /etc/cron.d/anchorwatch /etc/nagios/nrpe.d/anchorwatch.cfg " \
    "the conffiles: the configuration, cron.d, NRPE"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd anchorwatch)
h_ok "sysusers.d made the system user anchorwatch (uid ${uid:-none}, $home, $shell)" \
    test -n "$uid" -a "${uid:-1000}" -lt 1000 -a "$home" = "$STATE" \
    -a "${shell##*/}" = nologin
h_is "$(/usr/sbin/anchorwatch -V)" "anchorwatch $(cat "$H_TOP/VERSION")" \
    "the installed binary is version $(cat "$H_TOP/VERSION")"
rc=0
"$PLUGIN" -h >/dev/null 2>&1 || rc=$?
h_ok "check_anchorwatch runs (-h: exit $rc)" test "$rc" -ne 126 -a "$rc" -ne 127

exposure=$(systemd-analyze security --offline=true --no-pager "$UNIT" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
h_ok "systemd-analyze security: exposure ${exposure:-?} is at most 3.5" \
    awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 3.5) }'
h_ok "the unit's comment gives that figure" grep -q "exposure ${exposure:-?}, " "$UNIT"
h_ok "the README too" grep -q "exposure ${exposure:-?} (\"OK\"" "$H_TOP/README.md"

# ---- a run the way the unit says ----------------------------------------------
h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
h_unbound_start static1 127.0.0.12 static
# auto1's files only its user may reach: read with CAP_DAC_READ_SEARCH.
chmod 0750 "$(h_ub_dir auto1)"
cat >"$H/pkg.yaml" <<EOF
root:
  bootstrap: $H/ksk1.key
  stub: ["$H_ROOT_ADDR@53"]
  timeout: 5
  add_holddown: 3
  del_holddown: 3
  keep_missing: 5
probes:
  timeout: 3
  signed_name: hello.harness
resolvers:
  - name: auto1
    type: unbound
    config: $(h_ub_conf auto1)
    address: 127.0.0.11@53
  - name: static1
    type: unbound
    config: $(h_ub_conf static1)
    address: 127.0.0.12@53
EOF
chmod 0644 "$H/pkg.yaml"
mount --bind "$H/pkg.yaml" "$CONF" || h_bail "cannot bind-mount the test configuration"
h_syslog_start || h_bail "no syslog catcher"
chmod 0666 "$H/dev/log"

user=$(p_unit User) group=$(p_unit Group)
caps=$(p_unit AmbientCapabilities | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
bound=$(p_unit CapabilityBoundingSet | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
read -ra exec_argv <<<"$(p_unit ExecStart)"
h_is "$user:$group:$caps" "anchorwatch:anchorwatch:+dac_read_search" \
    "the unit runs as anchorwatch with CAP_DAC_READ_SEARCH alone"
as_service=(setpriv --reuid="$user" --regid="$group" --init-groups
	--inh-caps="-all,$caps" --ambient-caps="-all,$caps"
	--bounding-set="-all,$bound" --no-new-privs --)
success=" 0 $(p_unit SuccessExitStatus) "
rc=0
(umask "$(p_unit UMask)" && h_devlog "${as_service[@]}" "${exec_argv[@]}") \
    >"$H/run.out" 2>&1 || rc=$?
case $success in
*" $rc "*) h_pass "ExecStart (${exec_argv[*]}) as $user: exit $rc, a success for the unit" ;;
*)
	h_fail "ExecStart (${exec_argv[*]}) as $user: exit $rc, a success for the unit"
	h_diag <"$H/run.out"
	;;
esac
h_syslog_sync
h_syslog_lines >"$H/syslog.txt"
h_ok "the run logged static1's STATIC_ANCHOR to syslog" \
    grep -q 'STATIC_ANCHOR.*static1\|static1.*STATIC_ANCHOR' "$H/syslog.txt"
h_not_ok "and no CONFIG_ERROR: auto1's closed directory was read" \
    grep -q CONFIG_ERROR "$H/syslog.txt"
grep CONFIG_ERROR "$H/syslog.txt" | h_diag
h_is "$(p_stat "$STATE/root.key" | cut -d' ' -f3-)" "644 anchorwatch:anchorwatch" \
    "the agent's own anchor is in the state directory, the user's"
h_ok "and its history" test -s "$STATE/history"
# TODO(lead): `run` writes the recorded result, state_dir/last-run.json;
# until it does, this fails.
h_is "$(p_stat "$STATE/last-run.json")" "regular file 644 anchorwatch:anchorwatch" \
    "the run recorded its result in $STATE/last-run.json, readable by all"

# The same without the capability cannot read auto1: it is what counts.
setpriv --reuid="$user" --regid="$group" --init-groups --inh-caps=-all \
    --bounding-set=-all --no-new-privs -- /usr/sbin/anchorwatch status \
    >"$H/nocap.out" 2>&1
h_ok "without CAP_DAC_READ_SEARCH, auto1's configuration cannot be read" \
    grep -q "$(h_ub_conf auto1).*Permission denied" "$H/nocap.out"
grep -m 1 "Permission denied" "$H/nocap.out" | h_diag

# ---- cron ----------------------------------------------------------------------
cronline=$(grep -v '^#\|^[A-Z]*=\|^$' /etc/cron.d/anchorwatch)
read -r _ _ _ _ _ cronuser cron_cmd <<<"$cronline"
h_is "$cronuser" root "cron.d: one line, run by root (setpriv drops to $user)"
# p_cron SYSTEMD: the cron line, in a /run of its own (a tmpfs) which
# holds /run/systemd/system when SYSTEMD is 1, with syslog caught.
p_cron() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	h_devlog unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run &&
	    { [ "$1" = 0 ] || mkdir -p /run/systemd/system; } && exec sh -c "$2"' \
	    cron "$1" "$cron_cmd"
}
h_syslog_clear
rc=0
p_cron 0 >"$H/cron.out" 2>&1 || rc=$?
h_ok "the cron line runs the check without systemd (exit $rc)" \
    test "$rc" -le 2 -a ! -s "$H/cron.out"
h_syslog_sync
h_ok "and logs as the service does" grep -q STATIC_ANCHOR <(h_syslog_lines)
before=$(stat -c %Y "$STATE/history")
sleep 1.1
rc=0
p_cron 1 >"$H/cron-sd.out" 2>&1 || rc=$?
h_ok "where systemd runs, the cron line does nothing" \
    test "$rc" -ne 0 -a ! -s "$H/cron-sd.out" -a \
    "$before" = "$(stat -c %Y "$STATE/history")"

# ---- NRPE and Icinga 2, as nagios ------------------------------------------------
if ! getent passwd nagios >/dev/null; then
	useradd --system --user-group --no-create-home \
	    --shell /usr/sbin/nologin nagios || h_bail "cannot add the user nagios"
	P_NEW_USERS="$P_NEW_USERS nagios"
fi

# p_plugin NAME COMMAND-LINE: run it as nagios through sh, as NRPE and
# Icinga 2 do; a monitoring-plugins status line, exit 0 to 2, under NRPE's
# 1 KiB, in less than 2 s.
p_plugin() {
	local name=$1 cmd=$2 rc=0 t0 ms out
	t0=$(h_ms)
	h_devlog setpriv --reuid=nagios --regid=nagios --init-groups -- \
	    sh -c "$cmd" >"$H/plugin.out" 2>&1 || rc=$?
	ms=$(($(h_ms) - t0))
	out=$(head -n 1 "$H/plugin.out")
	if [ "$rc" -le 2 ] && [ "$(wc -c <"$H/plugin.out")" -le 1024 ] &&
	    [ "$ms" -lt 2000 ] &&
	    echo "$out" | grep -Eq '^ANCHORWATCH (OK|WARNING|CRITICAL)'; then
		h_pass "$name as nagios: exit $rc in $ms ms: ${out:0:60}"
	else
		h_fail "$name as nagios: a status line, exit 0-2, in 2 s (exit $rc, $ms ms)"
		h_diag "$cmd"
		head -n 3 "$H/plugin.out" | h_diag
	fi
}

nrpe=/etc/nagios/nrpe.d/anchorwatch.cfg
h_is "$(sed -n 's/^command\[\([a-z_]*\)\]=.*/\1/p' "$nrpe" | tr '\n' ' ')" \
    "check_anchorwatch check_anchorwatch_answers " "NRPE: two commands"
while IFS= read -r line; do
	name=${line%%]*}
	name=${name#command[}
	cmd=${line#*]=}
	# the example address: the harness's auto1
	cmd=${cmd/-H 127.0.0.1 /-H 127.0.0.11 }
	h_ok "NRPE $name calls $PLUGIN with -t" test "${cmd%% *}" = "$PLUGIN" -a \
	    -n "$(echo "$cmd" | grep -e ' -t [0-9]')"
	p_plugin "NRPE $name" "$cmd"
done < <(grep '^command\[' "$nrpe")

# The record made older than checks.record_max_age (26 h by default):
# the NRPE command says UNKNOWN.
rec=$STATE/last-run.json
nrpe_cmd=$(sed -n 's/^command\[check_anchorwatch\]=//p' "$nrpe")
if cp "$rec" "$H/rec.json" &&
    jq '.written -= 100000' "$H/rec.json" >"$rec"; then
	rc=0
	setpriv --reuid=nagios --regid=nagios --init-groups -- sh -c "$nrpe_cmd" \
	    >"$H/plugin.out" 2>&1 || rc=$?
	h_ok "a record 100000 s old: NRPE check_anchorwatch says UNKNOWN (exit $rc)" \
	    test "$rc" = 3 -a -n "$(grep '^ANCHORWATCH UNKNOWN - recorded result .* s old' "$H/plugin.out")"
	head -n 1 "$H/plugin.out" | h_diag
	cp "$H/rec.json" "$rec"
else
	h_fail "a record made old (no record to age)"
fi

# The Icinga 2 command line: PluginDir as Debian's icinga2 sets it, each
# argument whose macro has a value (vars, or VAR=VALUE given), in Icinga's
# order (by key).
icinga=/usr/share/icinga2/include/plugins-contrib.d/anchorwatch.conf
p_icinga() {
	local line cmd
	line=$(sed -n 's/^\tcommand = \[ PluginDir + "\([^"]*\)" \]$/\1/p' "$icinga")
	cmd=/usr/lib/nagios/plugins$line
	while read -r flag var; do
		val=$(sed -n "s/^\tvars\.$var = \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$icinga")
		[ "${1%%=*}" = "$var" ] && val=${1#*=}
		[ -n "$val" ] && cmd="$cmd $flag $val"
	done < <(sed -n '/^\t\t"-[A-Za-z]" = {$/{s/^\t\t"\(-.\)".*/\1/;h;};/value = "\$[a-z_]*\$"/{s/.*"\$\([a-z_]*\)\$".*/\1/;H;x;s/\n/ /p;}' "$icinga" |
	    LC_ALL=C sort)
	echo "$cmd"
}
cmd=$(p_icinga "")
h_ok "Icinga 2 \"anchorwatch\": $cmd" \
    test -n "$(echo "$cmd" | grep -e "^$PLUGIN -C $CONF -c [0-9]* -t [0-9]* -w [0-9]*$")"
p_plugin "Icinga 2 anchorwatch" "$cmd"
cmd=$(p_icinga "anchorwatch_address=127.0.0.11@53")
h_ok "Icinga 2 with anchorwatch_address adds -H" \
    test -n "$(echo "$cmd" | grep -e " -H 127.0.0.11@53 ")"
p_plugin "Icinga 2 anchorwatch -H" "$cmd"
h_ok "the Icinga 2 example applies the CheckCommand" \
    grep -q 'check_command = "anchorwatch"' \
    /usr/share/doc/anchorwatch/examples/anchorwatch-service.conf

# ---- the timer's service, under systemd ------------------------------------------
# PID 1 here is not systemd: the host's own tree, the package installed,
# boots in a container (systemd-nspawn) on a throw-away overlay, in this
# test's network namespace, and starts anchorwatch.service the way the
# timer does.  The resolvers' files and the test configuration are copied
# into the overlay (the container's /tmp is its own).
p_container() {
	local m=$H/ovl/m
	mount -t tmpfs tmpfs /run || return 1
	mkdir -p "$H/ovl/t" "$m" && mount -t tmpfs tmpfs "$H/ovl/t" &&
	    mkdir "$H/ovl/t/u" "$H/ovl/t/w" &&
	    mount -t overlay overlay -o "lowerdir=/,upperdir=$H/ovl/t/u,workdir=$H/ovl/t/w" "$m" ||
	    return 1
	mkdir -p "$m/srv/awt/out"
	cp -a "$H/ub" "$H/ksk1.key" "$m/srv/awt/"
	sed -i "s|$H|/srv/awt|g" "$m"/srv/awt/ub/*/unbound.conf
	sed "s|$H|/srv/awt|g" "$H/pkg.yaml" >"$m$CONF"
	rm -f "$m$STATE/history" "$m$STATE/last-run.json"
	cat >"$m/srv/awt/inner.sh" <<'EOS'
#!/bin/sh
o=/srv/awt/out
systemctl is-enabled anchorwatch.timer >$o/enabled 2>&1
systemctl start anchorwatch.timer
systemctl show -p NextElapseUSecRealtime --value anchorwatch.timer >$o/next
systemctl start anchorwatch.service
echo $? >$o/start
systemctl show -p Result --value anchorwatch.service >$o/result
systemctl show -p ExecMainStatus --value anchorwatch.service >$o/status
journalctl --no-pager -o cat -u anchorwatch.service >$o/journal
stat -c '%n %a %U:%G' /var/lib/anchorwatch/* >$o/state
EOS
	chmod 0755 "$m/srv/awt/inner.sh"
	cat >"$m/etc/systemd/system/aw-test.service" <<'EOS'
[Unit]
Description=t-package.sh: the timer's service, once
After=basic.target
[Service]
Type=oneshot
ExecStart=/srv/awt/inner.sh
ExecStopPost=/bin/systemctl --no-block poweroff
EOS
	timeout 180 systemd-nspawn --quiet --register=no --keep-unit -D "$m" \
	    --network-namespace-path=/proc/1/ns/net -b \
	    systemd.unit=aw-test.service >"$H/nspawn.log" 2>&1
	cp -r "$m/srv/awt/out" "$H/ct"
}
if command -v systemd-nspawn >/dev/null 2>&1; then
	export -f p_container
	t0=$(h_now)
	H=$H CONF=$CONF STATE=$STATE unshare --mount --propagation private \
	    bash -c p_container
	h_is "$(cat "$H/ct/enabled" 2>&1)" enabled \
	    "systemd (in a container, $(($(h_now) - t0)) s): the package enabled anchorwatch.timer"
	[ -d "$H/ct" ] || tail -n 20 "$H/nspawn.log" | h_diag
	h_ok "the timer is due to elapse ($(cat "$H/ct/next" 2>&1))" \
	    test -n "$(cat "$H/ct/next" 2>/dev/null)"
	h_is "$(cat "$H/ct/start" "$H/ct/result" 2>&1 | tr '\n' ' ')" "0 success " \
	    "systemctl start anchorwatch.service: a success (exit $(cat "$H/ct/status" 2>&1))"
	h_ok "the service read auto1's closed directory and logged to the journal" \
	    test -n "$(grep STATIC_ANCHOR "$H/ct/journal" 2>/dev/null)" \
	    -a -z "$(grep CONFIG_ERROR "$H/ct/journal" 2>/dev/null)"
	h_diag <"$H/ct/journal"
	# TODO(lead): is_writable_by (fileio.c) takes ST_RDONLY from statvfs
	# in the agent's own mount namespace, which ProtectSystem=strict makes
	# read-only everywhere: auto1's directory, writable by unbound on the
	# host, is reported "on a read-only file system".  Until the check
	# looks at the mounts the resolver sees (/proc/1/mountinfo, or the
	# daemon's /proc/PID/mountinfo), this fails.
	h_not_ok "no ANCHOR_NOT_WRITABLE from the service's own read-only view" \
	    grep -q 'ANCHOR_NOT_WRITABLE resolver=auto1' "$H/ct/journal"
	h_ok "and wrote its history as anchorwatch" \
	    grep -q "^$STATE/history 644 anchorwatch:anchorwatch$" "$H/ct/state"
else
	H_NTEST=$((H_NTEST + 1))
	echo "ok $H_NTEST # SKIP systemd-nspawn not installed: the unit is not run under systemd"
fi

# ---- remove, purge ---------------------------------------------------------------
umount "$CONF" || h_bail "cannot unmount the test configuration"
h_ok "dpkg -r removes it" p_quiet dpkg -r anchorwatch
h_ok "the cron line stays with the conffiles, and does nothing" \
    test -f /etc/cron.d/anchorwatch -a ! -e /usr/sbin/anchorwatch
rc=0
sh -c "$cron_cmd" >"$H/cron-rm.out" 2>&1 || rc=$?
h_ok "  (exit $rc, no output)" test "$rc" -ne 0 -a ! -s "$H/cron-rm.out"
h_ok "dpkg --purge purges it" p_quiet dpkg --purge anchorwatch
P_INSTALLED=""
for path in "$STATE" /etc/anchorwatch /etc/cron.d/anchorwatch \
    /etc/nagios/nrpe.d/anchorwatch.cfg /usr/share/anchorwatch "$PLUGIN" \
    /usr/lib/sysusers.d/anchorwatch.conf "$UNIT"; do
	h_not_ok "purged: $path" test -e "$path" -o -L "$path"
done
left=$(find /etc /var /usr /run /tmp -xdev -user anchorwatch 2>/dev/null | head)
h_is "$left" "" "no file of the user anchorwatch is left"
h_ok "the user stays, as Debian keeps system users (the test removes it)" \
    p_quiet getent passwd anchorwatch

h_done
