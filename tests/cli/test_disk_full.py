#!/usr/bin/python3
"""A full disk: with the data directory, or the folder an export goes to, on a small tmpfs,
evidence ingest, bundle import, bundle export, the report and a plain record fail with a
sentence that says the disk is full — and the store is exactly as it was (its logical dump and
its evidence files compared before and after), with no temporary left. Once space is freed, the
same commands succeed.

Mounting needs root, or a user namespace (the test re-runs itself under `unshare -Urm`); where
neither is possible it is skipped with a message (exit 77)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "disk full passphrase"
MINI = os.path.join(SRC, "tests", "data", "mini.json")
SKIP = 77


def can_mount():
    probe = tempfile.mkdtemp(prefix="attest-mount-probe-")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", probe], check=True)
        return ok
    finally:
        os.rmdir(probe)


def cli(data, *args, expect=0):
    p = subprocess.run([CLI, "--data-dir", data] + list(args), capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"{args} exited {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def state_of(data):
    """The store as a person would compare it: every row (a logical dump, so a WAL that grew
    does not count) and every file of the data directory with its hash."""
    import sqlite3
    con = sqlite3.connect(f"file:{os.path.join(data, 'attest.db')}?mode=ro", uri=True)
    try:
        # the recheck's clause digests are a cache derived from the records (rebuilt whenever
        # they lag the audit log), not a record: filling it is not a change to the store
        rows = (r for r in con.iterdump() if not r.startswith('INSERT INTO "clause_digests'))
        dump = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    finally:
        con.close()
    files = {}
    for root, _, names in os.walk(data):
        for n in names:
            path = os.path.join(root, n)
            rel = os.path.relpath(path, data)
            if rel.startswith("attest.db"):
                continue
            with open(path, "rb") as f:
                files[rel] = hashlib.sha256(f.read()).hexdigest()
    return dump, files


class DiskFullTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-disk-full-")
        cls.mounts = []
        # where attest-cli makes the store and the records that are then exported
        cls.home = os.path.join(cls.tmp, "home")
        cli(cls.home, "standards", "import", MINI)
        cls.lead = cli(cls.home, "identity", "create", "--name", "Full Lead", "--role", "assessor").stdout.strip()
        cls.reviewer = cli(cls.home, "identity", "create", "--name", "Full Reviewer", "--role", "reviewer").stdout.strip()
        cls.a = cli(cls.home, "assessment", "create", "--standard", "MINI", "--org", "Full Org", "--lead", cls.lead).stdout.strip()
        for clause in ("1.1", "1.2"):
            cli(cls.home, "finding", "set", cls.a, clause, "--by", cls.lead, "--verdict", "conform")
        cls.big = os.path.join(cls.tmp, "big.bin")
        with open(cls.big, "wb") as f:
            f.write(os.urandom(12 << 20))
        cli(cls.home, "evidence", "add", cls.a, cls.big, "--by", cls.lead, "--clause", "1.1")
        cls.bundle = os.path.join(cls.tmp, "visit.attest")
        cli(cls.home, "bundle", "export", cls.a, "-o", cls.bundle, "--by", cls.lead)

    @classmethod
    def tearDownClass(cls):
        for m in reversed(cls.mounts):
            subprocess.run(["umount", m], check=False)
        shutil.rmtree(cls.tmp)

    def small_disk(self, name, size):
        path = os.path.join(self.tmp, name)
        os.makedirs(path)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path], check=True)
        self.mounts.append(path)
        return path

    def fill(self, folder, leave=0):
        """A filler file taking all but `leave` bytes of the folder's filesystem."""
        st = os.statvfs(folder)
        free = st.f_bavail * st.f_frsize
        path = os.path.join(folder, "filler")
        with open(path, "wb") as f:
            f.write(b"\0" * max(0, free - leave))
        return path

    def full(self, p):
        """Refused, in one sentence that says why."""
        self.assertNotEqual(p.returncode, 0)
        err = p.stderr.strip()
        if os.environ.get("ATTEST_SHOW_MESSAGES"):
            print(err, file=sys.stderr)
        self.assertTrue(err.startswith("attest-cli: error: "), err)
        self.assertIn("the disk is full", err)
        self.assertEqual(len(err.splitlines()), 1, err)

    def no_temporaries(self, *folders):
        for folder in folders:
            for root, dirs, names in os.walk(folder):
                for n in names + dirs:
                    self.assertFalse(n.startswith(".tmp-") or n.startswith(".bundle-import-") or ".tmp-" in n,
                                     f"left behind: {os.path.join(root, n)}")

    def test_data_directory_full(self):
        data = os.path.join(self.small_disk("data-disk", "8m"), "data")
        cli(data, "standards", "import", MINI)
        cli(data, "identity", "import", os.path.join(self.home, "identities", self.lead + ".p12"))
        a = cli(data, "assessment", "create", "--standard", "MINI", "--org", "Small Disk Org", "--lead", self.lead).stdout.strip()
        cli(data, "finding", "set", a, "1.1", "--by", self.lead, "--verdict", "conform")
        before = state_of(data)

        # ingest: 12 MB of evidence on a disk with less than 8 MB
        self.full(cli(data, "evidence", "add", a, self.big, "--by", self.lead, "--clause", "1.1", expect=None))
        self.assertEqual(state_of(data), before)
        self.no_temporaries(data)

        # import: the bundle's evidence does not fit either
        self.full(cli(data, "bundle", "import", self.bundle, expect=None))
        self.assertEqual(state_of(data), before)
        self.no_temporaries(data)

        # a plain record on a disk with no room left at all: SQLite's own write fails
        filler = self.fill(os.path.dirname(data))
        self.full(cli(data, "finding", "set", a, "1.2", "--by", self.lead, "--verdict", "nonconform",
                      "--note", "x" * 100000, expect=None))
        self.assertEqual(state_of(data), before)

        # room again: the same commands succeed
        os.unlink(filler)
        cli(data, "finding", "set", a, "1.2", "--by", self.lead, "--verdict", "conform")
        shutil.rmtree(data)

    def test_output_folder_full(self):
        out = self.small_disk("out-disk", "2m")
        # the bundle holds 12 MB of evidence
        target = os.path.join(out, "visit.attest")
        before = state_of(self.home)
        self.full(cli(self.home, "bundle", "export", self.a, "-o", target, "--by", self.lead, expect=None))
        self.assertFalse(os.path.exists(target))
        self.no_temporaries(out)

        # a report (a few hundred kilobytes with its font) on a disk with 64 KB left
        filler = self.fill(out, leave=64 << 10)
        report = os.path.join(out, "report.pdf")
        self.full(cli(self.home, "report", self.a, "-o", report, "--draft", expect=None))
        self.assertFalse(os.path.exists(report))
        self.no_temporaries(out)
        self.assertEqual(state_of(self.home), before)

        os.unlink(filler)
        cli(self.home, "report", self.a, "-o", report, "--draft")
        # whole: a draft verifies as one (it carries no signature, so verify says so and exits 2)
        p = cli(self.home, "verify", report, expect=2)
        self.assertIn("unsigned draft", p.stdout)
        self.assertNotIn("cannot be read", p.stdout)


def main():
    if os.geteuid() != 0 and not os.environ.get("ATTEST_IN_NAMESPACE"):
        # a user and mount namespace of our own, where we may mount tmpfs
        if shutil.which("unshare"):
            p = subprocess.run(["unshare", "-Urm", sys.executable] + sys.argv,
                               env=dict(os.environ, ATTEST_IN_NAMESPACE="1"))
            if p.returncode != SKIP:
                sys.exit(p.returncode)
        print("skipped: mounting a small tmpfs needs root or user namespaces (unshare -Urm)")
        sys.exit(SKIP)
    if not can_mount():
        print("skipped: this system does not let us mount a small tmpfs")
        sys.exit(SKIP)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
