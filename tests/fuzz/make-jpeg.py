#!/usr/bin/python3
"""Writes a small baseline JPEG with an EXIF block (camera, DateTime, DateTimeOriginal), the way
a phone's photo starts: tests/fuzz/make-corpus.sh seeds the evidence fuzzer with it.
Usage: make-jpeg.py OUT.jpg"""
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


def exif():
    when = b"2024:05:17 09:41:03\0"
    make = b"Attest\0"
    # IFD0 at offset 8: Make, DateTime, ExifIFD pointer; the Exif IFD after it
    ifd0_len = len(ifd([(0x010F, 2, len(make), make), (0x0132, 2, len(when), when), (0x8769, 4, 1, b"\0\0\0\0")], 0, 8))
    exif_at = 8 + ifd0_len
    ifd0 = ifd([(0x010F, 2, len(make), make), (0x0132, 2, len(when), when),
                (0x8769, 4, 1, struct.pack(">I", exif_at))], 0, 8)
    sub = ifd([(0x9003, 2, len(when), when)], 0, exif_at)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd0 + sub
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def jpeg():
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
    return soi + exif() + dqt + sof + dht_dc + dht_ac + sos + scan + eoi


with open(sys.argv[1], "wb") as f:
    f.write(jpeg())
