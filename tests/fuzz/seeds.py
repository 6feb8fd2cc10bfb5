#!/usr/bin/env python3
"""tests/fuzz/seeds.py: (re)make the seed corpora of tests/fuzz/corpus/.

Text formats are seeded from the fixtures of tests/data and etc/ (a
subset: files of at most 64 KiB, each distinct content once).  Binary
formats come from real traffic kept by two integration tests (run them with
AW_KEEP=1 and pass their work directories):

  --traffic DIR  tests/integration/t-traffic.sh: roll.pcap (tcpdump -i lo of
                 real unbound and named resolving from the harness root),
                 awt/history and awt/root.key (the agent's own files)
  --dnstap DIR   tests/integration/t-dnstap.sh: dnstap/cap.fstrm
                 (fstrm_capture of real unbound and named), dnstap/*.csv
                 (counts files anchorwatch wrote), bind/*/managed-keys.bind.jnl
                 (read through named-journalprint)
  --record FILE  a state_dir/last-run.json written by `anchorwatch run`

Fields (fuzz_fields) are lines of the fixtures; other programs' output
(fuzz_tooloutput) is that of the installed named-checkconf on the hostile
named.conf fixtures and of pdns_recursor --version.

From the capture it cuts: pcap files of a few packets (microsecond and
nanosecond magic, both byte orders, pcapng), frames for fuzz_packet under
each link type, the DNS messages for fuzz_dns, and DNS over TCP streams
for fuzz_tcpflow (the capture's DNS messages, framed by RFC 1035 4.2.2 and
segmented); fuzz_tcpflow also gets cuts of tests/data/tcpflow/resolver-tcp.pcap
(taken up inside messages, segments lost).  fuzz_packet also gets the tunnels,
fragments and cut frames of tests/harness/encapgen.py.  Existing seeds are kept; files named repro-* (crash
reproducers) are never touched.
Usage: python3 tests/fuzz/seeds.py [--traffic DIR] [--dnstap DIR] [--record F]
"""
import argparse
import glob
import hashlib
import os
import struct
import subprocess

TOP = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
SEED_MAX = 64 * 1024

# Fixtures per target: globs from the top of the tree.
TEXT = {
    "config": ["tests/data/config/*/*.yaml", "tests/data/events/config/*",
               "etc/anchorwatch.yaml"],
    "calendar": ["etc/anchorwatch/events.yaml", "tests/data/events/good/*.yaml",
                 "tests/data/events/bad/*.yaml"],
    "scenario": ["etc/anchorwatch/scenarios/*.yaml",
                 "tests/data/replay/*/*.yaml"],
    "zonefile": ["tests/data/zonefile/*", "tests/data/unbound/*/*.key",
                 "tests/data/unbound/*/*.ds", "tests/data/wild/*.key",
                 "tests/data/knot/good/*.key*"],
    "autotrust": ["tests/data/unbound/*/*.key", "tests/data/events/*/*.key"],
    "knotkeys": ["tests/data/knot/*/*.keys", "tests/data/knot/*/*.key"],
    "namedconf": ["tests/data/bind/*/*.conf", "tests/data/bind/*/*.keys",
                  "tests/data/bind/*/*/*.conf", "tests/data/unbound/*/tk*"],
    "luascan": ["tests/data/knot/*/*.conf", "tests/data/knot/*/*.lua",
                "tests/data/pdns/*/*.lua"],
    "yaml": ["tests/data/knot/*/*.yaml", "tests/data/pdns/*/*.yml"],
    "keydata": ["tests/data/bind/*/mk/*", "tests/data/bind/*/*.bind",
                "tests/data/bind/*/*.mkeys", "tests/data/bind/bad/mk*"],
    "anchorsxml": ["tests/data/fixxml/*.xml",
                   "tests/data/fixxml/iana-2011/*.xml"],
    "p7s": ["tests/data/fixxml/*.p7s", "tests/data/fixxml/*.pem",
            "tests/data/fixxml/iana-2011/*.p7s"],
    "history": [],
    "record": [],
    "counts": [],
    "journal": [],
    "tooloutput": ["tests/data/bind/checker/*", "tests/data/pdns/*/*.txt"],
}

# fuzz_reader: the reader's index in reader.c's table, its second file
# form (bit 7), and the fixtures of its main configurations.
READERS = [
    (0, 0, ["tests/data/unbound/good/*.conf", "tests/data/unbound/bad/*.conf",
            "tests/data/unbound/refused/*.conf"]),
    (1, 0, ["tests/data/bind/good/*.conf", "tests/data/bind/bad/*.conf",
            "tests/data/bind/refused/*.conf"]),
    (2, 0, ["tests/data/knot/good/*.conf", "tests/data/knot/bad/*.conf"]),
    (2, 1, ["tests/data/knot/good/*.yaml", "tests/data/knot/bad/*.yaml"]),
    (3, 0, ["tests/data/pdns/good/*.conf", "tests/data/pdns/bad/*.conf"]),
    (3, 1, ["tests/data/pdns/good/*.yml", "tests/data/pdns/bad/*.yml"]),
    (4, 0, ["tests/data/resolved/good/*.conf", "tests/data/resolved/bad/*.conf",
            "tests/data/resolved/*/*/etc/systemd/resolved.conf"]),
    (5, 0, ["tests/data/dnsmasq/good/*.conf", "tests/data/dnsmasq/bad/*.conf",
            "tests/data/dnsmasq/*/*/etc/dnsmasq.conf"]),
]


def put(name, data, origin):
    """Add data to target name's corpus under a name saying where it came
    from, unless the same content is there already."""
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    if len(data) > SEED_MAX:
        return
    h = hashlib.sha1(data).hexdigest()
    seen = put.seen.setdefault(name, None)
    if seen is None:
        seen = put.seen[name] = set()
        for f in os.listdir(d):
            with open(os.path.join(d, f), "rb") as fp:
                seen.add(hashlib.sha1(fp.read()).hexdigest())
    if h in seen:
        return
    seen.add(h)
    base = origin.replace("/", "_").replace(" ", "_")[-60:]
    with open(os.path.join(d, "seed-%s-%s" % (base, h[:8])), "wb") as fp:
        fp.write(data)


put.seen = {}


def fixtures(name, globs, prefix=b""):
    for g in globs:
        for p in sorted(glob.glob(os.path.join(TOP, g))):
            if os.path.isfile(p) and os.path.getsize(p) <= SEED_MAX:
                with open(p, "rb") as fp:
                    put(name, prefix + fp.read(), os.path.relpath(p, TOP))


# ---- pcap ---------------------------------------------------------------

def pcap_read(path):
    """(linktype, [(sec, usec, frame)]) of a classic pcap file."""
    with open(path, "rb") as fp:
        b = fp.read()
    magic = struct.unpack("<I", b[:4])[0]
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    lt = struct.unpack(e + "I", b[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(b):
        s, us, cl, _ = struct.unpack(e + "IIII", b[off:off + 16])
        out.append((s, us, b[off + 16:off + 16 + cl]))
        off += 16 + cl
    return lt, out


def pcap_write(lt, pkts, e="<", nano=False):
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    b = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 262144, lt)
    for s, us, f in pkts:
        b += struct.pack(e + "IIII", s, us * 1000 if nano else us, len(f),
                         len(f)) + f
    return b


def pcapng_write(lt, pkts):
    def block(t, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", t, n) + body + struct.pack("<I", n)
    b = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    b += block(1, struct.pack("<HHI", lt, 0, 262144))
    for s, us, f in pkts:
        ts = s * 1000000 + us
        b += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                  len(f), len(f)) + f)
    return b


def udp_dns(frame):
    """(is_response, dns payload) of an Ethernet/IPv4-or-6/UDP port 53
    frame, else None."""
    et = struct.unpack(">H", frame[12:14])[0]
    p = frame[14:]
    if et == 0x0800 and len(p) >= 20 and p[9] == 17:
        p = p[(p[0] & 15) * 4:]
    elif et == 0x86DD and len(p) >= 40 and p[6] == 17:
        p = p[40:]
    else:
        return None
    if len(p) < 8:
        return None
    sp, dp = struct.unpack(">HH", p[:4])
    if 53 not in (sp, dp):
        return None
    return sp == 53, p[8:]


def rewrap(frame, link):
    """The IP packet of an Ethernet frame under link type index link of
    fuzz_packet.c (0 Ethernet, 1 SLL, 2 SLL2, 3 RAW)."""
    et, ip = frame[12:14], frame[14:]
    if link == 0:
        return frame
    if link == 1:
        return b"\0\0\0\1\0\6" + b"\0" * 8 + et + ip
    if link == 2:
        return et + b"\0" * 18 + ip
    return ip


def tcp_frames(frame, msgs, cuts):
    """Ethernet/IPv4/TCP frames carrying msgs (DNS over TCP, length
    prefixed) from the IPv4 addresses of frame, cut at offsets cuts."""
    ip = frame[14:]
    src, dst = ip[12:16], ip[16:20]
    stream = b"".join(struct.pack(">H", len(m)) + m for m in msgs)
    out, seq, bounds = [], 1000, [0] + sorted(cuts) + [len(stream)]
    syn = struct.pack(">HHIIBBHHH", 40000, 53, seq - 1, 0, 5 << 4, 0x02,
                      65535, 0, 0)
    segs = [syn] + [struct.pack(">HHIIBBHHH", 40000, 53, seq + a, 0, 5 << 4,
                                0x18, 65535, 0, 0) + stream[a:b]
                    for a, b in zip(bounds, bounds[1:]) if b > a]
    for t in segs:
        hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(t), 0, 0, 64, 6,
                          0, src, dst)
        out.append(frame[:12] + b"\x08\x00" + hdr + t)
    return out


def traffic_seeds(d):
    lt, pkts = pcap_read(os.path.join(d, "roll.pcap"))
    dns = [(i, udp_dns(f)) for i, (_, _, f) in enumerate(pkts)]
    dns = [(i, r) for i, r in dns if r is not None]
    # fuzz_dns: distinct messages, queries and answers, by size.
    sizes = set()
    for i, (resp, m) in dns:
        key = (resp, len(m) // 16)
        if key not in sizes and len(sizes) < 60:
            sizes.add(key)
            put("dns", m, "roll.pcap-%d" % i)
    # fuzz_pcap: runs of packets, in every variant of the format.
    for start, n in ((0, 3), (100, 8), (len(pkts) // 2, 12)):
        cut = pkts[start:start + n]
        o = "roll.pcap-%d+%d" % (start, n)
        put("pcap", pcap_write(lt, cut), o)
        put("pcap", pcap_write(lt, cut, ">"), o + "-be")
        put("pcap", pcap_write(lt, cut, nano=True), o + "-ns")
        put("pcap", pcapng_write(lt, cut), o + ".pcapng")
        put("pcap", pcap_write(lt, cut)[:-7], o + "-cut")
    for f in ("noise.pcap", "badhdr.pcap", "cut-header.pcap"):
        p = os.path.join(d, f)
        if os.path.exists(p) and os.path.getsize(p) <= SEED_MAX:
            with open(p, "rb") as fp:
                put("pcap", fp.read(), f)
    # fuzz_packet: one byte of link type, then [length, frame]...
    for link in range(4):
        for j in range(0, min(len(dns), 40), 8):
            body = b"".join(struct.pack(">H", len(f)) + f for f in
                            (rewrap(pkts[i][2], link)
                             for i, _ in dns[j:j + 4]))
            put("packet", bytes([link]) + body, "roll.pcap-%d-link%d" %
                (j, link))
    # DNS over TCP: the capture's queries and answers on TCP frames, and
    # as fuzz_tcpflow segments.
    v4 = [(i, r) for i, r in dns if pkts[i][2][12:14] == b"\x08\x00"]
    if len(v4) >= 3:
        frame = pkts[v4[0][0]][2]
        msgs = [r[1] for _, r in v4[:3]]
        total = sum(2 + len(m) for m in msgs)
        for cuts in ([], [1], [2 + len(msgs[0])], [5, total // 2]):
            fr = tcp_frames(frame, msgs, cuts)
            put("packet", b"\0" + b"".join(struct.pack(">H", len(f)) + f
                                           for f in fr),
                "roll.pcap-tcp-%s" % "-".join(map(str, cuts)))
            stream = b"".join(struct.pack(">H", len(m)) + m for m in msgs)
            bounds = [0] + cuts + [len(stream)]
            segs = [(0x02, 0, b"")] + [(0, 1 + a, stream[a:b]) for a, b in
                                       zip(bounds, bounds[1:])]
            if len(segs) > 2:       # the last two swapped: a hole, filled
                segs[-1], segs[-2] = segs[-2], segs[-1]
            segs.append((0x01, 1 + len(stream), b""))
            put("tcpflow", tcpflow_input(segs),
                "roll.pcap-tcp-%s" % "-".join(map(str, cuts)))
    for name in ("history", "root.key"):
        p = os.path.join(d, "awt", name)
        if os.path.exists(p):
            with open(p, "rb") as fp:
                put("history" if name == "history" else "autotrust",
                    fp.read(), "t-traffic-" + name)


def tcpflow_input(segs):
    """fuzz_tcpflow.c's input for segments (flags, seq, payload) of one
    flow, client to server: each as [flow, flags, offset from the flow's
    next expected sequence number, length] and its payload."""
    out, nxt = b"", 0
    for flags, seq, payload in segs:
        out += struct.pack(">BBhH", 0, flags, seq - nxt, len(payload))
        out += payload
        nxt = seq + len(payload) + (1 if flags & 0x02 else 0)
    return out


def tcpflow_seeds():
    """fuzz_tcpflow inputs from tests/data/tcpflow/resolver-tcp.pcap (a
    real resolver's DNS over TCP, its README says how it was made): its
    four flows from a packet that starts inside a message, from a byte
    right after a length prefix, without a data packet (a hole given up
    at the end of the input, or 4 s later)."""
    _, pkts = pcap_read(os.path.join(TOP, "tests", "data", "tcpflow",
                                     "resolver-tcp.pcap"))
    segs, flows = [], []
    for _, _, fr in pkts:
        ip = fr[14:]
        tcp = ip[(ip[0] & 15) * 4:struct.unpack(">H", ip[2:4])[0]]
        key = (ip[12:16], tcp[0:2], ip[16:20], tcp[2:4])
        if key not in flows:
            flows.append(key)
        segs.append((flows.index(key), struct.unpack(">I", tcp[4:8])[0],
                     tcp[13] & 0x07, tcp[(tcp[12] >> 4) * 4:]))
    # the flow number of fuzz_tcpflow.c: client port, bit 3 from port 53
    fz = [i // 2 | (8 if k[1] == b"\0\x35" else 0)
          for i, k in enumerate(flows)]

    def encode(run, skip=0, late=None):
        out, base, nxt = b"", {}, {}
        for j, (f, seq, flags, pl) in enumerate(run):
            if j == 0:
                seq, pl = seq + skip, pl[skip:]
            base.setdefault(f, seq)
            rel = (seq - base[f]) % 2**32
            d = rel - nxt.get(f, 0)
            if not -32768 <= d < 32768:
                return None
            out += struct.pack(">BBhH", fz[f], flags |
                               (0x40 if j == late else 0), d, len(pl)) + pl
            nxt[f] = rel + len(pl) + (1 if flags & 0x02 else 0)
        return out

    mid = [k for k, (f, _, _, pl) in enumerate(segs) if len(pl) >= 2 and
           struct.unpack(">H", pl[:2])[0] + 2 != len(pl)]
    for k in mid[1:12:3]:
        put("tcpflow", encode(segs[k:k + 40]), "resolver-tcp-from-%d" % k)
    for k in mid[2:14:4]:
        put("tcpflow", encode(segs[k - 1:k + 30], 2),
            "resolver-tcp-byte-%d+2" % (k - 1))
    data = [k for k, s in enumerate(segs) if s[3]]
    for k in data[3:40:9]:
        run = segs[max(0, k - 20):k] + segs[k + 1:k + 30]
        put("tcpflow", encode(run), "resolver-tcp-drop-%d" % k)
        put("tcpflow", encode(run, late=min(k, 20) + 3),
            "resolver-tcp-drop-%d-late" % k)


# ---- dnstap -------------------------------------------------------------

def fstrm_frames(b):
    """The data frames of a Frame Streams file, and its START frame."""
    off, start, data = 0, None, []
    while off + 4 <= len(b):
        n = struct.unpack(">I", b[off:off + 4])[0]
        if n == 0:
            cl = struct.unpack(">I", b[off + 4:off + 8])[0]
            ctl = b[off + 8:off + 8 + cl]
            if struct.unpack(">I", ctl[:4])[0] == 2:
                start = b[off:off + 8 + cl]
            off += 8 + cl
        else:
            data.append(b[off:off + 4 + n])
            off += 4 + n
    return start, data


def dnstap_seeds(d):
    with open(os.path.join(d, "dnstap", "cap.fstrm"), "rb") as fp:
        b = fp.read()
    start, data = fstrm_frames(b)
    stop = struct.pack(">III", 0, 4, 3)
    for a, n in ((0, 1), (0, 4), (len(data) // 2, 6), (len(data) - 3, 3)):
        f = start + b"".join(data[a:a + n]) + stop
        put("dnstap", f, "cap.fstrm-%d+%d" % (a, n))
        put("dnstap", f[:-12], "cap.fstrm-%d+%d-nostop" % (a, n))
        put("dnstap", f[:-17], "cap.fstrm-%d+%d-cut" % (a, n))
    for f in glob.glob(os.path.join(d, "dnstap", "*.csv")):
        with open(f, "rb") as fp:
            put("counts", fp.read(), "t-dnstap-" + os.path.basename(f))
    for j in sorted(glob.glob(os.path.join(d, "bind", "*",
                                           "managed-keys.bind.jnl"))):
        out = subprocess.run(["named-journalprint", j], capture_output=True,
                             check=True).stdout
        lines = out.splitlines(keepends=True)
        origin = "journalprint-" + j.split(os.sep)[-2]
        put("journal", out, origin)
        for a in range(0, len(lines), 12):
            put("journal", b"".join(lines[a:a + 12]), "%s-%d" % (origin, a))


# ---- one field or line, other programs' output ---------------------------

FIELD_LINES = [
    ("tests/data/unbound/*/*.key", (b" DS ", b" DNSKEY ")),
    ("tests/data/bind/*/*.conf", (b"initial-key", b"static-key",
                                  b"initial-ds", b"static-ds")),
    ("tests/data/dnsmasq/*/*.conf", (b"trust-anchor=",)),
    ("etc/anchorwatch/events.yaml", (b"when:",)),
]
FIELD_MORE = [b"2026-10-11", b"2018-10-11 16:00", b"2018-10-11T16:00:00Z",
              b"20261204120000", b"1796385600", b".", b"com.",
              b"ex\\046ample.", b"20326,38696", b"127.0.0.1@53",
              b"::1@5353"]


def field_seeds():
    n = 0
    for g, words in FIELD_LINES:
        for p in sorted(glob.glob(os.path.join(TOP, g))):
            with open(p, "rb") as fp:
                for line in fp.read().splitlines():
                    if any(w in line for w in words) and n < 60:
                        put("fields", line.strip(b" \t{};"),
                            os.path.relpath(p, TOP))
                        n += 1
    for f in FIELD_MORE:
        put("fields", f, "field")


def tool_seeds():
    """Real named-checkconf refusals of the hostile fixtures, the installed
    pdns_recursor's --version, and rec_control get-tas in its form."""
    for p in sorted(glob.glob(os.path.join(TOP, "tests/data/bind/bad/*.conf")))[:8]:
        r = subprocess.run(["named-checkconf", p], capture_output=True)
        if r.stdout or r.stderr:
            put("tooloutput", (r.stdout + r.stderr).replace(
                TOP.encode() + b"/", b""), "named-checkconf-" +
                os.path.basename(p))
    r = subprocess.run(["/usr/sbin/pdns_recursor", "--version"],
                       capture_output=True)
    put("tooloutput", r.stdout + r.stderr, "pdns_recursor--version")
    put("tooloutput", b"Configured Trust Anchors:\n.\n\t20326 8 2 e06d44b8"
        b"0b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d\n\t38696"
        b" 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2"
        b"b16\nexample.\n\t1 8 2 00\n", "rec_control-get-tas")


def encap_seeds():
    """fuzz_packet: a query through each kind of tests/harness/encapgen.py
    (tunnels, fragments, cut frames, bad EDNS), as Ethernet frames; the
    cut frames also with every frame cut (bit 7 of the first byte), the
    fragments also 10 s apart (bit 6: the time-out)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "encapgen", os.path.join(TOP, "tests", "harness", "encapgen.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for kind in gen.KINDS:
        src = bytes([198, 18, 0, 1])
        if kind in gen.KINDS6:
            src = bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [1])
        q = gen.query(7, pad=1400 if kind.startswith("frag") else 0,
                      bad_edns=kind == "edns-bad")
        frames = [f if isinstance(f, tuple) else (f, len(f))
                  for f in gen.one(kind, src, q, 7)]
        body = b"".join(struct.pack(">H", len(f)) + f for f, _ in frames)
        put("packet", b"\0" + body, "encap-" + kind)
        if kind == "cut" or kind.startswith("frag"):
            put("packet", bytes([0xc0]) + body, "encap-" + kind + "-cut-slow")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--traffic")
    ap.add_argument("--dnstap")
    ap.add_argument("--record")
    a = ap.parse_args()
    for name, globs in TEXT.items():
        fixtures(name, globs)
    for idx, form, globs in READERS:
        fixtures("reader", globs, bytes([idx | form << 7]))
    field_seeds()
    tool_seeds()
    tcpflow_seeds()
    encap_seeds()
    if a.traffic:
        traffic_seeds(a.traffic)
    if a.dnstap:
        dnstap_seeds(a.dnstap)
    if a.record:
        with open(a.record, "rb") as fp:
            put("record", fp.read(), "last-run.json")


if __name__ == "__main__":
    main()
