#!/usr/bin/python3
"""The organisation's and the certification body's desks in the window (issue 11), driven through
AT-SPI: the follow-up desk marks the overdue nonconformity, filters to the overdue ones, takes the
organisation's corrective action with a file attached through the file chooser, and an assessor
verifies and closes it — attest-cli then finds the history and the evidence; the gap view of a
self-assessment shows the counts core computes and takes one to a gap clause; a third-party
assessment is made from an organisation's application bundle, and attest-cli finds it based on
the application, with the application's evidence and none of its verdicts."""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from atspi_helpers import (app_named, choose_path, click, find, find_all, press_key, screenshot, set_text,  # noqa: E402
                           showing, start_attest, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
PASS = "desks passphrase"
# China Unicom's customer service standard: 17 clauses, all in chapter 1
CUCS = ["1.2.%d" % i for i in range(1, 18)]


def cli(data_dir, *args, expect=0):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
    assert p.returncode == expect, f"{args}: {p.stderr}"
    return p.stdout.strip()


def cli_json(data_dir, *args):
    return json.loads(cli(data_dir, "--json", *args))


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def prepare(tmp, body, org_dir):
    """The certification body's data directory: two assessments with nonconformities (one
    overdue), an organisation's self-assessment half done; and, in the organisation's own data
    directory, a submitted self-assessment exported as its application."""
    today = datetime.date.today()
    overdue = (today - datetime.timedelta(days=30)).isoformat()
    later = (today + datetime.timedelta(days=90)).isoformat()

    lead = cli(body, "identity", "create", "--name", "Wang Ping", "--role", "assessor", "--org", "CQC")
    org = cli(body, "identity", "create", "--name", "Zhao Min", "--role", "organisation", "--org", "Province Mobile Co.")
    a = cli(body, "assessment", "create", "--standard", "CUCS", "--org", "Northwind Telecom", "--lead", lead)
    late = cli(body, "nc", "add", a, "1.2.4", "--by", lead, "--grade", "major", "--text", "No escalation roster for evenings",
               "--suggestion", "Keep a signed roster", "--due", overdue)
    b = cli(body, "assessment", "create", "--standard", "CUCS", "--org", "City Telecom Branch", "--lead", lead)
    fresh = cli(body, "nc", "add", b, "1.2.7", "--by", lead, "--grade", "minor", "--text", "Notices not updated",
                "--suggestion", "Update them monthly", "--due", later)
    g = cli(body, "assessment", "create", "--standard", "CUCS", "--kind", "self", "--org", "Province Mobile Co.", "--lead", org)
    for clause, verdict in [("1.2.1", "conform"), ("1.2.2", "conform"), ("1.2.3", "nonconform"), ("1.2.4", "partial"),
                            ("1.2.5", "partial"), ("1.2.6", "na")]:
        cli(body, "finding", "set", g, clause, "--by", org, "--verdict", verdict)

    own = cli(org_dir, "identity", "create", "--name", "Zhao Min", "--role", "organisation", "--org", "Province Mobile Co.")
    s = cli(org_dir, "assessment", "create", "--standard", "CUCS", "--kind", "self", "--org", "Province Mobile Co.",
            "--lead", own, "--scope", "10010 hotline", "--site", "Hangzhou")
    for i, clause in enumerate(CUCS):
        cli(org_dir, "finding", "set", s, clause, "--by", own, "--verdict", "nonconform" if i == 2 else "conform")
    photo = os.path.join(tmp, "hotline-queue.png")
    subprocess.run(["convert", "-size", "320x240", "gradient:wheat-sienna", photo], check=True)
    sha = cli(org_dir, "evidence", "add", s, photo, "--by", own, "--clause", "1.2.3")
    cli(org_dir, "assessment", "submit", s, "--by", own)
    bundle = os.path.join(tmp, "application.attest")
    cli(org_dir, "bundle", "export", s, "-o", bundle, "--by", own)
    return dict(lead=lead, org=org, a=a, b=b, g=g, s=s, late=late, fresh=fresh, sha=sha, bundle=bundle)


def click_at(node):
    """Clicks the middle of a node with the pointer: a row's header in GTK 4.8 has no AT-SPI
    action to expand it. There is no window manager, so the window sits at the screen's origin."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    subprocess.run(["xdotool", "mousemove", str(e.x + min(60, e.width // 2)), str(e.y + e.height // 2), "click", "1"],
                   check=True)
    time.sleep(0.4)


def tab(frame, name):
    return wait_for(f"tab {name}", lambda: find(frame, lambda n: n.getRoleName() == "page tab" and n.name == name))


def button(root, text):
    return wait_for(text, lambda: find(root, lambda n: text in (n.name or "").replace("_", "")
                                       and n.getRoleName() == "push button" and showing(n)))


def menu_item(menu_button, label):
    """An item of the menu a menu button opened (its popover lives under the button)."""
    def probe():
        return find(menu_button, lambda n: (n.name or "").replace("_", "").startswith(label)
                    and n.getRoleName() in ("menu item", "radio menu item", "check menu item", "push button"))
    return wait_for(label + " in the menu", probe)


def work_as(frame, name):
    """Switches the identity through the identity menu (whoever is working now)."""
    current = wait_for("identity button", lambda: find(frame, lambda n: (n.name or "").startswith("Working as ")
                                                       and showing(n)))
    if current.name == "Working as " + name:
        return
    click(current)
    click(menu_item(current, name))
    wait_for("working as " + name, lambda: find(frame, lambda n: n.name == "Working as " + name and showing(n)))


def nc_row(frame, label):
    """The header of a nonconformity's row on the desk (the inner row that expands it)."""
    return wait_for(label, lambda: find(frame, lambda n: n.getRoleName() == "list item" and n.name == label and showing(n)))


T0 = time.monotonic()


def step(what):
    print(f"{time.monotonic() - T0:6.1f} s  {what}", flush=True)


def main():
    tmp = tempfile.mkdtemp(prefix="attest-desks-")
    body = os.path.join(tmp, "body")
    org_dir = os.path.join(tmp, "organisation")
    ids = prepare(tmp, body, org_dir)
    step("prepared")
    proc = start_attest(body)
    try:
        run(tmp, body, ids)
    except Exception:
        screenshot("failure-desks")
        raise
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp, body, ids):
    app = app_named("attest")
    frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
    subprocess.run(["xdotool", "search", "--sync", "--name", "^Attest$", "windowsize", "%@", "1280", "900"], check=False)
    wait_for("the list", lambda: find(frame, lambda n: (n.name or "").startswith("Open Northwind Telecom") and showing(n)))

    step("follow-up desk")
    # ---- the follow-up desk: the overdue one apart and marked ------------------------------------------
    click(tab(frame, "Follow-up"))
    desk = wait_for("the desk", lambda: find(frame, lambda n: n.name == "Follow-up desk" and showing(n)))
    wait_for("summary", lambda: find(desk, lambda n: n.name == "2 open nonconformities, 1 overdue" and showing(n)))
    late = nc_row(desk, "Northwind Telecom · NC-1 · 1.2.4")
    fresh = nc_row(desk, "City Telecom Branch · NC-1 · 1.2.7")
    # the row as a screen reader names it says overdue; the other one does not
    assert find(desk, lambda n: n.name == "Northwind Telecom · NC-1 · 1.2.4, Major, overdue, Open"), "overdue marked"
    assert find(desk, lambda n: n.name == "City Telecom Branch · NC-1 · 1.2.7, Minor, Open"), "the other one unmarked"
    late_y = late.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y
    assert late_y < fresh.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y, "the overdue one comes first"
    # the filter leaves the overdue one only
    only = wait_for("Overdue only", lambda: find(desk, lambda n: n.name == "Overdue Only" and n.getRoleName() != "label"
                                                 and showing(n)))
    click(only)
    wait_for("the other one hidden", lambda: find(desk, lambda n: n.name == "City Telecom Branch · NC-1 · 1.2.7"
                                                  and n.getRoleName() == "list item" and showing(n)) is None)
    assert find(desk, lambda n: n.name == "Northwind Telecom · NC-1 · 1.2.4" and showing(n)), "the overdue one stays"
    click(only)
    nc_row(desk, "City Telecom Branch · NC-1 · 1.2.7")

    # ---- the organisation records its corrective action, with a file --------------------------------------
    step("corrective action")
    work_as(frame, "Zhao Min")
    click_at(nc_row(desk, "Northwind Telecom · NC-1 · 1.2.4"))
    record = button(desk, "Record Corrective Action")
    # the organisation does not verify its own corrective action: the step is not offered
    assert find(desk, lambda n: "Verify and Close" in (n.name or "").replace("_", "") and showing(n)) is None
    click(record)
    dialog = wait_for("corrective action dialog", lambda: window_named(app, "Record Corrective Action"))
    roster = os.path.join(tmp, "evening-roster.txt")
    with open(roster, "w") as f:
        f.write("Mon-Fri 18:00-22:00: 2 senior agents on the escalation line\n")
    set_text(wait_for("text", lambda: find(dialog, lambda n: n.name == "Corrective action" and n.getRoleName() == "text")),
             "An escalation roster for the evenings, signed by the hotline manager.")
    click(button(dialog, "Attach Files"))
    choose_path(app, "Attach Evidence", roster, "Attach")
    wait_for("the file listed", lambda: find(dialog, lambda n: n.name == "evening-roster.txt" and showing(n)))
    screenshot("desks-corrective-action-en")
    click(button(dialog, "Record"))
    wait_for("dialog closed", lambda: window_named(app, "Record Corrective Action") is None, timeout=30)
    shown = cli_json(body, "nc", "show", ids["late"])
    assert shown["status"] == "responded", shown["status"]
    assert [e["action"] for e in shown["history"]] == ["raise", "attach", "respond"], shown["history"]
    assert [e["original_name"] for e in shown["evidence"]] == ["evening-roster.txt"], shown["evidence"]
    assert shown["evidence"][0]["added_by"] == ids["org"], shown["evidence"]

    # ---- an assessor verifies and closes it ---------------------------------------------------------------
    step("verify")
    work_as(frame, "Wang Ping")
    click_at(nc_row(desk, "Northwind Telecom · NC-1 · 1.2.4"))
    # the expanded row has the history and the corrective action's evidence, openable
    wait_for("history", lambda: find(desk, lambda n: n.name == "Zhao Min attached evening-roster.txt" and showing(n)))
    assert find(desk, lambda n: n.name == "Corrective action recorded by Zhao Min" and showing(n)), "respond in history"
    assert find(desk, lambda n: (n.name or "").startswith("Open evening-roster.txt") and n.getRoleName() == "push button"
                and showing(n)), "the file can be opened"
    screenshot("desks-follow-up-en")
    click(button(desk, "Verify and Close"))
    confirm = wait_for("confirmation", lambda: window_named(app, "Close NC-1?"))
    click(wait_for("confirm", lambda: find(confirm, lambda n: (n.name or "").replace("_", "").endswith("Verify and Close")
                                           and n.getRoleName() == "push button" and showing(n))))
    wait_for("one left", lambda: find(desk, lambda n: n.name == "1 open nonconformity" and showing(n)))
    shown = cli_json(body, "nc", "show", ids["late"])
    assert shown["status"] == "closed", shown["status"]
    assert shown["verified_by"] == ids["lead"], shown
    assert [e["action"] for e in shown["history"]] == ["raise", "attach", "respond", "close"], shown["history"]
    assert shown["history"][2]["text"] == "An escalation roster for the evenings, signed by the hotline manager.", shown
    assert [n["id"] for n in cli_json(body, "nc", "list", "--open")] == [ids["fresh"]]

    step("gap view")
    # ---- the gap view of the self-assessment: core's counts, and a way to the clause ------------------------
    click(tab(frame, "Assessments"))
    more = wait_for("row menu", lambda: find(frame, lambda n: n.name == "More for Province Mobile Co." and showing(n)))
    click(more)
    click(menu_item(more, "Show Gaps"))
    gaps = wait_for("gap window", lambda: window_named(app, "Gaps — Province Mobile Co."))
    total = cli_json(body, "assessment", "gaps", ids["g"])["total"]
    assert (total["gaps"], total["assessable"], total["nonconform"], total["partial"], total["open"]) == (14, 17, 1, 2, 11), total
    wait_for("heading", lambda: find(gaps, lambda n: n.name == "14 of 17 clauses are gaps" and showing(n)))
    assert find(gaps, lambda n: n.name == "1 nonconform, 2 partially conform, 11 not assessed" and showing(n)), "the kinds"
    chapter = wait_for("chapter 1", lambda: find(gaps, lambda n: n.getRoleName() == "list item"
                                                 and (n.name or "").startswith("1 ") and showing(n)))
    assert find(gaps, lambda n: n.name == "14 of 17 clauses are gaps: 1 nonconform, 2 partially conform, 11 not assessed"
                and showing(n)), "the chapter's counts"
    click_at(chapter)
    clause = wait_for("gap 1.2.3", lambda: find(gaps, lambda n: n.getRoleName() == "list item"
                                                and (n.name or "").startswith("1.2.3 ") and showing(n)))
    screenshot("desks-gaps-en")
    click_at(clause)
    # the main window opens the self-assessment on that clause
    wait_for("clause 1.2.3 shown", lambda: find(frame, lambda n: n.name == "1.2.3" and n.getRoleName() == "label"
                                                and n.parent and n.parent.childCount == 2 and showing(n)))
    gaps_window = window_named(app, "Gaps — Province Mobile Co.")
    if gaps_window is not None:
        press_key("Escape")
    click(wait_for("back", lambda: find(frame, lambda n: n.name == "Back to assessments" and showing(n))))

    step("application")
    # ---- a third-party assessment from the organisation's application -------------------------------------------
    main_menu = wait_for("main menu", lambda: find(frame, lambda n: n.name == "Main menu" and showing(n)))
    click(main_menu)
    click(menu_item(main_menu, "New from an Application"))
    choose_path(app, "Choose an Application", ids["bundle"], "Open")
    dialog = wait_for("application dialog", lambda: window_named(app, "New Assessment from an Application"))
    wait_for("basis shown", lambda: find(dialog, lambda n: n.name == "Application: application.attest" and showing(n)))
    set_text(wait_for("first day", lambda: find(dialog, lambda n: n.name == "First day (YYYY-MM-DD)" and n.getRoleName() == "text")),
             "2026-12-10")
    click(button(dialog, "Create"))
    wait_for("dialog closed", lambda: window_named(app, "New Assessment from an Application") is None, timeout=30)
    # the new assessment opens
    wait_for("clause list", lambda: find(frame, lambda n: n.name == "Clauses" and n.getRoleName() == "list" and showing(n)))
    made = [x for x in cli_json(body, "assessment", "list") if x["id"] not in (ids["a"], ids["b"], ids["g"], ids["s"])]
    assert len(made) == 1, made
    shown = cli_json(body, "assessment", "show", made[0]["id"])
    assert (shown["basis"], shown["based_on"], shown["kind"], shown["org"], shown["scope"]) == \
        ("application", ids["s"], "third-party", "Province Mobile Co.", "10010 hotline"), shown
    assert shown["lead"] == ids["lead"] and shown["start_date"] == "2026-12-10", shown
    assert shown["findings"] == [], shown["findings"]
    assert [(e["sha256"], e["clauses"], e["origin"]) for e in shown["evidence"]] == \
        [(ids["sha"], ["1.2.3"], "application:" + ids["s"])], shown["evidence"]
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
