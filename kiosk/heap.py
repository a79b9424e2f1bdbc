"""The C heap of the kiosk process (glibc's malloc): how big it is (for the soak
benchmark), and giving its free pages back between visitors."""

from __future__ import annotations

import ctypes


class _MallInfo2(ctypes.Structure):
    # struct mallinfo2 of glibc 2.33+, every field a size_t, in this order
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
            *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
        )
    ]


def _libc_call(name: str):
    """A function of the C library this process runs on, or None where it has none."""
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def heap_kib() -> dict[str, int]:
    """The C heap (glibc's malloc, all arenas), in KiB: `used` by live blocks (large
    blocks of their own included) and `free` inside the heap, kept by malloc. Used
    memory that grows is a leak; free memory that grows while used stays flat is
    fragmentation. Empty when the C library cannot tell (not glibc 2.33+)."""
    mallinfo2 = _libc_call("mallinfo2")
    if mallinfo2 is None:
        return {}
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return {
        "used": (info.uordblks + info.hblkhd) // 1024,
        "free": info.fordblks // 1024,
    }


def return_free_heap() -> bool:
    """Give the pages malloc keeps free back to the system (glibc's `malloc_trim`).

    A session's pages and textures are freed when the visitor leaves, but malloc keeps
    the freed memory inside its heap, and one long-lived block above it is enough to
    keep all of it: over a day the kiosk's memory would ratchet up to its busiest
    session. Trimming between visitors keeps it at what is in use. Returns whether
    anything was given back; False too where the C library has no such call."""
    malloc_trim = _libc_call("malloc_trim")
    if malloc_trim is None:
        return False
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return bool(malloc_trim(0))
