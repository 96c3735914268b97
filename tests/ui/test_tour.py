#!/usr/bin/python3
"""A tour of every view with a realistic assessment, in one language (argument: en or zh_CN):
checks that the window speaks that language — the verdict buttons, the headings, the menus —
and leaves a screenshot of each view for the README (ATTEST_SCREENSHOT_DIR)."""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from atspi_helpers import (app_named, click, find, press_key, screenshot_window, set_text,  # noqa: E402
                           showing, start_attest, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
PASS = "tour passphrase"

WORDS = {
    "en": {
        "org": "Northwind Telecom Co., Ltd.", "verdicts": ["Conform", "Partially conform", "Nonconform", "Not applicable"],
        "verdict_heading": "Verdict", "search": "Search clauses", "open": "Open ", "menu": "Assessment menu",
        "ncs_item": "Nonconformities…", "ncs_title": "Nonconformities — ", "catalogs": "Catalogs",
        "export": "Export Report", "cancel": "Cancel", "main_menu": "Main menu", "dark": "Dark",
        "fails": "Fails the limit", "measurements": "Measurements", "welcome": "Who Are You?",
        "new": "New Assessment", "raise": "Raise Nonconformity", "organisation": "Organisation", "language": "Language",
        "recheck": "Recheck", "follow_up": "Follow-up", "assessments": "Assessments", "queue": "Recheck queue",
        "desk": "Follow-up desk", "more": "More for {}", "show_gaps": "Show Gaps", "gaps_title": "Gaps — {}",
        "unicom": "East China Unicom Branch", "city_unicom": "City Unicom Branch", "own": "Province Mobile Co.",
        "history": "Zhao Min attached escalation-roster.png", "working_as": "Working as ", "lead": "Wang Ping",
    },
    "zh_CN": {
        "org": "北方某通信有限公司", "verdicts": ["符合", "部分符合", "不符合", "不适用"],
        "verdict_heading": "评价结论", "search": "搜索条款", "open": "打开 ", "menu": "评价菜单",
        "ncs_item": "不符合项(_N)…", "ncs_title": "不符合项——", "catalogs": "标准目录",
        "export": "导出报告", "cancel": "取消", "main_menu": "主菜单", "dark": "深色(_D)",
        "fails": "不符合限值", "measurements": "测量", "welcome": "您是谁？",
        "new": "新建评价", "raise": "提出不符合项", "organisation": "受评组织", "language": "语言",
        "recheck": "复核", "follow_up": "整改跟踪", "assessments": "评价", "queue": "复核队列",
        "desk": "整改跟踪台", "more": "{}的更多操作", "show_gaps": "查看差距", "gaps_title": "差距——{}",
        "unicom": "华东某联通分公司", "city_unicom": "某市联通分公司", "own": "某省移动公司",
        "history": "赵敏 附上了 整改排班表.png", "working_as": "当前身份：", "lead": "王平",
    },
}


def cli(data_dir, *args):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
    assert p.returncode == 0, f"{args}: {p.stderr}"
    return p.stdout.strip()


def plain(label):
    """A menu label as read aloud: without its mnemonic (“_N”, “(_N)”)."""
    return re.sub(r"\(_?[A-Za-z]\)", "", label or "").replace("_", "")


def scroll(clicks):
    """Turns the mouse wheel over the clause page."""
    subprocess.run(["xdotool", "mousemove", "760", "500"], check=True)
    subprocess.run(["xdotool", "click", "--repeat", str(clicks), "--delay", "40", "5"], check=True)


def click_at(node):
    """Clicks the middle of a row's header: GTK 4.8 gives it no AT-SPI action to expand it."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    subprocess.run(["xdotool", "mousemove", str(e.x + min(60, e.width // 2)), str(e.y + e.height // 2), "click", "1"],
                   check=True)


def desks(app, frame, w, lang):
    """The reviewer's queue, the follow-up desk with its overdue nonconformity open, and the gap view
    of the self-assessment."""
    def tab(name):
        return wait_for("tab " + name, lambda: find(frame, lambda n: n.getRoleName() == "page tab" and n.name == name))

    # the lead is also a reviewer: the queue says which assessment he may recheck and which not
    current = wait_for("identity button", lambda: find(frame, lambda n: (n.name or "").startswith(w["working_as"])
                                                       and showing(n)))
    if current.name != w["working_as"] + w["lead"]:
        click(current)
        click(wait_for("the lead in the menu", lambda: find(current, lambda n: (n.name or "").startswith(w["lead"])
                                                            and n.getRoleName() in ("menu item", "radio menu item",
                                                                                    "check menu item", "push button"))))
        wait_for("working as the lead", lambda: find(frame, lambda n: n.name == w["working_as"] + w["lead"] and showing(n)))

    click(tab(w["recheck"]))
    queue = wait_for("queue", lambda: find(frame, lambda n: n.name == w["queue"] and showing(n)))
    wait_for("queued", lambda: find(queue, lambda n: n.name == w["unicom"] and showing(n)))
    screenshot_window("Attest", f"recheck-queue-{lang}")

    click(tab(w["follow_up"]))
    desk = wait_for("desk", lambda: find(frame, lambda n: n.name == w["desk"] and showing(n)))
    row = wait_for("overdue row", lambda: find(desk, lambda n: n.getRoleName() == "list item"
                                               and (n.name or "").startswith(w["unicom"]) and showing(n)))
    click_at(row)
    wait_for("history", lambda: find(desk, lambda n: n.name == w["history"] and showing(n)))
    screenshot_window("Attest", f"follow-up-{lang}")

    click(tab(w["assessments"]))
    more = wait_for("row menu", lambda: find(frame, lambda n: n.name == w["more"].format(w["own"]) and showing(n)))
    click(more)
    click(wait_for("gaps item", lambda: find(more, lambda n: plain(n.name).startswith(w["show_gaps"])
                                             and n.getRoleName() in ("menu item", "push button"))))
    title = w["gaps_title"].format(w["own"])
    gaps = wait_for("gap window", lambda: window_named(app, title))
    chapter = wait_for("a chapter with gaps", lambda: find(gaps, lambda n: n.getRoleName() == "list item"
                                                           and (n.name or "").startswith("2 ") and showing(n)))
    click_at(chapter)
    wait_for("its gaps", lambda: find(gaps, lambda n: (n.name or "").startswith("2.3 ") and showing(n)))
    screenshot_window(title, f"gaps-{lang}")
    press_key("Escape")
    wait_for("gap window closed", lambda: window_named(app, title) is None)


def prepare(tmp, data_dir, lang):
    """An assessment half-way through a site visit: verdicts, measurements, photos, two NCs."""
    zh = lang == "zh_CN"
    lead = cli(data_dir, "identity", "create", "--name", "王平" if zh else "Wang Ping", "--role", "assessor", "--role", "reviewer",
               "--org", "中国质量认证中心" if zh else "China Quality Certification Centre")
    member = cli(data_dir, "identity", "create", "--name", "李娜" if zh else "Li Na", "--role", "assessor",
                 "--org", "中国质量认证中心" if zh else "China Quality Certification Centre")
    a = cli(data_dir, "assessment", "create", "--standard", "QCS", "--org", WORDS[lang]["org"], "--lead", lead,
            "--team", member, "--address", "北京市西城区金融大街 1 号" if zh else "1 Finance Street, Beijing",
            "--scope", "移动、宽带及政企业务" if zh else "Mobile, broadband and enterprise services",
            "--site", "省会营业厅" if zh else "Head office hall", "--site", "10000 客服热线中心" if zh else "10000 hotline centre",
            "--start", "2026-12-01", "--end", "2026-12-03")
    conform = ["4.a", "4.b", "4.c", "4.d", "4.e", "4.f", "5.1.2", "5.2.1", "5.2.2", "6.1.1", "6.1.2", "6.2.1",
               "6.3.1.1", "6.3.1.2", "7.1.1", "7.1.2.1", "7.1.3.1"]
    for i, clause in enumerate(conform):
        cli(data_dir, "finding", "set", a, clause, "--by", lead if i % 2 else member, "--verdict", "conform",
            "--method", "document", "--method", "observation", "--note", "已核查，符合要求" if zh else "Checked on site")
    cli(data_dir, "finding", "set", a, "5.1.1", "--by", lead, "--verdict", "partial", "--method", "document",
        "--indicator", "village-coverage", "--value", "97.2", "--note",
        "行政村 5G/4G 覆盖率 97.2%，略低于 98%" if zh else "Village 5G/4G coverage is 97.2 %, below 98 %")
    samples = []
    for s in ["6", "9", "12", "8", "22", "7", "14", "31", "10", "5", "13", "18", "9", "11", "26", "8", "15", "12", "40", "9"]:
        samples += ["--sample", s]
    cli(data_dir, "finding", "set", a, "7.4.2.2", "--by", lead, "--verdict", "nonconform", "--method", "demonstration",
        "--note", "抽取 20 通转人工来电" if zh else "20 calls that asked for an agent, sampled from the call records", *samples)
    for i, (name, spec) in enumerate([("queue-display.jpg", "plasma:skyblue-navy"), ("service-desk.jpg", "plasma:wheat-sienna"),
                                      ("hotline-wallboard.jpg", "plasma:palegreen-darkgreen")]):
        path = os.path.join(tmp, name)
        subprocess.run(["convert", "-seed", str(7 + i), "-size", "800x600", spec, "-blur", "0x2", path], check=True)
        cli(data_dir, "evidence", "add", a, path, "--by", lead, "--clause", "7.4.2.2", "--kind", "photo")
    rota = os.path.join(tmp, "坐席排班表.txt" if zh else "agent-rota.txt")
    with open(rota, "w") as f:
        f.write("08:00-20:00 12 agents\n20:00-08:00 4 agents\n")
    cli(data_dir, "evidence", "add", a, rota, "--by", lead, "--clause", "7.4.2.2")
    cli(data_dir, "nc", "add", a, "7.4.2.2", "--by", lead, "--grade", "minor",
        "--text", "抽样 20 通来电中 15 秒内人工接通 15 通（75%），低于 85% 的要求" if zh else
        "15 of 20 sampled calls (75 %) were answered by an agent within 15 s, below the 85 % required",
        "--suggestion", "高峰时段增加坐席，按周复核排班与接通率" if zh else "Add agents at peak hours; review the rota and the answer rate weekly",
        "--due", "2027-03-31")
    cli(data_dir, "nc", "add", a, "5.1.1", "--by", lead, "--grade", "observation",
        "--text", "部分行政村覆盖率低于 98%" if zh else "Coverage in some administrative villages is below 98 %",
        "--suggestion", "制定补盲建设计划" if zh else "Plan infill sites for the villages below the limit")
    # more, so the list looks like a certification body's: a fresh one, two waiting for their recheck
    # (one the lead's own), and a self-assessment half way
    cli(data_dir, "assessment", "create", "--standard", "CTHL", "--org", "某市电信分公司" if zh else "City Telecom Branch",
        "--lead", lead, "--scope", "10000 号客服热线" if zh else "10000 customer hotline")
    org = cli(data_dir, "identity", "create", "--name", "赵敏" if zh else "Zhao Min", "--role", "organisation",
              "--org", "某省移动公司" if zh else "Province Mobile Co.")
    own = cli(data_dir, "assessment", "create", "--standard", "CMCS", "--kind", "self", "--org", WORDS[lang]["own"],
              "--lead", org)
    for clause, verdict in [("1.5", "conform"), ("2.1", "conform"), ("2.2", "conform"), ("2.3", "nonconform"),
                            ("2.4", "partial"), ("2.5", "conform"), ("2.6", "partial"), ("A.1", "conform"),
                            ("A.2.1", "na"), ("A.2.2", "conform")]:
        cli(data_dir, "finding", "set", own, clause, "--by", org, "--verdict", verdict)
    cucs = ["1.2.%d" % i for i in range(1, 18)]
    today = datetime.date.today()
    unicom = cli(data_dir, "assessment", "create", "--standard", "CUCS", "--org", WORDS[lang]["unicom"], "--lead", member,
                 "--scope", "10010 客服热线" if zh else "10010 customer hotline")
    for clause in cucs:
        cli(data_dir, "finding", "set", unicom, clause, "--by", member,
            "--verdict", {"1.2.5": "nonconform", "1.2.9": "partial"}.get(clause, "conform"))
    late = cli(data_dir, "nc", "add", unicom, "1.2.5", "--by", member, "--grade", "major",
               "--text", "晚间升级投诉无人值守，抽查 6 晚中 4 晚无人接听" if zh else
               "Nobody staffs the escalation line in the evening: 4 of 6 sampled evenings went unanswered",
               "--suggestion", "排定晚间升级坐席并由热线经理签字确认" if zh else "Roster evening agents for escalations, signed by the hotline manager",
               "--due", (today - datetime.timedelta(days=12)).isoformat())
    cli(data_dir, "nc", "add", unicom, "1.2.9", "--by", member, "--grade", "minor",
        "--text", "停机通知未提前 24 小时发送" if zh else "Suspension notices were not sent 24 hours ahead",
        "--suggestion", "在计费系统中设置提前通知" if zh else "Schedule the notice in the billing system",
        "--due", (today + datetime.timedelta(days=45)).isoformat())
    cli(data_dir, "assessment", "submit", unicom, "--by", member)
    roster = os.path.join(tmp, "整改排班表.png" if zh else "escalation-roster.png")
    subprocess.run(["convert", "-size", "640x400", "gradient:white-lightsteelblue", roster], check=True)
    cli(data_dir, "nc", "respond", late, "--by", org, "--evidence", roster,
        "--text", "自 11 月起晚间安排 2 名升级坐席，排班表经热线经理签字" if zh else
        "Two escalation agents every evening since November; the rota is signed by the hotline manager")
    cli(data_dir, "review", "comment", unicom, *cucs[:4], *cucs[5:9], "--by", lead, "--agree")
    cli(data_dir, "review", "comment", unicom, "1.2.5", "--by", lead, "--query",
        "--text", "抽查的是哪几晚？请附通话记录" if zh else "Which evenings were sampled? Attach the call records")
    city = cli(data_dir, "assessment", "create", "--standard", "CUCS", "--org", WORDS[lang]["city_unicom"], "--lead", lead)
    for clause in cucs:
        cli(data_dir, "finding", "set", city, clause, "--by", lead, "--verdict", "conform")
    cli(data_dir, "assessment", "submit", city, "--by", lead)
    return a


def main():
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    w = WORDS[lang]
    tmp = tempfile.mkdtemp(prefix="attest-tour-")
    data_dir = os.path.join(tmp, "data")
    prepare(tmp, data_dir, lang)
    # first of all, the first run: who are you?
    proc = start_attest(os.path.join(tmp, "empty"), lang)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        subprocess.run(["xdotool", "search", "--sync", "--name", "^Attest$", "windowsize", "%@", "1280", "900"], check=False)
        wait_for("welcome", lambda: find(frame, lambda n: n.name == w["welcome"] and showing(n)))
        screenshot_window("Attest", f"welcome-{lang}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    proc = start_attest(data_dir, lang)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        # the whole screen: more of each page in the README's pictures
        subprocess.run(["xdotool", "search", "--sync", "--name", "^Attest$", "windowsize", "%@", "1280", "900"], check=False)
        wait_for("the assessment listed", lambda: find(frame, lambda n: (n.name or "").startswith(w["open"] + w["org"])))
        screenshot_window("Attest", f"assessments-{lang}")
        desks(app, frame, w, lang)
        press_key("ctrl+n")
        dialog = wait_for("new assessment", lambda: window_named(app, w["new"]))
        set_text(wait_for("organisation", lambda: find(dialog, lambda n: n.name == w["organisation"] and n.getRoleName() == "text")),
                 w["org"])
        screenshot_window(w["new"], f"new-assessment-{lang}")
        press_key("Escape")
        wait_for("dialog closed", lambda: window_named(app, w["new"]) is None)

        click(find(frame, lambda n: (n.name or "").startswith(w["open"] + w["org"])))
        search = wait_for("search", lambda: find(frame, lambda n: n.name == w["search"] and n.getRoleName() == "entry"))
        set_text(search, "7.4.2.2")
        wait_for("7.4.2.2", lambda: find(frame, lambda n: n.name == "7.4.2.2" and n.getRoleName() == "label"
                                         and n.parent and n.parent.childCount == 2 and showing(n)))
        # the window speaks the language: verdicts, headings
        for name in w["verdicts"]:
            assert find(frame, lambda n: n.name == name and n.getRoleName() in ("toggle button", "push button") and showing(n)), name
        assert find(frame, lambda n: n.name == w["verdict_heading"] and showing(n)), w["verdict_heading"]
        assert find(frame, lambda n: n.name == w["fails"] and showing(n)), "the failing share is shown"
        set_text(search, "")
        screenshot_window("Attest", f"clause-{lang}")

        # further down the page: measurements, then evidence and nonconformities
        # (GTK 4.8 cannot scroll or focus through AT-SPI here: the mouse wheel does it)
        scroll(8)
        screenshot_window("Attest", f"measurements-{lang}")
        scroll(20)
        screenshot_window("Attest", f"evidence-{lang}")

        # a nonconformity, prefilled from the failing measurement
        press_key("ctrl+shift+n")
        wait_for("raise dialog", lambda: window_named(app, w["raise"]))
        screenshot_window(w["raise"], f"raise-nonconformity-{lang}")
        press_key("Escape")
        wait_for("raise dialog closed", lambda: window_named(app, w["raise"]) is None)

        # the nonconformities of the assessment
        click(find(frame, lambda n: n.name == w["menu"] and showing(n)))
        click(wait_for("menu item", lambda: find(app, lambda n: plain(n.name).startswith(plain(w["ncs_item"]))
                                                 and n.getRoleName() in ("menu item", "push button"))))
        ncs = wait_for("nonconformities window", lambda: window_named(app, w["ncs_title"] + w["org"]))
        screenshot_window(w["ncs_title"] + w["org"], f"nonconformities-{lang}")
        press_key("Escape")

        # the catalogs
        press_key("ctrl+k")
        catalogs = wait_for("catalogs", lambda: window_named(app, w["catalogs"]))
        set_text(wait_for("catalog search", lambda: find(catalogs, lambda n: n.name == w["search"] and n.getRoleName() == "entry")), "7.4.2.2")
        screenshot_window(w["catalogs"], f"catalogs-{lang}")
        press_key("Escape")
        assert ncs is not None

        # the report: the file first, then language and kind (a draft: nothing is approved yet)
        press_key("ctrl+e")
        chooser = wait_for("report file", lambda: window_named(app, w["export"]))
        name = wait_for("name field", lambda: find(chooser, lambda n: n.getRoleName() == "text" and showing(n)))
        set_text(name, os.path.join(tmp, "report.pdf"))
        press_key("Return")
        wait_for("report dialog", lambda: window_named(app, w["export"], having=lambda n: n.name == w["language"]))
        screenshot_window(w["export"], f"export-report-{lang}")
        press_key("Escape")

        if lang == "en":
            click(find(frame, lambda n: n.name == w["main_menu"] and showing(n)))
            click(wait_for("dark", lambda: find(app, lambda n: plain(n.name) == plain(w["dark"])
                                                and n.getRoleName() in ("radio menu item", "check menu item", "menu item", "push button"))))
            screenshot_window("Attest", f"clause-dark-{lang}")
        print("1 passed, 0 failed")
    except Exception:
        screenshot_window("Attest", f"failure-tour-{lang}")
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
