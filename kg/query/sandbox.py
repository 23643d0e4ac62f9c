"""Take the network from a process that runs other people's queries (Linux Landlock).

pyoxigraph offers no switch to turn SERVICE off, so the scanner in
`kg.query.guard` refuses it in the text, and a query worker that must never
call out also loses the right to open TCP connections: the kernel then
refuses whatever the scanner might miss. Landlock needs no privileges and
Linux 6.7 or later (ABI 4); elsewhere `forbid_network` changes nothing and
says so, and the scanner is the only guard.

Reference: https://docs.kernel.org/userspace-api/landlock.html
"""

from __future__ import annotations

import ctypes
import os
import sys

# The same syscall numbers on every architecture with the generic table (x86-64, arm64, riscv).
_CREATE_RULESET = 444
_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1 << 0
_PR_SET_NO_NEW_PRIVS = 38
_ACCESS_NET_BIND_TCP = 1 << 0
_ACCESS_NET_CONNECT_TCP = 1 << 1
_NETWORK_ABI = 4  # the first Landlock ABI that governs TCP


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64)]


def forbid_network() -> bool:
    """Refuse every TCP connect and bind from now on, in this thread and what it starts.

    Call it before starting threads: Landlock binds the calling thread and
    its future children only. Files stay readable and writable.

    Returns:
        Whether the kernel now enforces it (False off Linux or on older kernels).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    if abi < _NETWORK_ABI:
        return False
    attr = _RulesetAttr(0, _ACCESS_NET_BIND_TCP | _ACCESS_NET_CONNECT_TCP)
    ruleset = libc.syscall(
        _CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), 0
    )
    if ruleset < 0:
        return False
    try:
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return bool(libc.syscall(_RESTRICT_SELF, ruleset, 0) == 0)
    finally:
        os.close(ruleset)
