#!/usr/bin/python3
"""One assessment, a team on three laptops (issue 14), through attest-cli with three data
directories: the lead assigns the chapters and hands out a bundle; two members each record
their chapter with evidence and both change one clause; the lead merges both: the union is
there, the one conflict is reported (exit 3, nothing written), decided with --take; the audit
trail verifies, and a report of the merged assessment verifies. Hostile bundles — one that
rewrites the history it was handed, one that claims another person's changes — are refused
with exit 2 and nothing written."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from bundlelib import read_bundle, rechain_audit, snapshot, tar_bytes, zstd  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
TEAM = os.path.join(SRC, "tests", "data", "team.json")
PASS = "team passphrase 1"


def have(tool):
    return shutil.which(tool) is not None


class TeamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-team-")
        cls.lead_dir, cls.m1_dir, cls.m2_dir = (os.path.join(cls.tmp, d) for d in ("lead", "m1", "m2"))

    @classmethod
    def tearDownClass(cls):
        if not os.environ.get("KEEP"): shutil.rmtree(cls.tmp)

    def cli(self, data, *args, expect=0, json_out=False):
        argv = [CLI, "--data-dir", data] + (["--json"] if json_out else []) + list(args)
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
        self.assertEqual(p.returncode, expect, f"{args}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return json.loads(p.stdout) if json_out else p

    def file(self, name, size):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        return path

    def forge(self, bundle, name, signer, change):
        """The bundle with its manifest changed by change(m), the log rechained and the manifest
        signed again with signer's key, as someone who holds the key could."""
        entries = read_bundle(bundle)
        m = json.loads(entries[0][1])
        change(m)
        rechain_audit(m["audit"])
        data = json.dumps(m, ensure_ascii=False, indent=1).encode()
        pem = os.path.join(self.tmp, f"{signer}.pem")
        subprocess.run(["openssl", "pkcs12", "-in", os.path.join(self.lead_dir, "identities", f"{signer}.p12"),
                        "-passin", f"pass:{PASS}", "-nodes", "-out", pem], check=True, capture_output=True)
        src = os.path.join(self.tmp, "m.json")
        with open(src, "wb") as f:
            f.write(data)
        sig = subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
                              "-signer", pem, "-inkey", pem, "-in", src], check=True, capture_output=True).stdout
        out = os.path.join(self.tmp, name)
        with open(out, "wb") as f:
            f.write(zstd(tar_bytes([("manifest.json", data), ("manifest.json.sig", sig)] + entries[2:])))
        return out

    def assert_nothing_written(self, before):
        after = snapshot(self.lead_dir)
        self.assertEqual(before[0], after[0], "the data directory changed")
        self.assertEqual(before[1], after[1], "the database changed")

    @unittest.skipUnless(have("openssl"), "openssl re-signs the hostile bundles")
    def test_three_laptops(self):
        L, M1, M2 = self.lead_dir, self.m1_dir, self.m2_dir
        self.cli(L, "standards", "import", TEAM)
        lead = self.cli(L, "identity", "create", "--name", "Lena Lead", "--role", "assessor").stdout.strip()
        m1 = self.cli(L, "identity", "create", "--name", "Ming One", "--role", "assessor").stdout.strip()
        m2 = self.cli(L, "identity", "create", "--name", "Mei Two", "--role", "assessor").stdout.strip()
        reviewer = self.cli(L, "identity", "create", "--name", "Rita Reviewer", "--role", "reviewer").stdout.strip()
        a = self.cli(L, "assessment", "create", "--standard", "TEAM", "--org", "Team Telecom", "--lead", lead,
                     "--team", m1, "--team", m2).stdout.strip()

        # the lead splits the work: a chapter each; only the lead assigns, only to the team
        self.assertIn("3 clauses assigned", self.cli(L, "assessment", "assign", a, "--to", m1, "--chapter", "1").stdout)
        self.cli(L, "assessment", "assign", a, "--to", m2, "--chapter", "2")
        self.cli(L, "assessment", "assign", a, "--to", reviewer, "--clause", "1.1", expect=3)
        self.cli(L, "assessment", "assign", a, "--to", m1, "--clause", "1.1", "--by", m2, expect=3)
        assigned = {x["clause"]: x["assignee"] for x in self.cli(L, "assessment", "show", a, json_out=True)["assignments"]}
        self.assertEqual(assigned, {"1.1": m1, "1.2": m1, "1.3": m1, "2.1": m2, "2.2": m2, "2.3": m2})
        handout = os.path.join(self.tmp, "handout.attest")
        self.cli(L, "bundle", "export", a, "-o", handout, "--by", lead)

        # each member: their key from the body, the handed-out bundle, their chapter, one shared clause
        for data, ident, chapter, photo, verdict in ((M1, m1, "1", 2500, "partial"), (M2, m2, "2", 3100, "nonconform")):
            self.cli(data, "identity", "import", os.path.join(L, "identities", f"{ident}.p12"), "--role", "assessor")
            self.cli(data, "bundle", "import", handout)
            for c in ("1", "2", "3"):
                self.cli(data, "finding", "set", a, f"{chapter}.{c}", "--by", ident, "--verdict", "conform",
                         "--note", f"seen by {ident}")
            self.cli(data, "evidence", "add", a, self.file(f"photo-{ident}.jpg", photo), "--by", ident,
                     "--clause", f"{chapter}.1", "--kind", "photo")
            self.cli(data, "finding", "set", a, "1.2", "--by", ident, "--verdict", verdict, "--note", f"1.2 by {ident}")
            self.cli(data, "nc", "add", a, f"{chapter}.2", "--by", ident, "--grade", "minor", "--text", f"found by {ident}",
                     "--suggestion", "fix it")
        b1, b2 = (os.path.join(self.tmp, f"{n}.attest") for n in ("m1", "m2"))
        self.cli(M1, "bundle", "export", a, "-o", b1, "--by", m1)
        self.cli(M2, "bundle", "export", a, "-o", b2, "--by", m2)

        # meanwhile the lead notes the set-up: both members' bundles now diverge from here
        self.cli(L, "assessment", "update", a, "--by", lead, "--scope", "Hotline and business halls")

        # hostile: the history it was handed, rewritten; another person's change claimed
        def rewrite(m):
            create = m["audit"][0]
            create["at"] = "2020-01-01T00:00:00Z"
        def claim(m):
            m["audit"][-1]["actor"] = lead
        before = snapshot(L)
        p = self.cli(L, "bundle", "import", self.forge(b1, "rewritten.attest", m1, rewrite), "--merge", expect=2)
        self.assertIn("history", p.stderr)
        self.assert_nothing_written(before)
        p = self.cli(L, "bundle", "import", self.forge(b1, "claimed.attest", m1, claim), "--merge", expect=2)
        self.assertIn("claims a change by", p.stderr)
        self.assert_nothing_written(before)

        # the first member's work: no conflict
        p = self.cli(L, "bundle", "import", b1, "--merge")
        self.assertIn("merged the work of Ming One", p.stderr)
        # the second: the shared clause is a conflict, listed with both sides, and nothing written
        before = snapshot(L)
        p = self.cli(L, "bundle", "import", b2, "--merge", expect=3)
        self.assertIn("the finding on clause 1.2", p.stderr)
        self.assertIn("partial — 1.2 by", p.stderr)
        self.assertIn("nonconform — 1.2 by", p.stderr)
        self.assertIn("Ming One", p.stderr)
        self.assertIn("Mei Two", p.stderr)
        self.assert_nothing_written(before)
        self.cli(L, "bundle", "import", b2, "--merge", "--take", "theirs")

        shown = self.cli(L, "assessment", "show", a, json_out=True)
        findings = {f["clause"]: (f["verdict"], f["recorded_by"]) for f in shown["findings"]}
        self.assertEqual(findings["1.1"], ("conform", m1))
        self.assertEqual(findings["2.3"], ("conform", m2))
        self.assertEqual(findings["1.2"], ("nonconform", m2))           # theirs, as decided
        self.assertEqual(len(shown["evidence"]), 2)                     # the union of the files
        self.assertEqual(shown["scope"], "Hotline and business halls")  # the lead's own change stays
        self.assertEqual(sorted(n["label"] for n in shown["nonconformities"]), ["NC-1", "NC-2"])  # renumbered, not lost

        # the history: whose change each record came from, the members' logs kept and checked
        out = self.cli(L, "audit", "verify", a).stdout
        self.assertIn("audit trail intact", out)
        db = os.path.join(L, "attest.db")
        actors = subprocess.run(["sqlite3", db, f"SELECT actor FROM audit_log WHERE assessment_id = '{a}' AND entity = 'finding' "
                                 "AND entity_key = '2.3' ORDER BY n DESC LIMIT 1"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(actors, m2)
        subprocess.run(["sqlite3", db, "UPDATE audit_branches SET state = replace(state, 'seen by', 'SEEN BY')"], check=True)
        p = self.cli(L, "audit", "verify", a, expect=2)
        self.assertIn("team member's log merged", p.stderr)
        subprocess.run(["sqlite3", db, "UPDATE audit_branches SET state = replace(state, 'SEEN BY', 'seen by')"], check=True)

        # the merged assessment goes on: a bundle carries the kept logs; the report verifies
        merged = os.path.join(self.tmp, "merged.attest")
        self.cli(L, "bundle", "export", a, "-o", merged, "--by", lead)
        self.cli(L, "verify", merged)
        self.cli(L, "assessment", "submit", a, "--by", lead)
        # a member's bundle does not merge into a submitted assessment
        p = self.cli(L, "bundle", "import", b2, "--merge", expect=3)
        self.assertIn("never crosses the workflow", p.stderr)
        self.cli(L, "review", "comment", a, "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "--by", reviewer, "--agree")
        self.cli(L, "review", a, "--by", reviewer, "--approve", "--conclusion", "The team's work holds together.")
        report = os.path.join(self.tmp, "merged.pdf")
        self.cli(L, "report", a, "-o", report, "--lang", "en")
        out = self.cli(L, "verify", report).stdout
        self.assertIn("matches the records", out)
        if have("pdfsig"):
            sig = subprocess.run(["pdfsig", report], capture_output=True, text=True).stdout
            self.assertIn("Signature is Valid.", sig)
        fresh = os.path.join(self.tmp, "fresh")
        self.cli(fresh, "bundle", "import", merged)
        self.cli(fresh, "audit", "verify", a)


if __name__ == "__main__":
    unittest.main(verbosity=2)
