"""Random amounts in integer cents of 元: parts of a total, log-uniform draws."""

from __future__ import annotations

import math
import random

def split(total: int, n: int, rng: random.Random, zero: float = 0.0, quantum: int = 1) -> list[int]:
    """n non-negative ints summing to `total` (some zero with probability `zero`),
    each a multiple of `quantum` except possibly the largest."""
    if n <= 0:
        return []
    weights = [0.0 if rng.random() < zero else rng.random() ** 2 + 0.01 for _ in range(n)]
    if not any(weights):
        weights[rng.randrange(n)] = 1.0
    s = sum(weights)
    parts = [int(total * w / s) // quantum * quantum for w in weights]
    big = max(range(n), key=lambda i: weights[i])
    parts[big] += total - sum(parts)
    return parts


def amount(rng: random.Random, lo: float, hi: float, quantum: int = 1) -> int:
    """Log-uniform cents between lo and hi 元."""
    v = int(10 ** rng.uniform(math.log10(lo), math.log10(hi)) * 100)
    return max(quantum, v // quantum * quantum)
