#!/usr/bin/python3
"""The real window under Xvfb: the list of assessments, the clause list, "New assessment" — and
the window and attest-cli reading and writing the same database."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_helpers import (app_named, click, find, find_all, named, screenshot, set_text,  # noqa: E402
                           showing, start_attest, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
CLAUSE_NAME = re.compile(r"^\d+(\.[0-9a-z]+)* ")


def cli(data_dir, *args, env=None):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})), timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def main():
    tmp = tempfile.mkdtemp(prefix="attest-ui-")
    data_dir = os.path.join(tmp, "data")
    # what attest-cli writes before the window starts, the window shows
    lead = cli(data_dir, "identity", "create", "--name", "UI Assessor", "--role", "assessor", "--org", "Test CB",
               env={"ATTEST_PASSPHRASE": "ui passphrase"}).strip()
    cli(data_dir, "assessment", "create", "--standard", "CTHL", "--org", "命令行通信公司", "--lead", lead)
    proc = start_attest(data_dir)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, named("Attest", "frame")))
        assessments = wait_for("assessment list", lambda: find(frame, lambda n: n.name == "Assessments"
                                                                and n.getRoleName() == "list" and showing(n)))
        wait_for("the CLI's assessment", lambda: find(assessments, lambda n: "命令行通信公司" in (n.name or "")))
        assert find(frame, lambda n: n.name == "Working as UI Assessor"), "the current identity is shown"

        # a second one from the window
        click(find(frame, lambda n: n.name == "New assessment" and showing(n)))
        dialog = wait_for("New Assessment dialog", lambda: window_named(app, "New Assessment"))
        standard = wait_for("standard row", lambda: find(dialog, named("Standard", "combo box")))
        assert find(standard, lambda n: n.getRoleName() == "label" and "QCS" in (n.name or "")), \
            "QCS is the default standard"
        create = find(dialog, lambda n: n.getRoleName() == "push button" and "Create" in (n.name or ""))
        assert not create.getState().contains(__import__("pyatspi").STATE_SENSITIVE), "Create waits for the organisation"
        set_text(find(dialog, named("Organisation", "text")), "界面测试通信公司")
        set_text(find(dialog, named("Scope", "text")), "全业务")
        wait_for("Create to become sensitive", lambda: create.getState().contains(__import__("pyatspi").STATE_SENSITIVE))
        click(create)

        # it opens on its clause list; rows are named by clause number
        clauses = wait_for("clause list", lambda: find(frame, lambda n: n.name == "Clauses" and n.getRoleName() == "list"))
        rows = wait_for("clause rows", lambda: find_all(clauses, lambda n: CLAUSE_NAME.match(n.name or "")))
        names = [r.name for r in rows]
        assert any(n.startswith("4 ") for n in names), names
        assert any(n.startswith("4.a ") for n in names), names
        assert find(frame, lambda n: n.name == "界面测试通信公司" and showing(n)), "the title shows the organisation"
        screenshot("smoke-clauses-en")

        # the window wrote to the same database attest-cli reads
        listed = json.loads(cli(data_dir, "--json", "assessment", "list"))
        assert sorted(a["org"] for a in listed) == sorted(["界面测试通信公司", "命令行通信公司"]), listed
        mine = next(a for a in listed if a["org"] == "界面测试通信公司")
        assert mine["standard"] == "QCS" and mine["scope"] == "全业务" and mine["lead"] == lead, mine

        click(find(frame, lambda n: n.name == "Back to assessments" and showing(n)))
        wait_for("both listed", lambda: find(assessments, lambda n: "界面测试通信公司" in (n.name or "")))
        screenshot("smoke-assessments-en")
        print("1 passed, 0 failed")
    except Exception:
        screenshot("failure-smoke")
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
