#!/usr/bin/python3
"""The signed certificate report through attest-cli, judged by outside tools: pdfsig (both
signatures valid, the last covering the whole document), qpdf --check, pdffonts (every font
embedded), pdftotext (the content; every page of a draft watermarked; no word outside the
margins, with very long notes and names) — the workflow's refusals, and one changed byte that
pdfsig and attest-cli verify both find.

Every attest-cli start costs a second or two (it syncs the bundled catalogs), so the records
are made once for the whole class and independent commands run side by side."""
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "report passphrase 7"
MARGIN_X = 56.7     # the report's left and right margins (AT_PDF_MARGIN_X)
EDGE = 28.3         # 10 mm: nothing — header, footer, watermark — comes closer to the edge

ORG = ("超长名称的示例电信股份有限公司华东区域分公司客户服务中心 Extremely Long Name Telecommunications " * 3).strip()
NOTE = ("晚班话务高峰期间座席排班不足，现场观察到多次排队超过三十秒的情况，"
        "Evening peak staffing was short and callers queued for more than thirty seconds. ") * 25 + "X" * 300
REVIEWER = ("Maximilian-Alexander von Wolkenstein-Trostburg 王 " * 3).strip()
NC_TEXT = "晚班时段 15 秒内接通的比例为 80%，低于标准要求的 85%。The evening share answered within 15 s is 80 %."
NC_SUGGESTION = "在 18:00–22:00 增加两名座席，并每周复核接通率。Add two agents on the evening shift and review weekly."
CONCLUSION = "记录与证据充分，结论可信；NC-1 的整改措施待跟踪验证。Records and evidence are sufficient."
SELF_NOTE = "自查发现礼貌用语不规范。"


def tool(name):
    return shutil.which(name) is not None


def run(*argv, check=True):
    p = subprocess.run(list(argv), capture_output=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"{argv} exited {p.returncode}\n{p.stderr.decode(errors='replace')}")
    return p


def text_of(pdf, *extra):
    return run("pdftotext", "-enc", "UTF-8", *extra, pdf, "-").stdout.decode()


def body_text_of(pdf):
    """The text between header and footer, so a note running over pages reads on."""
    return text_of(pdf, "-x", "0", "-y", "60", "-W", "596", "-H", "720")


def squash(text):
    return re.sub(r"\s+", "", text)


def png(path, w=48, h=32, rgb=(40, 90, 200)):
    """A small valid PNG, written by hand (no imaging module on the test machines)."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Cli:
    def __init__(self, data):
        self.data = data

    def start(self, *args, env=None):
        full_env = dict(os.environ, ATTEST_PASSPHRASE=PASS)
        full_env.update(env or {})
        return subprocess.Popen([CLI, "--data-dir", self.data] + list(args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=full_env)

    def wait(self, p, args, expect):
        out, err = p.communicate(timeout=180)
        if p.returncode != expect:
            raise AssertionError(f"{args} exited {p.returncode}, expected {expect}\nstdout: {out}\nstderr: {err}")
        return out, err

    def __call__(self, *args, expect=0, env=None):
        return self.wait(self.start(*args, env=env), args, expect)

    def many(self, *calls):
        """Independent commands side by side: each call is (args, expect) or args."""
        calls = [c if isinstance(c, tuple) and isinstance(c[-1], int) else (c, 0) for c in calls]
        started = [(self.start(*args), args, expect) for args, expect in calls]
        return [self.wait(p, args, expect) for p, args, expect in started]


@unittest.skipUnless(tool("pdftotext") and tool("pdfsig") and tool("qpdf") and tool("pdffonts"),
                     "poppler-utils (pdfsig, pdftotext, pdffonts) and qpdf are needed to judge the reports")
class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-report-cli-")
        cls.cli = cli = Cli(os.path.join(cls.tmp, "data"))
        cls.passfile = os.path.join(cls.tmp, "pass")
        with open(cls.passfile, "w") as f:
            f.write(PASS + "\n")
        cli("standards", "import", os.path.join(SRC, "tests", "data", "mini.json"))

        ids = cli.many(("identity", "create", "--name", "李评价 Li Assessor", "--role", "assessor", "--org", "华信认证中心"),
                       ("identity", "create", "--name", REVIEWER, "--role", "reviewer", "--org", "独立专家库"),
                       ("identity", "create", "--name", "陈签发 Chen Issuer", "--role", "issuer",
                        "--org", "华信通信服务认证中心 Huaxin Communication Service Certification Centre"),
                       ("identity", "create", "--name", "刘组织 Liu", "--role", "organisation", "--org", "示例电信"))
        cls.lead, cls.reviewer, cls.issuer, cls.org = (out.strip() for out, _ in ids)

        made = cli.many(("assessment", "create", "--standard", "MINI", "--org", ORG, "--lead", cls.lead,
                         "--scope", "全国客服热线人工服务 · Customer hotline agents", "--site", "上海浦东客服中心",
                         "--site", "Xuhui retail store"),
                        ("assessment", "create", "--standard", "MINI", "--org", "Draft Org", "--lead", cls.lead),
                        ("assessment", "create", "--standard", "MINI", "--org", "示例电信 Example Telecom",
                         "--lead", cls.org, "--kind", "self"))
        cls.a, cls.draft, cls.self_a = (out.strip() for out, _ in made)

        a = cls.a
        photo = os.path.join(cls.tmp, "counter.png")
        png(photo)
        broken = os.path.join(cls.tmp, "broken.jpg")
        with open(broken, "wb") as f:
            f.write(b"\xff\xd8\xff\xe0 not a JPEG at all")
        samples = []
        for s in (3, 8, 12, 14, 16, 22, 5, 9, 11, 30):
            samples += ["--sample", str(s)]
        cli("finding", "set", a, "1.1", "--by", cls.lead, "--verdict", "partial", "--method", "document",
            "--method", "demonstration", "--note", NOTE, "--indicator", "answer-15s", *samples)
        cli.many(("finding", "set", a, "1.2", "--by", cls.lead, "--verdict", "conform", "--method", "observation",
                  "--note", "营业厅服务人员礼貌用语规范。"),
                 ("finding", "set", cls.self_a, "1.2", "--by", cls.org, "--verdict", "nonconform", "--note", SELF_NOTE))
        cli("nc", "add", a, "1.1", "--by", cls.lead, "--grade", "minor", "--text", NC_TEXT,
            "--suggestion", NC_SUGGESTION, "--due", "2030-06-30")
        cli("evidence", "add", a, photo, "--by", cls.lead, "--clause", "1.2", "--kind", "photo", "--note", "服务台")
        cli("evidence", "add", a, broken, "--by", cls.lead, "--clause", "1.1", "--kind", "photo")
        cli("assessment", "submit", a, "--by", cls.lead)
        cli("review", a, "--by", cls.reviewer, "--approve", "--conclusion", CONCLUSION)
        cli("certificate", "issue", a, "--by", cls.issuer)

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("ATTEST_KEEP_TEST_OUTPUT"):
            print(f"kept {cls.tmp}")
        else:
            shutil.rmtree(cls.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def has_verify(self):
        p = subprocess.run([CLI, "--data-dir", self.cli.data, "verify", self.path("nothing.pdf")],
                           capture_output=True, text=True, timeout=60)
        return "unknown command" not in p.stderr

    def assert_margins(self, pdf):
        html = text_of(pdf, "-bbox")
        words = re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>', html)
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
        width, height = float(page.group(1)), float(page.group(2))
        self.assertGreater(len(words), 100)
        for x0, y0, x1, y1, word in words:
            x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
            watermark = word and set(word) <= set("DRAFT草稿")
            left, right = (EDGE, width - EDGE) if watermark else (MARGIN_X - 1, width - MARGIN_X + 1)
            self.assertTrue(left <= x0 and x1 <= right and EDGE <= y0 and y1 <= height - EDGE,
                            f"{pdf}: “{word}” at ({x0}, {y0})–({x1}, {y1}) is outside the margins")

    def assert_fonts_embedded(self, pdf):
        lines = run("pdffonts", pdf).stdout.decode().splitlines()[2:]
        self.assertTrue(lines, "no fonts")
        for line in lines:
            # name type [type] encoding emb sub uni object-number generation: emb is fifth from the end
            self.assertEqual(line.split()[-5], "yes", f"font not embedded: {line}")

    def pages(self, pdf):
        m = re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf).stdout.decode())
        return int(m.group(1))

    def flip_a_signed_byte(self, pdf, out):
        with open(pdf, "rb") as f:
            data = bytearray(f.read())
        # inside a stream (page content or font) a third of the way in: the structure stays intact
        at = data.index(b"stream\n", len(data) // 3) + 200
        data[at] ^= 0x01
        with open(out, "wb") as f:
            f.write(data)

    # ---------------------------------------------------------------------------------------

    def test_certified_report_signed_twice(self):
        cli, a = self.cli, self.a
        zh, en = self.path("report-zh.pdf"), self.path("report-en.pdf")

        # the issuer does not sign first; a wrong passphrase is named; nothing is written
        (_, refused), (_, wrong) = cli.many((("report", a, "-o", zh, "--by", self.issuer), 3),
                                            (("report", a, "-o", zh, "--by", self.reviewer, "--passphrase-file",
                                              os.devnull), 2))
        self.assertIn("before the reviewer", refused)
        self.assertIn("the passphrase is wrong", wrong)
        self.assertFalse(os.path.exists(zh))

        cli.many(("report", a, "-o", zh, "--lang", "zh_CN", "--by", self.reviewer, "--passphrase-file", self.passfile),
                 ("report", a, "-o", en, "--lang", "en", "--by", self.reviewer))
        _, not_yours = cli("report", "sign", zh, "--by", self.reviewer, expect=3)
        cli("report", "sign", zh, "--by", self.issuer)
        cli("report", "sign", zh, "--by", self.issuer, expect=3)

        sig = run("pdfsig", zh).stdout.decode()
        self.assertEqual(sig.count("Signature is Valid."), 2, sig)
        blocks = sig.split("Signature #")
        self.assertIn("Not total document signed", blocks[1])
        self.assertIn("Total document signed", blocks[2])
        self.assertIn("SHA-256", blocks[2])
        for pdf in (zh, en):
            check = run("qpdf", "--check", pdf, check=False)
            self.assertEqual(check.returncode, 0, check.stdout.decode() + check.stderr.decode())
            self.assertIn("No syntax or stream encoding errors", check.stdout.decode())
            self.assert_fonts_embedded(pdf)
            # very long notes, organisation and reviewer names: wrapped, never off the page
            self.assert_margins(pdf)
            text = squash(text_of(pdf))
            for needle in (ORG, "1.1", "1.2", NC_TEXT, NC_SUGGESTION, CONCLUSION, "NC-1", REVIEWER):
                self.assertIn(squash(needle), text, needle)
            self.assertIn(squash(NOTE), squash(body_text_of(pdf)))
            self.assertNotIn("DRAFT", text)
        self.assertIn("认证证书", squash(text_of(zh)).replace(" ", ""))
        self.assertIn("CertificateofConformity", squash(text_of(en)))
        self.assertEqual(run("pdfsig", en).stdout.decode().count("Signature is Valid."), 1)

        tampered = self.path("tampered.pdf")
        self.flip_a_signed_byte(zh, tampered)
        self.assertNotIn("Signature is Valid.", run("pdfsig", tampered, check=False).stdout.decode())
        # the issuer does not sign a tampered report
        cli("report", "sign", tampered, "--by", self.issuer, expect=2)
        if not self.has_verify():
            self.skipTest("“attest-cli verify FILE.pdf” is not there yet (src/cli/at-cli-verify.c): "
                          "the reports were judged by pdfsig only")
        cli.many(("verify", zh), (("verify", tampered), 2))

    def test_drafts_any_state_every_page_watermarked(self):
        cli = self.cli
        en, zh = self.path("draft-en.pdf"), self.path("draft-zh.pdf")
        results = cli.many(("report", self.draft, "-o", en, "--lang", "en"),
                           ("report", self.draft, "-o", zh, "--lang", "zh_CN"),
                           (("report", self.draft, "-o", self.path("x.pdf"), "--by", self.reviewer), 3))
        self.assertIn("recheck", results[2][1])
        for pdf, word in ((en, "DRAFT"), (zh, "草稿")):
            n = self.pages(pdf)
            self.assertGreaterEqual(n, 2)
            for page in range(1, n + 1):
                raw = squash(text_of(pdf, "-raw", "-f", str(page), "-l", str(page)))
                self.assertIn(word, raw, f"page {page} of {pdf} is not watermarked")
            self.assertNotIn("Signature #", run("pdfsig", pdf, check=False).stdout.decode())
            self.assert_margins(pdf)
            self.assert_fonts_embedded(pdf)
        # a draft is not signed afterwards either
        _, err = cli("report", "sign", en, "--by", self.reviewer, expect=3)
        self.assertIn("draft", err)

    def test_self_assessment(self):
        cli = self.cli
        zh, en = self.path("self-zh.pdf"), self.path("self-en.pdf")
        results = cli.many((("report", self.self_a, "-o", zh, "--by", self.lead), 3),
                           ("report", self.self_a, "-o", en, "--lang", "en", "--draft"))
        self.assertIn("organisation role", results[0][1])
        cli("report", self.self_a, "-o", zh, "--lang", "zh_CN", "--by", self.org)
        sig = run("pdfsig", zh).stdout.decode()
        self.assertEqual(sig.count("Signature is Valid."), 1, sig)
        self.assertIn("Total document signed", sig)
        text = squash(text_of(zh))
        self.assertIn("自评报告", text)
        self.assertNotIn("认证证书", text)
        self.assertIn(SELF_NOTE, text)
        self.assertIn("Self-assessmentreport", squash(text_of(en)))

    def test_bad_input(self):
        cli, out = self.cli, self.path("r.pdf")
        not_pdf = self.path("not.pdf")
        with open(not_pdf, "w") as f:
            f.write("hello")
        cli.many((("report", self.draft, "-o", out, "--lang", "fr"), 2),
                 (("report", "no-such-assessment", "-o", out), 2),
                 (("report", self.draft), 1),
                 (("report", self.draft, "-o", out, "--draft", "--by", self.lead), 1),
                 (("report", "sign", not_pdf, "--by", self.lead), 2),
                 (("report", "sign", self.path("missing.pdf"), "--by", self.lead), 2))
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
