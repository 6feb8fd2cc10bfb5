#!/usr/bin/env python3
"""encapgen.py: frames of DNS queries inside the tunnels an ISP's tap
delivers, written here byte by byte, for tests/integration/t-encap.sh
where the kernel cannot make the tunnel itself (and for what no kernel
sends: ERSPAN type I, MPLS, PPPoE, overlapping fragments, cut frames).

usage: encapgen.py OUT.pcap KIND...
       encapgen.py send SRC DST N [PAD]

The second form sends N such queries (PAD bytes of padding option each)
from SRC to DST port 53 over UDP, IPv4 or IPv6, through the kernel (and
so through whatever tunnel routes DST), letting it fragment them.

Each KIND gets its own inner sources, 198.18.N.1 to 198.18.N.3 (or
2001:db8:N::1 to ::3) for the Nth KIND, asking ". DNSKEY" 1, 2 and 3 times
(with an RFC 8145 edns-key-tag option for tag 20326), each query in its
own frame from the outer addresses 192.0.2.1 > 192.0.2.2 (or 2001:db8::1
> ::2).  Standard output: "SOURCE COUNT" for every source, the count
anchorwatch must find (0 for the kinds it must refuse).

Kinds: gre gre-cks gre6 gretap erspan1 erspan2 erspan3 erspan3-ip vxlan
vxlan-qinq geneve mpls mpls6 mpls-pw pppoe pppoe6 ipip sit nested frag4
frag6 frag-overlap cut edns-bad deep.
"""
import ipaddress
import struct
import sys

KINDS = ("gre gre-cks gre6 gretap erspan1 erspan2 erspan3 erspan3-ip vxlan "
         "vxlan-qinq geneve mpls mpls6 mpls-pw pppoe pppoe6 ipip sit nested "
         "frag4 frag6 frag-overlap cut edns-bad deep").split()
KINDS6 = ("gre6", "mpls6", "pppoe6", "sit", "frag6")  # inner IPv6
MAC_A = b"\x02\x00\x00\x00\x00\x01"
MAC_B = b"\x02\x00\x00\x00\x00\x02"
OUT4 = (bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
OUT6 = (ipaddress.ip_address("2001:db8::1").packed,
        ipaddress.ip_address("2001:db8::2").packed)
DST4 = bytes([198, 41, 0, 4])
DST6 = ipaddress.ip_address("2001:503:ba3e::2:30").packed


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def query(qid, pad=0, bad_edns=False):
    """A DNS query ". DNSKEY" with EDNS: edns-key-tag 20326, and pad bytes
    of the padding option (RFC 7830) to make it big."""
    opts = struct.pack("!HHH", 14, 2, 20326)
    if pad:
        opts += struct.pack("!HH", 12, pad) + b"\0" * pad
    if bad_edns:  # an option longer than the record holding it
        opts += struct.pack("!HH", 10, 200) + b"\x11" * 8
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, len(opts)) + opts
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1) + \
        b"\0" + struct.pack("!HH", 48, 1) + opt


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def ip4(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag,
                    64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64, src,
                       dst) + payload


def eth(et, payload, tags=()):
    h = MAC_B + MAC_A
    for t in tags:
        h += struct.pack("!HH", t[0], t[1])
    return h + struct.pack("!H", et) + payload


def gre(proto, payload, c=False, k=None, s=None):
    fl, opt = 0, b""
    if c:
        fl |= 0x8000
        opt += b"\0\0\0\0"
    if k is not None:
        fl |= 0x2000
        opt += struct.pack("!I", k)
    if s is not None:
        fl |= 0x1000
        opt += struct.pack("!I", s)
    h = struct.pack("!HH", fl, proto) + opt
    if c:
        h = h[:4] + struct.pack("!H", csum(h + payload)) + h[6:]
    return h + payload


def inner(src, q):
    """The query q from src as an IP packet (4 or 16 address bytes)."""
    if len(src) == 4:
        return ip4(src, DST4, 17, udp(40000, 53, q))
    return ip6(src, DST6, 17, udp(40000, 53, q))


def outer4(proto, payload):
    return eth(0x0800, ip4(OUT4[0], OUT4[1], proto, payload))


def mpls(labels, payload):
    out = b""
    for i, lab in enumerate(labels):
        bos = 1 if i == len(labels) - 1 else 0
        out += struct.pack("!I", lab << 12 | bos << 8 | 64)
    return out + payload


def pppoe(ppp_proto, payload):
    body = struct.pack("!H", ppp_proto) + payload
    return struct.pack("!BBHH", 0x11, 0, 0x1234, len(body)) + body


def erspan2(frame):
    return struct.pack("!HHI", 1 << 12 | 10, 5, 7) + frame


def erspan3(frame, ft=0, o=True):
    h = struct.pack("!HHIHH", 2 << 12 | 10, 5, 123456, 0,
                    ft << 10 | 1 << 4 | (1 if o else 0))
    if o:
        h += b"\xaa" * 8
    return h + frame


def geneve(payload, proto=0x6558):
    opts = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\1\2\3\4"
    opts += struct.pack("!HBB", 0xffff, 0x01, 0)
    return struct.pack("!BBH", len(opts) // 4, 0, proto) + \
        struct.pack("!I", 42 << 8) + opts + payload


def fragments4(pkt, size, order, ident):
    """IPv4 packet pkt (header of 20) cut into fragments of size bytes of
    payload, returned in order (a list of indexes)."""
    hdr, pl = pkt[:20], pkt[20:]
    src, dst, proto = hdr[12:16], hdr[16:20], hdr[9]
    pieces = [pl[i:i + size] for i in range(0, len(pl), size)]
    out = []
    for i in order:
        more = 0x2000 if i < len(pieces) - 1 else 0
        out.append(ip4(src, dst, proto, pieces[i], ident=ident,
                       frag=more | (i * size // 8)))
    return out


def fragments6(pkt, size, order, ident):
    src, dst, nh, pl = pkt[8:24], pkt[24:40], pkt[6], pkt[40:]
    pieces = [pl[i:i + size] for i in range(0, len(pl), size)]
    out = []
    for i in order:
        more = 1 if i < len(pieces) - 1 else 0
        fh = struct.pack("!BBHI", nh, 0, (i * size) | more, ident)
        out.append(ip6(src, dst, 44, fh + pieces[i]))
    return out


def one(kind, src, q, qid):
    """The frames (as (bytes, wire length)) of one query q (of id qid)
    from src."""
    p = inner(src, q)
    e = eth(0x0800 if len(src) == 4 else 0x86dd, p)
    if kind == "gre":
        return [outer4(47, gre(0x0800, p))]
    if kind == "gre-cks":
        return [outer4(47, gre(0x0800, p, c=True, k=77, s=5))]
    if kind == "gre6":
        return [eth(0x86dd, ip6(OUT6[0], OUT6[1], 47, gre(0x86dd, p)))]
    if kind == "gretap":
        return [outer4(47, gre(0x6558, e, k=9))]
    if kind == "erspan1":
        return [outer4(47, gre(0x88be, e))]
    if kind == "erspan2":
        return [outer4(47, gre(0x88be, erspan2(e), s=3))]
    if kind == "erspan3":
        return [outer4(47, gre(0x22eb, erspan3(e), s=3))]
    if kind == "erspan3-ip":
        return [outer4(47, gre(0x22eb, erspan3(p, ft=2, o=False), s=3))]
    if kind == "vxlan":
        return [outer4(17, udp(51000, 4789, struct.pack("!II", 0x08000000,
                                                        42 << 8) + e))]
    if kind == "vxlan-qinq":
        tagged = eth(0x0800, p, tags=((0x88a8, 100), (0x8100, 200)))
        return [outer4(17, udp(51000, 4789, struct.pack("!II", 0x08000000,
                                                        42 << 8) + tagged))]
    if kind == "geneve":
        return [outer4(17, udp(51000, 6081, geneve(e)))]
    if kind == "mpls":
        return [eth(0x8847, mpls([16, 17, 18], p))]
    if kind == "mpls6":
        return [eth(0x8847, mpls([100, 2], p))]
    if kind == "mpls-pw":
        return [eth(0x8847, mpls([100, 200], b"\0\0\0\0" + e))]
    if kind == "pppoe":
        return [eth(0x8864, pppoe(0x0021, p))]
    if kind == "pppoe6":
        return [eth(0x8864, pppoe(0x0057, p))]
    if kind == "ipip":
        return [outer4(4, p)]
    if kind == "sit":
        return [outer4(41, p)]
    if kind == "nested":  # PPPoE, GRE, MPLS, VXLAN, 802.1Q
        vx = ip4(OUT4[0], OUT4[1], 17, udp(51000, 4789, struct.pack(
            "!II", 0x08000000, 7 << 8) + eth(0x0800, p, ((0x8100, 5),))))
        g = ip4(OUT4[0], OUT4[1], 47, gre(0x8847, mpls([30], vx), k=1))
        return [eth(0x8864, pppoe(0x0021, g))]
    if kind == "frag4":
        return [eth(0x0800, f) for f in fragments4(p, 600, [2, 0, 1], qid)]
    if kind == "frag6":
        return [eth(0x86dd, f) for f in fragments6(p, 600, [1, 2, 0], qid)]
    if kind == "frag-overlap":
        fr = fragments4(p, 600, [0, 1, 2], qid)
        hdr = bytearray(fr[1][:20])  # the middle one, 8 bytes earlier
        struct.pack_into("!H", hdr, 6, 0x2000 | (600 - 8) // 8)
        return [eth(0x0800, f) for f in
                (fr[0], bytes(hdr) + fr[1][20:], fr[2])]
    if kind == "cut":
        f = eth(0x0800, p)
        return [(f[:len(f) - 10], len(f))]  # the EDNS option cut short
    if kind == "edns-bad":
        return [e]
    if kind == "deep":  # nine GRE headers: beyond the depth limit
        for _ in range(9):
            p = ip4(OUT4[0], OUT4[1], 47, gre(0x0800, p))
        return [eth(0x0800, p)]
    raise SystemExit("encapgen.py: unknown kind " + kind)


def send(src, dst, n, pad):
    """n queries from src to dst, port 53, fragmented by the kernel if
    they are longer than the route's MTU."""
    import socket
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, 0))
    if fam == socket.AF_INET:  # IP_MTU_DISCOVER: IP_PMTUDISC_DONT
        s.setsockopt(socket.IPPROTO_IP, 10, 0)
    else:  # IPV6_MTU_DISCOVER: IPV6_PMTUDISC_DONT
        s.setsockopt(socket.IPPROTO_IPV6, 23, 0)
    for i in range(n):
        s.sendto(query(i, pad=pad), (dst, 53))


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]),
             int(sys.argv[5]) if len(sys.argv) > 5 else 0)
        return
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    frames, expect = [], []
    for n, kind in enumerate(sys.argv[2:], 1):
        v6 = kind in KINDS6
        big = kind.startswith("frag")
        for h in range(1, 4):
            if v6:
                src = ipaddress.ip_address("2001:db8:%x::%d" % (n, h))
            else:
                src = ipaddress.ip_address("198.18.%d.%d" % (n, h))
            for i in range(h):
                qid = n << 8 | h << 4 | i
                q = query(qid, pad=1400 if big else 0,
                          bad_edns=kind == "edns-bad")
                for f in one(kind, src.packed, q, qid):
                    frames.append(f if isinstance(f, tuple) else
                                  (f, len(f)))
            good = kind not in ("frag-overlap", "deep")
            expect.append("%s %d" % (src, h if good else 0))
    with open(sys.argv[1], "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, (f, wire) in enumerate(frames):
            fp.write(struct.pack("<IIII", 1700000000 + i // 100,
                                 (i % 100) * 10000, len(f), wire) + f)
    print("\n".join(expect))


if __name__ == "__main__":
    main()
