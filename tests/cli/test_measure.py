#!/usr/bin/python3
"""attest-cli measure: an indicator measured from the organisation's own data — call records
(CSV in GB18030, the same as XLSX), stratified random samples with a seed, transcripts checked
against the catalog's word list — with the data source recorded, audited and carried by bundles,
and malformed files refused with their row and column and nothing written."""
import csv
import datetime
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
import calldata  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "correct horse battery"
PHRASES = os.path.join(SRC, "tests", "data", "cthl-forbidden-phrases.txt")
ROWS = 100000


def run(data_dir, *args, expect=0, json_out=False, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    argv = [CLI, "--data-dir", data_dir] + (["--json"] if json_out else []) + list(args)
    p = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=120)
    if p.returncode != expect:
        raise AssertionError(f"{argv} exited {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    if expect != 0:
        assert p.stderr.startswith("attest-cli: error: "), p.stderr
    return json.loads(p.stdout) if json_out else p


def wilson(k, n, z=1.959963984540054):
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (0.0 if k == 0 else max(0.0, c - h)) * 100, (1.0 if k == n else min(1.0, c + h)) * 100


def band(hour):
    return "00-08" if hour < 8 else "08-12" if hour < 12 else "12-18" if hour < 18 else "18-24"


class Base(unittest.TestCase):
    WITH_XLSX = False

    @classmethod
    def setUpClass(cls):
        cls.files = tempfile.mkdtemp(prefix="attest-measure-files-")
        cls.csv = os.path.join(cls.files, "calls.csv")
        cls.xlsx = os.path.join(cls.files, "calls.xlsx")
        calldata.write_csv(cls.csv, ROWS)
        if cls.WITH_XLSX:
            calldata.write_xlsx(cls.xlsx, ROWS)
        # the rows as Python's own csv module reads them: the independent reckoning
        with open(cls.csv, encoding="gb18030", newline="") as f:
            cls.rows = list(csv.DictReader(f))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.files)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-measure-")
        self.data = os.path.join(self.tmp, "data")
        self.lead = run(self.data, "identity", "create", "--name", "李明", "--role", "assessor", "--org", "CB",
                        env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assessment(self, standard="QCS"):
        return run(self.data, "assessment", "create", "--standard", standard, "--org", "某通信公司",
                   "--lead", self.lead).stdout.strip()

    def measurement(self, a, clause, indicator):
        show = run(self.data, "assessment", "show", a, json_out=True)
        finding = next(f for f in show["findings"] if f["clause"] == clause)
        m = next(m for m in finding["measurements"] if m["indicator"] == indicator)
        r = next(r for r in finding["indicator_results"] if r["indicator"] == indicator)
        return m, r, show

    def measure(self, a, *args, clause="7.4.2.2", **kw):
        return run(self.data, "measure", a, clause, "--by", self.lead, *args, **kw)

    def assert_refused(self, a, path, *args, message, clause="7.4.2.2"):
        before = run(self.data, "assessment", "show", a, json_out=True)
        p = self.measure(a, "--from", path, *args, expect=2, clause=clause)
        self.assertIn(message, p.stderr)
        # nothing written: no measurement, no evidence, no file left behind
        self.assertEqual(run(self.data, "assessment", "show", a, json_out=True), before)
        self.assertEqual(run(self.data, "evidence", "list", a, json_out=True), [])
        ev = os.path.join(self.data, "evidence")
        self.assertEqual([f for _, _, fs in os.walk(ev) for f in fs] if os.path.isdir(ev) else [], [])
        return p

class MeasureTest(Base):
    def test_the_data_source_is_recorded_audited_and_carried_by_a_bundle(self):
        a = self.assessment()
        self.measure(a, "--from", self.csv, "--column", "等待时长", "--convert", "mm:ss",
                     "--filter", "队列=10000", "--filter", "来电时间>=2026-03-10", "--filter", "来电时间<=2026-03-20")
        m, r, show = self.measurement(a, "7.4.2.2", "manual-answer-15s")
        src = m["source"]
        with open(self.csv, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        self.assertEqual((src["kind"], src["file"], src["sha256"], src["format"]), ("table", "calls.csv", sha, "csv"))
        self.assertEqual((src["column"], src["convert"], src["delimiter"]), ("等待时长", "mm:ss", ","))
        self.assertEqual(src["filters"], ["队列=10000", "来电时间>=2026-03-10", "来电时间<=2026-03-20"])
        kept = [row for row in self.rows if row["队列"] == "10000" and "2026-03-10" <= row["来电时间"][:10] <= "2026-03-20"]
        self.assertEqual((src["rows_total"], src["rows_matched"], src["rows_used"]), (ROWS, len(kept), len(kept)))
        self.assertIsNone(src["sample"])
        self.assertEqual(len(m["samples"]), len(kept))
        self.assertEqual(r["successes"], sum(int(row["等待秒数"]) <= 15 for row in kept))
        # the file is evidence of the clause, stored under its hash
        ev = run(self.data, "evidence", "list", a, json_out=True)
        self.assertEqual([(e["sha256"], e["clauses"]) for e in ev], [(sha, ["7.4.2.2"])])
        self.assertTrue(os.path.isfile(os.path.join(self.data, "evidence", sha[:2], sha)))
        run(self.data, "audit", "verify", a)
        # typed by hand afterwards: the source no longer applies
        b = self.assessment()
        self.measure(b, "--from", self.csv, "--column", "等待时长", "--convert", "mm:ss")
        run(self.data, "finding", "set", b, "7.4.2.2", "--by", self.lead, "--verdict", "conform",
            "--indicator", "manual-answer-15s", "--sample", "3", "--sample", "30")
        self.assertIsNone(self.measurement(b, "7.4.2.2", "manual-answer-15s")[0]["source"])
        # a bundle carries the source to another computer
        bundle = os.path.join(self.tmp, "a.attest")
        run(self.data, "bundle", "export", a, "-o", bundle, "--by", self.lead, env={"ATTEST_PASSPHRASE": PASS})
        other = os.path.join(self.tmp, "other")
        self.assertEqual(run(other, "bundle", "import", bundle).stdout.strip(), a)
        self.assertEqual(run(other, "assessment", "show", a, json_out=True), show)

    def test_a_stratified_draw_is_reproducible_from_its_seed_and_respects_the_strata(self):
        args = ["--from", self.csv, "--column", "等待时长", "--convert", "mm:ss", "--sample", "100",
                "--strata", "班组", "--strata", "来电时间:band"]
        a, b, c = self.assessment(), self.assessment(), self.assessment()
        one = self.measure(a, *args, "--seed", "20260301", json_out=True)["source"]["sample"]
        two = self.measure(b, *args, "--seed", "20260301", json_out=True)["source"]["sample"]
        self.assertEqual(one, two)
        self.assertEqual(one["n"], 100)
        self.assertEqual(one["seed"], 20260301)
        self.assertEqual(one["strata"], ["班组", "来电时间:band"])
        self.assertEqual(len(one["rows"]), 100)
        self.assertEqual(len(set(one["rows"])), 100)
        counts = {s["stratum"]: s for s in one["strata_counts"]}
        self.assertEqual(len(counts), 16)            # 4 teams × 4 hour bands
        self.assertEqual(sum(s["drawn"] for s in counts.values()), 100)
        # each stratum's population is what Python counts; its draw is near proportional, at least one
        population = {}
        for row in self.rows:
            key = f'{row["班组"]} | {band(int(row["来电时间"][11:13]))}'
            population[key] = population.get(key, 0) + 1
        self.assertEqual({k: s["population"] for k, s in counts.items()}, population)
        for k, s in counts.items():
            self.assertGreaterEqual(s["drawn"], 1)
            self.assertLessEqual(abs(s["drawn"] - 100 * s["population"] / ROWS), 1.5, k)
        # the rows drawn (file row numbers; the header is row 1) belong to the strata counted
        drawn = {}
        for number in one["rows"]:
            row = self.rows[number - 2]
            key = f'{row["班组"]} | {band(int(row["来电时间"][11:13]))}'
            drawn[key] = drawn.get(key, 0) + 1
        self.assertEqual(drawn, {k: s["drawn"] for k, s in counts.items()})
        # the samples are those rows' waits
        m = self.measurement(a, "7.4.2.2", "manual-answer-15s")[0]
        self.assertEqual(m["samples"], [int(self.rows[n - 2]["等待秒数"]) for n in one["rows"]])
        # without a seed one is drawn, recorded, and redoes the same draw
        free = self.measure(c, *args, json_out=True)["source"]["sample"]
        d = self.assessment()
        again = self.measure(d, *args, "--seed", str(free["seed"]), json_out=True)["source"]["sample"]
        self.assertEqual(free["rows"], again["rows"])
        self.assertNotEqual(free["rows"], one["rows"])

    def test_the_report_states_the_data_source_and_draws_the_distribution(self):
        a = self.assessment()
        self.measure(a, "--from", self.csv, "--column", "等待时长", "--convert", "mm:ss", "--sample", "100",
                     "--strata", "班组", "--seed", "99", "--filter", "队列=10000")
        sha = self.measurement(a, "7.4.2.2", "manual-answer-15s")[0]["source"]["sha256"]
        for lang, words in (("en", ["Data source: calls.csv (CSV, GB18030), SHA-256 " + sha[:40],
                                    "filters: 队列=10000", "Sampling plan: a stratified random sample of 100 by 班组",
                                    "seed 99", "Distribution of the 100 samples against the limit ≤ 15 s"]),
                            ("zh_CN", ["数据来源：calls.csv（CSV, GB18030）", "抽样方案：按 班组 分层随机抽取 100 个",
                                       "随机种子 99", "100 个样本相对于限值 ≤ 15 s 的分布"])):
            pdf = os.path.join(self.tmp, f"report-{lang}.pdf")
            run(self.data, "report", a, "-o", pdf, "--lang", lang, "--draft")
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
            # spaces are the layout's (CJK text may lose them, wrapping adds them): compare without
            flat = "".join(text.split())
            for w in words:
                self.assertTrue("".join(w.split()) in flat, f"{lang}: “{w}” is not in the report")
            subprocess.run(["qpdf", "--check", pdf], capture_output=True, check=True)

    def test_usage(self):
        a = self.assessment()
        for args in (["--column", "x"], ["--from", self.csv], ["--from", self.csv, "--column", "x", "--seed", "3"],
                     ["--from", self.csv, "--transcript", self.csv, "--column", "x"],
                     ["--transcript", self.csv], ["--from", self.csv, "--column", "x", "--sample", "0"],
                     ["--from", self.csv, "--column", "x", "--sample", "5", "--seed", "-1"]):
            self.measure(a, *args, expect=1)
        self.measure(a, "--from", self.csv, "--column", "x", "--convert", "furlongs", expect=2)
        help_text = subprocess.run([CLI, "--help"], capture_output=True, text=True).stdout
        self.assertIn("measure A CLAUSE --by ID --from FILE.csv|FILE.xlsx --column NAME", help_text)
        self.assertIn("--transcript FILE… --wordlist ID", help_text)


class XlsxTest(Base):
    """The same 100,000 calls as XLSX (openpyxl takes a while to write them, hence a class of
    its own: the tests above run without the workbook)."""
    WITH_XLSX = True

    def test_csv_in_gb18030_and_xlsx_give_the_same_share_and_interval(self):
        a, b = self.assessment(), self.assessment()
        out_csv = self.measure(a, "--from", self.csv, "--column", "等待时长", "--convert", "mm:ss", json_out=True)
        out_xlsx = self.measure(b, "--from", self.xlsx, "--column", "等待时长", "--convert", "mm:ss", json_out=True)
        self.assertEqual(out_csv["result"], out_xlsx["result"])
        r = out_csv["result"]
        # Python's reckoning from the same file
        waits = [int(row["等待秒数"]) for row in self.rows]
        k = sum(w <= 15 for w in waits)
        self.assertEqual((r["n"], r["successes"]), (ROWS, k))
        self.assertAlmostEqual(r["value"], 100 * k / ROWS, places=9)
        low, high = wilson(k, ROWS)
        self.assertAlmostEqual(r["wilson"]["low"], low, places=9)
        self.assertAlmostEqual(r["wilson"]["high"], high, places=9)
        self.assertEqual(r["pass"], 100 * k / ROWS >= 85)
        self.assertEqual(out_csv["source"]["encoding"], "GB18030")
        self.assertEqual(out_xlsx["source"]["format"], "xlsx")
        self.assertEqual(out_xlsx["source"]["sheet"], "话单")
        # the seconds column, without conversion, says the same
        c = self.assessment()
        plain = self.measure(c, "--from", self.xlsx, "--column", "等待秒数", json_out=True)
        self.assertEqual(plain["result"], r)
        # the plain text output states the result and the source
        d = self.assessment()
        text = self.measure(d, "--from", self.csv, "--column", "F", "--convert", "mm:ss").stdout
        self.assertIn("7.4.2.2 manual-answer-15s:", text)
        self.assertIn("100000 of 100000 rows used", text)

    def test_malformed_files_are_refused_with_row_and_column_and_nothing_written(self):
        a = self.assessment()
        bad = os.path.join(self.tmp, "bad-quote.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("id,wait\n1,3\n2,4\n3,12\"5\n")
        self.assert_refused(a, bad, "--column", "wait", message="bad-quote.csv: row 4, column B: a quote")
        latin = os.path.join(self.tmp, "latin1.csv")
        with open(latin, "wb") as f:
            f.write("id,name,wait\n1,Zoë,3\n".encode("utf-8") + "2,Chloé,4\n".encode("latin-1"))
        self.assert_refused(a, latin, "--column", "wait", message="latin1.csv: row 3, column 2: byte 0xE9 is neither UTF-8 nor GB18030")
        self.assert_refused(a, self.csv, "--column", "备注",
                            message="calls.csv: row 4, column “备注” (I): “客户反映\"网速慢\"，已派单” is not a number")
        self.assert_refused(a, self.csv, "--column", "等待时长",
                            message=f"row 2, column “等待时长” (F): “{self.rows[0]['等待时长']}” is not a number "
                                    "(a time like this needs the mm:ss conversion)")
        self.assert_refused(a, self.csv, "--column", "时长", message="the table has no column “时长”; its columns are “呼叫编号”")
        negative = os.path.join(self.tmp, "negative.csv")
        with open(negative, "w") as f:
            f.write("wait\n3\n-4\n")
        self.assert_refused(a, negative, "--column", "wait", message="negative.csv: row 3, column “wait” (A): sample -4")
        # an XLSX that unpacks to 48 MiB of blanks from a few dozen kilobytes: a ZIP bomb
        bomb = os.path.join(self.tmp, "bomb.xlsx")
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            with zipfile.ZipFile(self.xlsx) as real:
                for name in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                    z.writestr(name, real.read(name))
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
                block = b" " * (1 << 20)
                for _ in range(48):
                    w.write(block)
        self.assertLess(os.path.getsize(bomb), 1 << 20)
        self.assert_refused(a, bomb, "--column", "A", message="bomb.xlsx: the workbook unpacks to more than 200 times its size")
        # a sheet cut short
        cut = os.path.join(self.tmp, "cut.xlsx")
        with zipfile.ZipFile(cut, "w", zipfile.ZIP_DEFLATED) as z, zipfile.ZipFile(self.xlsx) as real:
            for name in real.namelist():
                data = real.read(name)
                z.writestr(name, data[:5000] if name.endswith("sheet1.xml") else data)
        self.assert_refused(a, cut, "--column", "A", message="cut.xlsx: the part xl/worksheets/sheet1.xml of the workbook is not well-formed XML")
        # an indicator that takes one value, a heading, a clause without samples
        self.assert_refused(a, self.csv, "--column", "等待秒数", "--indicator", "manual-answer-rate",
                            message="clause 7.4.2.2 has no indicator computed from samples")



def phrase_variants():
    """Every way the list allows each item to be said: its 或 alternatives, with and without
    the words in brackets, and item 34's two sentences on their own."""
    with open(PHRASES, encoding="utf-8") as f:
        items = [l for l in f.read().splitlines() if l and not l.startswith("#")]
    out = []
    for n, item in enumerate(items, 1):
        alternatives, start = [], 0
        for i, ch in enumerate(item):
            if ch == "或" and i > 0 and item[i - 1] in "。!?":
                alternatives.append(item[start:i])
                start = i + 1
        alternatives.append(item[start:])
        for alt in alternatives:
            if "(" in alt:
                o, c = alt.index("("), alt.index(")")
                out += [(n, alt[:o] + alt[o + 1:c] + alt[c + 1:]), (n, alt[:o] + alt[c + 1:])]
            else:
                out.append((n, alt))
        if n == 34:
            out += [(n, s + "。") for s in item.split("。") if s]
    return items, out


def agent(text):
    """An agent's line: full-width marks, 您 for 你, a space or two, words around it."""
    wide = text.replace(",", "，").replace("!", "！").replace("?", "？").replace("你", "您")
    return "嗯， " + wide[:2] + " " + wide[2:] + "那个"


class TranscriptTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attest-transcripts-")
        self.data = os.path.join(self.tmp, "data")
        self.lead = run(self.data, "identity", "create", "--name", "王芳", "--role", "assessor", "--org", "CB",
                        env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()
        self.a = run(self.data, "assessment", "create", "--standard", "CTHL", "--org", "某热线",
                     "--lead", self.lead).stdout.strip()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self, *paths, expect=0, json_out=True):
        args = []
        for p in paths:
            args += ["--transcript", p]
        return run(self.data, "measure", self.a, "1.5.9", "--by", self.lead, *args, "--wordlist", "forbidden-phrases",
                   expect=expect, json_out=json_out and expect == 0)

    def test_each_of_the_46_phrases_and_their_variants_is_found(self):
        items, variants = phrase_variants()
        self.assertEqual(len(items), 46)
        lines = [calldata.CLEAN_LINES[i % len(calldata.CLEAN_LINES)] if i % 2 == 0 else agent(v[1])
                 for i, v in enumerate(x for pair in zip(variants, variants) for x in pair)]
        path = os.path.join(self.tmp, "all.srt")
        calldata.write_srt(path, lines)
        out = self.check(path)
        f = out["source"]["files"][0]
        self.assertEqual(f["format"], "srt")
        hits = f["hits"]
        # one hit per agent line, on the item it says, at that cue's time
        self.assertEqual(f["hits_total"], len(variants))
        self.assertEqual([h["item"] for h in hits], [n for n, _ in variants])
        self.assertEqual(sorted(set(h["item"] for h in hits)), list(range(1, 47)))
        self.assertEqual(hits[0]["at"], calldata.srt_time(4000))
        self.assertEqual(hits[0]["line"], 7)
        self.assertEqual(out["result"]["value"], 1)
        self.assertFalse(out["result"]["pass"])

    def test_clean_transcripts_give_no_hits_and_several_calls_count_each(self):
        clean_srt = os.path.join(self.tmp, "clean.srt")
        clean_vtt = os.path.join(self.tmp, "clean.vtt")
        dirty_txt = os.path.join(self.tmp, "dirty.txt")
        dirty_vtt = os.path.join(self.tmp, "dirty.vtt")
        calldata.write_srt(clean_srt, calldata.CLEAN_LINES)
        calldata.write_vtt(clean_vtt, calldata.CLEAN_LINES)
        dirty = calldata.CLEAN_LINES[:3] + ["你有完没完？我也没办法！"] + calldata.CLEAN_LINES[3:]
        calldata.write_vtt(dirty_vtt, dirty)
        with open(dirty_txt, "w", encoding="gb18030") as f:
            f.write("\n".join("坐席：" + l for l in dirty) + "\n")

        out = self.check(clean_srt, clean_vtt)
        self.assertEqual(out["result"]["value"], 0)
        self.assertTrue(out["result"]["pass"])
        self.assertEqual([f["hits"] for f in out["source"]["files"]], [[], []])

        out = self.check(clean_srt, dirty_vtt, dirty_txt)
        self.assertEqual(out["result"]["value"], 2)
        self.assertEqual(out["source"]["calls"], 3)
        self.assertEqual(out["source"]["calls_with_hits"], 2)
        vtt, txt = out["source"]["files"][1], out["source"]["files"][2]
        self.assertEqual([(h["item"], h["at"]) for h in vtt["hits"]], [(9, "00:00:12.000"), (13, "00:00:12.000")])
        self.assertEqual(txt["encoding"], "GB18030")
        self.assertEqual([(h["item"], h["line"], h["at"]) for h in txt["hits"]], [(9, 4, None), (13, 4, None)])
        show = run(self.data, "assessment", "show", self.a, json_out=True)
        finding = next(f for f in show["findings"] if f["clause"] == "1.5.9")
        self.assertEqual(finding["measurements"][0]["samples"], [0, 2, 2])
        self.assertEqual(finding["measurements"][0]["value"], 2)
        self.assertEqual(len(run(self.data, "evidence", "list", self.a, json_out=True)), 4)
        text = self.check(dirty_vtt, json_out=False).stdout
        self.assertIn("00:00:12.000  #13 你有完没完?", text)

        broken = os.path.join(self.tmp, "broken.srt")
        with open(broken, "w") as f:
            f.write("1\n00:00:01,000 --> 00:00:02,000\n您好\n\n2\n00:00:03 --> 00:00:04\n再见\n")
        p = self.check(clean_srt, broken, expect=2)
        self.assertIn("broken.srt: line 6, column 1: “00:00:03 --> 00:00:04” is not an SRT timing", p.stderr)
        wrong = run(self.data, "measure", self.a, "1.5.9", "--by", self.lead, "--transcript", clean_srt,
                    "--wordlist", "no-such-list", expect=2)
        self.assertIn("has no word list “no-such-list”", wrong.stderr)
        other = run(self.data, "measure", self.a, "1.5.8", "--by", self.lead, "--transcript", clean_srt,
                    "--wordlist", "forbidden-phrases", expect=2)
        self.assertIn("clause 1.5.8 has no indicator that counts the calls", other.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
