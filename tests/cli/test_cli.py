#!/usr/bin/python3
"""attest-cli against its contract (DESIGN.md): commands, output, exit codes, data directory."""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "correct horse battery"


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


def tree_snapshot(path):
    """Names, sizes and contents' hashes of everything under path (to prove nothing changed)."""
    out = {}
    for root, dirs, files in os.walk(path):
        for f in files:
            full = os.path.join(root, f)
            with open(full, "rb") as fh:
                out[os.path.relpath(full, path)] = hash(fh.read())
    return out


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-cli-")
        self.cli = Cli(os.path.join(self.tmp, "data"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def identity(self, name="Assessor One", roles=("assessor",), org="CB"):
        args = ["identity", "create", "--name", name, "--org", org]
        for r in roles:
            args += ["--role", r]
        return self.cli.run(*args, env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()

    def test_standards_list_has_the_bundled_catalogs(self):
        listed = self.cli.run("standards", "list", json_out=True)
        codes = {c["code"] for c in listed}
        self.assertEqual(codes, {"QCS", "OPCS", "CUCS", "CTHL", "CMCS"})
        qcs = next(c for c in listed if c["code"] == "QCS")
        self.assertEqual(qcs["title"]["zh_CN"], "优质通信服务规范")
        self.assertEqual(qcs["origin"], "bundled")
        self.assertGreater(qcs["assessable"], 100)
        text = self.cli.run("standards", "list").stdout
        self.assertIn("QCS", text)

    def test_standards_show_json_is_the_catalog_shape(self):
        shown = self.cli.run("standards", "show", "QCS", json_out=True)
        with open(os.path.join(SRC, "templates", "qcs.json"), encoding="utf-8") as f:
            self.assertEqual(shown, json.load(f))
        self.cli.run("standards", "show", "NOPE", expect=2)

    def test_validate_and_import(self):
        mini = os.path.join(SRC, "tests", "data", "mini.json")
        p = self.cli.run("standards", "validate", mini)
        self.assertIn("valid", p.stdout)
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"format": "attest-catalog/1",\n "code": 5}')
        p = self.cli.run("standards", "validate", bad, expect=2)
        self.assertRegex(p.stderr, r"attest-cli: error: .*bad\.json:\d+:\d+: ")
        self.cli.run("standards", "validate", os.path.join(self.tmp, "missing.json"), expect=2)

        self.cli.run("standards", "import", mini)
        codes = [c["code"] for c in self.cli.run("standards", "list", json_out=True)]
        self.assertIn("MINI", codes)
        self.assertTrue(os.path.exists(os.path.join(self.cli.data_dir, "catalogs", "MINI-1.0.json")))

        # a catalog in use is not silently replaced by changed text under the same version
        lead = self.identity()
        self.cli.run("assessment", "create", "--standard", "MINI", "--org", "Org", "--lead", lead)
        with open(mini, encoding="utf-8") as f:
            changed = json.load(f)
        changed["clauses"][0]["title"]["en"] = "Changed"
        changed_path = os.path.join(self.tmp, "mini-changed.json")
        with open(changed_path, "w", encoding="utf-8") as f:
            json.dump(changed, f, ensure_ascii=False)
        p = self.cli.run("standards", "import", changed_path, expect=3)
        self.assertIn("new “version”", p.stderr)
        changed["version"] = "1.1"
        with open(changed_path, "w", encoding="utf-8") as f:
            json.dump(changed, f, ensure_ascii=False)
        self.cli.run("standards", "import", changed_path)
        versions = sorted(c["version"] for c in self.cli.run("standards", "list", json_out=True)
                          if c["code"] == "MINI")
        self.assertEqual(versions, ["1.0", "1.1"])

        # imported catalogs survive a restart (a new process on the same data directory)
        shown = self.cli.run("standards", "show", "MINI", json_out=True)
        self.assertEqual(shown["version"], "1.1")

    def test_identity_and_passphrase_sources(self):
        # no passphrase at all: exit 2, nothing written
        p = self.cli.run("identity", "create", "--name", "X", "--role", "assessor", expect=2)
        self.assertIn("passphrase", p.stderr)
        pf = os.path.join(self.tmp, "pass")
        with open(pf, "w") as f:
            f.write(PASS + "\n")
        ident = self.cli.run("identity", "create", "--name", "From File", "--role", "reviewer",
                             "--role", "issuer", "--passphrase-file", pf).stdout.strip()
        self.assertRegex(ident, r"^[0-9a-f]{16}$")
        listed = self.cli.run("identity", "list", json_out=True)
        self.assertEqual(listed[0]["roles"], ["reviewer", "issuer"])
        key = os.path.join(self.cli.data_dir, "identities", ident + ".p12")
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        # import into another data directory, wrong then right passphrase
        other = Cli(os.path.join(self.tmp, "other"))
        p = other.run("identity", "import", key, env={"ATTEST_PASSPHRASE": "wrong one"}, expect=2)
        self.assertIn("passphrase is wrong", p.stderr)
        self.assertEqual(other.run("identity", "list", json_out=True), [])
        got = other.run("identity", "import", key, "--role", "reviewer",
                        env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()
        self.assertEqual(got, ident)
        # bad role is a usage of bad input
        self.cli.run("identity", "create", "--name", "Y", "--role", "boss",
                     env={"ATTEST_PASSPHRASE": PASS}, expect=2)
        # a passphrase on argv is not an option
        self.cli.run("identity", "create", "--name", "Y", "--role", "assessor", "--passphrase", PASS,
                     expect=1)

    def test_assessment_create_list_show(self):
        lead = self.identity()
        aid = self.cli.run("assessment", "create", "--standard", "QCS", "--org", "某通信公司",
                           "--lead", lead, "--scope", "全业务", "--site", "北京",
                           "--site", "上海").stdout.strip()
        self.assertRegex(aid, r"^[0-9a-f-]{36}$")
        listed = self.cli.run("assessment", "list", json_out=True)
        self.assertEqual([a["id"] for a in listed], [aid])
        shown = self.cli.run("assessment", "show", aid, json_out=True)
        self.assertEqual(shown["org"], "某通信公司")
        self.assertEqual(shown["standard"], "QCS")
        self.assertEqual(shown["kind"], "third-party")
        self.assertEqual(shown["state"], "draft")
        self.assertEqual(shown["sites"], ["北京", "上海"])
        self.assertIn("某通信公司", self.cli.run("assessment", "show", aid).stdout)

    def test_assessment_details_team_dates_and_update(self):
        lead = self.identity()
        member = self.identity("Member Two", ("assessor", "reviewer"))
        reviewer = self.identity("Reviewer", ("reviewer",))
        self.cli.run("standards", "import", os.path.join(SRC, "tests", "data", "mini.json"))
        aid = self.cli.run("assessment", "create", "--standard", "MINI", "--org", "某通信公司", "--lead", lead,
                           "--address", "北京市西城区金融大街 1 号", "--team", member, "--team", lead,
                           "--start", "2026-12-01", "--end", "2026-12-03").stdout.strip()
        shown = self.cli.run("assessment", "show", aid, json_out=True)
        self.assertEqual(shown["address"], "北京市西城区金融大街 1 号")
        self.assertEqual(shown["team"], [member], "the lead is not repeated in the team")
        self.assertEqual((shown["start_date"], shown["end_date"]), ("2026-12-01", "2026-12-03"))
        self.assertIsNone(shown["scope"])

        # refused or invalid changes leave the record as it was
        db_before = tree_snapshot(self.cli.data_dir)
        p = self.cli.run("assessment", "update", aid, "--by", lead, "--end", "2026-11-30", expect=2)
        self.assertIn("before it starts", p.stderr)
        self.cli.run("assessment", "update", aid, "--by", lead, "--start", "2026-02-30", expect=2)
        p = self.cli.run("assessment", "update", aid, "--by", lead, "--team", reviewer, expect=3)
        self.assertIn("assessor role", p.stderr)
        self.cli.run("assessment", "update", aid, "--by", reviewer, "--scope", "x", expect=3)
        self.cli.run("assessment", "update", aid, "--by", lead, "--org", "  ", expect=2)
        self.cli.run("assessment", "update", "no-such-id", "--by", lead, "--scope", "x", expect=2)
        self.cli.run("assessment", "update", aid, "--by", lead, "--site", "a", "--no-sites", expect=1)
        self.assertEqual(tree_snapshot(self.cli.data_dir), db_before)

        self.cli.run("assessment", "update", aid, "--by", lead, "--scope", "移动业务", "--site", "营业厅",
                     "--site", "热线", "--address", "", "--no-team")
        shown = self.cli.run("assessment", "show", aid, json_out=True)
        self.assertEqual(shown["scope"], "移动业务")
        self.assertEqual(shown["sites"], ["营业厅", "热线"])
        self.assertIsNone(shown["address"])
        self.assertEqual(shown["team"], [])
        self.assertEqual(shown["start_date"], "2026-12-01", "what was not named stays")
        self.assertIn("intact", self.cli.run("audit", "verify", aid).stdout)

        # a team member is not independent: refused as reviewer even without records
        self.cli.run("assessment", "update", aid, "--by", lead, "--team", member)
        for clause in ("1.1", "1.2"):
            self.cli.run("finding", "set", aid, clause, "--by", lead, "--verdict", "conform")
        self.cli.run("assessment", "submit", aid, "--by", lead, env={"ATTEST_PASSPHRASE": PASS})
        p = self.cli.run("review", aid, "--by", member, "--approve", "--conclusion", "ok",
                         env={"ATTEST_PASSPHRASE": PASS}, expect=3)
        self.assertIn("assessment team", p.stderr)
        # and a submitted assessment's details cannot change
        p = self.cli.run("assessment", "update", aid, "--by", lead, "--scope", "y", expect=3)
        self.assertIn("submitted", p.stderr)

        # someone whose finding was overwritten by another still took part: the audit trail says so
        other = self.cli.run("assessment", "create", "--standard", "MINI", "--org", "O", "--lead", lead).stdout.strip()
        self.cli.run("finding", "set", other, "1.1", "--by", member, "--verdict", "partial")
        for clause in ("1.1", "1.2"):
            self.cli.run("finding", "set", other, clause, "--by", lead, "--verdict", "conform")
        self.cli.run("assessment", "submit", other, "--by", lead, env={"ATTEST_PASSPHRASE": PASS})
        p = self.cli.run("review", other, "--by", member, "--approve", "--conclusion", "ok",
                         env={"ATTEST_PASSPHRASE": PASS}, expect=3)
        self.assertIn("audit trail", p.stderr)

    def test_bad_input_writes_nothing(self):
        lead = self.identity()
        before = tree_snapshot(self.cli.data_dir)
        cases = [
            (["assessment", "create", "--standard", "NOPE", "--org", "O", "--lead", lead], 2),
            (["assessment", "create", "--standard", "QCS", "--org", "O", "--lead", "nobody"], 2),
            (["assessment", "create", "--standard", "QCS", "--org", "  ", "--lead", lead], 2),
            (["assessment", "create", "--standard", "QCS", "--org", "O", "--lead", lead, "--kind", "odd"], 2),
            (["assessment", "create", "--standard", "QCS", "--org", "O"], 1),
            (["assessment", "show", "no-such-id"], 2),
            (["assessment", "frobnicate"], 1),
            (["frobnicate"], 1),
        ]
        for args, code in cases:
            p = self.cli.run(*args, expect=code)
            self.assertTrue(p.stderr.startswith("attest-cli: error: "), p.stderr)
        # a reviewer-only identity may not lead: refused by the workflow
        rev = self.identity("Reviewer", ("reviewer",))
        before = tree_snapshot(self.cli.data_dir)
        self.cli.run("assessment", "create", "--standard", "QCS", "--org", "O", "--lead", rev, expect=3)
        self.assertEqual(self.cli.run("assessment", "list", json_out=True), [])
        after = tree_snapshot(self.cli.data_dir)
        self.assertEqual(set(before), set(after))

    def test_data_dir_from_environment(self):
        env_dir = os.path.join(self.tmp, "envdir")
        p = subprocess.run([CLI, "standards", "list"], capture_output=True, text=True,
                           env=dict(os.environ, ATTEST_DATA_DIR=env_dir), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(env_dir, "attest.db")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
