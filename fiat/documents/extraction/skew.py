"""Skew estimation for scanned pages, with Pillow only.

A page scanned or photographed at a slight angle has text lines that run
slanted. Rotating the page by the right angle makes each text line fall into
its own band of pixel rows, so the darkness per row varies most: the
projection-profile method. The search runs on a small copy of the page.
"""

from __future__ import annotations

from statistics import pvariance

from PIL import Image

# Angles tried, in degrees: -5 to 5 in steps of 0.25, then, for phone photos
# held at a larger angle, whole degrees out to 15 either way, refined in
# quarter degrees around the best of those.
_MAX_ANGLE = 5.0
_STEP = 0.25
_MAX_WIDE_ANGLE = 15
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
    scores = _scores(ink, [step * _STEP for step in range(-steps, steps + 1)])
    best_angle = max(scores, key=scores.__getitem__)
    wide = _scores(
        ink,
        [
            float(sign * degrees)
            for degrees in range(round(_MAX_ANGLE) + 1, _MAX_WIDE_ANGLE + 1)
            for sign in (-1, 1)
        ],
    )
    best_wide = max(wide, key=wide.__getitem__)
    # A wide angle must beat the small ones clearly, so that a page scanned
    # nearly straight keeps the small angle.
    if wide[best_wide] >= scores[best_angle] * _MIN_GAIN:
        around = [best_wide + step * _STEP for step in range(-3, 4)]
        refined = _scores(ink, around)
        return max(refined, key=refined.__getitem__)
    # Keep the page as it is unless a rotation is clearly better.
    if scores[best_angle] < scores[0.0] * _MIN_GAIN:
        return 0.0
    return best_angle


def _scores(ink: Image.Image, angles: list[float]) -> dict[float, float]:
    return {angle: _row_variance(ink.rotate(angle, fillcolor=0)) for angle in angles}


def _row_variance(ink: Image.Image) -> float:
    rows = ink.resize((1, ink.height), Image.Resampling.BOX)
    return pvariance(rows.tobytes())
