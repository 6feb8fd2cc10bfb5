#!/bin/bash
#
# t-probe-overlap.sh: the probes run while the root query is in flight,
# not after it (issue 13 item 7).  The local signed root at stage "pre"
# and a healthy RFC 5011 unbound (auto1) are each put behind a relay of
# this test ($H/overlap.py, python3, on 127.0.0.x): the relay in front of
# the root holds every answer until a probe has reached the relay in front
# of auto1, or HOLD seconds have passed (3 s: short of libunbound's giving
# up on the held root, so that a run without the overlap still ends well;
# long past the milliseconds a probe takes to leave), and logs in order
# what it saw.  The assertion is one of order, not of time: the first root
# answer left after the first probe arrived.  A check that asked its
# probes only once it had the root's answer could never do that: the
# binary before the overlap waits out HOLD, passes the other two tests and
# fails this one.  The findings are those of the same check without the
# relays: exit 0, no probe finding.
#
# The resolvers' files are read while the root query is in flight too:
# under strace, the run's process starts the query's (clone) before it
# opens auto1's unbound.conf.  The binary that read them first fails it.
# And no process of the run opens libcrypto, json-c, fstrm, protobuf-c,
# expat or libpcap (loaded at their first use, which check never makes).
#
# TAP on stdout.  AW_KEEP=1 keeps the work directory.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source-path=SCRIPTDIR/../harness
. "$(dirname "$0")/../harness/lib.sh"
h_need python3
h_need strace
h_enter "$@"
[ -x "$AW_BIN" ] || h_bail "$AW_BIN is not built (make all)"

ROOT_RELAY=127.0.0.21
RES_RELAY=127.0.0.22
HOLD=3

h_root_init >/dev/null
h_root_stage pre
h_unbound_start auto1 127.0.0.11 auto

cat >"$H/overlap.py" <<'EOF'
"""overlap.py ROOT_RELAY ROOT RES_RELAY RES HOLD: UDP and TCP relays on
port 53.  ROOT_RELAY forwards to ROOT and holds each answer until a query
has come to RES_RELAY, or HOLD seconds; RES_RELAY forwards to RES at once.
Logs on stderr, in order: "probe", "root query", "root answer after probe"
or "root answer without probe"."""
import socket, struct, sys, threading

RR, ROOT, SR, RES, HOLD = sys.argv[1], sys.argv[2], sys.argv[3], \
    sys.argv[4], float(sys.argv[5])
probe = threading.Event()
lock = threading.Lock()


def log(what):
    with lock:
        sys.stderr.write(what + "\n")
        sys.stderr.flush()


def recv_exact(s, n):
    b = b''
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def forward(q, up, tcp):
    if tcp:
        s = socket.create_connection((up, 53), timeout=5)
        s.sendall(struct.pack('!H', len(q)) + q)
        r = recv_exact(s, struct.unpack('!H', recv_exact(s, 2))[0])
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.sendto(q, (up, 53))
        r = s.recv(65535)
    s.close()
    return r


def relay(q, is_root, tcp):
    if not is_root:
        probe.set()
        log("probe")
        return forward(q, RES, tcp)
    log("root query")
    r = forward(q, ROOT, tcp)
    seen = probe.wait(HOLD)
    log("root answer " + ("after probe" if seen else "without probe"))
    return r


def udp_one(s, q, peer, is_root):
    try:
        s.sendto(relay(q, is_root, False), peer)
    except Exception as e:
        log("udp: %s" % e)


def tcp_one(c, is_root):
    try:
        q = recv_exact(c, struct.unpack('!H', recv_exact(c, 2))[0])
        r = relay(q, is_root, True)
        c.sendall(struct.pack('!H', len(r)) + r)
    except Exception as e:
        log("tcp: %s" % e)
    finally:
        c.close()


def serve_tcp(t, is_root):
    while True:
        c, _ = t.accept()
        threading.Thread(target=tcp_one, args=(c, is_root),
                         daemon=True).start()


def serve_udp(u, is_root):
    while True:
        q, peer = u.recvfrom(65535)
        threading.Thread(target=udp_one, args=(u, q, peer, is_root),
                         daemon=True).start()


for addr, is_root in ((RR, True), (SR, False)):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 53))
    t.listen(16)
    threading.Thread(target=serve_tcp, args=(t, is_root),
                     daemon=True).start()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, 53))
    threading.Thread(target=serve_udp, args=(u, is_root),
                     daemon=True).start()
threading.Event().wait()
EOF

h_addr_add "$ROOT_RELAY"
h_addr_add "$RES_RELAY"
python3 "$H/overlap.py" "$ROOT_RELAY" "$H_ROOT_ADDR" "$RES_RELAY" 127.0.0.11 \
    "$HOLD" 2>"$H/overlap.log" &
h_pid_add overlap $!
h_wait_for "relay on $ROOT_RELAY" 20 h_udp_bound "$ROOT_RELAY" &&
    h_wait_for "relay on $RES_RELAY" 20 h_udp_bound "$RES_RELAY" ||
    h_bail "the relays did not start"

# root.timeout outlasts HOLD, so that a run without the overlap still gets
# the root's answer, and fails on the order alone.
h_aw_config "$H/aw.yaml" "stub=$ROOT_RELAY@53" --
sed -i '/^resolvers: \[\]$/d; s/^  timeout: 5$/  timeout: 20/' "$H/aw.yaml"
cat >>"$H/aw.yaml" <<EOC
probes:
  timeout: 3
resolvers:
  - name: auto1
    type: unbound
    config: $(h_ub_conf auto1)
    address: $RES_RELAY@53
EOC

h_aw "$H/aw.yaml" -t 40 check
if [ "$AW_RC" = 0 ] && ! grep -Eq '^(WARNING|CRITICAL) ' "$H/aw.out"; then
	h_pass "check through the relays: exit 0, no finding"
else
	h_fail "check through the relays: exit 0, no finding"
	h_aw_show
fi
first=$(grep -m 1 '^root answer' "$H/overlap.log")
if [ "$first" = "root answer after probe" ]; then
	h_pass "a probe reached the resolver before the root's first answer left"
else
	h_fail "a probe reached the resolver before the root's first answer left"
	h_diag <"$H/overlap.log"
fi
if grep -q '^probe' "$H/overlap.log" &&
    ! grep -Eq '^(udp|tcp):' "$H/overlap.log"; then
	h_pass "the relays relayed without error"
else
	h_fail "the relays relayed without error"
	h_diag <"$H/overlap.log"
fi
# The order of the run's own system calls: the query process is started
# (clone) before the resolver's configuration is opened.
strace -f -qq -e trace=clone,clone3,openat -o "$H/strace.log" \
    "$AW_BIN" -c "$H/aw.yaml" -t 40 check >/dev/null 2>&1
lead=$(sed -n '1s/^\([0-9]*\) .*/\1/p' "$H/strace.log")
conf=$(h_ub_conf auto1)
fork_at=$(grep -n "^$lead  *clone" "$H/strace.log" | head -n 1 | cut -d: -f1)
read_at=$(grep -n "^$lead  *openat(.*\"$conf\"" "$H/strace.log" |
    head -n 1 | cut -d: -f1)
if [ -n "$fork_at" ] && [ -n "$read_at" ] && [ "$fork_at" -lt "$read_at" ]
then
	h_pass "the resolver's configuration was read after the root query started"
else
	h_fail "the resolver's configuration was read after the root query started"
	h_diag <"$H/strace.log"
fi
# The libraries check does not need are not loaded (lazy.h, capture.c):
# no process of the run opened one.
lazy='lib(crypto|json-c|fstrm|protobuf-c|expat|pcap)\.so'
if grep -q "^$lead  *openat(.*/libunbound\.so" "$H/strace.log" &&
    ! grep -Eq "openat\(.*/$lazy" "$H/strace.log"; then
	h_pass "check loads libunbound, and no library it does not need"
else
	h_fail "check loads libunbound, and no library it does not need"
	grep -E "\.so" "$H/strace.log" | h_diag
fi
h_done
