"""The C heap: its figures, and its free pages given back between visitors."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from kiosk.heap import heap_kib, return_free_heap

pytestmark = pytest.mark.timeout(30)

BLOCK = 4096  # below malloc's mmap threshold: these blocks live inside the heap
BLOCKS = 16_000  # about 64 MiB


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture
def libc():
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    return libc


def test_used_heap_grows_with_live_blocks_and_free_heap_with_freed_ones(libc):
    before = heap_kib()
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    during = heap_kib()
    pin = libc.malloc(BLOCK)  # a block above the freed ones: malloc cannot shrink its top
    for block in blocks:
        libc.free(block)
    after = heap_kib()
    libc.free(pin)
    size_kib = BLOCK * BLOCKS // 1024
    assert during["used"] - before["used"] >= 0.9 * size_kib
    assert after["free"] - during["free"] >= 0.9 * size_kib
    assert after["used"] - before["used"] < 0.1 * size_kib


def test_freed_pages_inside_the_heap_go_back_to_the_system(libc):
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    for block in blocks:
        libc.memset(block, 1, BLOCK)  # touched: these pages are really in memory
    pin = libc.malloc(BLOCK)
    for block in blocks:
        libc.free(block)
    kept = resident_kib()
    assert return_free_heap()
    returned = kept - resident_kib()
    libc.free(pin)
    assert returned >= 0.8 * BLOCK * BLOCKS // 1024


def test_memory_split_by_kind_adds_up_and_sees_a_large_block():
    from kiosk.ui.probe import pss_by_kind_kib, pss_kib

    before = pss_by_kind_kib()
    block = bytearray(b"\x01" * (32 << 20))  # a large block: its own private mapping
    after = pss_by_kind_kib()
    total = pss_kib()
    del block
    assert after["anonymous"] - before["anonymous"] >= 30 << 10
    assert abs(sum(after.values()) - total) < 0.05 * total
