#!/usr/bin/python3
"""attest-cli evidence add|list|remove: storage by SHA-256, dedup, EXIF dates, bad input."""
import hashlib
import json
import os
import shutil
import stat
import struct
import subprocess
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "correct horse battery"
MINI = os.path.join(SRC, "tests", "data", "mini.json")


class Cli:
    def __init__(self, data_dir):
        self.data_dir = data_dir

    def run(self, *args, env=None, expect=0, json_out=False):
        full_env = dict(os.environ)
        full_env.pop("ATTEST_PASSPHRASE", None)
        full_env.update(env or {})
        argv = [CLI, "--data-dir", self.data_dir] + (["--json"] if json_out else []) + list(args)
        p = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=60)
        if p.returncode != expect:
            raise AssertionError(f"{argv} exited {p.returncode}, expected {expect}\n"
                                 f"stdout: {p.stdout}\nstderr: {p.stderr}")
        if json_out:
            return json.loads(p.stdout)
        return p


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_snapshot(path):
    """Every folder, and every file with the SHA-256 of its bytes, under path. SQLite's -wal and
    -shm files come and go with each connection and say nothing about what was written; the
    database itself is compared byte for byte here and as a .dump besides."""
    out = {}
    for root, dirs, files in os.walk(path):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), path) + "/"] = None
        for f in files:
            if f.endswith("-wal") or f.endswith("-shm"):
                continue
            full = os.path.join(root, f)
            out[os.path.relpath(full, path)] = sha256_file(full)
    return out


def sql_dump(data_dir):
    p = subprocess.run(["sqlite3", os.path.join(data_dir, "attest.db"), ".dump"],
                       capture_output=True, text=True, check=True, timeout=60)
    return p.stdout


def exif_app1(date_time_original, date_time=None):
    """An APP1 segment with big-endian TIFF EXIF: IFD0 (DateTime, pointer to the Exif IFD) and
    the Exif IFD with DateTimeOriginal."""
    entries0 = (1 if date_time else 0) + 1
    data_at = 8 + 2 + 12 * entries0 + 4
    exif_ifd_at = data_at + (20 if date_time else 0)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", entries0)
    if date_time:
        tiff += struct.pack(">HHII", 0x0132, 2, 20, data_at)
    tiff += struct.pack(">HHII", 0x8769, 4, 1, exif_ifd_at)
    tiff += struct.pack(">I", 0)
    if date_time:
        tiff += date_time.encode() + b"\x00"
    tiff += struct.pack(">H", 1) + struct.pack(">HHII", 0x9003, 2, 20, exif_ifd_at + 18)
    tiff += struct.pack(">I", 0) + date_time_original.encode() + b"\x00"
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", 2 + len(body)) + body


def plain_jpeg(tmp):
    """A real baseline JPEG. ImageMagick's `-set exif:DateTimeOriginal` does not write EXIF into
    a JPEG (checked on Debian 12's 6.9.11), so it only draws the picture; the EXIF is ours."""
    if shutil.which("convert"):
        out = os.path.join(tmp, "plain.jpg")
        subprocess.run(["convert", "-size", "8x8", "xc:red", out], check=True, timeout=60)
        with open(out, "rb") as f:
            return f.read()
    # JFIF header and an end marker: enough for content sniffing and for libexif
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class EvidenceTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-evidence-")
        self.cli = Cli(os.path.join(self.tmp, "data"))
        self.cli.run("standards", "import", MINI)
        self.lead = self.identity("Assessor One", ("assessor",))
        self.reviewer = self.identity("Reviewer", ("reviewer",))
        self.a1 = self.assessment()
        self.a2 = self.assessment()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def identity(self, name, roles):
        args = ["identity", "create", "--name", name, "--org", "CB"]
        for r in roles:
            args += ["--role", r]
        return self.cli.run(*args, env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()

    def assessment(self):
        return self.cli.run("assessment", "create", "--standard", "MINI", "--org", "某通信公司",
                            "--lead", self.lead).stdout.strip()

    def file(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def stored(self):
        """{sha256: path} of the files in the store, each checked to be named by its own hash."""
        root = os.path.join(self.cli.data_dir, "evidence")
        found = {}
        if not os.path.isdir(root):
            return found
        for aa in os.listdir(root):
            sub = os.path.join(root, aa)
            if not os.path.isdir(sub):
                continue
            for name in os.listdir(sub):
                path = os.path.join(sub, name)
                self.assertEqual(sha256_file(path), name, f"{path} is not named by its SHA-256")
                self.assertEqual(name[:2], aa)
                found[name] = path
        return found

    def test_round_trip(self):
        data = "现场照片说明：营业厅服务公示栏。\n".encode()
        path = self.file("公示栏.txt", data)
        want = hashlib.sha256(data).hexdigest()

        p = self.cli.run("evidence", "add", self.a1, path, "--by", self.lead, "--clause", "1.1",
                         "--note", "公示栏")
        self.assertEqual(p.stdout, want + "\n")
        stored = self.stored()
        self.assertEqual(list(stored), [want])
        self.assertEqual(stat.S_IMODE(os.stat(stored[want]).st_mode), 0o600)

        listed = self.cli.run("evidence", "list", self.a1, json_out=True)
        self.assertEqual(len(listed), 1)
        e = listed[0]
        self.assertEqual(set(e), {"sha256", "kind", "size", "original_name", "note", "captured_at",
                                  "added_by", "added_at", "clauses"})
        self.assertEqual(e["sha256"], want)
        self.assertEqual(e["kind"], "document")
        self.assertEqual(e["size"], len(data))
        self.assertEqual(e["original_name"], "公示栏.txt")
        self.assertEqual(e["note"], "公示栏")
        self.assertIsNone(e["captured_at"])
        self.assertEqual(e["added_by"], self.lead)
        self.assertRegex(e["added_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(e["clauses"], ["1.1"])
        self.assertIn(want, self.cli.run("evidence", "list", self.a1).stdout)

        # the same bytes again, under another name, with another clause: one record, links merged
        copy = self.file("copy.bin", data)
        p = self.cli.run("evidence", "add", self.a1, copy, "--by", self.lead, "--clause", "1.2",
                         "--clause", "1.1")
        self.assertEqual(p.stdout.strip(), want)
        listed = self.cli.run("evidence", "list", self.a1, json_out=True)
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["clauses"], ["1.1", "1.2"])
        self.assertEqual(listed[0]["original_name"], "公示栏.txt")

        # another assessment: its own record, the same stored file
        self.cli.run("evidence", "add", self.a2, copy, "--by", self.lead, "--kind", "other")
        self.assertEqual(list(self.stored()), [want])
        listed2 = self.cli.run("evidence", "list", self.a2, json_out=True)
        self.assertEqual([(x["kind"], x["clauses"]) for x in listed2], [("other", [])])

        # assessment show --json carries the same records
        shown = self.cli.run("assessment", "show", self.a1, json_out=True)
        self.assertEqual(shown["evidence"], self.cli.run("evidence", "list", self.a1, json_out=True))
        self.assertEqual(shown["state"], "in-progress")

        # remove: the file stays while a2 uses it, then goes
        self.cli.run("evidence", "remove", self.a1, want, "--by", self.lead)
        self.assertEqual(self.cli.run("evidence", "list", self.a1, json_out=True), [])
        self.assertEqual(list(self.stored()), [want])
        self.cli.run("evidence", "remove", self.a2, want, "--by", self.lead)
        self.assertEqual(self.stored(), {})
        p = self.cli.run("evidence", "remove", self.a2, want, "--by", self.lead, expect=2)
        self.assertRegex(p.stderr, r"^attest-cli: error: assessment .* has no evidence ")
        p = self.cli.run("evidence", "remove", self.a2, "not-a-hash", "--by", self.lead, expect=2)
        self.assertIn("SHA-256", p.stderr)

        for a in (self.a1, self.a2):
            p = self.cli.run("audit", "verify", a)
            self.assertIn("intact", p.stdout)

    def test_kinds(self):
        pdf = self.file("scan", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        noise = self.file("blob", bytes(range(256)) * 4)
        voice = self.file("interview.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64)
        kinds = {}
        for path, extra in ((pdf, []), (noise, []), (voice, []), (noise, ["--kind", "video"])):
            sha = self.cli.run("evidence", "add", self.a1 if not extra else self.a2, path,
                               "--by", self.lead, *extra).stdout.strip()
            kinds[(os.path.basename(path), bool(extra))] = sha
        by_sha = {e["sha256"]: e["kind"] for e in self.cli.run("evidence", "list", self.a1, json_out=True)}
        self.assertEqual(by_sha[kinds[("scan", False)]], "document")
        self.assertEqual(by_sha[kinds[("blob", False)]], "other")
        self.assertEqual(by_sha[kinds[("interview.mp3", False)]], "audio")
        forced = self.cli.run("evidence", "list", self.a2, json_out=True)
        self.assertEqual([e["kind"] for e in forced], ["video"])

    def test_photo_captured_at_from_exif(self):
        plain = plain_jpeg(self.tmp)
        self.assertEqual(plain[:2], b"\xff\xd8")
        # APP1 right after SOI, where cameras put it
        photo = self.file("IMG_0001.JPG",
                          plain[:2] + exif_app1("2026:05:01 10:20:30", "2026:06:02 08:00:00") + plain[2:])
        only_dt = self.file("IMG_0002.JPG",
                            plain[:2] + exif_app1("0000:00:00 00:00:00", "2025:12:31 23:59:58") + plain[2:])
        none = self.file("IMG_0003.JPG", plain)
        for p in (photo, only_dt, none):
            self.cli.run("evidence", "add", self.a1, p, "--by", self.lead, "--clause", "1.2")
        listed = {e["original_name"]: e for e in self.cli.run("evidence", "list", self.a1, json_out=True)}
        self.assertEqual(listed["IMG_0001.JPG"]["kind"], "photo")
        # DateTimeOriginal, as written (local time, no zone), wins over DateTime
        self.assertEqual(listed["IMG_0001.JPG"]["captured_at"], "2026-05-01T10:20:30")
        # an unknown DateTimeOriginal falls back to DateTime
        self.assertEqual(listed["IMG_0002.JPG"]["captured_at"], "2025-12-31T23:59:58")
        self.assertIsNone(listed["IMG_0003.JPG"]["captured_at"])

    def test_bad_input_writes_nothing(self):
        good = self.file("good.txt", b"good evidence\n")
        # one real add first, so the store has its folders and the nothing-written check is sharp
        self.cli.run("evidence", "add", self.a1, good, "--by", self.lead, "--clause", "1.1")
        empty = self.file("empty.txt", b"")
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        folder = os.path.join(self.tmp, "folder")
        os.mkdir(folder)

        cases = [
            # (args, exit status, what the message must mention)
            ([self.a1, os.path.join(self.tmp, "missing.jpg"), "--by", self.lead], 2, "no file"),
            ([self.a1, folder, "--by", self.lead], 2, "folder"),
            ([self.a1, fifo, "--by", self.lead], 2, "not a regular file"),
            # a file whose read fails part-way: the temporary copy must go too
            ([self.a1, "/proc/self/mem", "--by", self.lead], 2, "could not read"),
            ([self.a1, empty, "--by", self.lead], 2, "empty"),
            (["no-such-assessment", good, "--by", self.lead], 2, "no assessment"),
            ([self.a1, good, "--by", "nobody"], 2, "no identity"),
            ([self.a1, good, "--by", self.lead, "--clause", "9.9"], 2, "no clause “9.9”"),
            ([self.a1, good, "--by", self.lead, "--clause", "1"], 2, "heading"),
            ([self.a1, good, "--by", self.lead, "--kind", "picture"], 2, "unknown evidence kind"),
            ([self.a2, good, "--by", self.lead, "--clause", "1.1", "--clause", "2.1"], 2, "no clause"),
            ([self.a1, good, "--by", self.reviewer], 3, "cannot record"),
            ([self.a1, good], 1, "--by"),
            ([self.a1], 1, "argument"),
        ]
        if os.geteuid() != 0:
            unreadable = self.file("unreadable.txt", b"secret")
            os.chmod(unreadable, 0)
            cases.append(([self.a1, unreadable, "--by", self.lead], 2, "could not read"))
        # As root (as these tests run in CI) chmod 000 does not stop a read, and no path root
        # cannot open exists without privileges we do not have; the FIFO and /proc/self/mem
        # cases above cover "cannot be read" instead, and the chmod case runs for non-root.

        before = tree_snapshot(self.cli.data_dir)
        dump = sql_dump(self.cli.data_dir)
        for args, code, words in cases:
            with self.subTest(args=args):
                p = self.cli.run("evidence", "add", *args, expect=code)
                self.assertTrue(p.stderr.startswith("attest-cli: error: "), p.stderr)
                self.assertIn(words, p.stderr)
                self.assertEqual(p.stdout, "")
                self.assertEqual(tree_snapshot(self.cli.data_dir), before)
                self.assertEqual(sql_dump(self.cli.data_dir), dump)
        # a2 is still a draft: the refused/invalid adds did not even start it
        self.assertEqual(self.cli.run("assessment", "show", self.a2, json_out=True)["state"], "draft")

    def test_list_and_remove_bad_input(self):
        self.cli.run("evidence", "list", "no-such-assessment", expect=2)
        self.assertEqual(self.cli.run("evidence", "list", self.a1, json_out=True), [])
        self.cli.run("evidence", "remove", self.a1, "0" * 64, expect=1)
        self.cli.run("evidence", "frobnicate", expect=1)
        good = self.file("good.txt", b"good evidence\n")
        sha = self.cli.run("evidence", "add", self.a1, good, "--by", self.lead).stdout.strip()
        before = tree_snapshot(self.cli.data_dir)
        self.cli.run("evidence", "remove", self.a1, sha, "--by", self.reviewer, expect=3)
        self.cli.run("evidence", "remove", self.a1, sha, "--by", "nobody", expect=2)
        self.assertEqual(tree_snapshot(self.cli.data_dir), before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
