"""Results computed from a whole data set, remembered for as long as that data set is the
one served: every request of a view asks for them, and a data set never changes (a new
state of the imported layers is a new Dataset)."""

from __future__ import annotations

import functools
import threading

# Data sets remembered: the one served, and the one before it while requests finish.
KEPT = 2


def per_dataset(function):
    """`function(dataset)` computed once per data set (by identity)."""
    remembered: dict[int, tuple] = {}
    lock = threading.Lock()

    @functools.wraps(function)
    def cached(dataset):
        hit = remembered.get(id(dataset))
        if hit is not None and hit[0] is dataset:
            return hit[1]
        value = function(dataset)
        with lock:
            if len(remembered) >= KEPT:
                remembered.clear()
            remembered[id(dataset)] = (dataset, value)
        return value

    return cached
