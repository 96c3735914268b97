#!/usr/bin/python3
"""The real window under Xvfb: the assessment list, "New assessment", the clause list — and the
window and attest-cli writing to the same database."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_helpers import (app_named, click, find, find_all, is_sensitive, named, screenshot,  # noqa: E402
                           set_text, start_attest, wait_for)

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
    proc = start_attest(data_dir)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, named("Attest", "frame")))

        # first start: the empty state of the assessment list
        wait_for("empty state", lambda: find(frame, named("No Assessments Yet", "label")))
        screenshot("assessments-empty-en")
        click(find(frame, named("New assessment", "push button")))

        dialog = wait_for("New Assessment dialog",
                          lambda: find(app, lambda n: n.name == "New Assessment" and n.getRoleName() != "label"
                                       and n.getRoleName() != "push button"))
        standard = wait_for("standard row", lambda: find(dialog, named("Standard", "combo box")))
        assert find(standard, lambda n: n.getRoleName() == "label" and n.name.startswith("QCS")), \
            "QCS is not the default standard"
        create = find(dialog, lambda n: n.getRoleName() == "push button" and "Create" in n.name)
        assert not is_sensitive(create), "Create must wait for the organisation and profile"

        set_text(find(dialog, named("Organisation", "text")), "界面测试通信公司")
        set_text(find(dialog, named("Scope", "text")), "全业务")
        set_text(find(dialog, named("Your name", "text")), "UI Assessor")
        set_text(find(dialog, named("Certification body", "text")), "Test CB")
        set_text(find(dialog, named("Passphrase", "password text")) or find(dialog, named("Passphrase", "text")),
                 "ui passphrase")
        set_text(find(dialog, named("Repeat passphrase", "password text")) or
                 find(dialog, named("Repeat passphrase", "text")), "ui passphrase")
        wait_for("Create to become sensitive", lambda: is_sensitive(create))
        screenshot("new-assessment-en")
        click(create)

        # the assessment opens on its clause list; rows are named by clause number
        clauses = wait_for("clause list", lambda: find(frame, named("Clauses", "list")))
        rows = wait_for("clause rows", lambda: [n for n in find_all(clauses, lambda n: CLAUSE_NAME.match(n.name or ""))])
        names = [r.name for r in rows]
        assert any(n.startswith("4 ") for n in names), names
        assert any(n.startswith("5 ") for n in names), names
        assert find(frame, named("界面测试通信公司", "label")), "the title shows the organisation"
        screenshot("clauses-en")

        # the window wrote to the same database attest-cli reads
        listed = json.loads(cli(data_dir, "--json", "assessment", "list"))
        assert [a["org"] for a in listed] == ["界面测试通信公司"], listed
        assert listed[0]["standard"] == "QCS" and listed[0]["scope"] == "全业务", listed[0]

        # and what attest-cli writes, the window shows
        lead = json.loads(cli(data_dir, "--json", "identity", "list"))[0]["id"]
        cli(data_dir, "assessment", "create", "--standard", "CTHL", "--org", "命令行通信公司", "--lead", lead)
        click(find(frame, named("Back to assessments", "push button")))
        assessments = wait_for("assessment list", lambda: find(frame, named("Assessments", "list")))
        wait_for("both assessments listed",
                 lambda: find(assessments, lambda n: "命令行通信公司" in (n.name or "")) and
                 find(assessments, lambda n: "界面测试通信公司" in (n.name or "")))
        screenshot("assessments-en")
        print("1 passed, 0 failed")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
