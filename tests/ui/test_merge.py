#!/usr/bin/python3
"""A team member's work merged in the real window, through AT-SPI (issue 14).

The lead and a member both changed clause 1.2 after the lead handed the assessment out; the
member also recorded 1.1 with evidence. Opening the member's bundle, the window refuses a plain
import and offers Merge; the conflict is shown side by side and the lead writes the finding
anew; Merge stays off until it is decided. Afterwards: 1.1 is the member's, 1.2 the lead's
rewrite, and the audit trail verifies. Team Assignments shows who takes which chapter.
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
from atspi_helpers import (app_named, click, find, screenshot, screenshot_window, set_text, showing,  # noqa: E402
                           start_attest, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "merge ui passphrase"


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


def button(root, label):
    return find(root, lambda n: n.getRoleName() in ("push button", "toggle button") and label in (n.name or "") and showing(n))


def main():
    tmp = tempfile.mkdtemp(prefix="attest-merge-ui-")
    lead_dir, member_dir = os.path.join(tmp, "lead"), os.path.join(tmp, "member")
    cli(lead_dir, "standards", "import", os.path.join(SRC, "tests", "data", "team.json"))
    lead = cli(lead_dir, "identity", "create", "--name", "Lena Lead", "--role", "assessor").strip()
    member = cli(lead_dir, "identity", "create", "--name", "Ming One", "--role", "assessor").strip()
    a = cli(lead_dir, "assessment", "create", "--standard", "TEAM", "--org", "Harbour Telecom", "--lead", lead,
            "--team", member).strip()
    cli(lead_dir, "assessment", "assign", a, "--to", member, "--chapter", "1")
    handout = os.path.join(tmp, "handout.attest")
    cli(lead_dir, "bundle", "export", a, "-o", handout, "--by", lead)

    cli(member_dir, "identity", "import", os.path.join(lead_dir, "identities", f"{member}.p12"), "--role", "assessor")
    cli(member_dir, "bundle", "import", handout)
    photo = os.path.join(tmp, "queue.jpg")
    with open(photo, "wb") as f:
        f.write(os.urandom(4000))
    cli(member_dir, "finding", "set", a, "1.1", "--by", member, "--verdict", "conform", "--note", "IVR menu tested")
    cli(member_dir, "evidence", "add", a, photo, "--by", member, "--clause", "1.2", "--kind", "photo")
    cli(member_dir, "finding", "set", a, "1.2", "--by", member, "--verdict", "partial", "--note", "17 of 20 within 15 s")
    bundle = os.path.join(tmp, "ming.attest")
    cli(member_dir, "bundle", "export", a, "-o", bundle, "--by", member)
    cli(lead_dir, "finding", "set", a, "1.2", "--by", lead, "--verdict", "nonconform", "--note", "Night shift: 12 of 20")

    proc = start_attest(lead_dir, "en", args=[bundle])
    try:
        app = app_named("attest")
        refused = wait_for("the plain import refused", lambda: find(app, lambda n: (n.name or "") == "ming.attest was not imported"), timeout=60)
        dialog = wait_for("its dialog", lambda: window_named(app, "ming.attest was not imported") or
                          find(app, lambda n: n.getRoleName() in ("dialog", "frame", "alert") and find(n, lambda m: m is refused)))
        click(wait_for("Merge", lambda: button(app, "Merge")))
        win = wait_for("the merge window", lambda: window_named(app, "Merge the Work of Ming One"), timeout=60)
        wait_for("both sides", lambda: find(win, lambda n: "Night shift: 12 of 20" in (n.name or "")) and
                 find(win, lambda n: "17 of 20 within 15 s" in (n.name or "")))
        assert find(win, lambda n: "queue.jpg" in (n.name or "")), "their evidence is shown"
        merge = button(win, "Merge")
        assert not merge.getState().contains(pyatspi.STATE_SENSITIVE), "Merge is offered before the conflict is decided"
        click(wait_for("Write anew", lambda: find(win, lambda n: "Write anew: the finding on clause 1.2" in (n.name or ""))))
        note = wait_for("note", lambda: find(win, lambda n: n.name == "Note" and n.getRoleName() in ("text", "entry") and showing(n)))
        set_text(note, "Evenings partial, nights nonconform: see both samples")
        time.sleep(0.5)
        screenshot_window("Merge the Work of Ming One", "merge-conflict-en")
        wait_for("Merge offered", lambda: button(win, "Merge").getState().contains(pyatspi.STATE_SENSITIVE))
        click(button(win, "Merge"))
        wait_for("merged", lambda: any(f["clause"] == "1.1" for f in json.loads(cli(lead_dir, "--json", "assessment", "show", a))["findings"]),
                 timeout=30)

        shown = json.loads(cli(lead_dir, "--json", "assessment", "show", a))
        findings = {f["clause"]: f for f in shown["findings"]}
        assert findings["1.1"]["recorded_by"] == member, findings["1.1"]
        assert findings["1.2"]["verdict"] == "partial", findings["1.2"]
        assert findings["1.2"]["note"] == "Evenings partial, nights nonconform: see both samples", findings["1.2"]
        assert len(shown["evidence"]) == 1, shown["evidence"]
        cli(lead_dir, "audit", "verify", a)

        # Team Assignments shows who takes which chapter
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        click(wait_for("menu", lambda: find(frame, lambda n: n.name == "Assessment menu" and showing(n))))
        click(wait_for("assignments item", lambda: find(app, lambda n: (n.name or "").replace("_", "") == "Team Assignments…")))
        assign = wait_for("assignments window", lambda: window_named(app, "Team Assignments — Harbour Telecom"))
        wait_for("chapter 1 is Ming One's", lambda: find(assign, lambda n: n.name == "Ming One" and showing(n)))
        wait_for("chapter 2 is nobody's", lambda: find(assign, lambda n: n.name == "Nobody" and showing(n)))
        screenshot_window("Team Assignments — Harbour Telecom", "team-assignments-en")
    except Exception:
        screenshot("failure-merge")
        raise
    finally:
        stop(proc)
    shutil.rmtree(tmp, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
