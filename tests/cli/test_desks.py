#!/usr/bin/python3
"""The reviewer's and the organisation's desks through attest-cli (issue 11).

- the recheck clause by clause: approval refused while a clause is unreviewed (exit 3, a
  sentence naming how many), a query returned, answered, resubmitted; the reviewer sees what
  changed; two rounds in `assessment show --json`, each sign-off still verifying;
- reopen supersedes the sign-offs until re-approved, in the JSON, `audit verify` and the report;
- the follow-up desk: nonconformities across assessments, overdue marked, a corrective action
  with evidence, verification, the history, a bundle that carries the evidence;
- the self-assessment: a gap view, a report signed by the organisation by default once it has
  submitted, that says 自评 and has no certificate;
- document evaluation from the organisation's bundle: its evidence, not its verdicts;
- surveillance: the previous verdicts and nonconformities beside the new assessment.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from bundlelib import read_bundle, rechain_audit, tar_bytes, zstd  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
MINI = os.path.join(SRC, "tests", "data", "mini.json")
PASS = "desks passphrase 1"


def have(tool):
    return shutil.which(tool) is not None


class DesksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-desks-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="data-", dir=self.tmp)
        self.cli("standards", "import", MINI)
        self.lead = self.identity("Lena Lead", "assessor")
        self.reviewer = self.identity("Rita Reviewer", "reviewer")
        self.issuer = self.identity("Ivo Issuer", "issuer")
        self.org = self.identity("Olga Org", "organisation")

    def cli(self, *args, expect=0, data=None, json_out=False, env=None):
        argv = [CLI, "--data-dir", data or self.data] + (["--json"] if json_out else []) + list(args)
        full_env = dict(os.environ, ATTEST_PASSPHRASE=PASS)
        full_env.update(env or {})
        p = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=120)
        self.assertEqual(p.returncode, expect, f"{args}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return json.loads(p.stdout) if json_out else p

    def identity(self, name, *roles, data=None):
        args = ["identity", "create", "--name", name, "--org", "Org"]
        for r in roles:
            args += ["--role", r]
        return self.cli(*args, data=data).stdout.strip()

    def show(self, a, data=None):
        return self.cli("assessment", "show", a, json_out=True, data=data)

    def path(self, name):
        return os.path.join(self.data, "..", os.path.basename(self.data) + "-" + name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def submitted_mini(self):
        a = self.cli("assessment", "create", "--standard", "MINI", "--org", "Org A", "--lead", self.lead).stdout.strip()
        self.cli("finding", "set", a, "1.1", "--by", self.lead, "--verdict", "nonconform", "--note", "evening queue slow")
        self.cli("finding", "set", a, "1.2", "--by", self.lead, "--verdict", "conform")
        self.cli("assessment", "submit", a, "--by", self.lead)
        return a

    # ---------------------------------------------------------------------------------------

    def test_recheck_rounds(self):
        a = self.submitted_mini()

        # nothing reviewed: approval is refused and says how many
        p = self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok", expect=3)
        self.assertIn("2 of 2 clauses have not been reviewed in round 1", p.stderr)
        self.cli("review", "comment", a, "1.2", "--by", self.reviewer, "--agree")
        p = self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok", expect=3)
        self.assertIn("1 of 2 clauses has not been reviewed", p.stderr)
        self.assertIn("1.1", p.stderr)

        # the lead is no independent reviewer; a query needs a comment; headings are not reviewed
        p = self.cli("review", "comment", a, "1.1", "--by", self.lead, "--agree", expect=3)
        self.assertIn("reviewer role", p.stderr)
        self.cli("review", "comment", a, "1.1", "--by", self.reviewer, "--query", expect=2)
        self.cli("review", "comment", a, "1", "--by", self.reviewer, "--agree", expect=2)
        self.cli("review", "comment", a, "9.9", "--by", self.reviewer, "--agree", expect=2)

        # query, and a queried clause also refuses approval
        self.cli("review", "comment", a, "1.1", "--by", self.reviewer, "--query", "--text", "Which days were sampled?")
        st = self.cli("review", "status", a, json_out=True)
        self.assertEqual((st["round"], st["reviewed"], st["agreed"], st["queried"]), (1, 2, 1, 1))
        p = self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok", expect=3)
        self.assertIn("queried", p.stderr)
        self.cli("review", a, "--by", self.reviewer, "--return", "--conclusion", "Sampling unclear")
        self.assertEqual(self.show(a)["state"], "returned")

        # the resubmission waits for an answer
        p = self.cli("assessment", "submit", a, "--by", self.lead, expect=3)
        self.assertIn("1 query of round 1 has no answer yet (1.1)", p.stderr)
        self.cli("review", "answer", a, "1.2", "--by", self.lead, "--text", "x", expect=3)
        self.cli("review", "answer", a, "1.1", "--by", self.lead, "--text", "Monday to Friday, 18:00-22:00")
        self.cli("finding", "set", a, "1.1", "--by", self.lead, "--verdict", "partial", "--note", "evening queue slow on weekdays")
        self.cli("assessment", "submit", a, "--by", self.lead)

        # round 2: the agreed, unchanged clause carries over; the changed one waits, with what changed
        st = self.cli("review", "status", a, json_out=True)
        by_clause = {c["clause"]: c for c in st["clauses"]}
        self.assertEqual(st["round"], 2)
        self.assertEqual((by_clause["1.2"]["state"], by_clause["1.2"]["carried"]), ("agreed", True))
        self.assertEqual((by_clause["1.1"]["state"], by_clause["1.1"]["changed"]), ("unreviewed", True))
        changes = " ".join(by_clause["1.1"]["changes"])
        self.assertIn("nonconform → partially conform", changes)
        self.assertIn("note changed", changes)
        self.assertIn("Lena Lead", changes)
        self.cli("review", "comment", a, "1.1", "--by", self.reviewer, "--agree", "--text", "Clear now")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "Records complete")

        shown = self.show(a)
        self.assertEqual(shown["state"], "approved")
        rounds = shown["rounds"]
        self.assertEqual([(r["round"], r["outcome"]) for r in rounds], [(1, "returned"), (2, "approved")])
        self.assertEqual((rounds[0]["queried"], rounds[0]["answered"], rounds[0]["decided_by"]), (1, 1, self.reviewer))
        review = {r["clause"]: r for r in shown["review"]}
        self.assertEqual([c["comment"] for c in review["1.1"]["comments"]], ["Which days were sampled?", "Clear now"])
        self.assertEqual(review["1.1"]["comments"][0]["answer"], "Monday to Friday, 18:00-22:00")
        self.assertEqual((review["1.2"]["state"], review["1.2"]["round"], review["1.2"]["carried"]), ("agreed", 1, True))

        # every sign-off verifies, and signs the recheck's records too: changing a comment breaks it
        out = self.cli("audit", "verify", a).stdout
        self.assertEqual(out.count(": valid"), 4, out)
        self.assertEqual(out.count("for the records of round 1 (reworked since)"), 2, out)
        db = os.path.join(self.data, "attest.db")
        subprocess.run(["sqlite3", db, "UPDATE reviews SET comment = 'forged' WHERE round = 2 AND clause = '1.1'"], check=True)
        p = self.cli("audit", "verify", a, expect=2)
        self.assertIn("the recheck record 2/1.1", p.stderr)
        self.assertIn("approval by Rita Reviewer", p.stdout)
        self.assertIn("the recheck's records changed after it was signed", p.stdout)

    def test_reopen_supersedes_signoffs(self):
        a = self.submitted_mini()
        self.cli("review", "comment", a, "1.1", "1.2", "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok")
        self.cli("certificate", "issue", a, "--by", self.issuer)
        self.cli("assessment", "reopen", a, "--by", self.lead, "--reason", "late evidence from the hotline")

        shown = self.show(a)
        self.assertEqual(shown["state"], "in-progress")
        self.assertTrue(all(not s["valid"] for s in shown["signoffs"]))
        for s in shown["signoffs"]:
            self.assertEqual((s["superseded_by"], s["superseded_because"]), (self.lead, "late evidence from the hotline"))
        self.assertEqual(shown["certificate"]["status"], "withdrawn")
        self.assertTrue(all(r["superseded"] for r in shown["rounds"]))
        out = self.cli("audit", "verify", a).stdout
        self.assertEqual(out.count("superseded on"), 3, out)
        self.assertIn("late evidence from the hotline", out)
        self.assertNotIn(": valid", out)

        # until it is approved again, nobody signs a report of it
        pdf = self.path("reopened.pdf")
        p = self.cli("report", a, "-o", pdf, "--by", self.reviewer, expect=3)
        self.assertIn("in-progress", p.stderr)
        out = self.cli("report", a, "-o", pdf).stdout
        self.assertIn("unsigned draft", out)

        # round 2 starts from the carried agreements: nothing changed, so approval goes through
        self.cli("assessment", "submit", a, "--by", self.lead)
        st = self.cli("review", "status", a, json_out=True)
        self.assertEqual((st["round"], st["reviewed"], st["agreed"]), (2, 2, 2))
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok again")
        self.cli("certificate", "issue", a, "--by", self.issuer)
        valid = [s["kind"] for s in self.show(a)["signoffs"] if s["valid"]]
        self.assertEqual(valid, ["submission", "approval", "certificate"])

        self.cli("report", a, "-o", pdf, "--lang", "en")
        if have("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
            self.assertIn("(superseded)", text)
            self.assertIn("late evidence from the hotline", text)
            self.assertIn("Round 1", text)
            self.assertIn("Round 2", text)
        if have("pdfsig"):
            sig = subprocess.run(["pdfsig", pdf], capture_output=True, text=True).stdout
            self.assertEqual(sig.count("Signature is Valid."), 2, sig)

    @unittest.skipUnless(have("openssl"), "openssl re-signs the forged bundle")
    def test_rewritten_bundle_against_its_signoffs(self):
        """Records and log rewritten consistently and signed again by the exporter pass every
        check but one: the reviewer's approval no longer signs those records."""
        a = self.submitted_mini()
        self.cli("review", "comment", a, "1.1", "1.2", "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok")
        good = self.path("approved.attest")
        self.cli("bundle", "export", a, "-o", good, "--by", self.lead)

        entries = read_bundle(good)
        m = json.loads(entries[0][1])
        for item in m["records"]["finding"]:
            if item["key"] == "1.1":
                item["row"]["verdict"] = "conform"
                row = item["row"]
        last = [e for e in m["audit"] if e["entity"] == "finding" and e["entity_key"] == "1.1"][-1]
        last["state"] = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        rechain_audit(m["audit"])
        data = json.dumps(m, ensure_ascii=False, indent=1).encode()
        pem = self.path("lead.pem")
        subprocess.run(["openssl", "pkcs12", "-in", os.path.join(self.data, "identities", f"{self.lead}.p12"),
                        "-passin", f"pass:{PASS}", "-nodes", "-out", pem], check=True, capture_output=True)
        src = self.path("m.json")
        with open(src, "wb") as f:
            f.write(data)
        sig = subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
                              "-signer", pem, "-inkey", pem, "-in", src], check=True, capture_output=True).stdout
        forged = self.path("forged.attest")
        with open(forged, "wb") as f:
            f.write(zstd(tar_bytes([("manifest.json", data), ("manifest.json.sig", sig)] + entries[2:])))

        other = tempfile.mkdtemp(prefix="data-", dir=self.tmp)
        p = self.cli("bundle", "import", forged, data=other, expect=2)
        self.assertIn("sign-offs do not sign its records", p.stderr)
        self.assertIn("approval by Rita Reviewer", p.stderr)
        p = self.cli("verify", forged, data=other, expect=2)
        self.assertIn("sign-offs do not sign its records", p.stderr)
        self.cli("assessment", "show", a, data=other, expect=2)
        self.cli("bundle", "import", good, data=other)

    def test_what_attest_0_1_wrote_still_verifies(self):
        old = os.path.join(SRC, "tests", "data", "format-1")
        out = self.cli("bundle", "import", os.path.join(old, "bundle.attest")).stdout.strip()
        shown = self.show(out)
        self.assertEqual(shown["state"], "certified")
        audit = self.cli("audit", "verify", out).stdout
        self.assertEqual(audit.count(": valid"), 3, audit)
        report = self.cli("verify", os.path.join(old, "report.pdf")).stdout
        self.assertIn("matches the records of assessment", report)
        self.assertEqual(report.count(": valid;"), 2, report)

    def test_follow_up_desk(self):
        a = self.submitted_mini()
        b = self.cli("assessment", "create", "--standard", "MINI", "--org", "Org B", "--lead", self.lead).stdout.strip()
        nc1 = self.cli("nc", "add", b, "1.1", "--by", self.lead, "--grade", "major", "--text", "No roster",
                       "--suggestion", "Keep one", "--due", "2026-01-31").stdout.strip()
        nc2 = self.cli("nc", "add", b, "1.2", "--by", self.lead, "--grade", "minor", "--text", "Late replies",
                       "--suggestion", "Answer in 48 h", "--due", "2030-06-30").stdout.strip()
        nc3 = self.cli("nc", "add", b, "1.2", "--by", self.lead, "--grade", "observation", "--text", "Note",
                       "--suggestion", "Watch it").stdout.strip()

        # every open one across the assessments, the most pressing first; overdue marked
        listed = self.cli("nc", "list", "--open", "--today", "2026-06-01", json_out=True)
        self.assertEqual([n["id"] for n in listed], [nc1, nc2, nc3])
        self.assertEqual([n["overdue"] for n in listed], [True, False, False])
        self.assertEqual(listed[0]["org"], "Org B")
        overdue = self.cli("nc", "list", "--open", "--overdue", "--today", "2026-06-01", json_out=True)
        self.assertEqual([n["id"] for n in overdue], [nc1])
        self.assertIn("OVERDUE", self.cli("nc", "list", "--open", "--today", "2026-06-01").stdout)
        self.cli("nc", "list", expect=1)

        # the organisation answers with evidence, in whatever state; an assessor verifies
        photo = self.write("roster.png", b"\x89PNG\r\n\x1a\n" + os.urandom(300))
        self.cli("nc", "respond", nc1, "--by", self.org, "--text", "Roster kept since May", "--evidence", photo)
        self.cli("nc", "verify", nc1, "--by", self.org, "--close", expect=3)
        self.cli("nc", "verify", nc1, "--by", self.lead, "--reopen")
        self.cli("nc", "respond", nc1, "--by", self.org, "--text", "Roster signed by the manager")
        self.cli("nc", "verify", nc1, "--by", self.lead, "--close")
        self.cli("nc", "attach", nc1, photo, "--by", self.org, expect=3)

        shown = self.cli("nc", "show", nc1, json_out=True)
        self.assertEqual(shown["status"], "closed")
        self.assertEqual([e["action"] for e in shown["history"]], ["raise", "attach", "respond", "reopen", "respond", "close"])
        self.assertEqual(shown["history"][2]["text"], "Roster kept since May")
        self.assertEqual(shown["evidence"][0]["original_name"], os.path.basename(photo))
        listed = self.cli("nc", "list", "--open", "--today", "2026-06-01", json_out=True)
        self.assertEqual([n["id"] for n in listed], [nc2, nc3])

        # the follow-up in a bundle: the corrective action's file travels and bsdtar reads it
        bundle = self.path("b.attest")
        self.cli("bundle", "export", b, "-o", bundle, "--by", self.lead)
        self.cli("verify", bundle)
        if have("bsdtar"):
            names = subprocess.run(["bsdtar", "-tf", bundle], capture_output=True, text=True, check=True).stdout.split()
            self.assertIn("evidence/" + shown["evidence"][0]["sha256"], names)
        other = tempfile.mkdtemp(prefix="data-", dir=self.tmp)
        self.cli("bundle", "import", bundle, data=other)
        moved = self.cli("nc", "show", nc1, json_out=True, data=other)
        self.assertEqual([e["action"] for e in moved["history"]], [e["action"] for e in shown["history"]])
        self.cli("audit", "verify", b, data=other)

        # the follow-up after approval changes no signed record: the sign-offs still verify
        self.cli("review", "comment", a, "1.1", "1.2", "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok")
        self.cli("assessment", "reopen", a, "--by", self.lead, "--reason", "add an NC")
        nc = self.cli("nc", "add", a, "1.1", "--by", self.lead, "--grade", "minor", "--text", "t",
                      "--suggestion", "s").stdout.strip()
        self.cli("assessment", "submit", a, "--by", self.lead)
        self.cli("review", "comment", a, "1.1", "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok")
        self.cli("nc", "respond", nc, "--by", self.org, "--text", "fixed", "--evidence", photo)
        self.cli("nc", "verify", nc, "--by", self.lead, "--close")
        out = self.cli("audit", "verify", a).stdout
        self.assertNotIn("INVALID", out)
        self.assertNotIn("changed after", out)

    def test_self_assessment(self):
        s = self.cli("assessment", "create", "--standard", "MINI", "--org", "Org S", "--lead", self.org,
                     "--kind", "self", "--scope", "Hotline").stdout.strip()
        self.cli("finding", "set", s, "1.1", "--by", self.org, "--verdict", "nonconform", "--note", "queue too long")
        gaps = self.cli("assessment", "gaps", s, json_out=True)
        self.assertEqual((gaps["total"]["gaps"], gaps["total"]["nonconform"], gaps["total"]["open"]), (2, 1, 1))
        chapter = gaps["chapters"][0]
        self.assertEqual([(g["clause"], g["verdict"]) for g in chapter["list"]], [("1.1", "nonconform"), ("1.2", "open")])
        self.assertIn("2 of 2 clauses are gaps", self.cli("assessment", "gaps", s).stdout)

        photo = self.write("queue.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200))
        sha = self.cli("evidence", "add", s, photo, "--by", self.org, "--clause", "1.1").stdout.strip()
        self.cli("finding", "set", s, "1.2", "--by", self.org, "--verdict", "conform", "--note", "replies within a day")

        # before submission: a draft only, even with a passphrase at hand
        pdf = self.path("self.pdf")
        self.assertIn("unsigned draft", self.cli("report", s, "-o", pdf).stdout)
        self.cli("assessment", "submit", s, "--by", self.org)
        out = self.cli("report", s, "-o", pdf, "--lang", "zh_CN").stdout
        self.assertIn("signed by Olga Org", out)
        self.cli("certificate", "issue", s, "--by", self.issuer, expect=3)
        if have("pdfsig") and have("pdftotext"):
            sig = subprocess.run(["pdfsig", pdf], capture_output=True, text=True).stdout
            self.assertEqual(sig.count("Signature is Valid."), 1, sig)
            self.assertIn("Signature Field Name: organisation", sig)
            text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
            self.assertIn("自评报告", text)
            self.assertNotIn("认 证 证 书", text)
        self.assertIn("by Olga Org", self.cli("verify", pdf).stdout)

        # the bundle for the certification body
        bundle = self.path("application.attest")
        self.cli("bundle", "export", s, "-o", bundle, "--by", self.org)

        # the body: a third-party assessment from it carries the evidence, not the verdicts
        body = tempfile.mkdtemp(prefix="body-", dir=self.tmp)
        body_lead = self.identity("Bo Lead", "assessor", data=body)
        draft_bundle = self.path("draft.attest")
        t = self.cli("assessment", "create", "--from-bundle", bundle, "--lead", body_lead, "--start", "2026-12-10",
                     data=body).stdout.strip()
        shown = self.show(t, data=body)
        self.assertEqual((shown["kind"], shown["org"], shown["scope"], shown["basis"], shown["based_on"]),
                         ("third-party", "Org S", "Hotline", "application", s))
        self.assertEqual(shown["findings"], [])
        self.assertEqual([(e["sha256"], e["clauses"], e["origin"], e["added_by"]) for e in shown["evidence"]],
                         [(sha, ["1.1"], "application:" + s, body_lead)])
        ref = {f["clause"]: f["verdict"] for f in shown["reference"]["findings"]}
        self.assertEqual(ref, {"1.1": "nonconform", "1.2": "conform"})
        self.assertEqual(self.show(s, data=body)["state"], "submitted")  # the application stays on file
        self.cli("audit", "verify", t, data=body)
        self.cli("audit", "verify", s, data=body)

        # only a submitted self-assessment is application material; a third-party one is none
        d = self.cli("assessment", "create", "--standard", "MINI", "--org", "Org D", "--lead", self.org,
                     "--kind", "self").stdout.strip()
        self.cli("bundle", "export", d, "-o", draft_bundle, "--by", self.org)
        p = self.cli("assessment", "create", "--from-bundle", draft_bundle, "--lead", body_lead, data=body, expect=3)
        self.assertIn("submits it before it is application material", p.stderr)
        self.cli("assessment", "show", d, data=body, expect=2)
        third = self.submitted_mini()
        tp_bundle = self.path("third.attest")
        self.cli("bundle", "export", third, "-o", tp_bundle, "--by", self.lead)
        p = self.cli("assessment", "create", "--from-bundle", tp_bundle, "--lead", body_lead, data=body, expect=2)
        self.assertIn("not an organisation's self-assessment", p.stderr)

    def test_surveillance(self):
        a = self.submitted_mini()
        self.cli("review", "comment", a, "1.1", "1.2", "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok")
        self.cli("assessment", "reopen", a, "--by", self.lead, "--reason", "raise the NC found")
        nc = self.cli("nc", "add", a, "1.1", "--by", self.lead, "--grade", "minor", "--text", "Slow evenings",
                      "--suggestion", "Staff up").stdout.strip()
        self.cli("assessment", "update", a, "--by", self.lead, "--site", "Pudong", "--address", "Shanghai")

        s = self.cli("assessment", "create", "--from", a, "--lead", self.lead, "--start", "2027-12-01").stdout.strip()
        shown = self.show(s)
        self.assertEqual((shown["org"], shown["sites"], shown["address"], shown["standard"], shown["basis"], shown["based_on"]),
                         ("Org A", ["Pudong"], "Shanghai", "MINI", "surveillance", a))
        self.assertEqual(shown["findings"], [])
        ref = shown["reference"]
        self.assertEqual({f["clause"]: f["verdict"] for f in ref["findings"]}, {"1.1": "nonconform", "1.2": "conform"})
        self.assertEqual([(n["id"], n["status"]) for n in ref["nonconformities"]], [(nc, "open")])
        self.cli("assessment", "create", "--from", "no-such", "--lead", self.lead, expect=2)
        self.cli("assessment", "create", "--from", a, "--from-bundle", "x.attest", "--lead", self.lead, expect=1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
