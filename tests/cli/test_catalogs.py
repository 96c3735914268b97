#!/usr/bin/python3
"""The bundled catalogs: every one validates; QCS holds every clause of the standard and an
indicator for every numeric limit in its text."""
import json
import os
import re
import subprocess
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
TEMPLATES = os.path.join(SRC, "templates")
CATALOGS = ["qcs.json", "opcs.json", "cucs.json", "cthl.json", "cmcs.json"]

# “≥95%”, “≤ 15 min”, “不低于98%”, “48小时内”, “3个工作日”: a comparison word or a number with
# a unit is a limit, and a limit needs an indicator.
LIMIT = re.compile(r"[≥≤]\s*\d|不(低|少|高|超|大|小)于\s*\d|\d+(\.\d+)?\s*(%|％|个?工作日|小时|分钟|秒|个月|天|h\b|min\b|s\b)")


def clauses(nodes):
    for c in nodes:
        yield c
        yield from clauses(c.get("children", []))


def load(name):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
        return json.load(f)


class CatalogTest(unittest.TestCase):
    def test_every_catalog_validates(self):
        for name in CATALOGS:
            p = subprocess.run([CLI, "standards", "validate", os.path.join(TEMPLATES, name)],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, f"{name}: {p.stderr}")
            self.assertNotIn("warning", p.stderr, f"{name}: {p.stderr}")
            self.assertIn("valid", p.stdout)

    def test_qcs_has_every_clause_of_the_seed(self):
        with open(os.path.join(SRC, "tests", "data", "qcs-clause-numbers.txt"), encoding="utf-8") as f:
            expected = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        numbers = [c["number"] for c in clauses(load("qcs.json")["clauses"])]
        self.assertGreater(len(expected), 150)
        missing = [n for n in expected if n not in numbers]
        extra = [n for n in numbers if n not in expected]
        self.assertEqual(missing, [], "clauses of the standard missing from qcs.json")
        self.assertEqual(extra, [], "clauses in qcs.json that the standard does not have")
        self.assertEqual(numbers, expected, "qcs.json is not in document order")

    def test_every_limit_in_a_text_has_an_indicator(self):
        for name in CATALOGS:
            for c in clauses(load(name)["clauses"]):
                text = c.get("text", {}).get("zh_CN", "")
                if c.get("assessable") and LIMIT.search(text):
                    self.assertTrue(c.get("indicators"),
                                    f"{name} {c['number']}: “{LIMIT.search(text).group(0)}” in “{text}” has no indicator")

    def test_qcs_named_limits(self):
        qcs = {c["number"]: c for c in clauses(load("qcs.json")["clauses"])}

        def ind(number):
            return qcs[number].get("indicators", [])

        self.assertEqual(len(ind("5.1.1")), 3)
        self.assertEqual(sorted(i["limit"] for i in ind("5.3.2.2") if i["unit"] == "wd"), [3, 5, 7])
        for number in ("7.1.4.1", "7.1.4.2"):
            self.assertTrue(any(i["limit"] == 15 and i["unit"] == "min" for i in ind(number)), number)
        self.assertTrue(any(i["limit"] == 30 and i["unit"] == "min" for i in ind("7.2.2.2")))
        share = [i for i in ind("7.4.2.2") if i["aggregate"] == "share"]
        self.assertTrue(any(i["limit"] == 85 and i["comparator"] == ">=" and i["sample"]["limit"] == 15
                            and i["sample"]["unit"] == "s" and i["sample"]["comparator"] == "<="
                            for i in share), ind("7.4.2.2"))
        self.assertTrue(any(i["limit"] == 95 and i["comparator"] == ">=" for i in ind("7.4.2.2")))
        self.assertTrue(any(i["limit"] == 6 and i["unit"] == "month" for i in ind("8.2.1.2")))
        self.assertTrue(any(i["limit"] == 48 and i["unit"] == "h" for i in ind("9.3.4")))
        for number in ("7.6.2.3", "7.6.2.4"):
            self.assertTrue(ind(number), number)
        for c in qcs.values():
            if c.get("assessable"):
                self.assertTrue(c.get("text", {}).get("en"), f"{c['number']} has no English text")
                self.assertTrue(c.get("guidance"), f"{c['number']} has no guidance")

    def test_cthl_forbidden_phrases(self):
        cthl = load("cthl.json")
        lists = {w["id"]: w for w in cthl.get("wordlists", [])}
        self.assertEqual(len(lists["forbidden-phrases"]["items"]), 46)


class MalformedTest(unittest.TestCase):
    """`standards validate` exits 2 and names the position, for each class of error."""

    CASES = {
        "bad-json": ('{"format": "attest-catalog/1", "code": }', r":1:\d+: "),
        "wrong-type": ('{"format":"attest-catalog/1","code":"T","title":{"zh_CN":"t"},"version":1,'
                       '"source":"s","clauses":[]}', r':1:\d+: “version” in the catalog must be a string'),
        "duplicate": ('{"format":"attest-catalog/1","code":"T","title":{"zh_CN":"t"},"version":"1","source":"s",\n'
                      '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"a"}},\n'
                      '{"number":"1","assessable":false,"title":{"zh_CN":"b"}}]}', r":3:2: duplicate clause number"),
        "no-chinese": ('{"format":"attest-catalog/1","code":"T","title":{"en":"t"},"version":"1","source":"s",'
                       '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"a"}}]}',
                       r":1:\d+: “title” of the catalog has no Chinese text"),
    }

    def test_cases(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, (text, pattern) in self.CASES.items():
                path = os.path.join(tmp, name + ".json")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                p = subprocess.run([CLI, "standards", "validate", path], capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 2, name)
                self.assertRegex(p.stderr, re.escape(path) + pattern, name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
