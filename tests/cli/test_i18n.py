#!/usr/bin/python3
"""attest-cli in Chinese: under zh_CN the core's errors and the workflow's refusals come out in
Chinese, behind the untranslated “attest-cli: error: ” that scripts look for, with the same exit
codes; and --json prints the very same bytes in every locale (keys, codes, numbers, sentences)."""
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
LOCALEDIR = os.environ["ATTEST_LOCALEDIR"]
PASS = "correct horse battery"
ZH = {"LANGUAGE": "zh_CN", "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}
EN = {"LANGUAGE": "", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
PREFIX = "attest-cli: error: "


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class I18nTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
        if not any(l.lower() in ("zh_cn.utf8", "zh_cn.utf-8") for l in locales):
            raise AssertionError("the zh_CN.UTF-8 locale is not installed: build-aux/common.sh generates it")
        mo = os.path.join(LOCALEDIR, "zh_CN", "LC_MESSAGES", "attest.mo")
        if not os.path.exists(mo):
            raise AssertionError(f"{mo} is missing: build the translations first")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-i18n-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_cli(self, *args, lang=EN, expect=0, passphrase=False):
        env = dict(os.environ)
        env.pop("ATTEST_PASSPHRASE", None)
        env["ATTEST_LOCALEDIR"] = LOCALEDIR
        env.update(lang)
        if passphrase:
            env["ATTEST_PASSPHRASE"] = PASS
        argv = [CLI, "--data-dir", self.data] + list(args)
        p = subprocess.run(argv, capture_output=True, env=env, timeout=60)
        out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
        if p.returncode != expect:
            raise AssertionError(f"{argv} under {lang['LC_ALL']} exited {p.returncode}, expected {expect}\n"
                                 f"stdout: {out}\nstderr: {err}")
        return p.stdout, out, err

    def identity(self, name, role):
        return self.run_cli("identity", "create", "--name", name, "--role", role, "--org", "CB",
                            passphrase=True)[1].strip()

    def assertChineseError(self, err):
        lines = err.splitlines()
        self.assertTrue(lines and lines[0].startswith(PREFIX), err)
        self.assertTrue(chinese(lines[0][len(PREFIX):]), f"not in Chinese: {err}")

    def test_core_error_in_chinese(self):
        _, _, err = self.run_cli("assessment", "show", "no-such-id", lang=ZH, expect=2)
        self.assertChineseError(err)
        self.assertIn("没有评价“no-such-id”", err)
        self.assertNotIn("no assessment", err)
        # the same under the C locale stays the English sentence tests and scripts match
        _, _, err = self.run_cli("assessment", "show", "no-such-id", expect=2)
        self.assertEqual(err, "attest-cli: error: no assessment “no-such-id” (see “attest-cli assessment list”)\n")
        # and a usage error, from attest-cli itself
        _, _, err = self.run_cli("assessment", "show", lang=ZH, expect=1)
        self.assertChineseError(err)

    def test_workflow_refusal_in_chinese(self):
        lead = self.identity("Lena Lead", "assessor")
        other = self.identity("Otto Other", "assessor")
        a = self.run_cli("assessment", "create", "--standard", "QCS", "--org", "某通信公司", "--lead", lead)[1].strip()

        _, _, err = self.run_cli("review", a, "--by", other, "--approve", "--conclusion", "好",
                                 lang=ZH, expect=3, passphrase=True)
        self.assertChineseError(err)
        self.assertIn("Otto Other 不能复核：该身份没有复核专家角色", err)
        _, _, err = self.run_cli("review", a, "--by", other, "--approve", "--conclusion", "ok",
                                 expect=3, passphrase=True)
        self.assertIn("Otto Other cannot recheck: the identity does not have the reviewer role", err)

        # a state named in a refusal is a word for people in Chinese, its own name in English
        _, _, err = self.run_cli("assessment", "reopen", a, "--by", lead, "--reason", "重来", lang=ZH, expect=3)
        self.assertChineseError(err)
        self.assertIn("“草稿”", err)
        _, _, err = self.run_cli("assessment", "reopen", a, "--by", lead, "--reason", "again", expect=3)
        self.assertIn(f"assessment {a} is draft: only a submitted", err)

    def test_json_is_the_same_in_every_locale(self):
        self.run_cli("standards", "import", os.path.join(SRC, "tests", "data", "mini.json"))
        lead = self.identity("Lena Lead", "assessor")
        a = self.run_cli("assessment", "create", "--standard", "MINI", "--org", "Org", "--lead", lead,
                         "--start", "2026-03-01", "--end", "2026-03-02")[1].strip()
        self.run_cli("finding", "set", a, "1.1", "--by", lead, "--verdict", "partial", "--method", "document",
                     "--value", "96.5", "--sample", "10", "--sample", "12.25", "--sample", "20", "--note", "夜班")
        self.run_cli("finding", "set", a, "1.2", "--by", lead, "--verdict", "conform")
        evidence = os.path.join(self.tmp, "photo.jpg")
        with open(evidence, "wb") as f:
            f.write(os.urandom(3000))
        self.run_cli("evidence", "add", a, evidence, "--by", lead, "--clause", "1.1", "--kind", "photo")
        self.run_cli("nc", "add", a, "1.1", "--by", lead, "--grade", "minor", "--text", "slow",
                     "--suggestion", "staff up", "--due", "2026-06-30")
        bundle = os.path.join(self.tmp, "a.attest")
        self.run_cli("bundle", "export", a, "-o", bundle, passphrase=True)

        commands = [
            ("standards", "list"), ("standards", "show", "MINI"), ("identity", "list"),
            ("assessment", "list"), ("assessment", "show", a), ("evidence", "list", a), ("nc", "list", a),
            ("verify", bundle),
        ]
        for command in commands:
            with self.subTest(command=command):
                english = self.run_cli("--json", *command)[0]
                chinese_out = self.run_cli("--json", *command, lang=ZH)[0]
                self.assertEqual(english, chinese_out)
        shown = self.run_cli("--json", "assessment", "show", a, lang=ZH)[1]
        self.assertIn("96.5", shown)
        self.assertIn("12.25", shown)
        self.assertIn('"state" : "in-progress"', shown)

        # while the text forms are in Chinese
        text = self.run_cli("assessment", "show", a, lang=ZH)[1]
        self.assertIn("受评组织：Org", text)
        checks = self.run_cli("verify", bundle, lang=ZH)[1]
        self.assertIn("签名：有效", checks)


if __name__ == "__main__":
    unittest.main(verbosity=2)
