"""Skew estimation for scanned pages, with Pillow only.

A page scanned or photographed at a slight angle has text lines that run
slanted. Rotating the page by the right angle makes each text line fall into
its own band of pixel rows, so the darkness per row varies most: the
projection-profile method. The search runs on a small copy of the page.
"""

from __future__ import annotations

from statistics import pvariance

from PIL import Image

# Angles tried, in degrees: -5 to 5 in steps of 0.25.
_MAX_ANGLE = 5.0
_STEP = 0.25
_WORKING_WIDTH = 800
_MIN_GAIN = 1.02


def estimate_skew(image: Image.Image) -> float:
    """Return the angle in degrees (counter-clockwise) that straightens the text.

    ``image`` is grayscale with dark text on a light background. Return 0.0
    for a page without enough text to tell.
    """
    scale = _WORKING_WIDTH / max(image.width, 1)
    small = image.resize(
        (_WORKING_WIDTH, max(1, round(image.height * scale))), Image.Resampling.BOX
    )
    # Dark pixels (text) become 255, the background 0.
    ink = small.point(lambda value: 255 if value < 128 else 0)
    steps = round(_MAX_ANGLE / _STEP)
    scores = {
        step * _STEP: _row_variance(ink.rotate(step * _STEP, fillcolor=0))
        for step in range(-steps, steps + 1)
    }
    best_angle = max(scores, key=scores.__getitem__)
    # Keep the page as it is unless a rotation is clearly better.
    if scores[best_angle] < scores[0.0] * _MIN_GAIN:
        return 0.0
    return best_angle


def _row_variance(ink: Image.Image) -> float:
    rows = ink.resize((1, ink.height), Image.Resampling.BOX)
    return pvariance(rows.tobytes())
