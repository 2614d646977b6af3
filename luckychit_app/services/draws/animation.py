"""The draw-day animation, computed (pure) on the server: the same decelerating sequence of ticket
labels for every open page, ending together on the winner."""

from __future__ import annotations

import random

ANIMATION_LEAD_MS = 1500
"""Pages start the animation this long after the draw, so every open page (polling about once a
second) has seen the result by then and all of them land on the winner together."""
ANIMATION_FRAMES = 18


def animation_frames(labels: list[str], winner: str, key: str) -> list[tuple[str, int]]:
    """(label, milliseconds after the start) frames cycling through ``labels``, slowing down, and
    ending on ``winner``. Seeded by ``key`` (the proof hash) so every page shows the same sequence.

    Gaps grow quadratically from 70 ms to 520 ms: about four seconds in all.
    """
    if not labels or winner not in labels:
        raise ValueError("the winner must be one of the labels")
    if len(labels) == 1:
        return [(winner, 0)]
    rng = random.Random(key)
    frames: list[tuple[str, int]] = []
    at, previous = 0, None
    n = ANIMATION_FRAMES
    for i in range(n):
        if i == n - 1:
            label = winner
        else:
            choices = [x for x in labels if x != previous and (i != n - 2 or x != winner)]
            label = rng.choice(choices or labels)
        frames.append((label, at))
        previous = label
        at += int(70 + 450 * (i / (n - 1)) ** 2)
    return frames
