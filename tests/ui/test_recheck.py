#!/usr/bin/python3
"""The recheck clause by clause, in the real window, through AT-SPI (issue 11).

The reviewer opens a submitted assessment, is told the independence rule, agrees clauses (with
the button and with Ctrl+Shift+A), queries one with a comment and returns the assessment; the
lead sees the query on its clause, answers it, changes the note and resubmits; the reviewer sees
what changed, agrees and approves. `assessment show --json` then has the comments and two rounds.
With ATTEST_SCREENSHOT_DIR set, the reviewer's desk is photographed for the README.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.path.insert(0, os.path.dirname(__file__))
from atspi_helpers import (app_named, click, find, find_all, press_key, screenshot, set_text, showing,  # noqa: E402
                           start_attest, text_of, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "recheck ui passphrase"
LANG = sys.argv[1] if len(sys.argv) > 1 else "en"
ZH = LANG == "zh_CN"


def T(en, zh):
    return zh if ZH else en


def cli(data_dir, *args, expect=0):
    env = dict(os.environ, ATTEST_PASSPHRASE=PASS, LC_ALL="C.UTF-8")
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == expect, f"{args}: {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p.stdout


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def show(data_dir, a):
    return json.loads(cli(data_dir, "--json", "assessment", "show", a))


def button(frame, label):
    return find(frame, lambda n: n.getRoleName() == "push button" and label in (n.name or "") and showing(n))


def switch_to(app, frame, current, other):
    click(wait_for("identity button", lambda: find(frame, lambda n: n.name == T(f"Working as {current}", f"当前身份：{current}")
                                                   and showing(n))))
    click(wait_for(other, lambda: find(app, lambda n: (n.name or "").startswith(other)
                                       and n.getRoleName() in ("menu item", "radio menu item", "check menu item", "push button"))))
    wait_for(f"working as {other}", lambda: find(frame, lambda n: n.name == T(f"Working as {other}", f"当前身份：{other}") and showing(n)))


def sign(app, title, passphrase=PASS):
    dialog = wait_for(title, lambda: window_named(app, title))
    field = wait_for("passphrase", lambda: find(dialog, lambda n: n.getRoleName() in ("password text", "text")
                                                and n.name == T("Passphrase of your key", "您的密钥口令")))
    set_text(field, passphrase)
    return dialog


def text_view(frame, name):
    return wait_for(name, lambda: find(frame, lambda n: n.name == name and n.getRoleName() == "text" and showing(n)))


def selected_clause(frame):
    """The clause selected in the checklist: its row's accessible name starts with its number."""
    row = find(frame, lambda n: n.getRoleName() in ("list item", "list box row") and showing(n)
               and n.getState().contains(pyatspi.STATE_SELECTED) and (n.name or "").startswith("1."))
    return row.name.split(" ")[0] if row else None


def progress(frame, text):
    return wait_for(f"progress {text}", lambda: find(frame, lambda n: n.name == text and showing(n)))


def main():
    tmp = tempfile.mkdtemp(prefix="attest-recheck-ui-")
    data = os.path.join(tmp, "data")
    cli(data, "standards", "import", os.path.join(SRC, "tests", "data", "desk.json"))
    lead = cli(data, "identity", "create", "--name", "Lena Lead", "--role", "assessor", "--org", "Huaxin").strip()
    reviewer = cli(data, "identity", "create", "--name", "Rita Reviewer", "--role", "reviewer", "--org", "Experts").strip()
    a = cli(data, "assessment", "create", "--standard", "DESK", "--org", "Northwind Telecom", "--lead", lead).strip()
    for clause in ("1.1", "1.2", "1.4", "1.5"):
        cli(data, "finding", "set", a, clause, "--by", lead, "--verdict", "conform", "--note", "Seen on site")
    cli(data, "finding", "set", a, "1.3", "--by", lead, "--verdict", "partial", "--note", "Evening shift sampled",
        "--indicator", "answer-15s", "--sample", "4", "--sample", "21", "--sample", "9")
    cli(data, "assessment", "submit", a, "--by", lead)

    proc = start_attest(data, LANG)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        switch_to(app, frame, "Lena Lead", "Rita Reviewer")
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith(T("Open Northwind", "打开 Northwind")))))

        # the independence rule comes first, with core's answer for this person
        rule = wait_for("independence rule", lambda: window_named(app, T("Recheck as an Independent Expert", "以独立专家身份复核")))
        assert find(rule, lambda n: "QCS 11.4" in (n.name or "")), "the rule names QCS 11.4"
        click(wait_for("start", lambda: button(rule, T("Start the Recheck", "开始复核"))))
        wait_for("the rule closed", lambda: window_named(app, T("Recheck as an Independent Expert", "以独立专家身份复核")) is None)
        time.sleep(0.5)
        progress(frame, T("0 / 5 reviewed", "已复核 0 / 5 项"))

        # the desk starts at the first clause to review; Agree moves on to the next
        wait_for("1.1 selected", lambda: selected_clause(frame) == "1.1")
        click(wait_for("Agree", lambda: button(frame, T("Agree", "同意"))))
        wait_for("1.2 selected", lambda: selected_clause(frame) == "1.2")
        press_key("ctrl+shift+a")
        wait_for("1.3 selected", lambda: selected_clause(frame) == "1.3")
        progress(frame, T("2 / 5 reviewed", "已复核 2 / 5 项"))

        # a query without a comment is refused with core's sentence; with one it is recorded
        click(button(frame, T("Query", "质询")))
        # core's sentence shows in a toast for a few seconds: on a loaded machine the tree walk
        # can outlast it, so what counts is that nothing was recorded
        try:
            wait_for("refusal", lambda: find(frame, lambda n: T("a query needs a comment", "质询需要") in (n.name or "")), timeout=6)
        except AssertionError:
            print("note: the refusal's toast was gone before it was seen", file=sys.stderr)
        assert json.loads(cli(data, "--json", "review", "status", a))["queried"] == 0, "a query without a comment was recorded"
        set_text(text_view(frame, T("Recheck comment", "复核意见")), "Which days did the evening sample cover?")
        click(button(frame, T("Query", "质询")))
        progress(frame, T("3 / 5 reviewed · 1 query", "已复核 3 / 5 项 · 质询 1 项"))
        press_key("ctrl+j")
        wait_for("1.4 selected", lambda: selected_clause(frame) == "1.4")
        press_key("ctrl+shift+a")
        wait_for("1.5 selected", lambda: selected_clause(frame) == "1.5")
        screenshot(f"reviewer-desk-{LANG}")
        press_key("ctrl+shift+a")
        progress(frame, T("5 / 5 reviewed · 1 query", "已复核 5 / 5 项 · 质询 1 项"))

        # approval is not offered while a clause is queried: the banner returns it
        click(wait_for("Return", lambda: button(frame, T("Return…", "退回"))))
        dialog = sign(app, T("Recheck", "复核"))
        # GTK 4.8 names a mnemonic button by its raw label too: “_Approve Approve”
        approve = find(dialog, lambda n: ((n.name or "").endswith(" Approve") if LANG != "zh_CN" else "通过" in (n.name or ""))
                       and n.getRoleName() in ("toggle button", "push button"))
        assert approve is not None, "no Approve choice"
        assert not approve.getState().contains(pyatspi.STATE_SENSITIVE), f"approve is offered: {approve.getRoleName()} {approve.getState().getStates()}"
        set_text(find(dialog, lambda n: n.name == T("Recheck conclusion", "复核结论") and n.getRoleName() == "text"),
                 "Sampling of the evening shift unclear; see the query on 1.3.")
        click(wait_for("Sign", lambda: button(dialog, T("Sign Conclusion", "签署结论"))))
        wait_for("returned", lambda: show(data, a)["state"] == "returned")

        # the lead: the banner counts the queries, Next Query goes to 1.3, the answer goes in
        click(find(frame, lambda n: n.name == T("Back to assessments", "返回评价列表") and showing(n)))
        switch_to(app, frame, "Rita Reviewer", "Lena Lead")
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith(T("Open Northwind", "打开 Northwind")))))
        progress(frame, T("0 of 1 query answered", "已答复 0 / 1 项质询"))
        wait_for("1.3 selected", lambda: selected_clause(frame) == "1.3")
        wait_for("the query on the clause", lambda: find(frame, lambda n: "Which days did the evening sample cover?" in (n.name or "")))
        set_text(text_view(frame, T("Answer to the query", "对质询的答复")), "Monday to Friday, 18:00–22:00, from the call records.")
        click(button(frame, T("Send Answer", "发送答复")))
        progress(frame, T("1 of 1 query answered", "已答复 1 / 1 项质询"))
        set_text(text_view(frame, T("Notes", "备注")), "Evening shift sampled Monday to Friday, 18:00–22:00")
        wait_for("note saved", lambda: any("Monday to Friday" in (f.get("note") or "") for f in show(data, a)["findings"]
                                          if f["clause"] == "1.3"), timeout=30)
        click(wait_for("Submit", lambda: button(frame, T("Submit for Recheck", "提交复核"))))
        dialog = sign(app, T("Submit for Recheck", "提交复核"))
        click(wait_for("submit", lambda: button(dialog, T("Submit", "提交"))))
        wait_for("submitted", lambda: show(data, a)["state"] == "submitted")

        # the reviewer, round 2: only the changed clause waits, with what changed
        click(find(frame, lambda n: n.name == T("Back to assessments", "返回评价列表") and showing(n)))
        switch_to(app, frame, "Lena Lead", "Rita Reviewer")
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith(T("Open Northwind", "打开 Northwind")))))
        progress(frame, T("4 / 5 reviewed", "已复核 4 / 5 项"))
        wait_for("1.3 selected", lambda: selected_clause(frame) == "1.3")
        changed = wait_for("what changed", lambda: find(frame, lambda n: T("note changed", "备注有改动") in (n.name or "") and showing(n)))
        assert "Lena Lead" in changed.name, changed.name
        assert find(frame, lambda n: "Monday to Friday, 18:00–22:00, from the call records." in (n.name or "")), "the answer is shown"
        screenshot(f"reviewer-round-2-{LANG}")
        press_key("ctrl+shift+a")
        progress(frame, T("5 / 5 reviewed", "已复核 5 / 5 项"))
        click(wait_for("Approve", lambda: button(frame, T("Approve…", "通过"))))
        dialog = sign(app, T("Recheck", "复核"))
        set_text(find(dialog, lambda n: n.name == T("Recheck conclusion", "复核结论") and n.getRoleName() == "text"),
                 "Records and evidence complete after the rework.")
        click(wait_for("Sign", lambda: button(dialog, T("Sign Conclusion", "签署结论"))))
        wait_for("approved", lambda: show(data, a)["state"] == "approved")

        # the recheck history window lists both rounds
        click(find(frame, lambda n: n.name == T("Assessment menu", "评价菜单") and showing(n)))
        click(wait_for("history item", lambda: find(app, lambda n: (n.name or "").replace("_", "") == T("Recheck History…", "复核历程(H)…"))))
        history = wait_for("history window", lambda: find(app, lambda n: n.getRoleName() in ("frame", "dialog")
                                                            and (n.name or "").startswith(T("Recheck History", "复核历程"))))
        wait_for("round 2 in the history", lambda: find(history, lambda n: n.name == T("Round 2", "第 2 轮")))
        screenshot(f"recheck-history-{LANG}")
    except Exception:
        screenshot(f"failure-recheck-{LANG}")
        raise
    finally:
        stop(proc)

    shown = show(data, a)
    rounds = shown["rounds"]
    assert [(r["round"], r["outcome"]) for r in rounds] == [(1, "returned"), (2, "approved")], rounds
    review = {r["clause"]: r for r in shown["review"]}
    comments = review["1.3"]["comments"]
    assert [c["state"] for c in comments] == ["queried", "agreed"], comments
    assert comments[0]["comment"] == "Which days did the evening sample cover?", comments
    assert comments[0]["answer"] == "Monday to Friday, 18:00–22:00, from the call records.", comments
    assert review["1.1"]["carried"] and review["1.1"]["round"] == 1, review["1.1"]
    cli(data, "audit", "verify", a)
    shutil.rmtree(tmp, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
