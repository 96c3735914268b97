#!/usr/bin/python3
"""Measuring from the organisation's own data, in the window, in one language (argument: en or
zh_CN): import a call-record CSV (GB18030) onto 7.4.2.2 through Import Data…, choose a stratified
sample with a seed, see the limit evaluated live and on the clause after Import; then attest-cli
finds the measurement with its data source. Screenshots for the README."""
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import calldata  # noqa: E402
from atspi_helpers import (app_named, choose_path, click, find, press_key, screenshot_window, set_text, showing,  # noqa: E402
                           start_attest, text_of, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
PASS = "measure passphrase"
ROWS = 400

WORDS = {
    "en": {
        "org": "Northwind Telecom Co., Ltd.", "open": "Open ", "search": "Search clauses",
        "import": "Import data: Calls answered by an agent within 15 s", "chooser": "Import Data", "accept": "Open",
        "dialog": "Import Data: Calls answered by an agent within 15 s", "strata": "Strata", "seed": "Seed",
        "size": "Sample size", "outcome": "What the data gives", "would": "Would record", "rows": "100 of 400 rows",
        "button": "Import", "meets": "Meets the limit", "fails": "Fails the limit", "from": "From calls.csv",
    },
    "zh_CN": {
        "org": "北方某通信有限公司", "open": "打开 ", "search": "搜索条款",
        "import": "导入数据：人工服务15秒接通率", "chooser": "导入数据", "accept": "打开",
        "dialog": "导入数据：人工服务15秒接通率", "strata": "分层", "seed": "随机种子",
        "size": "样本量", "outcome": "数据得出的结果", "would": "将记录", "rows": "共 400 行，使用 100 行",
        "button": "导入", "meets": "符合限值", "fails": "不符合限值", "from": "来自 calls.csv",
    },
}


def cli(data_dir, *args):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
    assert p.returncode == 0, f"{args}: {p.stderr}"
    return p.stdout.strip()


def main():
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    w = WORDS[lang]
    tmp = tempfile.mkdtemp(prefix="attest-measure-ui-")
    data_dir = os.path.join(tmp, "data")
    calls = os.path.join(tmp, "calls.csv")
    calldata.write_csv(calls, ROWS)
    lead = cli(data_dir, "identity", "create", "--name", "王平" if lang == "zh_CN" else "Wang Ping", "--role", "assessor",
               "--org", "CB")
    a = cli(data_dir, "assessment", "create", "--standard", "QCS", "--org", w["org"], "--lead", lead)

    proc = start_attest(data_dir, lang)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        subprocess.run(["xdotool", "search", "--sync", "--name", "^Attest$", "windowsize", "%@", "1280", "900"], check=False)
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith(w["open"] + w["org"]))))
        search = wait_for("search", lambda: find(frame, lambda n: n.name == w["search"] and n.getRoleName() == "entry"))
        set_text(search, "7.4.2.2")
        try:
            button = wait_for("Import data…", lambda: find(frame, lambda n: (n.name or "").startswith(w["import"])
                                                           and n.getRoleName() == "push button" and showing(n)))
        except AssertionError:
            from atspi_helpers import find_all
            for n in find_all(frame, lambda n: n.getRoleName() == "push button"):
                print("DEBUG button", repr(n.name), showing(n))
            for n in find_all(frame, lambda n: "7.4.2.2" in (n.name or "")):
                print("DEBUG", n.getRoleName(), repr(n.name))
            raise
        click(button)

        # GTK's own file chooser (no portal under Xvfb): type the path
        choose_path(app, w["chooser"], calls, w["accept"])

        dialog = wait_for("import dialog", lambda: window_named(app, w["dialog"]), timeout=30)
        try:
            outcome = wait_for("live result", lambda: find(dialog, lambda n: n.getRoleName() == "label" and showing(n)
                                                           and text_of(n).startswith(w["would"])), timeout=30)
        except AssertionError:
            from atspi_helpers import find_all
            subprocess.run(["import", "-window", "root", "/tmp/wt15-debug.png"])
            for n in find_all(dialog, lambda n: n.getRoleName() in ("label", "text")):
                try:
                    print("DEBUG", n.getRoleName(), repr(n.name), repr(text_of(n)), showing(n))
                except Exception:
                    print("DEBUG", n.getRoleName(), repr(n.name))
            raise
        # every row at first: the column guessed is the first that holds numbers
        assert "400" in text_of(outcome), text_of(outcome)
        # a stratified sample of 100 by team and hour band, seed 42
        try:
            spin = wait_for("sample size", lambda: find(dialog, lambda n: (n.name or "").startswith(w["size"]) and n.getRoleName() == "spin button"), timeout=5)
        except AssertionError:
            from atspi_helpers import find_all
            for n in find_all(dialog, lambda n: "ample" in (n.name or "") or n.getRoleName() in ("spin button", "text")):
                print("DEBUG", n.getRoleName(), repr(n.name), n.childCount, [n.getChildAtIndex(i).getRoleName() for i in range(n.childCount)])
            raise
        try:
            spin.queryValue().currentValue = 100
        except Exception:
            click(spin)
            press_key("ctrl+a")
            subprocess.run(["xdotool", "type", "100"], check=True)
            press_key("Tab")
        set_text(find(dialog, lambda n: n.name == w["strata"] and n.getRoleName() == "text"), "班组, 来电时间:band")
        set_text(find(dialog, lambda n: n.name == w["seed"] and n.getRoleName() == "text"), "42")
        wait_for("the sample's result", lambda: w["rows"] in text_of(outcome))
        shown = text_of(outcome)
        screenshot_window(w["dialog"], f"import-data-{lang}")
        click(find(dialog, lambda n: (n.name or "").replace("_", "").startswith(w["button"]) and n.getRoleName() == "push button"))
        # Wait on the database, not on the window list: GTK 4.8's accessibility bridge crashes when
        # asked for the application's windows while a dialog is closing.
        def recorded():
            f = json.loads(cli(data_dir, "--json", "assessment", "show", a))["findings"]
            return any(m["source"] for x in f for m in x["measurements"])
        wait_for("measurement recorded", recorded, timeout=60)
        time.sleep(2)

        try:
            badge = wait_for("evaluated", lambda: find(frame, lambda n: n.name in (w["meets"], w["fails"]) and showing(n)))
        except AssertionError:
            from atspi_helpers import find_all
            subprocess.run(["import", "-window", "root", "/tmp/wt15-debug2.png"])
            for n in find_all(app, lambda n: "limit" in (n.name or "") or "From" in (n.name or "")):
                print("DEBUG", n.getRoleName(), repr(n.name), showing(n))
            print("DEBUG exit", proc.poll())
            raise
        wait_for("source", lambda: find(frame, lambda n: (n.name or "").startswith(w["from"]) and showing(n)))
        # down to the measurement: the wheel over the clause page
        subprocess.run(["xdotool", "mousemove", "760", "500"], check=True)
        subprocess.run(["xdotool", "click", "--repeat", "12", "--delay", "40", "5"], check=True)
        time.sleep(0.5)
        screenshot_window("Attest", f"measure-import-{lang}")

        # attest-cli finds it: 100 calls drawn with seed 42, the file as evidence
        shown_json = json.loads(cli(data_dir, "--json", "assessment", "show", a))
        f = next(x for x in shown_json["findings"] if x["clause"] == "7.4.2.2")
        m = next(x for x in f["measurements"] if x["indicator"] == "manual-answer-15s")
        r = next(x for x in f["indicator_results"] if x["indicator"] == "manual-answer-15s")
        src = m["source"]
        assert src["file"] == "calls.csv" and src["encoding"] == "GB18030", src
        assert src["sample"]["n"] == 100 and src["sample"]["seed"] == 42, src["sample"]
        assert src["sample"]["strata"] == ["班组", "来电时间:band"], src["sample"]
        assert len(m["samples"]) == 100 and r["n"] == 100, r
        # the window said what core recorded
        assert (badge.name == w["meets"]) == r["pass"], (badge.name, r)
        value = f'{r["value"]:g}'
        assert value in shown, (value, shown)
        with open(calls, encoding="gb18030", newline="") as fh:
            rows = list(csv.DictReader(fh))
        drawn = [rows[n - 2] for n in src["sample"]["rows"]]
        column = src["column"]
        expect = [int(x["等待秒数"]) if column == "等待秒数" else None for x in drawn]
        if column == "等待秒数":
            assert m["samples"] == expect, (m["samples"][:5], expect[:5])
        assert [e["original_name"] for e in shown_json["evidence"]] == ["calls.csv"], shown_json["evidence"]
        print("1 passed, 0 failed")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
