#!/usr/bin/python3
"""Writes a small baseline JPEG with an EXIF block (camera, DateTime, DateTimeOriginal), the way
a phone's photo starts: tests/fuzz/make-corpus.sh seeds the evidence fuzzer with it.
Usage: make-jpeg.py OUT.jpg [ORIENTATION] (an EXIF orientation, 1–8: 6 is a phone held upright)"""
import struct
import sys


def ifd(entries, next_offset, base):
    """entries: (tag, type, count, value bytes); values over 4 bytes go after the table."""
    table = struct.pack(">H", len(entries))
    data = b""
    data_at = base + 2 + 12 * len(entries) + 4
    for tag, typ, count, value in entries:
        if len(value) <= 4:
            table += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            table += struct.pack(">HHII", tag, typ, count, data_at + len(data))
            data += value + (b"\0" if len(value) % 2 else b"")
    return table + struct.pack(">I", next_offset) + data


def exif(orientation):
    when = b"2024:05:17 09:41:03\0"
    make = b"Attest\0"

    def ifd0_entries(exif_at):
        """Make, Orientation (when given), DateTime, ExifIFD pointer: in tag order"""
        entries = [(0x010F, 2, len(make), make)]
        if orientation:
            entries.append((0x0112, 3, 1, struct.pack(">H", orientation)))
        return entries + [(0x0132, 2, len(when), when), (0x8769, 4, 1, struct.pack(">I", exif_at))]

    # IFD0 at offset 8; the Exif IFD after it
    exif_at = 8 + len(ifd(ifd0_entries(0), 0, 8))
    ifd0 = ifd(ifd0_entries(exif_at), 0, 8)
    sub = ifd([(0x9003, 2, len(when), when)], 0, exif_at)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd0 + sub
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def jpeg(orientation):
    """A 8x8 grey baseline JPEG: quantisation, Huffman tables for DC/AC zero, one block."""
    soi = b"\xff\xd8"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    # DC table: one code of length 1 for category 0; AC table: one code of length 1 for EOB
    dht_dc = b"\xff\xc4" + struct.pack(">H", 3 + 16 + 1) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\xff\xc4" + struct.pack(">H", 3 + 16 + 1) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    scan = b"\x3f"  # DC difference 0 and end of block: bits "0" "0", padded with ones
    eoi = b"\xff\xd9"
    return soi + exif(orientation) + dqt + sof + dht_dc + dht_ac + sos + scan + eoi


with open(sys.argv[1], "wb") as f:
    f.write(jpeg(int(sys.argv[2]) if len(sys.argv) > 2 else 0))
