#!/usr/bin/python3
"""More hostile bundles for attest-cli bundle import, beyond one per class (test_bundle.py):
variants of each way in, every one refused with exit 2 and the data directory unchanged."""
import gzip
import io
import os
import sys
import tarfile
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundlelib import (BundleCase, HAVE_OPENSSL, header_only, raw_entry, run, special, tar_bytes,  # noqa: E402
                       unzstd, zstd)


class HostileBundleTest(BundleCase):
    def test_more_hostile_bundles(self):
        target = self.make_target("target")
        m, s = self.entries[0][1], self.entries[1][1]
        ev = self.evidence_entries()
        head = [("manifest.json", m), ("manifest.json.sig", s)]
        good = self.good_bytes
        good_raw = unzstd(good)
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as z:
            z.writestr("manifest.json", m)
        stranger = dict(self.manifest(), exported_by=self.other)

        cases = [
            ("block-device", zstd(tar_bytes(head + [special("evidence/" + "d" * 64, tarfile.BLKTYPE)])), "is a device"),
            ("folder", zstd(tar_bytes(head + [special("evidence", tarfile.DIRTYPE)])), "is a folder"),
            ("foreign-name", zstd(tar_bytes(head + [("notes.txt", b"hi")] + ev)), "is not part of an Attest bundle"),
            ("dot-slash-name", zstd(tar_bytes([("./manifest.json", m)])), "is not part of an Attest bundle"),
            ("absolute-manifest", zstd(tar_bytes([("/manifest.json", m)])), "absolute path"),
            ("duplicate-manifest", zstd(tar_bytes(head + [("manifest.json", m)])), "manifest.json appears twice"),
            ("duplicate-signature", zstd(tar_bytes(head + [("manifest.json.sig", s)])), "manifest.json.sig appears twice"),
            ("manifest-not-first", zstd(tar_bytes([("manifest.json.sig", s), ("manifest.json", m)] + ev)),
             "starts with manifest.json"),
            ("unsigned", zstd(tar_bytes([("manifest.json", m)] + ev)), "not signed"),
            ("no-manifest", zstd(tar_bytes([])), "no manifest.json"),
            ("truncated-tar", zstd(good_raw[: len(good_raw) // 2]), "truncated"),
            ("cut-at-start", good[:40], "Attest bundle"),
            ("empty-file", b"", "Attest bundle"),
            ("gzip-tar", gzip.compress(good_raw), "is not an Attest bundle"),
            ("zip", zipped.getvalue(), "is not an Attest bundle"),
            ("zstd-not-tar", zstd(b"hello, this is not a tar archive" * 100), "is not an Attest bundle"),
            ("double-zstd", zstd(good), "is not an Attest bundle"),
            ("manifest-over-limit", zstd(header_only("manifest.json", 65 << 20)), "over the limit of 64 MiB"),
            ("signature-over-limit", zstd(raw_entry("manifest.json", m) + header_only("manifest.json.sig", 2 << 20)),
             "over the limit of 1 MiB"),
            ("manifest-not-utf8", zstd(tar_bytes([("manifest.json", b"{\"format\": \"\xff\xfe\"}"), ("manifest.json.sig", s)])),
             "not UTF-8"),
            ("manifest-array", zstd(tar_bytes([("manifest.json", b"[1, 2, 3]"), ("manifest.json.sig", s)])),
             "must hold a JSON object"),
            ("deep-nesting", zstd(tar_bytes([("manifest.json", b"[" * 200000 + b"]" * 200000), ("manifest.json.sig", s)])),
             "nests deeper"),
            ("other-format", zstd(tar_bytes(self.with_manifest(dict(self.manifest(), format="attest-bundle/9"), resign=False))),
             "this version of Attest reads attest-bundle/1"),
            ("records-not-an-object", zstd(tar_bytes(self.with_manifest(dict(self.manifest(), records=[]), resign=False))),
             "“records” must be an object"),
            ("unknown-entity", zstd(tar_bytes(self.with_manifest(
                dict(self.manifest(), records=dict(self.manifest()["records"], gossip=[])), resign=False))),
             "which this version of Attest does not know"),
            ("row-holds-an-object", zstd(tar_bytes(self.with_manifest(self.patched(org={"a": 1}), resign=False))),
             "must be a string, a number or null"),
            ("evidence-not-an-array", zstd(tar_bytes(self.with_manifest(dict(self.manifest(), evidence="all"), resign=False))),
             "“evidence” must be an array"),
            ("catalog-over-limit", zstd(tar_bytes(self.with_manifest(
                dict(self.manifest(), catalog=dict(self.manifest()["catalog"],
                                                   json=self.manifest()["catalog"]["json"] + " " * (1 << 20))),
                resign=False))), "over the limit of 1 MiB for a catalog"),
            ("exporter-not-carried", zstd(tar_bytes(self.with_manifest(stranger, resign=False))), "is not among its identities"),
            ("garbage-signature", zstd(tar_bytes([("manifest.json", m), ("manifest.json.sig", b"not a signature")] + ev)),
             "signature is broken"),
        ]
        if self.other_cert:
            forged = self.manifest()
            forged["identities"][0]["cert_pem"] = self.other_cert
            cases.append(("identity-with-someone-elses-certificate", zstd(tar_bytes(self.with_manifest(forged, resign=False))),
                          "carries the certificate of identity " + self.other))
        if self.evidence:
            first_name, first = ev[0]
            listed_big = self.manifest()
            listed_big["evidence"][0]["size"] = 5 << 30
            cases += [
                ("symlink-to-listed-evidence", zstd(tar_bytes(head + [special(first_name, tarfile.SYMTYPE, "/etc/shadow")])),
                 "symbolic link"),
                ("hardlink-to-listed-evidence", zstd(tar_bytes(head + [special(first_name, tarfile.LNKTYPE, "manifest.json")])),
                 "hard link"),
                ("evidence-before-signature", zstd(tar_bytes([("manifest.json", m)] + ev + [("manifest.json.sig", s)])),
                 "manifest.json.sig must follow manifest.json"),
                ("listed-over-limit", zstd(tar_bytes(self.with_manifest(listed_big, resign=False))), "over the limit of 4 GiB"),
                ("evidence-cut-short", zstd(raw_entry("manifest.json", m) + raw_entry("manifest.json.sig", s) +
                                            raw_entry(first_name, first)[: 512 + len(first) // 2]), "truncated"),
            ]
        if HAVE_OPENSSL:
            disagreeing = self.manifest()
            disagreeing["records"]["assessment"][0]["row"]["org"] = "Someone Else"
            cases += [
                ("ill-typed-column", zstd(tar_bytes(self.with_manifest(self.patched(rechain=True, scope=42)))),
                 "has a “scope” that is not text"),
                ("forged-audit-state", zstd(tar_bytes(self.with_manifest(self.patched(org="Someone Else")))),
                 "was altered: its hash does not match"),
                ("records-disagree-with-audit-log", zstd(tar_bytes(self.with_manifest(disagreeing))),
                 "differs from what its audit log last recorded"),
                ("signed-by-someone-else", zstd(tar_bytes([("manifest.json", m), ("manifest.json.sig", self.sign(m, self.other))] + ev)),
                 "signature is broken"),
            ]
        self.run_cases(target, cases)

    @unittest.skipUnless(HAVE_OPENSSL, "openssl is needed to sign changed manifests")
    def test_tampered_revision_of_an_assessment_already_here(self):
        """A store that has the assessment compares audit logs by their hashes: a bundle whose
        records and log states were rewritten (and signed again), or whose log was cut short
        after such a rewrite, is refused as bad input (2), not taken for "unchanged" or an
        older revision."""
        target = self.make_target("has-it")
        run(target, "bundle", "import", self.good)
        forged = self.patched(org="Someone Else")
        older = self.manifest()
        # the log without its last entry, but that entry's predecessor rewritten
        older["audit"] = older["audit"][:-1]
        older["audit"][0]["at"] = "2000-01-01T00:00:00Z"
        relinked = self.manifest()
        relinked["audit"][-1]["prev_hash"] = relinked["audit"][-1]["hash"]
        self.run_cases(target, [
            ("same-length-rewritten", zstd(tar_bytes(self.with_manifest(forged))), "was altered: its hash does not match"),
            ("shorter-rewritten", zstd(tar_bytes(self.with_manifest(older))), "was altered: its hash does not match"),
            ("chain-relinked", zstd(tar_bytes(self.with_manifest(relinked))), "chain is broken"),
        ])


if __name__ == "__main__":
    unittest.main(verbosity=2)
