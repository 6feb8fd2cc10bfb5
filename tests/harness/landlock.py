#!/usr/bin/env python3
"""landlock.py: Landlock as tests/integration/t-landlock.sh needs it.

  landlock.py abi          print this kernel's Landlock ABI version, 0
                           when it has none (landlock_create_ruleset with
                           LANDLOCK_CREATE_RULESET_VERSION, as priv.c asks)
  landlock.py hide CMD...  run CMD (an absolute path) as on a kernel built
                           without Landlock: a seccomp filter fails its
                           three system calls with ENOSYS, as such a kernel
                           does; every other call goes through

Landlock's calls are 444, 445 and 446 (create_ruleset, add_rule,
restrict_self) in the system call table every architecture shares since
Linux 5.1; the filter matches them only for this machine's native
architecture, if it knows its audit number, and lets through anything
else.
"""
import ctypes
import os
import platform
import struct
import sys

SYS_LANDLOCK = (444, 445, 446)
LANDLOCK_CREATE_RULESET_VERSION = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
ENOSYS = 38
# linux/audit.h: AUDIT_ARCH_* of the machines Debian builds for.
AUDIT_ARCH = {
    "x86_64": 0xC000003E,
    "aarch64": 0xC00000B7,
    "ppc64le": 0xC0000015,
    "s390x": 0x80000016,
    "riscv64": 0xC00000F3,
}
# Classic BPF (linux/filter.h, linux/bpf_common.h).
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_RET_K = 0x06
OFF_NR, OFF_ARCH = 0, 4  # struct seccomp_data

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def insn(code, k, jt=0, jf=0):
    """One struct sock_filter."""
    return struct.pack("=HBBI", code, jt, jf, k)


def abi():
    """The Landlock ABI version of this kernel, 0 if it has none."""
    v = libc.syscall(ctypes.c_long(SYS_LANDLOCK[0]), None,
                     ctypes.c_size_t(0),
                     ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(v, 0)


def program():
    """The filter: ENOSYS for Landlock's calls, everything else allowed."""
    deny = insn(BPF_RET_K, SECCOMP_RET_ERRNO | ENOSYS)
    allow = insn(BPF_RET_K, SECCOMP_RET_ALLOW)
    body = [insn(BPF_LD_W_ABS, OFF_NR)]
    n = len(SYS_LANDLOCK)
    for i, nr in enumerate(SYS_LANDLOCK):
        # equal: jump to deny (after the other tests); else next test
        body.append(insn(BPF_JEQ_K, nr, n - i, 0))
    body += [allow, deny]
    arch = AUDIT_ARCH.get(platform.machine())
    if arch is None:
        return body
    # another architecture's calls (i386 on x86_64): allowed
    return [insn(BPF_LD_W_ABS, OFF_ARCH),
            insn(BPF_JEQ_K, arch, 1, 0), allow] + body


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def hide(argv):
    """exec argv with Landlock's system calls failing ENOSYS."""
    code = b"".join(program())
    buf = ctypes.create_string_buffer(code, len(code))
    prog = SockFprog(len(code) // 8, ctypes.addressof(buf))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), ctypes.c_ulong(0),
                  ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0 or \
            libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER),
                       ctypes.byref(prog), ctypes.c_ulong(0),
                       ctypes.c_ulong(0)) != 0:
        e = ctypes.get_errno()
        sys.exit("landlock.py: seccomp: %s" % os.strerror(e))
    os.execv(argv[0], argv)


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "abi":
        print(abi())
    elif len(sys.argv) > 2 and sys.argv[1] == "hide":
        hide(sys.argv[2:])
    else:
        sys.exit("usage: landlock.py abi | hide CMD [ARG...]")


if __name__ == "__main__":
    main()
