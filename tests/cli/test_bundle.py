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
from bundlelib import (CLI, BundleCase, HAVE_OPENSSL, PASS, header_only, raw_entry, read_bundle, run, snapshot,  # noqa: E402
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

    def test_photos_and_text_in_one_stream(self):
        """Photos (compressed already) and text interleaved: each entry is compressed as it
        deserves, the whole stays one zstd stream that zstd, bsdtar and Attest read."""
        if not self.has_evidence:
            self.skipTest("attest-cli has no “evidence add” yet")
        d = os.path.join(self.tmp, "mixed")
        env = {"ATTEST_PASSPHRASE": PASS}
        lead = run(d, "identity", "create", "--name", "Mia Mixed", "--role", "assessor", "--org", "CB",
                   env=env).stdout.strip()
        a = run(d, "assessment", "create", "--standard", "QCS", "--org", "Org M", "--lead", lead).stdout.strip()
        photo_bytes = text_bytes = 0
        for i in range(4):
            path = os.path.join(self.tmp, f"mixed-{i}")
            if i % 2 == 0:
                data = b"\xff\xd8\xff\xe0" + os.urandom(300000)     # a JPEG's start, then noise
                photo_bytes += len(data)
            else:
                data = (f"Minutes of meeting {i}: the hotline rota was checked line by line.\n" * 5000).encode()
                text_bytes += len(data)
            with open(path, "wb") as f:
                f.write(data)
            run(d, "evidence", "add", a, path, "--by", lead)
        bundle = os.path.join(self.tmp, "mixed.attest")
        run(d, "bundle", "export", a, "-o", bundle, env=env)

        # the text (and the manifest) shrank, the photos went through without growing much
        size = os.path.getsize(bundle)
        head = sum(len(data) for name, data in read_bundle(bundle) if not name.startswith("evidence/"))
        self.assertLess(size, photo_bytes * 1.01 + (text_bytes + head) // 5)
        self.assertGreater(size, photo_bytes)
        # zstd checks every frame's checksum; bsdtar extracts every file as it was
        subprocess.run(["zstd", "-q", "-t", bundle], check=True)
        x = os.path.join(self.tmp, "mixed-x")
        os.makedirs(x)
        subprocess.run(["bsdtar", "-xf", bundle, "-C", x], check=True)
        names = sorted(os.listdir(os.path.join(x, "evidence")))
        self.assertEqual(len(names), 4)
        for name in names:
            with open(os.path.join(x, "evidence", name), "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), name)
        # and Attest imports it, every record matching its log
        run(os.path.join(self.tmp, "mixed-in"), "bundle", "import", bundle)
        run(os.path.join(self.tmp, "mixed-in"), "audit", "verify", a)

    def test_certified_round_trip_and_a_report_from_the_imported_copy(self):
        """A whole chapter-11 run travels: the imported copy shows the same, its sign-offs and
        audit log verify, and a report made from it (by the reviewer and the issuer, in the
        reviewer's own store) verifies — there and against the original records."""
        env = {"ATTEST_PASSPHRASE": PASS}
        src = os.path.join(self.tmp, "cert-src")
        dst = os.path.join(self.tmp, "cert-dst")
        run(src, "standards", "import", os.path.join(os.environ["ATTEST_SOURCE_ROOT"], "tests", "data", "mini.json"))
        lead, reviewer, issuer = (run(src, "identity", "create", "--name", name, "--role", role, "--org", "CB",
                                      env=env).stdout.strip()
                                  for name, role in (("Lena Lead", "assessor"), ("Rita Reviewer", "reviewer"),
                                                     ("Ivo Issuer", "issuer")))
        a = run(src, "assessment", "create", "--standard", "MINI", "--org", "Org C", "--lead", lead).stdout.strip()
        run(src, "finding", "set", a, "1.1", "--by", lead, "--verdict", "partial", "--indicator", "answer-15s",
            "--sample", "3", "--sample", "20", "--note", "evening queue")
        run(src, "finding", "set", a, "1.2", "--by", lead, "--verdict", "conform")
        photo = self.write("cert-photo.bin", os.urandom(5000))
        run(src, "evidence", "add", a, photo, "--by", lead, "--clause", "1.1", "--kind", "photo")
        run(src, "nc", "add", a, "1.1", "--by", lead, "--grade", "minor", "--text", "slow", "--suggestion", "staff up")
        run(src, "assessment", "submit", a, "--by", lead, env=env)
        run(src, "review", "comment", a, "1.1", "1.2", "--by", reviewer, "--agree", env=env)
        run(src, "review", a, "--by", reviewer, "--approve", "--conclusion", "sound", env=env)
        run(src, "certificate", "issue", a, "--by", issuer, env=env)
        bundle = os.path.join(self.tmp, "certified.attest")
        run(src, "bundle", "export", a, "-o", bundle, env=env)

        # into an empty data directory: the same assessment, nothing else needed
        empty = os.path.join(self.tmp, "cert-empty")
        self.assertEqual(run(empty, "bundle", "import", bundle).stdout.strip(), a)
        shown = run(src, "assessment", "show", a, json_out=True)
        self.assertEqual(shown["state"], "certified")
        self.assertEqual(shown, run(empty, "assessment", "show", a, json_out=True))
        run(empty, "audit", "verify", a)

        # the reviewer's own store: their key and the issuer's, then the bundle
        for ident, role in ((reviewer, "reviewer"), (issuer, "issuer")):
            run(dst, "identity", "import", os.path.join(src, "identities", f"{ident}.p12"), "--role", role, env=env)
        self.assertEqual(run(dst, "bundle", "import", bundle).stdout.strip(), a)
        self.assertEqual(shown, run(dst, "assessment", "show", a, json_out=True))
        pdf = os.path.join(self.tmp, "from-the-copy.pdf")
        run(dst, "report", a, "-o", pdf, "--lang", "en", "--by", reviewer, env=env)
        run(dst, "report", "sign", pdf, "--by", issuer, env=env)
        if shutil.which("pdfsig"):
            sig = subprocess.run(["pdfsig", pdf], capture_output=True, text=True).stdout
            self.assertEqual(sig.count("Signature is Valid."), 2, sig)
        if not self.has_verify_command():
            self.skipTest("“attest-cli verify” is not there yet: the report was judged by pdfsig only")
        for store in (dst, src, empty):
            p = run(store, "verify", pdf)
            self.assertEqual(p.stdout.count(": valid;"), 2, p.stdout)
            self.assertIn("covers the whole document", p.stdout)
            self.assertIn(f"matches the records of assessment {a}", p.stdout)

    def has_verify_command(self):
        p = subprocess.run([CLI, "--data-dir", os.path.join(self.tmp, "probe"), "verify", os.path.join(self.tmp, "none.pdf")],
                           capture_output=True, text=True)
        return "unknown command" not in p.stderr

    def test_export_needs_the_passphrase_and_writes_nothing_without_it(self):
        out = os.path.join(self.tmp, "nopass.attest")
        run(self.a, "bundle", "export", self.assessment, "-o", out, "--by", self.lead, expect=2,
            env={"ATTEST_PASSPHRASE": "wrong wrong wrong"})
        p = run(self.a, "bundle", "export", self.assessment, "-o", out, expect=2)
        self.assertIn("a passphrase is needed", p.stderr)
        self.assertIn("signed by the lead assessor", p.stderr)
        run(self.a, "bundle", "export", self.assessment, "--by", self.lead, expect=1, env={"ATTEST_PASSPHRASE": PASS})
        self.assertFalse(os.path.exists(out))
        self.assertFalse([n for n in os.listdir(self.tmp) if n.startswith(".nopass")])

    def test_export_is_signed_by_the_lead_unless_by_names_someone(self):
        """The contract's form, “bundle export A -o FILE.attest”, has no --by: the lead signs."""
        env = {"ATTEST_PASSPHRASE": PASS}
        for by, signer in (([], self.lead), (["--by", self.other], self.other)):
            with self.subTest(by=by):
                out = os.path.join(self.tmp, f"signed-by-{signer}.attest")
                run(self.a, "bundle", "export", self.assessment, "-o", out, *by, env=env)
                manifest = json.loads(read_bundle(out)[0][1])
                self.assertEqual(manifest["exported_by"], signer)
                if HAVE_OPENSSL:
                    # the signature is a CMS signature of manifest.json by that person's certificate
                    cert = next(i["cert_pem"] for i in manifest["identities"] if i["id"] == signer)
                    entries = dict(read_bundle(out))
                    for name, data in (("m.json", entries["manifest.json"]), ("m.sig", entries["manifest.json.sig"]),
                                       ("c.pem", cert.encode())):
                        self.write(name, data)
                    subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-noverify",
                                    "-in", os.path.join(self.tmp, "m.sig"), "-content", os.path.join(self.tmp, "m.json"),
                                    "-certfile", os.path.join(self.tmp, "c.pem"), "-out", os.devnull],
                                   check=True, capture_output=True)
                dest = os.path.join(self.tmp, f"import-{signer}")
                self.assertEqual(run(dest, "bundle", "import", out).stdout.strip(), self.assessment)
        # an assessment this store does not have is named before any passphrase is asked for
        p = run(self.a, "bundle", "export", "no-such-assessment", "-o", os.path.join(self.tmp, "x.attest"), expect=2)
        self.assertIn("no-such-assessment", p.stderr)
        # a store that holds the lead only as a public certificate (it came in a bundle) cannot
        # sign as the lead, and says so
        dest = os.path.join(self.tmp, f"import-{self.lead}")
        p = run(dest, "bundle", "export", self.assessment, "-o", os.path.join(dest, "again.attest"), expect=2, env=env)
        self.assertIn("key of Ann Assessor is missing", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(dest, "again.attest")))

    def test_verify_a_bundle(self):
        """attest-cli verify FILE.attest: a good bundle passes every check (exit 0, one line per
        check); a changed one fails (exit 2, the problem named) — and neither touches the data
        directory or leaves anything in TMPDIR."""
        store = os.path.join(self.tmp, "verifier")
        scratch = os.path.join(self.tmp, "verify-tmp")
        os.makedirs(scratch)
        env = {"TMPDIR": scratch}
        p = run(store, "verify", self.good, env=env)
        self.assertIn("signature: valid", p.stdout)
        self.assertIn(self.assessment, p.stdout)
        self.assertIn("the chain is intact", p.stdout)
        if self.evidence:
            self.assertIn(f"evidence: {len(self.evidence)} files", p.stdout)
        report = run(store, "verify", self.good, json_out=True, env=env)
        self.assertEqual((report["kind"], report["valid"], report["error"]), ("bundle", True, None))
        self.assertEqual(report["checks"], p.stdout.splitlines())

        m, s = self.entries[0][1], self.entries[1][1]
        ev = self.evidence_entries()
        cases = [
            ("changed-manifest", zstd(tar_bytes([("manifest.json", m.replace(b"Org X", b"Org Y")),
                                                ("manifest.json.sig", s)] + ev)), "signature is broken"),
            ("truncated", self.good_bytes[: len(self.good_bytes) // 2], "truncated"),
            ("not-a-bundle", b"\x28\xb5\x2f\xfd" + os.urandom(1000), "is not an Attest bundle"),
        ]
        if self.evidence:
            name, data = ev[0]
            cases.append(("changed-evidence", zstd(tar_bytes([("manifest.json", m), ("manifest.json.sig", s),
                                                              (name, bytes([data[0] ^ 1]) + data[1:])] + ev[1:])),
                          "does not match its SHA-256"))
        if HAVE_OPENSSL:
            cases.append(("records-and-log-rewritten", zstd(tar_bytes(self.with_manifest(self.patched(org="Someone Else")))),
                          "was altered: its hash does not match"))
        for name, data, fragment in cases:
            with self.subTest(name):
                path = self.write(name + ".attest", data)
                p = run(store, "verify", path, expect=2, env=env)
                self.assertIn(fragment, p.stderr)
                self.assertTrue(p.stderr.startswith("attest-cli: error: "), p.stderr)
                self.assertNotIn("signature: valid", p.stdout)
                report = run(store, "verify", path, json_out=True, expect=2, env=env)
                self.assertFalse(report["valid"])
                self.assertIn(fragment, report["error"])
        self.assertEqual(os.listdir(scratch), [])
        self.assertFalse(os.path.exists(store), "verifying a bundle opened a data directory")

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
            cases.append(("unknown-column", zstd(tar_bytes(self.with_manifest(self.patched(rechain=True, colour="red")))),
                          "does not know"))
        self.run_cases(target, cases)


if __name__ == "__main__":
    unittest.main(verbosity=2)
