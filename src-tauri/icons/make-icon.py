#!/usr/bin/env python3
"""Draws src-tauri/icons/icon.png: a lens over lines of text on a blue rounded square.

Pure standard library (zlib + struct), 4x4 supersampled; run `python3 make-icon.py [SIZE]`.
"""
import math
import struct
import sys
import zlib
from pathlib import Path

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 256
SS = 4  # samples per axis per pixel

TOP = (0x24, 0x6B, 0xB8)
BOTTOM = (0x14, 0x3F, 0x73)
WHITE = (0xFF, 0xFF, 0xFF)
LINE = (0xBF, 0xD6, 0xF2)
GLASS = (0x2C, 0x78, 0xC8)


def unit(x, y):
    """Shape lookup in a 0..1 coordinate space; returns an (r, g, b, a) sample."""
    # Rounded-square background.
    r = 0.19
    dx = max(abs(x - 0.5) - (0.5 - r) + 0.0, 0.0)
    dy = max(abs(y - 0.5) - (0.5 - r) + 0.0, 0.0)
    if math.hypot(dx, dy) > r - 0.02 or not (0.02 <= x <= 0.98 and 0.02 <= y <= 0.98):
        return (0, 0, 0, 0)
    bg = tuple(round(TOP[i] + (BOTTOM[i] - TOP[i]) * y) for i in range(3))

    cx, cy, radius, ring = 0.43, 0.43, 0.235, 0.062
    d = math.hypot(x - cx, y - cy)

    # Handle: a thick segment at 45 degrees with round ends.
    ax, ay, bx, by = 0.60, 0.60, 0.79, 0.79
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
    if math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) < 0.058 and d > radius:
        return WHITE + (255,)
    if radius - ring / 2 <= d <= radius + ring / 2:
        return WHITE + (255,)
    if d < radius - ring / 2:
        # Lines of text seen through the glass.
        for ly, half in ((0.35, 0.12), (0.43, 0.14), (0.51, 0.09)):
            if abs(y - ly) < 0.022 and abs(x - (cx - 0.14 + half)) < half:
                return LINE + (255,)
        return GLASS + (255,)
    return bg + (255,)


def render(size):
    rows = []
    n = SS * SS
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = unit((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3] / n
            if acc[3]:
                row += bytes(round(acc[i] / acc[3]) for i in range(3))
            else:
                row += b"\0\0\0"
            row.append(round(alpha))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).with_name("icon.png")
    out.write_bytes(png(SIZE, render(SIZE)))
    print(f"wrote {out} ({SIZE}x{SIZE} RGBA)")
