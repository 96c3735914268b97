#!/usr/bin/python3
"""Makes a report small enough to commit as a fuzz seed: every large stream other than the
embedded content (the font, page drawings) becomes an empty one, and every offset the file
holds — each revision's xref table, startxref, /Prev — moves with the bytes. The structure the
reader walks (revisions, xref, trailer, Info, AcroForm, signature dictionaries, attachment)
stays as Attest wrote it; signatures over the changed bytes no longer verify, which is what a
mutated file looks like anyway.
Usage: shrink-pdf.py IN.pdf OUT.pdf"""
import re
import sys
import zlib

LIMIT = 1500
data = open(sys.argv[1], "rb").read()
EMPTY = zlib.compress(b"")

# (start, end, replacement) for each stream body to replace
cuts = []
for m in re.finditer(rb"\n(\d+) 0 obj\s*<<(.*?)>>\s*stream\r\n", data, re.S):
    head = m.group(2)
    length = re.search(rb"/Length (\d+)( 0 R)?", head)
    if b"/EmbeddedFile" in head or b"/Type /Sig" in head or length is None:
        continue
    if length.group(2):
        ref = re.search(rb"\n" + length.group(1) + rb" 0 obj\s*(\d+)\s*endobj", data)
        n = int(ref.group(1))
    else:
        n = int(length.group(1))
    if n > LIMIT:
        cuts.append((m.end(), m.end() + n, length))

out = bytearray()
shift = []          # (old offset, cumulative delta after it)
pos = delta = 0
lengths = {}
for start, end, length in cuts:
    out += data[pos:start] + EMPTY
    delta += (end - start) - len(EMPTY)
    shift.append((end, delta))
    if length.group(2):
        lengths[int(length.group(1))] = len(EMPTY)
    pos = end
out += data[pos:]
out = bytes(out)


def moved(offset):
    d = 0
    for at, total in shift:
        if offset >= at:
            d = total
    return offset - d


# indirect /Length objects of the emptied streams (same width is not needed: offsets are redone)
for num, n in lengths.items():
    out = re.sub(rb"(\n" + str(num).encode() + rb" 0 obj\s*)\d+(\s*endobj)", lambda m: m.group(1) + str(n).encode() + m.group(2), out)


def fix_xref(m):
    """Each "n" entry of an xref section points at its object's new place (the occurrence
    nearest to where the old offset moved, since an object may be written in several
    revisions)."""
    lines = m.group(0).split(b"\n")
    res, i, first = [], 0, 0
    for line in lines:
        sub = re.fullmatch(rb"(\d+) (\d+)\r?", line)
        ent = re.fullmatch(rb"(\d{10}) (\d{5}) ([nf])( ?\r?)", line)
        if sub:
            first, i = int(sub.group(1)), 0
        elif ent and ent.group(3) == b"n":
            cands = offsets.get(first + i, [])
            want = moved(int(ent.group(1)))
            best = min(cands, key=lambda c: abs(c - want)) if cands else want
            line = b"%010d %s n%s" % (best, ent.group(2), ent.group(4))
            i += 1
        elif ent:
            i += 1
        res.append(line)
    return b"\n".join(res)


def fix_pointers(text):
    """startxref and the trailers' /Prev (an offset; an outline item's /Prev is N 0 R), by
    order: the n-th startxref names the n-th xref section, the n-th /Prev the one before."""
    xrefs = [m.start() for m in re.finditer(rb"(?<![a-z])xref\r?\n", text)]
    n = iter(range(len(xrefs)))
    text = re.sub(rb"startxref\r?\n\d+", lambda m: re.sub(rb"\d+$", str(xrefs[next(n)]).encode(), m.group(0)), text)
    k = iter(range(len(xrefs)))
    text = re.sub(rb"/Prev \d+(?!\d)(?!\s+\d+\s+R)", lambda m: b"/Prev %d" % xrefs[next(k)], text)
    return text


def fix_byteranges(text):
    """/ByteRange [0 a b c]: a is where the /Contents hex string starts, b where it ends, and
    b + c the end of that revision (its %%EOF line), in the same width as before."""
    def one(m):
        contents = text.find(b"/Contents <", m.end())
        if contents < 0:
            contents = text.rfind(b"/Contents <", 0, m.start())
        a = text.find(b"<", contents)
        b = text.find(b">", a) + 1
        eof = text.find(b"%%EOF", b)
        end = text.find(b"\n", eof) + 1 if eof >= 0 else len(text)
        body = b"0 %d %d %d" % (a, b, end - b)
        return b"/ByteRange [" + body.ljust(len(m.group(1))) + b"]"
    return re.sub(rb"/ByteRange \[([^\]]*)\]", one, text)


for _ in range(6):
    offsets = {}
    for m in re.finditer(rb"\n(\d+) 0 obj", out):
        offsets.setdefault(int(m.group(1)), []).append(m.start() + 1)
    before = out
    out = re.sub(rb"xref\r?\n.*?trailer", fix_xref, out, flags=re.S)
    out = fix_pointers(out)
    out = fix_byteranges(out)
    if out == before:
        break
    # from now on offsets are exact: nothing moves but digits of pointers
    shift = []
open(sys.argv[2], "wb").write(out)
