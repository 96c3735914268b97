#!/usr/bin/python3
"""The whole chapter-11 flow through attest-cli, on the real QCS catalog: identities, an
assessment, a verdict on every assessable clause, samples for 7.4.2.2, evidence, a
nonconformity, submission, a refused self-review, an independent approval, a refused edit,
the certificate, the audit check — and tampering found."""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
PASS = "flow passphrase 1"


class FlowTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-flow-")
        self.data = os.path.join(self.tmp, "data")
        self.passfile = os.path.join(self.tmp, "pass")
        with open(self.passfile, "w") as f:
            f.write(PASS + "\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_cli(self, *args, expect=0, json_out=False):
        argv = [CLI, "--data-dir", self.data] + (["--json"] if json_out else []) + list(args)
        env = dict(os.environ, ATTEST_PASSPHRASE=PASS)
        p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(p.returncode, expect, f"{args}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return json.loads(p.stdout) if json_out else p

    def agree_all(self, a, reviewer):
        """The reviewer agrees every clause not agreed yet in this round: approval needs it."""
        status = self.run_cli("review", "status", a, json_out=True)
        todo = [c["clause"] for c in status["clauses"] if c["state"] != "agreed"]
        if todo:
            self.run_cli("review", "comment", a, *todo, "--by", reviewer, "--agree")

    def identity(self, name, *roles):
        args = ["identity", "create", "--name", name, "--org", "中国质量认证中心"]
        for r in roles:
            args += ["--role", r]
        return self.run_cli(*args).stdout.strip()

    def test_whole_flow(self):
        # both hold the reviewer role too, so only their part in this assessment can refuse them
        lead = self.identity("王评价", "assessor", "reviewer")
        member = self.identity("李组员", "assessor", "reviewer")
        reviewer = self.identity("赵复核", "reviewer")
        issuer = self.identity("钱发证", "issuer")

        a = self.run_cli("assessment", "create", "--standard", "QCS", "--org", "某省通信有限公司",
                         "--lead", lead, "--scope", "移动、宽带及政企业务", "--site", "省会营业厅",
                         "--site", "客服热线中心").stdout.strip()
        catalog = self.run_cli("standards", "show", "QCS", json_out=True)

        def clauses(nodes):
            for c in nodes:
                yield c
                yield from clauses(c.get("children", []))
        assessable = [c["number"] for c in clauses(catalog["clauses"]) if c["assessable"]]
        self.assertGreater(len(assessable), 100)

        # every assessable clause: a verdict, by the lead or a team member
        for i, number in enumerate(assessable):
            verdict = "conform"
            if number == "7.4.2.2":
                continue
            who = lead if i % 2 == 0 else member
            self.run_cli("finding", "set", a, number, "--by", who, "--verdict", verdict,
                         "--method", "document", "--note", f"已核查 {number}")
        # 7.4.2.2: 20 sampled calls, 15 answered within 15 s = 75 % < 85 %
        samples = ["8"] * 15 + ["22"] * 5
        args = ["finding", "set", a, "7.4.2.2", "--by", lead, "--verdict", "nonconform",
                "--method", "demonstration", "--note", "抽取20通来电"]
        for s in samples:
            args += ["--sample", s]
        self.run_cli(*args)

        shown = self.run_cli("assessment", "show", a, json_out=True)
        f7422 = next(f for f in shown["findings"] if f["clause"] == "7.4.2.2")
        share = next(r for r in f7422["indicator_results"] if r["indicator"] == "manual-answer-15s")
        self.assertEqual(share["n"], 20)
        self.assertAlmostEqual(share["value"], 75.0)
        self.assertFalse(share["pass"])
        self.assertLess(share["wilson"]["low"], 75.0)
        self.assertGreater(share["wilson"]["high"], 75.0)

        # evidence and a nonconformity with a rectification suggestion
        photo = os.path.join(self.tmp, "hall.jpg")
        with open(photo, "wb") as f:
            f.write(os.urandom(4096))
        sha = self.run_cli("evidence", "add", a, photo, "--by", member, "--clause", "7.1.4.2",
                           "--kind", "photo", "--note", "营业厅排队叫号屏").stdout.strip()
        self.assertEqual(len(sha), 64)
        nc = self.run_cli("nc", "add", a, "7.4.2.2", "--by", lead, "--grade", "minor",
                          "--text", "15秒人工接通率仅75%，低于85%的要求",
                          "--suggestion", "增加高峰时段坐席并优化排班", "--due", "2027-03-31").stdout.strip()
        self.assertTrue(nc)

        # submission; the lead may not recheck, nor may a team member who recorded findings
        self.run_cli("assessment", "submit", a, "--by", lead)
        p = self.run_cli("review", a, "--by", lead, "--approve", "--conclusion", "自己复核", expect=3)
        self.assertIn("independent", p.stderr)
        p = self.run_cli("review", a, "--by", member, "--approve", "--conclusion", "x", expect=3)
        self.assertIn("recorded findings", p.stderr)
        self.assertIn("independent", p.stderr)
        # and an assessor without the reviewer role is refused for the role
        plain = self.identity("孙旁观", "assessor")
        p = self.run_cli("review", a, "--by", plain, "--approve", "--conclusion", "x", expect=3)
        self.assertIn("reviewer role", p.stderr)

        self.agree_all(a, reviewer)
        self.run_cli("review", a, "--by", reviewer, "--approve",
                     "--conclusion", "记录与证据完整，同意通过，整改项按期跟踪。")
        # locked: no finding may change after approval
        p = self.run_cli("finding", "set", a, "5.1.1", "--by", lead, "--verdict", "partial", expect=3)
        self.assertIn("reopen", p.stderr)

        # only an issuer issues; a certificate number comes back
        self.run_cli("certificate", "issue", a, "--by", reviewer, expect=3)
        number = self.run_cli("certificate", "issue", a, "--by", issuer, "--valid-years", "3").stdout.strip()
        self.assertRegex(number, r"^QCS-\d{4}-\d{4}$")
        shown = self.run_cli("assessment", "show", a, json_out=True)
        self.assertEqual(shown["state"], "certified")
        self.assertEqual(shown["certificate"]["number"], number)
        self.assertEqual([s["kind"] for s in shown["signoffs"]], ["submission", "approval", "certificate"])

        p = self.run_cli("audit", "verify", a)
        self.assertIn("intact", p.stdout)

        # a row edited outside Attest is found and named
        db = sqlite3.connect(os.path.join(self.data, "attest.db"))
        db.execute("UPDATE findings SET verdict = 'conform' WHERE assessment_id = ? AND clause = '7.4.2.2'", (a,))
        db.commit()
        db.close()
        p = self.run_cli("audit", "verify", a, expect=2)
        self.assertIn("clause 7.4.2.2", p.stderr)
        self.assertIn("changed outside Attest", p.stderr)

    def test_certificate_numbers_validity_and_dates(self):
        """Numbers follow the configured pattern and never repeat; the issue date is the day of
        the decision (never before it, nor before the approval); the validity is stored."""
        import datetime
        mini = os.path.join(os.environ["ATTEST_SOURCE_ROOT"], "tests", "data", "mini.json")
        self.run_cli("standards", "import", mini)
        lead = self.identity("Lead", "assessor")
        reviewer = self.identity("Reviewer", "reviewer")
        issuer = self.identity("Issuer", "issuer")

        def approved():
            a = self.run_cli("assessment", "create", "--standard", "MINI", "--org", "O", "--lead", lead).stdout.strip()
            for clause in ("1.1", "1.2"):
                self.run_cli("finding", "set", a, clause, "--by", lead, "--verdict", "conform")
            self.run_cli("assessment", "submit", a, "--by", lead)
            self.agree_all(a, reviewer)
            self.run_cli("review", a, "--by", reviewer, "--approve", "--conclusion", "ok")
            return a

        # bad settings and bad --valid-years are refused and change nothing
        db = os.path.join(self.data, "attest.db")
        for key, value in (("certificate.pattern", "CERT-{YEAR}"), ("certificate.valid-years", "0"),
                           ("certificate.valid-years", "eleven"), ("certificate.valid-years", "11")):
            self.run_cli("settings", "set", key, value, expect=2)
        a1, a2 = approved(), approved()
        before = self.dump(db)
        for years in ("0", "-2", "11"):
            p = self.run_cli("certificate", "issue", a1, "--by", issuer, "--valid-years", years, expect=2)
            self.assertIn("1 to 10", p.stderr)
        self.run_cli("certificate", "issue", a1, "--by", issuer, "--valid-years", "x", expect=1)
        self.assertEqual(before, self.dump(db))

        self.run_cli("settings", "set", "certificate.pattern", "CB/{CODE}/{YEAR}/{SEQ:3}")
        self.run_cli("settings", "set", "certificate.valid-years", "2")
        n1 = self.run_cli("certificate", "issue", a1, "--by", issuer).stdout.strip()
        n2 = self.run_cli("certificate", "issue", a2, "--by", issuer, "--valid-years", "5").stdout.strip()
        year = datetime.datetime.now(datetime.timezone.utc).year
        self.assertEqual((n1, n2), (f"CB/MINI/{year}/001", f"CB/MINI/{year}/002"))

        for a, years, number in ((a1, 2, n1), (a2, 5, n2)):
            shown = self.run_cli("assessment", "show", a, json_out=True)
            cert = shown["certificate"]
            self.assertEqual(cert["number"], number)
            approval = next(s for s in shown["signoffs"] if s["kind"] == "approval")
            decided = cert["decided_at"]
            self.assertEqual(cert["issued_on"], decided[:10])
            self.assertGreaterEqual(cert["issued_on"], approval["signed_at"][:10])
            issued = datetime.date.fromisoformat(cert["issued_on"])
            self.assertEqual(cert["valid_until"], issued.replace(year=issued.year + years).isoformat())
            self.assertEqual(cert["status"], "valid")

        # reopened and certified again: a new number, the old one is never handed out again
        self.run_cli("assessment", "reopen", a1, "--by", lead, "--reason", "more evidence")
        self.run_cli("assessment", "submit", a1, "--by", lead)
        self.agree_all(a1, reviewer)
        self.run_cli("review", a1, "--by", reviewer, "--approve", "--conclusion", "ok")
        n3 = self.run_cli("certificate", "issue", a1, "--by", issuer).stdout.strip()
        self.assertEqual(n3, f"CB/MINI/{year}/003")
        a3 = approved()
        self.assertEqual(self.run_cli("certificate", "issue", a3, "--by", issuer).stdout.strip(), f"CB/MINI/{year}/004")

    def dump(self, db):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()

    def test_wrong_passphrase_and_unknowns(self):
        lead = self.identity("Lead", "assessor")
        a = self.run_cli("assessment", "create", "--standard", "QCS", "--org", "O", "--lead", lead).stdout.strip()
        bad = os.path.join(self.tmp, "bad")
        with open(bad, "w") as f:
            f.write("not the passphrase\n")
        p = self.run_cli("assessment", "submit", a, "--by", lead, "--passphrase-file", bad, expect=2)
        self.assertIn("passphrase is wrong", p.stderr)
        self.run_cli("assessment", "submit", a, "--by", "0000000000000000", expect=2)
        self.run_cli("assessment", "submit", "no-such-assessment", "--by", lead, expect=2)
        # incomplete: refused with the clauses named
        p = self.run_cli("assessment", "submit", a, "--by", lead, expect=3)
        self.assertIn("no verdict yet", p.stderr)
        self.run_cli("review", a, "--by", lead, "--approve", expect=1)
        self.run_cli("assessment", "reopen", a, "--by", lead, "--reason", "x", expect=3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
