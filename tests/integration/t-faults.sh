#!/bin/bash
#
# t-faults.sh: faults of the root, of a resolver and of files that the
# other issue-12 tests leave out (a root with no route or that never
# answers: t-offline.sh; a resolver that never answers: t-remote.sh; FIFOs,
# fan-out, memory: t-hostile-files.sh; the clock: t-clock.sh; kill -9:
# t-kill.sh).  The local signed root at stage "pre", a healthy RFC 5011
# unbound (auto1) and a fault server this test writes ($H/faultdns.py,
# python3, UDP and TCP on 127.0.0.x) that forwards to the root or to auto1
# and misbehaves.  Every run is timed against its -t.
#
#   1. the agent's root, through the fault server: slow (past
#      root.timeout), truncating (TC on every UDP answer, TCP closed or cut
#      mid-message), bogus (a byte of every RRSIG over DNSKEY flipped), and
#      a spoofed root signed by keys nobody trusts (spoof.sh): each
#      ROOT_UNREACHABLE, UNKNOWN, saying why (BOGUS for the last two), no
#      CRITICAL, the resolvers still judged, within -t; the agent's anchor
#      file keeps its keys (only libunbound's counters of failed queries
#      change: ;;last_queried and ;;query_failed).
#   2. resolvers at a fault address: random bytes, the query's ID with a
#      malformed message, the query's ID with another question, TC only,
#      an answer after the probe time-out: RESOLVER_UNREACHABLE (WARNING;
#      UNKNOWN with -H), never NOT_VALIDATING or VALIDATION_FAILING.
#   3. files as an unbound config, include and trust-anchor-file: 100 MiB
#      (sparse), binary, /dev/zero, /dev/urandom, a symbolic link loop:
#      CONFIG_ERROR naming file and line, the healthy resolver beside them
#      still judged, exit 3.  Mode 000: anchorwatch reads what root reads
#      (it keeps CAP_DAC_READ_SEARCH), so as root a mode-000 config or
#      include is read as unbound reads it (as root, before it drops to its
#      user), but a mode-000 trust-anchor-file, which unbound opens as its
#      user, is CONFIG_REFUSED; anchorwatch run as nobody (setpriv) cannot
#      read any of them: CONFIG_ERROR naming file and line.  World-writable:
#      a resolver's file is WORLD_WRITABLE (WARNING, naming it); the
#      agent's anchor file and anchorwatch.yaml are refused (UNKNOWN).
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/spoof.sh"
h_need python3 setpriv truncate
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto
F=$H/files
mkdir -p "$F"
chmod 0755 "$F"
cp "$H/ksk1.key" "$F/root.key"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/root.key" >"$F/good.conf"
printf 'version: 1\nevents: []\n' >"$H/calendar.yaml"

# ---- the fault server --------------------------------------------------------

cat >"$H/faultdns.py" <<'EOF'
"""faultdns.py MODE ADDR UPSTREAM: DNS on ADDR port 53, UDP and TCP,
misbehaving as MODE says; UPSTREAM (port 53) answers what is forwarded.
  slow       forward, answer 30 s later
  trunc      UDP: the question back with QR and TC, nothing else; TCP:
             closed at once, or (every other connection) cut mid-message
  badsig     forward, one byte of every RRSIG over DNSKEY flipped
  random     1 to 512 random bytes
  malformed  the query's ID and question, QR, NOERROR, no AD, ANCOUNT 3 and
             nothing after the question
  otherq     the query's ID, a well-formed NOERROR answer without AD to
             another question (evil.example. A)
Each fault done is logged on stderr ("tcp", "flipped")."""
import os, random, socket, struct, sys, threading, time

MODE, ADDR, UP = sys.argv[1], sys.argv[2], (sys.argv[3], 53)


def log(what):
    sys.stderr.write(what + "\n")
    sys.stderr.flush()


def skip_name(m, o):
    while m[o] & 0xc0 != 0xc0 and m[o] != 0:
        o += m[o] + 1
    return o + (2 if m[o] & 0xc0 == 0xc0 else 1)


def question(q):
    return q[12:skip_name(q, 12) + 4]


def flip_rrsig(m):
    m = bytearray(m)
    qd, an, ns, ar = struct.unpack('!4H', m[4:12])
    o = 12
    for _ in range(qd):
        o = skip_name(m, o) + 4
    for _ in range(an + ns + ar):
        o = skip_name(m, o)
        typ, rdlen = struct.unpack('!H', m[o:o + 2])[0], \
            struct.unpack('!H', m[o + 8:o + 10])[0]
        o += 10
        if typ == 46 and m[o:o + 2] == b'\0\x30':
            m[o + rdlen - 1] ^= 0x55
            log("flipped")
        o += rdlen
    return bytes(m)


def recv_exact(s, n):
    b = b''
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def recv_msg(s):
    return recv_exact(s, struct.unpack('!H', recv_exact(s, 2))[0])


def forward(q, tcp):
    if tcp:
        s = socket.create_connection(UP, timeout=5)
        s.sendall(struct.pack('!H', len(q)) + q)
        r = recv_msg(s)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.sendto(q, UP)
        r = s.recv(65535)
    s.close()
    return r


def answer(q, tcp):
    if MODE == 'slow':
        time.sleep(30)
        return forward(q, tcp)
    if MODE == 'badsig':
        return flip_rrsig(forward(q, tcp))
    if MODE == 'trunc':
        return q[:2] + bytes([q[2] | 0x82, 0]) + b'\0\1\0\0\0\0\0\0' + \
            question(q)
    if MODE == 'random':
        return os.urandom(random.randint(1, 512))
    if MODE == 'malformed':
        return q[:2] + b'\x81\x80\0\1\0\3\0\0\0\0' + question(q)
    return q[:2] + b'\x81\x80\0\1\0\1\0\0\0\0' + \
        b'\4evil\7example\0\0\1\0\1' + \
        b'\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\xc0\0\2\1'


def udp_one(s, q, peer):
    try:
        s.sendto(answer(q, False), peer)
    except Exception as e:
        log("udp: %s" % e)


def tcp_one(c, n):
    try:
        q = recv_msg(c)
        log("tcp")
        if MODE == 'trunc':
            if n % 2 == 0:
                r = forward(q, True)
                c.sendall(struct.pack('!H', len(r)) + r[:len(r) // 2])
            return
        r = answer(q, True)
        c.sendall(struct.pack('!H', len(r)) + r)
    except Exception as e:
        log("tcp: %s" % e)
    finally:
        c.close()


def serve_tcp(t):
    n = 0
    while True:
        c, _ = t.accept()
        n += 1
        threading.Thread(target=tcp_one, args=(c, n), daemon=True).start()


u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((ADDR, 53))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind((ADDR, 53))
t.listen(64)
threading.Thread(target=serve_tcp, args=(t,), daemon=True).start()
while True:
    q, peer = u.recvfrom(65535)
    threading.Thread(target=udp_one, args=(u, q, peer), daemon=True).start()
EOF

# t_fault NAME MODE ADDR UPSTREAM: start the fault server NAME on ADDR;
# its stderr in $H/fault-NAME.log.
t_fault() {
	h_addr_add "$3"
	python3 "$H/faultdns.py" "$2" "$3" "$4" 2>"$H/fault-$1.log" &
	h_pid_add "fault-$1" $!
	h_wait_for "fault server $1 on $3" 20 h_udp_bound "$3" ||
	    h_bail "fault server $1 did not start"
}

# t_conf FILE STUB [NAME:ADDR...]: state $H/aw, root.timeout 2, probes of
# 1 s, no calendar; the resolvers auto1 (probed at its address) and
# static1 (files only: STATIC_ANCHOR), and each NAME with auto1's config
# probed at ADDR.
t_conf() {
	local file=$1 stub=$2 r
	shift 2
	h_aw_config "$file" "stub=$stub" --
	sed -i '/^resolvers: \[\]$/d; s/^  timeout: 5$/  timeout: 2/' "$file"
	cat >>"$file" <<EOC
events:
  file: $H/calendar.yaml
probes:
  timeout: 1
  signed_name: hello.harness
  sentinel_domain: sentinel.harness
resolvers:
  - name: static1
    type: unbound
    config: $F/good.conf
EOC
	for r in auto1:127.0.0.11 "$@"; do
		printf '  - name: %s\n    type: unbound\n    config: %s\n    address: %s@53\n' \
		    "${r%%:*}" "$(h_ub_conf auto1)" "${r#*:}" >>"$file"
	done
}

# t_typed FILE [KEY=VALUE...] -- TYPE:NAME:CONFIG...: h_aw_config_typed,
# with no calendar.
t_typed() {
	h_aw_config_typed "$@"
	printf 'events:\n  file: %s\n' "$H/calendar.yaml" >>"$1"
}

# t_aw CONF LIMIT ARGS...: h_aw with -t LIMIT; its time in T_MS.
t_aw() {
	local conf=$1 limit=$2 t0
	shift 2
	t0=$(h_ms)
	h_aw "$conf" -t "$limit" "$@"
	T_MS=$(($(h_ms) - t0))
	T_LIMIT=$limit
}

# t_within DESC: the last run ended before its -t.
t_within() {
	if [ "$T_MS" -lt $((T_LIMIT * 1000)) ]; then
		h_pass "$1: within -t $T_LIMIT (${T_MS} ms)"
	else
		h_fail "$1: within -t $T_LIMIT (${T_MS} ms)"
	fi
}

# t_has ERE: a line of the last run's stdout matches.
t_has() {
	grep -Eq -- "$1" "$H/aw.out"
}

# t_no_critical: no CRITICAL finding, and no NOT_VALIDATING or
# VALIDATION_FAILING of any severity.
t_no_critical() {
	! grep -Eq '^CRITICAL |NOT_VALIDATING|VALIDATION_FAILING' "$H/aw.out"
}

# t_keys_kept BEFORE: the agent's anchor file is BEFORE but for
# libunbound's counters of failed queries.
t_keys_kept() {
	cmp -s <(grep -Ev '^;;(last_queried|query_failed):' "$1") \
	    <(grep -Ev '^;;(last_queried|query_failed):' "$H/aw/root.key")
}

# ---- 1. the agent's root -------------------------------------------------------

t_conf "$H/good.yaml" "$H_ROOT_ADDR@53"
t_aw "$H/good.yaml" 10 check
h_is "$AW_RC" 1 "the real root: exit 1 (static1 STATIC_ANCHOR only)"
h_ok "the real root: the agent holds KSK1 Valid" \
    grep -q ';;state=2 \[  VALID  \]' "$H/aw/root.key"

t_fault rslow slow 127.0.0.51 "$H_ROOT_ADDR"
t_fault rtrunc trunc 127.0.0.52 "$H_ROOT_ADDR"
t_fault rbogus badsig 127.0.0.53 "$H_ROOT_ADDR"
h_spoof_root 127.0.0.54
h_key_export spoofksk

# t_root NAME ADDR SAYS WHY: the agent's root at ADDR; ROOT_UNREACHABLE
# matching WHY (ERE), which SAYS, and the rest.
t_root() {
	local name=$1 addr=$2 says=$3 why=$4
	t_conf "$H/$name.yaml" "$addr@53"
	cp "$H/aw/root.key" "$H/$name.before"
	t_aw "$H/$name.yaml" 8 check
	h_aw_show
	h_is "$AW_RC" 3 "root $name: exit 3"
	h_ok "root $name: ROOT_UNREACHABLE, UNKNOWN, $says" \
	    t_has "^UNKNOWN ROOT_UNREACHABLE resolver=- keytag=-: no secure root DNSKEY answer for the agent: .*$why"
	h_ok "root $name: no CRITICAL about any resolver" t_no_critical
	h_ok "root $name: static1 still judged (STATIC_ANCHOR)" \
	    t_has '^WARNING STATIC_ANCHOR resolver=static1 '
	h_not_ok "root $name: auto1 probed, no finding" \
	    t_has ' resolver=auto1 '
	t_within "root $name"
	h_ok "root $name: the agent's anchor file keeps its keys and states" \
	    t_keys_kept "$H/$name.before"
}
t_root slow 127.0.0.51 "no answer within root.timeout" \
    'no answer for \. DNSKEY within 2 s \(root\.timeout\)'
h_ok "root slow: waited root.timeout (2 s) for it" test "$T_MS" -ge 1900
t_root trunc 127.0.0.52 "libunbound's SERVFAIL" 'answer rcode 2 \(SERVFAIL\)'
h_ok "root trunc: libunbound tried TCP, which was closed and cut" \
    grep -q '^tcp$' "$H/fault-rtrunc.log"
t_root bogus 127.0.0.53 "BOGUS, the signature does not verify" \
    'answer is BOGUS: .*signature verification failed'
h_ok "root bogus: the fault server flipped signature bytes" \
    grep -q '^flipped$' "$H/fault-rbogus.log"
t_root spoof 127.0.0.54 "BOGUS, no signature by a trusted key" \
    'answer is BOGUS: .*signature missing'
h_not_ok "root spoof: no spoofed key in the agent's anchor file" \
    grep -q "id = $(h_tag spoofksk) " "$H/aw/root.key"

# ---- 2. resolvers at a fault address ---------------------------------------

t_fault xrandom random 127.0.0.61 127.0.0.11
t_fault xmalformed malformed 127.0.0.62 127.0.0.11
t_fault xotherq otherq 127.0.0.63 127.0.0.11
t_fault xtrunc trunc 127.0.0.64 127.0.0.11
t_fault xslow slow 127.0.0.65 127.0.0.11
FAULTY="random:127.0.0.61 malformed:127.0.0.62 otherq:127.0.0.63 trunc:127.0.0.64 slow:127.0.0.65"
# shellcheck disable=SC2086 # the list of NAME:ADDR
t_conf "$H/res.yaml" "$H_ROOT_ADDR@53" $FAULTY
t_aw "$H/res.yaml" 20 check
h_aw_show
h_is "$AW_RC" 1 "faulty resolvers: exit 1 (WARNINGs only)"
h_ok "faulty resolvers: no CRITICAL, no NOT_VALIDATING" t_no_critical
for r in random malformed otherq slow; do
	h_ok "resolver $r: RESOLVER_UNREACHABLE (WARNING)" \
	    t_has "^WARNING RESOLVER_UNREACHABLE resolver=$r "
done
h_not_ok "resolver trunc: TC only tells nothing, no finding" \
    t_has ' resolver=trunc '
h_not_ok "faulty resolvers: auto1 beside them, no finding" \
    t_has ' resolver=auto1 '
t_within "faulty resolvers"
# t_unknown_unreachable: -H's RESOLVER_UNREACHABLE, UNKNOWN, and no CRITICAL.
t_unknown_unreachable() {
	t_has '^UNKNOWN RESOLVER_UNREACHABLE ' && t_no_critical
}
for r in $FAULTY; do
	t_aw "$H/res.yaml" 5 check -H "${r#*:}"
	h_is "$AW_RC" 3 "-H ${r%%:*}: exit 3"
	h_ok "-H ${r%%:*}: RESOLVER_UNREACHABLE (UNKNOWN), no CRITICAL" \
	    t_unknown_unreachable
	t_within "-H ${r%%:*}"
done

# ---- 3. files ------------------------------------------------------------------

truncate -s 100M "$F/huge"
{ printf '\177ELF\2\1\1\0'; head -c 8192 /dev/urandom; } >"$F/binary"
ln -s "$F/loop-b" "$F/loop-a"
ln -s "$F/loop-a" "$F/loop-b"
# t_path KIND: the hostile file of KIND.
t_path() {
	case $1 in
	zero | urandom) echo "/dev/$1" ;;
	loop) echo "$F/loop-a" ;;
	*) echo "$F/$1" ;;
	esac
}
# t_why KIND: what is wrong with it (ERE).
t_why() {
	case $1 in
	huge) echo 'larger than 1048576 bytes' ;;
	binary) echo ':1: NUL byte in file' ;;
	zero | urandom) echo ': a character device, not a regular file' ;;
	loop) echo ': cannot read: Too many levels of symbolic links' ;;
	esac
}
KINDS="huge binary zero urandom loop"
set -- unbound:good:"$F/good.conf"
for k in $KINDS; do
	p=$(t_path "$k")
	printf 'server:\n  include: "%s"\n' "$p" >"$F/inc-$k.conf"
	printf 'server:\n  trust-anchor-file: "%s"\n' "$p" >"$F/ta-$k.conf"
	set -- "$@" unbound:conf-"$k":"$p" unbound:inc-"$k":"$F/inc-$k.conf" \
	    unbound:ta-"$k":"$F/ta-$k.conf"
done
t_typed "$H/files.yaml" -- "$@"
t_aw "$H/files.yaml" 20 check
h_aw_show
h_is "$AW_RC" 3 "hostile files: exit 3 (CONFIG_ERROR, UNKNOWN)"
h_ok "hostile files: the healthy resolver still judged (STATIC_ANCHOR)" \
    t_has '^WARNING STATIC_ANCHOR resolver=good '
h_ok "hostile files: no CRITICAL" t_no_critical
t_within "hostile files"
# t_error NAME ERE: resolver NAME has a CONFIG_ERROR matching ERE.
t_error() {
	t_has "^UNKNOWN CONFIG_ERROR resolver=$1 keytag=-: $2"
}
for k in $KINDS; do
	p=$(t_path "$k")
	w=$(t_why "$k")
	if [ "$k" = binary ]; then
		h_ok "$k as the config: CONFIG_ERROR naming file and line" \
		    t_error "conf-$k" "$p$w"
	else
		h_ok "$k as the config: CONFIG_ERROR naming it and its line in anchorwatch.yaml" \
		    t_error "conf-$k" "$H/files.yaml:[0-9]+: resolver conf-$k: $p.*$w"
	fi
	h_ok "$k as an include: CONFIG_ERROR naming file and line" \
	    t_error "inc-$k" "$F/inc-$k.conf:2: include: $p.*$w"
	h_ok "$k as a trust-anchor-file: CONFIG_ERROR naming file and line" \
	    t_error "ta-$k" "$F/ta-$k.conf:2: $p.*$w"
done

# Mode 000, read as root.  unbound reads its config and includes as root,
# then drops to its user and opens the anchor files (unbound(8)
# perform_setup, then the validator's anchors_apply_cfg).
cp "$F/root.key" "$F/m000.key"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/root.key" >"$F/m000.conf"
printf 'server:\n  include: "%s"\n' "$F/m000.conf" >"$F/inc-m000.conf"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/m000.key" >"$F/ta-m000.conf"
printf 'server:\n  username: ""\n  trust-anchor-file: "%s"\n' \
    "$F/m000.key" >"$F/ta-m000-root.conf"
chmod 000 "$F/m000.key" "$F/m000.conf"
t_typed "$H/m000.yaml" -- unbound:good:"$F/good.conf" \
    unbound:conf-m000:"$F/m000.conf" unbound:inc-m000:"$F/inc-m000.conf" \
    unbound:ta-m000:"$F/ta-m000.conf" unbound:ta-m000-root:"$F/ta-m000-root.conf"
t_aw "$H/m000.yaml" 20 check
h_aw_show
h_is "$AW_RC" 2 "mode 000 as root: exit 2 (CONFIG_REFUSED)"
h_ok "mode-000 trust-anchor-file, unbound's user: CONFIG_REFUSED naming file, line and why" \
    t_has "^CRITICAL CONFIG_REFUSED resolver=ta-m000 keytag=-: $F/ta-m000.conf:2: unbound refuses to start: \"error reading trust-anchor-file: $F/m000.key\": $F/m000.key is not readable by unbound"
h_not_ok "mode-000 trust-anchor-file, username \"\" (unbound stays root): no CONFIG_REFUSED" \
    t_has ' resolver=ta-m000-root .*(CONFIG_REFUSED|CONFIG_ERROR)'
h_ok "mode-000 config, read as root as unbound does: STATIC_ANCHOR" \
    t_has '^WARNING STATIC_ANCHOR resolver=conf-m000 '
h_ok "mode-000 include, read as root as unbound does: STATIC_ANCHOR" \
    t_has '^WARNING STATIC_ANCHOR resolver=inc-m000 '
h_ok "mode 000 as root: the healthy resolver still judged" \
    t_has '^WARNING STATIC_ANCHOR resolver=good '
t_within "mode 000 as root"

# Mode 000, anchorwatch run as nobody: it cannot read them.
mkdir -p "$H/aw-nobody"
chown nobody:nogroup "$H/aw-nobody"
t_typed "$H/nobody.yaml" state="$H/aw-nobody" -- \
    unbound:good:"$F/good.conf" unbound:conf-m000:"$F/m000.conf" \
    unbound:inc-m000:"$F/inc-m000.conf" unbound:ta-m000:"$F/ta-m000.conf"
t0=$(h_ms)
AW_RC=0
setpriv --reuid=nobody --regid=nogroup --clear-groups "$AW_BIN" \
    -c "$H/nobody.yaml" -t 20 check --live >"$H/aw.out" 2>"$H/aw.err" ||
    AW_RC=$?
T_MS=$(($(h_ms) - t0))
T_LIMIT=20
h_aw_show
h_is "$AW_RC" 3 "mode 000, anchorwatch as nobody: exit 3"
h_ok "mode-000 config, as nobody: CONFIG_ERROR naming it and its line in anchorwatch.yaml" \
    t_error conf-m000 "$H/nobody.yaml:[0-9]+: resolver conf-m000: $F/m000.conf: cannot read: Permission denied"
h_ok "mode-000 include, as nobody: CONFIG_ERROR naming file and line" \
    t_error inc-m000 "$F/inc-m000.conf:2: include: $F/m000.conf: cannot read: Permission denied"
h_ok "mode-000 trust-anchor-file, as nobody: CONFIG_ERROR naming file and line" \
    t_error ta-m000 "$F/ta-m000.conf:2: $F/m000.key: cannot read: Permission denied"
h_ok "mode 000 as nobody: the healthy resolver still judged" \
    t_has '^WARNING STATIC_ANCHOR resolver=good '
t_within "mode 000 as nobody"

# World-writable: anyone on the host could change what a resolver trusts.
cp "$F/root.key" "$F/ww.key"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/root.key" >"$F/ww.conf"
printf 'server:\n  include: "%s"\n' "$F/ww.conf" >"$F/inc-ww.conf"
printf 'server:\n  trust-anchor-file: "%s"\n' "$F/ww.key" >"$F/ta-ww.conf"
cp "$F/ww.conf" "$F/ww-main.conf"
chmod 0666 "$F/ww.key" "$F/ww.conf" "$F/ww-main.conf"
t_typed "$H/ww.yaml" -- unbound:good:"$F/good.conf" \
    unbound:conf-ww:"$F/ww-main.conf" unbound:inc-ww:"$F/inc-ww.conf" \
    unbound:ta-ww:"$F/ta-ww.conf"
t_aw "$H/ww.yaml" 20 check
h_aw_show
h_is "$AW_RC" 1 "world-writable resolver files: exit 1 (WARNINGs)"
h_ok "world-writable config: WORLD_WRITABLE naming it" \
    t_has "^WARNING WORLD_WRITABLE resolver=conf-ww keytag=-: $F/ww-main.conf is writable by every user \(mode 0666\)"
h_ok "world-writable include: WORLD_WRITABLE naming it" \
    t_has "^WARNING WORLD_WRITABLE resolver=inc-ww keytag=-: $F/ww.conf is writable by every user \(mode 0666\)"
h_ok "world-writable trust-anchor-file: WORLD_WRITABLE naming it" \
    t_has "^WARNING WORLD_WRITABLE resolver=ta-ww keytag=-: $F/ww.key is writable by every user \(mode 0666\)"
h_not_ok "world-writable: nothing said of the healthy resolver's files" \
    t_has '^WARNING WORLD_WRITABLE resolver=good '
h_ok "world-writable: the resolvers still judged (STATIC_ANCHOR)" \
    t_has '^WARNING STATIC_ANCHOR resolver=ta-ww '
t_within "world-writable resolver files"

chmod 0666 "$H/aw/root.key"
t_aw "$H/good.yaml" 10 check
h_aw_show
h_is "$AW_RC" 3 "world-writable agent anchor file: exit 3"
h_ok "world-writable agent anchor file: refused, naming it" \
    t_has "^ANCHORWATCH UNKNOWN - $H/aw/root.key: writable by every user \(mode 0666\): refused"
chmod 0644 "$H/aw/root.key"
cp "$H/good.yaml" "$H/ww-aw.yaml"
chmod 0666 "$H/ww-aw.yaml"
t_aw "$H/ww-aw.yaml" 10 check
h_aw_show
h_is "$AW_RC" 3 "world-writable anchorwatch.yaml: exit 3"
h_ok "world-writable anchorwatch.yaml: refused, naming it" \
    t_has "^ANCHORWATCH UNKNOWN - CONFIG_ERROR: $H/ww-aw.yaml: writable by every user \(mode 0666\): refused"
t_aw "$H/good.yaml" 10 check
h_is "$AW_RC" 1 "modes put back: the real root, exit 1 again"
h_done
