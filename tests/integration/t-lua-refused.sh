#!/bin/bash
#
# t-lua-refused.sh: the Lua readers refuse what the daemons refuse, and only
# that.  Each configuration below is started with the real daemon (kresd
# 5.6, pdns_recursor 4.8 of Debian 12; neither has a config checker that
# runs the Lua config): a daemon that exits at once refuses it, one still
# running after a few seconds takes it.  anchorwatch must say
# CONFIG_REFUSED (CRITICAL) for exactly the refused ones.  The pdns
# cases also cover a setting the daemon does not know.
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need kresd pdns_recursor
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
KD=$TOP/tests/data/knot
PD=$TOP/tests/data/pdns
h_root_init >/dev/null
h_root_stage pre
h_addr_add 127.0.0.41

# daemon_verdict CMD...: "refuses" if CMD exits within 4 s, else "takes"
# (it is then stopped).
daemon_verdict() {
	local rc=0
	timeout 4 "$@" >>"$H/daemon.log" 2>&1 || rc=$?
	if [ "$rc" = 124 ]; then echo takes; else echo refuses; fi
}

# ---- kresd --------------------------------------------------------------
mkdir -p "$H/k/keys"
cp "$KD/good/kresd-valid.keys" "$H/k/keys/root.keys"
chown -R knot-resolver:knot-resolver "$H/k"
head='net.listen("127.0.0.41", 53)'
# The configurations: NAME and text; the Lua syntax cases are the unit
# tests' fixtures.
declare -A kconf
for f in str longstr longcomment paren table badesc hexesc noend mismatch \
    closes add-bad add-mixed addfile-missing addfile-empty dofile-missing; do
	kconf[$f]="$head
$(sed "s|'[^']*seed.key'|'$KD/good/seed.key'|" "$KD/bad/$f.conf")"
done
kconf[add-managed]="$head
trust_anchors.add_file('$H/k/keys/root.keys')
trust_anchors.add('. 3600 IN DS 62641 8 2 fb678666c78a4fc9a32951d1eb0e0a3e362c37b5fb72ac68fbcaeb3a9e7b72f0')"
kconf[nta-root]="$head
$(cat "$KD/bad/nta-root.conf")"
kconf[plain]="$head
-- valid Lua the scanner must not refuse: blocks, long brackets, escapes
local t = { [[a]], [==[b]]==], 'c\\z
    d', \"\\u{e9}\\x41\\065\" }
for i = 1, 2 do if i == 1 then t[i] = t[i] .. 'x' elseif i then repeat
  i = i + 1 until true else end end
local f = function(x) return x end
trust_anchors.add_file('$KD/good/seed.key', true)"
# dofile in a loop: Lua's stack overflows
kconf[loop]="$head
dofile('$H/k/loop-b.lua')"
echo "dofile('$H/k/loop/kresd.conf')" >"$H/k/loop-b.lua"
kconf[readd]="$head
trust_anchors.remove('.')
trust_anchors.add_file('$KD/good/seed.key', true)"

entries=()
for n in "${!kconf[@]}"; do
	mkdir -p "$H/k/$n"
	printf '%s\n' "${kconf[$n]}" >"$H/k/$n/kresd.conf"
	chown -R knot-resolver:knot-resolver "$H/k/$n"
	v=$(cd "$H/k/$n" && daemon_verdict kresd -n -c "$H/k/$n/kresd.conf" \
	    "$H/k/$n")
	echo "$v" >"$H/k/$n/verdict"
	entries+=("knot-resolver:k-$n:$H/k/$n/kresd.conf")
done

# ---- pdns_recursor -------------------------------------------------------
declare -A plua
for f in "$PD"/bad/refuse-*.lua "$PD"/good/accept-*.lua; do
	n=$(basename "$f" .lua)
	plua[$n]=$(cat "$f")
done
plua[loop]="dofile('$H/p/loop-b.lua')"
mkdir -p "$H/p"
echo "dofile('$H/p/loop/recursor.lua')" >"$H/p/loop-b.lua"
plua[valid]="clearTA()
addTA('.', \"38696 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2b16\")"
for n in "${!plua[@]}" mode unknown; do
	d=$H/p/$n
	mkdir -p "$d"
	printf '%s\n' "${plua[$n]:-}" >"$d/recursor.lua"
	cat >"$d/recursor.conf" <<EOF
config-dir=$d
socket-dir=$d
local-address=127.0.0.41
local-port=5300
lua-config-file=$d/recursor.lua
daemon=no
write-pid=no
disable-syslog=yes
security-poll-suffix=
EOF
	[ "$n" = mode ] && echo "dnssec=Validate" >>"$d/recursor.conf"
	[ "$n" = unknown ] && echo "frobnicate=yes" >>"$d/recursor.conf"
	chown -R pdns:pdns "$d"
	daemon_verdict pdns_recursor --config-dir="$d" >"$d/verdict"
	entries+=("pdns-recursor:p-$n:$d/recursor.conf")
done

h_aw_config_typed "$H/aw.yaml" -- "${entries[@]}"
h_aw "$H/aw.yaml" check

for d in "$H"/k/*/ "$H"/p/*/; do
	[ -f "$d/verdict" ] || continue
	n=$(basename "$d")
	[ "${d#"$H"/k/}" != "$d" ] && r=k-$n || r=p-$n
	v=$(cat "$d/verdict")
	if [ "$v" = refuses ]; then
		h_ok "$r: the daemon refuses it, anchorwatch says CONFIG_REFUSED" \
		    grep -Eq "^CRITICAL CONFIG_REFUSED resolver=$r " "$H/aw.out"
	else
		h_not_ok "$r: the daemon takes it, no CONFIG_REFUSED" \
		    grep -Eq "CONFIG_REFUSED resolver=$r " "$H/aw.out"
	fi
done
# The verdicts the fixtures were written for (a daemon that changed its
# mind shows here, not as a silent agreement).
h_is "$(cat "$H/k/str/verdict" "$H/k/add-managed/verdict" \
    "$H/k/loop/verdict" "$H/k/plain/verdict")" "refuses
refuses
refuses
takes" "kresd: str, add-managed and a dofile loop refused, plain taken"
h_is "$(cat "$H/p/refuse-hex/verdict" "$H/p/mode/verdict" \
    "$H/p/unknown/verdict" "$H/p/accept-short/verdict" \
    "$H/p/valid/verdict")" "refuses
refuses
refuses
takes
takes" "pdns_recursor: bad hex, dnssec=Validate, an unknown setting refused, a short digest taken"
h_diag <"$H/aw.out"
h_done
