#!/usr/bin/python3
"""The bundled catalogs and the catalog format.

Every catalog validates (and meets the JSON Schema beside it); QCS holds every clause of the
standard with its text verbatim and an indicator for every numeric limit; the other catalogs carry
the limits of their sources; `standards validate` refuses each class of malformed file with the
exact position; `standards import` keeps catalogs across restarts and never silently replaces one.

The reference texts are copies in tests/data (the seeds themselves are not part of the build).
"""
import copy
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

try:
    import jsonschema
except ImportError:  # the schema checks are skipped, visibly, where python3-jsonschema is missing
    jsonschema = None

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
TEMPLATES = os.path.join(SRC, "templates")
DATA = os.path.join(SRC, "tests", "data")
CATALOGS = ["qcs.json", "opcs.json", "cucs.json", "cthl.json", "cmcs.json"]
PASS = "correct horse battery"

# “≥95%”, “≤ 15 min”, “不低于98%”, “48小时内”, “3个工作日”: a comparison word or a number with
# a unit is a limit, and a limit needs an indicator.
LIMIT = re.compile(r"[≥≤]\s*\d|不(低|少|高|超|大|小)于\s*\d|\d+(\.\d+)?\s*(%|％|个?工作日|小时|分钟|秒|个月|天|h\b|min\b|s\b)")

# The unit words of the sources, as catalog units.
UNIT_WORDS = [("个工作日", "wd"), ("工作日", "wd"), ("个小时", "h"), ("小时", "h"), ("h", "h"),
              ("分钟", "min"), ("min", "min"), ("秒", "s"), ("s", "s"), ("个月", "month"),
              ("d", "d"), ("天", "d"), ("日", "d"), ("%", "%"), ("％", "%"), ("元", "CNY")]
NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(re.escape(w) for w, _ in UNIT_WORDS) + r")?")


def unit_of(word):
    return dict(UNIT_WORDS).get(word) if word else None


def clauses(nodes):
    for c in nodes:
        yield c
        yield from clauses(c.get("children", []))


def load(name):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
        return json.load(f)


def limits_of(clause):
    """(comparator, limit, unit) of every indicator and of every share's sample limit."""
    out = []
    for i in clause.get("indicators", []):
        out.append((i["comparator"], i["limit"], i["unit"]))
        if "sample" in i:
            s = i["sample"]
            out.append((s["comparator"], s["limit"], s["unit"]))
    return out


def missing_limits(catalog):
    """Every “≥ N unit” / “≤ N unit” and every percentage in an assessable clause's text, for which
    the clause has no indicator (or sample limit) with that comparator, number and unit."""
    problems = []
    for c in clauses(catalog["clauses"]):
        if not c.get("assessable"):
            continue
        text = c.get("text", {}).get("zh_CN", "")
        have = limits_of(c)

        def need(comparator, number, unit, what):
            ok = any((comparator is None or cmp == comparator) and lim == number and (unit is None or u == unit)
                     for cmp, lim, u in have)
            if not ok:
                problems.append(f"{c['number']}: “{what}” has no indicator {comparator or ''} {number:g} {unit or ''}")

        for m in re.finditer(r"([≥≤])\s*", text):
            comparator = ">=" if m.group(1) == "≥" else "<="
            n = NUMBER_UNIT.match(text, m.end())
            if not n or not n.group(1):
                continue
            need(comparator, float(n.group(1)), unit_of(n.group(2)), text[m.start():n.end()])
            # “≥7 d×10 h”: the days and the hours are both limits
            after = re.match(r"\s*×\s*(\d+)\s*(h|小时)", text[n.end():])
            if after:
                need(comparator, float(after.group(1)), "h", text[m.start():n.end() + after.end()])
        for m in re.finditer(r"(\d+(?:\.\d+)?)\s*[%％]", text):
            need(None, float(m.group(1)), "%", m.group(0))
    return problems


def qcs_time_limits_missing(catalog):
    """QCS states some limits in words: “48 小时内”, “30 min 内” (at most), “不少于 6 个月” (at least)."""
    problems = []
    for c in clauses(catalog["clauses"]):
        text = c.get("text", {}).get("zh_CN", "")
        found = [("<=", m) for m in re.finditer(r"(\d+)\s*(小时|min|分钟|个工作日)\s*内", text)]
        found += [(">=", m) for m in re.finditer(r"不少于\s*(\d+)\s*(个月|小时|天)", text)]
        for comparator, m in found:
            if not any(cmp == comparator and lim == float(m.group(1)) and u == unit_of(m.group(2))
                       for cmp, lim, u in limits_of(c)):
                problems.append(f"{c['number']}: “{m.group(0)}”")
    return problems


def parse_qcs_seed():
    """The clauses of the copy of the seed's first pass: number → (first line, following lines), in order.
    A numbered line's rest is the heading or the start of the text; unnumbered lines continue it."""
    with open(os.path.join(DATA, "qcs-seed-ch4-11.txt"), encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    entries, parent, cur = [], None, None
    for line in lines:
        if not line.strip():
            continue
        m = re.match(r"^\s*(\d+(?:\.\d+)*)\s+(.*)$", line)
        if m:
            cur = [m.group(1), m.group(2).strip(), []]
            parent = m.group(1)
            entries.append(cur)
            continue
        m = re.match(r"^\s*([a-z])\)\s*(.*)$", line)
        if m:
            cur = [f"{parent}.{m.group(1)}", m.group(2).strip(), []]
            entries.append(cur)
            continue
        cur[2].append(line.strip())
    return entries


def text_problems(catalog, entries):
    """Where the catalog's Chinese heading + text differ from the seed's (whitespace aside: the
    extraction breaks lines mid-word and puts spaces around Latin letters and numbers)."""
    ws = re.compile(r"\s+")
    by_number = {c["number"]: c for c in clauses(catalog["clauses"])}
    problems = []
    for number, first, rest in entries:
        c = by_number.get(number)
        if c is None:
            problems.append(f"{number}: missing")
            continue
        seed = ws.sub("", first + "".join(rest))
        ours = ws.sub("", c.get("title", {}).get("zh_CN", "") + c.get("text", {}).get("zh_CN", ""))
        if seed != ours:
            problems.append(f"{number}: catalog “{ours}” ≠ seed “{seed}”")
        # a heading is a whole numbered line, and every clause with sub-clauses has one
        title = c.get("title", {}).get("zh_CN")
        if (title is not None or c.get("children")) and ws.sub("", title or "") != ws.sub("", first):
            problems.append(f"{number}: the heading is not the numbered line “{first}”")
    return problems


def run(*args, data_dir=None, env=None, expect=None):
    argv = [CLI] + (["--data-dir", data_dir] if data_dir else []) + list(args)
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=full_env)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"{argv} exited {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


class CatalogTest(unittest.TestCase):
    def test_every_catalog_validates(self):
        for name in CATALOGS:
            p = run("standards", "validate", os.path.join(TEMPLATES, name))
            self.assertEqual(p.returncode, 0, f"{name}: {p.stderr}")
            self.assertEqual(p.stderr, "", f"{name}: no warnings either")
            self.assertIn("valid", p.stdout)

    @unittest.skipIf(jsonschema is None, "python3-jsonschema is not installed")
    def test_every_catalog_meets_the_schema(self):
        with open(os.path.join(TEMPLATES, "catalog.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for name in CATALOGS:
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(name))]
            self.assertEqual(errors, [], name)
        with open(os.path.join(DATA, "mini.json"), encoding="utf-8") as f:
            self.assertEqual(list(validator.iter_errors(json.load(f))), [])

    def test_the_readme_example_validates(self):
        with open(os.path.join(TEMPLATES, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        example = readme.split("## A whole catalog", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "example.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(example)
            p = run("standards", "validate", path)
            self.assertEqual((p.returncode, p.stderr), (0, ""))
            self.assertIn("HOTLINE 2024.1, 3 clauses, 2 assessable, 2 indicators", p.stdout)

    @unittest.skipIf(jsonschema is None, "python3-jsonschema is not installed")
    def test_the_schema_and_the_loader_agree(self):
        """Each of these is refused by the loader and by the schema; mini.json is accepted by both."""
        with open(os.path.join(TEMPLATES, "catalog.schema.json"), encoding="utf-8") as f:
            validator = jsonschema.Draft202012Validator(json.load(f))
        with open(os.path.join(DATA, "mini.json"), encoding="utf-8") as f:
            mini = json.load(f)

        def hotline(c):
            return c["clauses"][0]["children"][0]

        def answer_rate(c):
            return hotline(c)["indicators"][0]

        def share(c):
            return hotline(c)["indicators"][1]

        changes = {
            "format": lambda c: c.update(format="attest-catalog/2"),
            "code": lambda c: c.update(code="mini"),
            "no-zh": lambda c: c["title"].pop("zh_CN"),
            "number": lambda c: hotline(c).update(number="1.1 "),
            "no-methods": lambda c: hotline(c).pop("methods"),
            "no-text": lambda c: hotline(c).pop("text"),
            "twice-the-method": lambda c: hotline(c).update(methods=["document", "document"]),
            "unknown-method": lambda c: hotline(c).update(methods=["smell"]),
            "indicator-not-assessable": lambda c: c["clauses"][0].update(indicators=[answer_rate(c)]),
            "comparator": lambda c: answer_rate(c).update(comparator="=>"),
            "unit-of-other-quantity": lambda c: answer_rate(c).update(unit="h"),
            "sample-unit": lambda c: share(c)["sample"].update(unit="%"),
            "percentage-over-100": lambda c: answer_rate(c).update(limit=100.5),
            "negative": lambda c: share(c)["sample"].update(limit=-1),
            "share-without-sample": lambda c: share(c).pop("sample"),
            "share-not-rate": lambda c: share(c).update(quantity="count", unit="times"),
            "sample-without-share": lambda c: share(c).update(aggregate="mean"),
            "id": lambda c: answer_rate(c).update(id="Answer rate"),
            "empty-wordlist": lambda c: c.update(wordlists=[{"id": "w", "title": {"zh_CN": "词"}, "clause": "1.2", "items": []}]),
            "empty-clauses": lambda c: c.update(clauses=[]),
        }
        self.assertEqual(list(validator.iter_errors(mini)), [])
        with tempfile.TemporaryDirectory() as tmp:
            for name, change in changes.items():
                with self.subTest(name):
                    broken = copy.deepcopy(mini)
                    change(broken)
                    self.assertTrue(list(validator.iter_errors(broken)), f"{name}: the schema accepts it")
                    path = os.path.join(tmp, name + ".json")
                    with open(path, "w", encoding="utf-8") as f:
                        json.dump(broken, f, ensure_ascii=False)
                    self.assertEqual(run("standards", "validate", path).returncode, 2, f"{name}: the loader accepts it")

    def test_qcs_has_every_clause_of_the_seed(self):
        with open(os.path.join(DATA, "qcs-clause-numbers.txt"), encoding="utf-8") as f:
            expected = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        numbers = [c["number"] for c in clauses(load("qcs.json")["clauses"])]
        self.assertGreater(len(expected), 150)
        missing = [n for n in expected if n not in numbers]
        extra = [n for n in numbers if n not in expected]
        self.assertEqual(missing, [], "clauses of the standard missing from qcs.json")
        self.assertEqual(extra, [], "clauses in qcs.json that the standard does not have")
        self.assertEqual(numbers, expected, "qcs.json is not in document order")
        # the list and the copy of the text agree (each is checked against the other)
        self.assertEqual([e[0] for e in parse_qcs_seed()], expected)

    def test_qcs_chinese_text_is_verbatim(self):
        entries = parse_qcs_seed()
        self.assertEqual(len(entries), 199)
        self.assertEqual(text_problems(load("qcs.json"), entries), [])

    def test_qcs_text_check_can_fail(self):
        qcs = load("qcs.json")
        entries = parse_qcs_seed()
        for number, change in (("7.4.2.2", lambda c: c["text"].update(zh_CN=c["text"]["zh_CN"].replace("85", "80"))),
                               ("6.3", lambda c: c["title"].update(zh_CN="产品推广")),
                               ("5.1.1", lambda c: c.pop("title")),
                               ("7.1", lambda c: c.update(title={"zh_CN": "营业大厅服务应为客户提供"}))):
            broken = copy.deepcopy(qcs)
            change(next(c for c in clauses(broken["clauses"]) if c["number"] == number))
            self.assertTrue(any(p.startswith(number + ":") for p in text_problems(broken, entries)), number)

    def test_every_limit_in_a_text_has_an_indicator(self):
        for name in CATALOGS:
            for c in clauses(load(name)["clauses"]):
                text = c.get("text", {}).get("zh_CN", "")
                if c.get("assessable") and LIMIT.search(text):
                    self.assertTrue(c.get("indicators"),
                                    f"{name} {c['number']}: “{LIMIT.search(text).group(0)}” in “{text}” has no indicator")

    def test_every_comparison_has_its_own_indicator(self):
        for name in CATALOGS:
            self.assertEqual(missing_limits(load(name)), [], name)
        self.assertEqual(qcs_time_limits_missing(load("qcs.json")), [])

    def test_limit_checks_can_fail(self):
        qcs = load("qcs.json")
        cases = {
            "5.1.1": lambda c: c["indicators"][1].update(limit=97),          # ≥98% typed as 97
            "7.4.2.2": lambda c: [i.update(limit=90) for i in c["indicators"] if i["id"] == "manual-answer-rate"],
            "5.3.2.2": lambda c: c["indicators"][2].update(comparator=">="),  # ≤7 工作日 the wrong way round
            "7.1.4.1": lambda c: c["indicators"][0].update(unit="h"),        # 15 min in hours
            "7.6.2.2": lambda c: c.update(indicators=[]),                   # 100% lost
        }
        for number, change in cases.items():
            broken = copy.deepcopy(qcs)
            change(next(c for c in clauses(broken["clauses"]) if c["number"] == number))
            self.assertTrue(any(p.startswith(number + ":") for p in missing_limits(broken)), number)
        broken = copy.deepcopy(qcs)
        next(c for c in clauses(broken["clauses"]) if c["number"] == "9.3.4")["indicators"][0]["limit"] = 72
        self.assertTrue(any(p.startswith("9.3.4:") for p in qcs_time_limits_missing(broken)))

    def test_qcs_named_limits(self):
        qcs = {c["number"]: c for c in clauses(load("qcs.json")["clauses"])}

        def ind(number):
            return qcs[number].get("indicators", [])

        def has(number, comparator, limit, unit, aggregate=None):
            return any(i["comparator"] == comparator and i["limit"] == limit and i["unit"] == unit
                       and (aggregate is None or i["aggregate"] == aggregate) for i in ind(number))

        self.assertEqual(len(ind("5.1.1")), 3)
        self.assertTrue(has("5.1.1", ">=", 100, "%") and has("5.1.1", ">=", 98, "%") and has("5.1.1", ">=", 99, "%"))
        self.assertEqual(sorted(i["limit"] for i in ind("5.3.2.2") if i["unit"] == "wd" and i["comparator"] == "<="),
                         [3, 5, 7])
        self.assertTrue(has("5.3.2.3", "<=", 4, "h"))
        for number in ("7.1.4.1", "7.1.4.2"):
            self.assertTrue(has(number, "<=", 15, "min"), number)
        self.assertTrue(has("7.2.2.2", "<=", 30, "min"))
        self.assertTrue(has("7.4.1.3", "<=", 48, "h"))
        share = {i["id"]: i for i in ind("7.4.2.2") if i["aggregate"] == "share"}
        self.assertEqual(set(share), {"manual-answer-15s"})
        s = share["manual-answer-15s"]
        self.assertEqual((s["quantity"], s["comparator"], s["limit"], s["unit"]), ("rate", ">=", 85, "%"))
        self.assertEqual(s["sample"], {"quantity": "duration", "unit": "s", "comparator": "<=", "limit": 15})
        self.assertTrue(has("7.4.2.2", ">=", 95, "%", "value"))
        self.assertTrue(has("7.4.2.2", ">=", 10, "h") and has("7.4.2.2", ">=", 100, "%"))
        self.assertTrue(has("7.4.2.3", ">=", 24, "h") and has("7.4.2.3", ">=", 100, "%"))
        self.assertTrue(has("7.5.3.3", "<=", 3, "times"))
        self.assertTrue(has("7.6.2.2", ">=", 100, "%"))
        self.assertTrue(has("7.6.2.3", ">=", 85, "%"))
        self.assertTrue(has("7.6.2.4", "<=", 24, "h"))
        self.assertTrue(has("8.2.1.2", ">=", 6, "month"))
        self.assertTrue(has("9.3.4", "<=", 48, "h"))
        for c in qcs.values():
            if c.get("assessable"):
                self.assertTrue(c.get("text", {}).get("en"), f"{c['number']} has no English text")
                self.assertTrue(c.get("guidance", {}).get("zh_CN") and c["guidance"].get("en"),
                                f"{c['number']} has no guidance")
                self.assertTrue(c.get("methods"), c["number"])
            if c["number"].split(".")[0] == "11":
                self.assertFalse(c["assessable"], f"{c['number']}: chapter 11 is the evaluation process")
        for letter in "abcdef":
            self.assertTrue(qcs["4." + letter]["assessable"])

    def test_cthl_forbidden_phrases(self):
        cthl = load("cthl.json")
        lists = {w["id"]: w for w in cthl.get("wordlists", [])}
        with open(os.path.join(DATA, "cthl-forbidden-phrases.txt"), encoding="utf-8") as f:
            expected = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        self.assertEqual(len(expected), 46)
        self.assertEqual(lists["forbidden-phrases"]["items"], expected)
        self.assertEqual(lists["forbidden-phrases"]["clause"], "1.5.9")

    def test_cthl_limits(self):
        cthl = {c["number"]: c for c in clauses(load("cthl.json")["clauses"])}

        def get(number, id):
            return next(i for i in cthl[number]["indicators"] if i["id"] == id)

        def limit(number, id):
            i = get(number, id)
            return (i["comparator"], i["limit"], i["unit"])

        self.assertEqual(limit("1.3.2.4", "hold-duration"), ("<=", 2, "min"))
        self.assertEqual(limit("1.3.2.4", "hold-checkin-interval"), ("<=", 15, "s"))
        self.assertEqual(limit("1.1.3.1", "speech-pace-min"), (">=", 100, "chars/min"))
        self.assertEqual(limit("1.1.3.1", "speech-pace-max"), ("<=", 200, "chars/min"))
        self.assertEqual(limit("1.3.3.1", "hangup-wait"), (">=", 5, "s"))
        self.assertEqual(limit("1.2.1.3", "nuisance-call-duration"), ("<=", 10, "min"))
        # complaints by customer class, repairs by customer class and area
        self.assertEqual(limit("1.4.5.5", "complaint-ordinary"), ("<=", 3, "wd"))
        self.assertEqual(limit("1.4.5.5", "complaint-ehome"), ("<=", 2, "wd"))
        self.assertEqual(limit("1.4.4.3", "visit-urban"), ("<=", 24, "h"))
        self.assertEqual(limit("1.4.4.3", "visit-rural"), ("<=", 28, "h"))
        self.assertEqual(limit("1.4.4.3", "repair-ehome-urban"), ("<=", 16, "h"))
        self.assertEqual(limit("1.4.4.3", "repair-ehome-rural"), ("<=", 24, "h"))
        for id in ("complaint-ordinary", "complaint-ehome"):
            self.assertTrue(get("1.4.5.5", id).get("scope"), id)
        # the 20 s answer rate is a definition; the copy has no target value for it
        answer = cthl["2.1.7"]
        self.assertIn("20 秒人工接通率(%)=20 秒内人工接通量/人工呼入请求量", answer["text"]["zh_CN"])
        self.assertFalse(answer["assessable"])

    def test_cucs_limits(self):
        cucs = {c["number"]: c for c in clauses(load("cucs.json")["clauses"])}

        def has(number, comparator, limit, unit):
            return any((i["comparator"], i["limit"], i["unit"]) == (comparator, limit, unit)
                       for i in cucs[number].get("indicators", []))

        self.assertTrue(has("1.2.4", ">=", 6, "month"))          # detail records kept ≥ 6 months
        self.assertTrue(has("1.2.5", ">=", 24, "h") and has("1.2.5", ">=", 72, "h"))
        self.assertTrue(has("1.2.7", ">=", 6, "month"))
        self.assertTrue(has("1.2.9", ">=", 45, "d") and has("1.2.9", ">=", 15, "d"))
        self.assertTrue(has("1.2.10", ">=", 45, "d"))
        self.assertTrue(has("1.2.12", ">=", 24, "h") and has("1.2.12", ">=", 7, "d"))
        self.assertTrue(has("1.2.13", ">=", 10, "h") and has("1.2.13", ">=", 7, "d"))
        self.assertTrue(has("1.2.14", ">=", 24, "h"))
        self.assertTrue(has("1.2.15", ">=", 30, "d"))

    def test_cmcs_limits(self):
        cmcs = {c["number"]: c for c in clauses(load("cmcs.json")["clauses"])}

        def has(number, comparator, limit, unit):
            return any((i["comparator"], i["limit"], i["unit"]) == (comparator, limit, unit)
                       for i in cmcs[number].get("indicators", []))

        self.assertTrue(has("2.5", "<=", 48, "h") and has("2.5", "<=", 72, "h"))   # urban / rural repair
        self.assertTrue(has("2.6", ">=", 72, "h"))                                # notice of planned work
        self.assertTrue(has("B.1.1.1.4", "<=", 30, "s"))
        self.assertTrue(has("B.1.2.1.2", "<=", 3, "s") and has("B.1.2.1.2", "<=", 30, "s"))
        self.assertTrue(has("B.1.1.3.1", ">=", 2, "s"))

    def test_opcs_is_chapter_and_section_level(self):
        opcs = load("opcs.json")
        self.assertEqual([c["number"] for c in opcs["clauses"]], [str(n) for n in range(1, 9)])
        for chapter in opcs["clauses"]:
            self.assertEqual([c["number"] for c in chapter["children"]],
                             [f"{chapter['number']}.{n}" for n in range(1, 6)])
            for section in chapter["children"]:
                self.assertTrue(section["assessable"], section["number"])


HEAD = '{"format":"attest-catalog/1","code":"T","title":{"zh_CN":"测"},"version":"1","source":"s",\n'
OK_CLAUSE = '{"number":"1","assessable":true,"text":{"zh_CN":"要求"},"methods":["document"]'


def indicator(**fields):
    base = {"id": "a", "label": {"zh_CN": "x"}, "quantity": "rate", "unit": "%", "comparator": ">=",
            "limit": 1, "aggregate": "value"}
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}, ensure_ascii=False)


def unmark(marked):
    """The text without its ⟦ marks, and the line and column (in characters, from 1) of each."""
    places, text = [], ""
    for i, part in enumerate(marked.split("⟦")):
        if i > 0:
            places.append((text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1))
        text += part
    return text, places


class MalformedTest(unittest.TestCase):
    """`standards validate` exits 2 and names the exact line and column, for each class of error.

    Each case marks the place the error must point at with ⟦ (removed before writing the file)."""

    CASES = {
        "syntax": ('{"format": "attest-catalog/1",\n  "code": ⟦,}', "invalid JSON: “,” where a value was expected"),
        "trailing-comma": (HEAD + '"clauses":[' + OK_CLAUSE + '}⟦,]}', "a comma before “]”"),
        "single-quotes": (HEAD + '"clauses":[{"number":⟦\'1\'}]}', "not single quotes"),
        "after-the-end": (HEAD + '"clauses":[' + OK_CLAUSE + '}]}\n⟦{}', "more text after the end"),
        "not-utf8": ('{"format":"attest-catalog/1",\n"code":"⟦\udcff"}', "the file is not UTF-8 text"),
        "not-an-object": ("⟦[1, 2]", "a catalog must be a JSON object"),
        "missing-key": ('⟦{"format":"attest-catalog/1","title":{"zh_CN":"测"},"version":"1","source":"s","clauses":['
                        + OK_CLAUSE + '}]}', "the catalog has no “code”"),
        "wrong-type": ('{"format":"attest-catalog/1","code":"T","title":{"zh_CN":"t"},⟦"version":1,'
                       '"source":"s","clauses":[]}', "“version” in the catalog must be a string, not a number"),
        "unknown-format": ('{⟦"format":"other/2","code":"T","title":{"zh_CN":"测"},"version":"1","source":"s",'
                           '"clauses":[' + OK_CLAUSE + '}]}', "unknown format “other/2”"),
        "duplicate-key": (HEAD + '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"a"},\n'
                          '  ⟦"assessable":true}]}', "duplicate key “assessable”"),
        "duplicate-number": (HEAD + '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"a"}},\n'
                             '{⟦"number":"1","assessable":false,"title":{"zh_CN":"b"}}]}', "duplicate clause number “1”"),
        "child-number": (HEAD + '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"章"},"children":[\n'
                         '  {⟦"number":"2.1","assessable":false,"title":{"zh_CN":"节"}}]}]}',
                         "clause number “2.1” does not extend its parent's number “1”"),
        "bad-number": (HEAD + '"clauses":[{⟦"number":"第一章","assessable":false,"title":{"zh_CN":"章"}}]}',
                       "is not of the form 7.4.2.2"),
        "no-chinese": ('{"format":"attest-catalog/1","code":"T",\n"title":⟦{"en":"t"},"version":"1","source":"s",'
                       '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"a"}}]}',
                       "“title” of the catalog has no Chinese text"),
        "no-text": (HEAD + '"clauses":[⟦{"number":"1","assessable":true,"methods":["document"]}]}',
                    "assessable clause 1 has no requirement “text”"),
        "no-methods": (HEAD + '"clauses":[⟦{"number":"1","assessable":true,"text":{"zh_CN":"要求"}}]}',
                       "clause 1 has no “methods”"),
        "unknown-method": (HEAD + '"clauses":[{"number":"1","assessable":true,"text":{"zh_CN":"要求"},\n'
                           '  "methods":["document", ⟦"smell"]}]}', "unknown method “smell”"),
        "unknown-comparator": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                               + indicator(comparator="≈").replace('"comparator"', '⟦"comparator"') + ']}]}',
                               "unknown comparator “≈” in indicator “a” of clause 1"),
        "unknown-aggregate": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                              + indicator(aggregate="median").replace('"aggregate"', '⟦"aggregate"') + ']}]}',
                              "unknown aggregate “median”"),
        "unknown-quantity": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                             + indicator(quantity="weight").replace('"quantity"', '⟦"quantity"') + ']}]}',
                             "unknown quantity “weight”"),
        "unknown-unit": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                         + indicator(unit="furlong").replace('"unit"', '⟦"unit"') + ']}]}', "unknown unit “furlong”"),
        "unit-of-other-quantity": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                                   + indicator(quantity="duration").replace('"unit"', '⟦"unit"') + ']}]}',
                                   "unit “%” does not measure a duration"),
        "percentage-over-100": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                                + indicator(limit=101).replace('"limit"', '⟦"limit"') + ']}]}', "is over 100 %"),
        "share-without-sample": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":[⟦'
                                 + indicator(aggregate="share") + ']}]}', "aggregates by share and needs a “sample” limit"),
        "sample-without-share": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":['
                                 + indicator(sample={"quantity": "duration", "unit": "s", "comparator": "<=", "limit": 15})
                                 .replace('"sample"', '⟦"sample"') + ']}]}', "only a “share” aggregate uses"),
        "duplicate-indicator": (HEAD + '"clauses":[' + OK_CLAUSE + ',\n"indicators":[' + indicator() + ',\n'
                                + indicator(limit=2).replace('"id"', '⟦"id"') + ']}]}', "duplicate indicator id “a”"),
        "indicator-not-assessable": (HEAD + '"clauses":[{"number":"1","assessable":false,"title":{"zh_CN":"章"},\n'
                                     '  ⟦"indicators":[' + indicator() + ']}]}',
                                     "clause 1 is not assessable, so it cannot carry indicators"),
        "wordlist-unknown-clause": (HEAD + '"clauses":[' + OK_CLAUSE + '}],\n'
                                    '"wordlists":[{"id":"w","title":{"zh_CN":"词"},⟦"clause":"9","items":["a"]}]}',
                                    "wordlist “w” names unknown clause “9”"),
        "duplicate-wordlist": (HEAD + '"clauses":[' + OK_CLAUSE + '}],\n'
                               '"wordlists":[{"id":"w","title":{"zh_CN":"词"},"clause":"1","items":["a"]},\n'
                               '{⟦"id":"w","title":{"zh_CN":"词"},"clause":"1","items":["b"]}]}', "duplicate wordlist id “w”"),
    }

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-catalogs-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        path = os.path.join(self.tmp, name + ".json")
        with open(path, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))
        return path

    def test_each_error_class(self):
        for name, (marked, message) in self.CASES.items():
            with self.subTest(name):
                text, [(line, column)] = unmark(marked)
                path = self.write(name, text)
                p = run("standards", "validate", path)
                self.assertEqual(p.returncode, 2, f"{name}: {p.stdout}{p.stderr}")
                self.assertEqual(p.stdout, "")
                expected = f"attest-cli: error: {path}:{line}:{column}: "
                self.assertIn(expected, p.stderr, name)
                self.assertIn(message, p.stderr.split(expected, 1)[1].split("\n", 1)[0], name)

    def test_every_error_is_reported_at_once(self):
        text = (HEAD + '"clauses":[{"number":"1","assessable":true,"methods":["smell"]},\n'
                '{"number":"1","assessable":false,"title":{"en":"x"}}]}')
        p = run("standards", "validate", self.write("many", text))
        self.assertEqual(p.returncode, 2)
        errors = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertEqual(len(errors), 4, p.stderr)   # no text, unknown method, duplicate number, no zh_CN
        for line in errors:
            self.assertRegex(line, r"^attest-cli: error: .*many\.json:\d+:\d+: \S")

    def test_unknown_keys_warn_and_the_catalog_loads(self):
        marked = (HEAD + '⟦"colour":"blue","clauses":[' + OK_CLAUSE + ',⟦"weight":3,\n'
                  '"indicators":[{"id":"a","label":{"zh_CN":"x",⟦"fr":"y"},"quantity":"rate","unit":"%",'
                  '"comparator":">=","limit":1,"aggregate":"share",\n'
                  '"sample":{"quantity":"duration","unit":"s","comparator":"<=","limit":15,⟦"tolerance":1}}]}],\n'
                  '"wordlists":[{"id":"w","title":{"zh_CN":"词"},"clause":"1","items":["a"],⟦"lang":"zh"}]}')
        text, places = unmark(marked)
        path = self.write("unknown", text)
        p = run("standards", "validate", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("valid", p.stdout)
        warnings = p.stderr.splitlines()
        for key, (line, column) in zip(("colour", "weight", "fr", "tolerance", "lang"), places):
            prefix = f"attest-cli: warning: {path}:{line}:{column}: unknown key “{key}”"
            self.assertTrue(any(w.startswith(prefix) for w in warnings), f"{prefix}\n{p.stderr}")
        self.assertEqual(len(warnings), 5, p.stderr)

    def test_a_flood_of_problems_is_counted_not_listed(self):
        # a hostile catalog (inside a bundle from outside) with a problem every few bytes: the
        # first 50 of each kind are located, the rest counted in one closing line
        with open(os.path.join(DATA, "mini.json"), encoding="utf-8") as f:
            catalog = json.load(f)
        for i in range(5000):
            catalog[f"x{i}"] = 1
        p = run("standards", "validate", self.write("flood-warnings", json.dumps(catalog)))
        self.assertEqual(p.returncode, 0, p.stderr[-500:])
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 51, lines[-3:])
        self.assertTrue(all(re.search(r"flood-warnings\.json:1:\d+: unknown key “x\d+”", l) for l in lines[:50]), lines[:3])
        self.assertIn("and 4950 more warnings (only the first 50 are listed)", lines[-1])

        text = '{"format":"attest-catalog/1",' + ",".join('"code":"A"' for _ in range(20000)) + "}"
        p = run("standards", "validate", self.write("flood-errors", text))
        self.assertEqual(p.returncode, 2)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 51, lines[-3:])
        self.assertIn("duplicate key “code”", lines[0])
        self.assertRegex(lines[-1], r"and \d+ more errors \(only the first 50 are listed\)")

    def test_a_byte_order_mark_is_accepted(self):
        with open(os.path.join(DATA, "mini.json"), encoding="utf-8") as f:
            text = f.read()
        p = run("standards", "validate", self.write("bom", "\ufeff" + text))
        self.assertEqual(p.returncode, 0, p.stderr)
        # positions count from after the mark
        text, [(line, column)] = unmark(text.replace('"code": "MINI"', '⟦"code": "mini"'))
        p = run("standards", "validate", self.write("bom-bad", "\ufeff" + text))
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"bom-bad.json:{line}:{column}: catalog code “mini”", p.stderr)

    def test_missing_file(self):
        p = run("standards", "validate", os.path.join(self.tmp, "nothing-here.json"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("attest-cli: error: ", p.stderr)


class ImportTest(unittest.TestCase):
    """Imported catalogs live in the data directory, survive restarts, and never silently replace
    a catalog: not a built-in one, not one an assessment uses."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-import-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def cli(self, *args, expect=0, env=None):
        return run(*args, data_dir=self.data, env=env, expect=expect)

    def cli_json(self, *args):
        return json.loads(self.cli("--json", *args).stdout)

    def write(self, name, catalog):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(catalog, f, ensure_ascii=False, indent=1)
        return path

    def listed(self):
        return {(c["code"], c["version"]): c for c in self.cli_json("standards", "list")}

    def test_import_survives_restarts(self):
        mini = os.path.join(DATA, "mini.json")
        self.assertEqual(self.cli("standards", "import", mini).stdout.strip(), "MINI 1.0")
        with open(mini, encoding="utf-8") as f:
            expected = json.load(f)
        # every run of attest-cli is a fresh start that re-registers the built-in catalogs
        for _ in range(2):
            listed = self.listed()
            self.assertEqual(listed[("MINI", "1.0")]["origin"], "imported")
            self.assertEqual(next(c for k, c in listed.items() if k[0] == "QCS")["origin"], "bundled")
            self.assertEqual(self.cli_json("standards", "show", "MINI"), expected)
        with open(os.path.join(self.data, "catalogs", "MINI-1.0.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), expected)
        # the same bytes again: nothing to do
        self.cli("standards", "import", mini)
        self.assertEqual(len([k for k in self.listed() if k[0] == "MINI"]), 1)

    def test_a_built_in_catalog_is_not_replaced(self):
        changed = load("opcs.json")
        changed["clauses"][0]["title"]["en"] = "Changed"
        p = self.cli("standards", "import", self.write("opcs.json", changed), expect=3)
        self.assertIn("built into Attest", p.stderr)
        self.assertIn("new “version”", p.stderr)
        self.assertEqual(self.cli_json("standards", "show", "OPCS"), load("opcs.json"))
        self.assertFalse(os.path.exists(os.path.join(self.data, "catalogs", "OPCS-1.0.json")))
        # as a new version it is a new catalog beside the built-in one
        changed["version"] = "1.0-local"
        self.cli("standards", "import", self.write("opcs.json", changed))
        self.assertEqual(self.cli_json("standards", "show", "OPCS")["clauses"][0]["title"]["en"], "Changed")
        self.assertEqual(self.cli_json("standards", "show", "OPCS", "--version", "1.0"), load("opcs.json"))
        self.assertEqual(self.listed()[("OPCS", "1.0")]["origin"], "bundled")

    def test_a_catalog_in_use_is_not_replaced(self):
        with open(os.path.join(DATA, "mini.json"), encoding="utf-8") as f:
            mini = json.load(f)
        path = self.write("mini.json", mini)
        self.cli("standards", "import", path)
        # unused, a catalog of one's own can still be corrected under its version
        mini["clauses"][0]["title"]["en"] = "General (corrected)"
        self.cli("standards", "import", self.write("mini.json", mini))
        self.assertEqual(self.cli_json("standards", "show", "MINI")["clauses"][0]["title"]["en"], "General (corrected)")

        lead = self.cli("identity", "create", "--name", "Lead", "--role", "assessor",
                        env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()
        self.cli("assessment", "create", "--standard", "MINI", "--org", "Org", "--lead", lead)
        in_use = copy.deepcopy(mini)
        mini["clauses"][0]["title"]["en"] = "Changed again"
        p = self.cli("standards", "import", self.write("mini.json", mini), expect=3)
        self.assertIn("already used by 1 assessment", p.stderr)
        self.assertEqual(self.cli_json("standards", "show", "MINI"), in_use)
        with open(os.path.join(self.data, "catalogs", "MINI-1.0.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), in_use, "the copy in the data directory is unchanged too")
        mini["version"] = "1.1"
        self.assertEqual(self.cli("standards", "import", self.write("mini.json", mini)).stdout.strip(), "MINI 1.1")
        self.assertEqual(self.cli_json("standards", "show", "MINI")["version"], "1.1")
        self.assertEqual(self.cli_json("standards", "show", "MINI", "--version", "1.0"), in_use)

    def test_an_invalid_catalog_is_not_imported(self):
        self.cli("standards", "list")
        broken = load("qcs.json")
        broken["code"] = "QCS2"
        broken["clauses"][0]["children"][0]["methods"] = ["smell"]
        p = self.cli("standards", "import", self.write("qcs2.json", broken), expect=2)
        self.assertRegex(p.stderr, r"qcs2\.json:\d+:\d+: unknown method “smell”")
        self.assertNotIn("QCS2", {k[0] for k in self.listed()})
        self.assertFalse(os.path.exists(os.path.join(self.data, "catalogs", "QCS2-1.0.json")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
