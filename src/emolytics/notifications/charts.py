"""The digest's charts as PNG images (Pillow): the emotion mix as bars, the volume as a line.

Plain Python and Pillow, no app: numbers in, PNG bytes out. The colours are the dashboard's
(static/js/dashboard/base.js), so a digest reads like the page it links to.
"""

from collections.abc import Sequence
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

WIDTH = 600
INK = "#1d2330"
MUTED = "#5b6475"
GRID_LINE = "#e8ebf0"
LINE = "#2f6db5"
COLORS = {
    "anger": "#d1362f",
    "disgust": "#6f8a1f",
    "fear": "#7b4bb0",
    "joy": "#f0ad1a",
    "sadness": "#2f6db5",
    "surprise": "#159a94",
    "neutral": "#8b93a1",
}
OTHER_COLORS = ("#e377c2", "#8c564b", "#1f3b73", "#ff7f0e", "#5f9e3a", "#b5577c")
BAR = 22  # height of one bar, pixels
LABEL_WIDTH = 110
FONT_SIZE = 13


def _font(size: int = FONT_SIZE) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def color_of(label: str, index: int) -> str:
    return COLORS.get(label) or OTHER_COLORS[index % len(OTHER_COLORS)]


def mix_bars(mix: Sequence[tuple[str, int]], title: str) -> bytes:
    """Horizontal bars, one per emotion in the order given, with its count and share."""
    total = sum(count for _, count in mix) or 1
    height = 40 + BAR * max(len(mix), 1) + 10
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font()
    draw.text((10, 10), title, fill=INK, font=_font(15))
    most = max((count for _, count in mix), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 130
    for index, (label, count) in enumerate(mix):
        top = 40 + index * BAR
        draw.text((10, top + 4), label, fill=INK, font=font)
        length = round(room * count / most)
        draw.rectangle(
            (LABEL_WIDTH, top + 3, LABEL_WIDTH + max(length, 1), top + BAR - 3),
            fill=color_of(label, index),
        )
        caption = f"{count:,} ({count / total:.0%})"
        draw.text((LABEL_WIDTH + length + 8, top + 4), caption, fill=MUTED, font=font)
    return _png(image)


def volume_line(points: Sequence[tuple[str, int]], title: str) -> bytes:
    """The texts per step (an hour or a day) as a line over the period, with the first, middle
    and last steps named under it."""
    height = 220
    left, right, top, bottom = 50, WIDTH - 20, 40, height - 35
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font()
    draw.text((10, 10), title, fill=INK, font=_font(15))
    most = max((count for _, count in points), default=0) or 1
    for fraction in (0.0, 0.5, 1.0):
        y = bottom - (bottom - top) * fraction
        draw.line((left, y, right, y), fill=GRID_LINE)
        draw.text((8, y - 7), f"{round(most * fraction):,}", fill=MUTED, font=font)
    steps = max(len(points) - 1, 1)
    xy = [
        (left + (right - left) * index / steps, bottom - (bottom - top) * count / most)
        for index, (_, count) in enumerate(points)
    ]
    if len(xy) > 1:
        draw.line(xy, fill=LINE, width=2)
    for x, y in xy:
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=LINE)
    for index in sorted({0, len(points) // 2, len(points) - 1} if points else set()):
        x = xy[index][0]
        draw.text((x, bottom + 8), points[index][0], fill=MUTED, font=font, anchor="ma")
    return _png(image)
