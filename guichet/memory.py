"""``cyclic_gc_paused()``: no automatic cyclic garbage collection while a bulk run builds its objects.

A direct-debit run of 100 000 debits keeps about five million small objects alive until it commits
(contracts, amounts, entry specs, ledger rows). Each time the live objects grow by a quarter, CPython
runs a full collection that walks all of them: 13 full passes, 2.4-3.0 s of a 28 s run (issue 14,
``tests/bench/bench_direct_debit.py``), to find no cycle: what a run creates is freed by reference
counting. The pause covers one call; collection resumes after it (and after an error) as it was.
Reference counting still frees everything that is not in a cycle during the pause.

Use it on a call that handles a whole book at once (the one-file debit run, a return file), not on
web requests: the setting is the process's, shared by its threads.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable automatic cyclic collection for the ``with`` block (or decorated call); restore it after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
