#!/usr/bin/python3
"""attest-cli bundle export|import: the round trip into an empty data directory, revisions of
the same assessment, and one hostile bundle per way a bundle can be bad — each refused with
exit 2, a sentence naming the problem, and the data directory exactly as it was.
(test_bundle_hostile.py has many more hostile bundles.)"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundlelib import (BundleCase, HAVE_OPENSSL, PASS, header_only, raw_entry, run, snapshot,  # noqa: E402
                       special, tar_bytes, unzstd, zstd)


class BundleTest(BundleCase):
    def test_round_trip_into_an_empty_data_directory(self):
        b = os.path.join(self.tmp, "roundtrip")
        p = run(b, "bundle", "import", self.good)
        self.assertEqual(p.stdout.strip(), self.assessment)
        self.assertEqual(run(self.a, "assessment", "show", self.assessment, json_out=True),
                         run(b, "assessment", "show", self.assessment, json_out=True))
        run(b, "audit", "verify", self.assessment)
        for sha in self.evidence:
            self.assertTrue(os.path.isfile(os.path.join(b, "evidence", sha[:2], sha)))
        self.assertFalse([n for n in os.listdir(b) if n.startswith(".bundle")])
        # no private key travelled
        self.assertFalse(os.path.exists(os.path.join(b, "identities")))
        self.assertNotIn(b"PRIVATE KEY", self.entries[0][1])
        # the layout: manifest first, its signature second, then evidence/<sha256>
        names = [n for n, _ in self.entries]
        self.assertEqual(names[:2], ["manifest.json", "manifest.json.sig"])
        self.assertEqual(sorted(names[2:]), sorted(f"evidence/{s}" for s in self.evidence))
        # any tar.zst reader reads it
        listing = subprocess.run(["bsdtar", "-tf", self.good], capture_output=True, text=True, check=True).stdout
        self.assertIn("manifest.json.sig", listing)
        # the same again changes nothing
        before = snapshot(b)
        again = run(b, "--json", "bundle", "import", self.good)
        self.assertEqual(json.loads(again.stdout), {"assessment_id": self.assessment, "outcome": "unchanged"})
        self.assertEqual(before, snapshot(b))
        if self.skipped:
            self.skipTest("round trip passed, without: " + "; ".join(self.skipped))

    def test_export_needs_the_passphrase_and_writes_nothing_without_it(self):
        out = os.path.join(self.tmp, "nopass.attest")
        run(self.a, "bundle", "export", self.assessment, "-o", out, "--by", self.lead, expect=2,
            env={"ATTEST_PASSPHRASE": "wrong wrong wrong"})
        run(self.a, "bundle", "export", self.assessment, "-o", out, expect=1)
        self.assertFalse(os.path.exists(out))
        self.assertFalse([n for n in os.listdir(self.tmp) if n.startswith(".nopass")])

    def test_revisions(self):
        if not self.has_finding:
            self.skipTest("attest-cli has no “finding set” yet: no way to make a later revision")
        env = {"ATTEST_PASSPHRASE": PASS}
        src = os.path.join(self.tmp, "rev-a")
        dst = os.path.join(self.tmp, "rev-b")
        shutil.copytree(self.a, src)
        v2, v3 = (os.path.join(self.tmp, f"v{i}.attest") for i in (2, 3))
        run(dst, "bundle", "import", self.good)

        # a later revision of the same history is applied
        run(src, "finding", "set", self.assessment, self.clauses[2], "--by", self.lead, "--verdict", "partial")
        run(src, "bundle", "export", self.assessment, "-o", v2, "--by", self.lead, env=env)
        p = run(dst, "bundle", "import", v2)
        self.assertIn("later revision", p.stderr)
        self.assertEqual(run(src, "assessment", "show", self.assessment, json_out=True),
                         run(dst, "assessment", "show", self.assessment, json_out=True))

        # an earlier one is refused
        before = snapshot(dst)
        p = run(dst, "bundle", "import", self.good, expect=3)
        self.assertIn("this store has a later revision", p.stderr)
        self.assertEqual(before, snapshot(dst))

        # both sides went on: refused naming the first differing audit entry, or kept as a copy
        run(dst, "finding", "set", self.assessment, self.clauses[3], "--by", self.lead, "--verdict", "conform")
        run(src, "finding", "set", self.assessment, self.clauses[4], "--by", self.lead, "--verdict", "nonconform")
        run(src, "bundle", "export", self.assessment, "-o", v3, "--by", self.lead, env=env)
        before = snapshot(dst)
        p = run(dst, "bundle", "import", v3, expect=3)
        self.assertIn("diverged", p.stderr)
        self.assertIn("audit entry", p.stderr)
        self.assertEqual(before, snapshot(dst))

        copy = run(dst, "bundle", "import", v3, "--as-copy").stdout.strip()
        self.assertNotEqual(copy, self.assessment)
        run(dst, "audit", "verify", copy)
        ids = {a["id"] for a in run(dst, "assessment", "list", json_out=True)}
        self.assertEqual(ids, {self.assessment, copy})

    def test_one_hostile_bundle_per_class(self):
        target = self.make_target("target")
        m, s = self.entries[0][1], self.entries[1][1]
        ev = self.evidence_entries()
        head = [("manifest.json", m), ("manifest.json.sig", s)]
        unlisted = b"a file nobody listed"
        cases = [
            ("absolute-path", zstd(tar_bytes(head + [("/etc/attest-evil", b"x")] + ev)), "absolute path"),
            ("dot-dot", zstd(tar_bytes(head + [("evidence/../../evil", b"x")])), "climbs out of the bundle"),
            ("symlink", zstd(tar_bytes(head + [special("evidence/" + "a" * 64, tarfile.SYMTYPE, "/etc/passwd")])),
             "symbolic link"),
            ("hardlink", zstd(tar_bytes(head + [special("evidence/" + "b" * 64, tarfile.LNKTYPE, "manifest.json")])),
             "hard link"),
            ("device", zstd(tar_bytes(head + [special("evidence/" + "c" * 64, tarfile.CHRTYPE)])), "is a device"),
            ("fifo", zstd(tar_bytes(head + [special("evidence/" + "e" * 64, tarfile.FIFOTYPE)])), "is a FIFO"),
            ("not-in-manifest", zstd(tar_bytes(head + ev + [("evidence/" + hashlib.sha256(unlisted).hexdigest(), unlisted)])),
             "is not listed in the bundle's manifest"),
            ("too-many-entries", zstd(tar_bytes(self.with_manifest(
                dict(self.manifest(), evidence=[{"sha256": "%064x" % i, "size": 1} for i in range(100001)]), resign=False))),
             "a bundle holds at most 100000 entries"),
            ("truncated", self.good_bytes[: os.path.getsize(self.good) * 2 // 3], "truncated"),
            ("not-an-archive", os.urandom(4096), "is not an Attest bundle"),
            ("uncompressed-tar", unzstd(self.good_bytes), "not a tar archive compressed with zstd"),
            ("malformed-manifest", zstd(tar_bytes([("manifest.json", b"{\"format\": \"attest-bundle/1\", "),
                                                   ("manifest.json.sig", s)] + ev)), "is not JSON"),
            ("ill-typed-manifest", zstd(tar_bytes(self.with_manifest(
                dict(self.manifest(), audit=[dict(self.manifest()["audit"][0], n="1")]), resign=False))),
             "“audit[0].n” must be a whole number"),
            ("broken-signature", zstd(tar_bytes([("manifest.json", m.replace(b"Org X", b"Org Y")),
                                                 ("manifest.json.sig", s)] + ev)), "signature is broken"),
        ]
        if self.evidence:
            first_name, first = ev[0]
            cases += [
                ("duplicate", zstd(tar_bytes(head + ev + [ev[0]])), "appears twice"),
                ("missing-entry", zstd(tar_bytes(head + ev[1:])), "missing from the bundle"),
                ("hash-mismatch", zstd(tar_bytes(head + [(first_name, bytes([first[0] ^ 1]) + first[1:])] + ev[1:])),
                 "does not match its SHA-256"),
                ("size-mismatch", zstd(tar_bytes(head + [(first_name, first + b"!")] + ev[1:])), "but the manifest says"),
                ("over-size-limit", zstd(raw_entry("manifest.json", m) + raw_entry("manifest.json.sig", s) +
                                         header_only(first_name, 5 << 30)), "over the limit of 4 GiB"),
            ]
        else:
            # still one bundle per class, on the manifest and signature entries
            cases += [
                ("duplicate", zstd(tar_bytes(head + [("manifest.json", m)])), "appears twice"),
                ("missing-entry", zstd(tar_bytes([("manifest.json", m)])), "manifest.json.sig is missing"),
                ("over-size-limit", zstd(header_only("manifest.json", 65 << 20)), "over the limit of 64 MiB"),
            ]
            print("test_bundle: hash and size mismatch cases need evidence: attest-cli has no “evidence add” yet",
                  file=sys.stderr)
        if HAVE_OPENSSL:
            cases.append(("unknown-column", zstd(tar_bytes(self.with_manifest(self.patched(colour="red")))),
                          "does not know"))
        self.run_cases(target, cases)


if __name__ == "__main__":
    unittest.main(verbosity=2)
