#!/usr/bin/python3
"""The recheck, the signed report, the bundle and the catalog browser, from the window: switch to
the reviewer, approve with a conclusion, export the report (pdfsig judges it) and a bundle
(attest-cli verify judges it), look a clause up in the catalogs — then open the bundle in a fresh
data directory the way a double-click does (`attest FILE.attest`)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_helpers import (app_named, click, find, find_near, press_key, screenshot, screenshot_window, set_text,  # noqa: E402
                           showing, start_attest, wait_for, window_named)

CLI = os.environ["ATTEST_CLI"]
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PASS = "exports passphrase"


def cli(data_dir, *args, expect=0):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ATTEST_PASSPHRASE=PASS))
    assert p.returncode == expect, f"{args}: {p.stderr}"
    return p.stdout


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def save_through_chooser(app, title, path):
    """GTK's own file chooser (there is no portal under Xvfb): the name field takes a full path."""
    chooser = wait_for(title + " chooser", lambda: window_named(app, title))
    name = wait_for("name field", lambda: find(chooser, lambda n: n.getRoleName() == "text" and showing(n)))
    set_text(name, path)
    click(wait_for("Save", lambda: find(chooser, lambda n: "Save" in (n.name or "") and n.getRoleName() == "push button")))


def sign_dialog(app, title, passphrase=PASS):
    def is_pass(n):
        return n.name == "Passphrase of your key" and n.getRoleName() in ("password text", "text")
    dialog = wait_for(title + " dialog", lambda: window_named(app, title, having=is_pass))
    pw = find(dialog, is_pass)
    set_text(pw, passphrase)
    return dialog


def main():
    tmp = tempfile.mkdtemp(prefix="attest-exports-")
    data_dir = os.path.join(tmp, "data")
    report = os.path.join(tmp, "report.pdf")
    bundle = os.path.join(tmp, "visit.attest")

    cli(data_dir, "standards", "import", os.path.join(SRC, "tests", "data", "mini.json"))
    lead = cli(data_dir, "identity", "create", "--name", "Lead Assessor", "--role", "assessor", "--org", "CB").strip()
    reviewer = cli(data_dir, "identity", "create", "--name", "Rita Reviewer", "--role", "reviewer", "--org", "CB").strip()
    a = cli(data_dir, "assessment", "create", "--standard", "MINI", "--org", "Export Telecom", "--lead", lead,
            "--address", "9 Harbour Road").strip()
    for clause in ("1.1", "1.2"):
        cli(data_dir, "finding", "set", a, clause, "--by", lead, "--verdict", "conform", "--note", "checked")

    proc = start_attest(data_dir)
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        # the lead submits from the window: a wrong passphrase is said so, and the dialog stays
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith("Open Export Telecom"))))
        click(wait_for("Submit", lambda: find(frame, lambda n: "Submit for Recheck" in (n.name or "")
                                              and n.getRoleName() == "push button" and showing(n))))
        dialog = sign_dialog(app, "Submit for Recheck", passphrase="not the passphrase")
        click(find(dialog, lambda n: "Submit" in (n.name or "") and n.getRoleName() == "push button"))
        wait_for("wrong passphrase said", lambda: find(dialog, lambda n: n.name == "The passphrase is wrong. Try again."))
        assert json.loads(cli(data_dir, "--json", "assessment", "show", a))["state"] != "submitted"
        set_text(find(dialog, lambda n: n.name == "Passphrase of your key" and n.getRoleName() in ("password text", "text")), PASS)
        click(find(dialog, lambda n: "Submit" in (n.name or "") and n.getRoleName() == "push button"))
        wait_for("submitted", lambda: json.loads(cli(data_dir, "--json", "assessment", "show", a))["state"] == "submitted")
        # the lead may not recheck: the refusal is a sentence, not a dialog that fails later
        wait_for("Recheck offered", lambda: find(frame, lambda n: "Recheck" in (n.name or "") and n.getRoleName() == "push button" and showing(n)))
        click(find(frame, lambda n: "Recheck" in (n.name or "") and n.getRoleName() == "push button" and showing(n)))
        # a toast lasts a few seconds: look where it is added, at the end, rather than read the window first
        wait_for("refusal", lambda: find(frame, lambda n: "is not a reviewer" in (n.name or ""), newest_first=True))
        click(find(frame, lambda n: n.name == "Back to assessments" and showing(n)))

        # switch to the reviewer through the identity menu
        click(wait_for("identity button", lambda: find(frame, lambda n: n.name == "Working as Lead Assessor" and showing(n))))
        click(wait_for("reviewer in the menu", lambda: find(app, lambda n: (n.name or "").startswith("Rita Reviewer")
                                                            and n.getRoleName() in ("menu item", "radio menu item", "check menu item", "push button"))))
        wait_for("working as the reviewer", lambda: find(frame, lambda n: n.name == "Working as Rita Reviewer" and showing(n)))

        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith("Open Export Telecom"))))
        # the independence rule first; then every clause agreed, and the banner offers approval
        rule = wait_for("independence rule", lambda: window_named(app, "Recheck as an Independent Expert"))
        click(wait_for("start", lambda: find(rule, lambda n: "Start the Recheck" in (n.name or "") and n.getRoleName() == "push button")))
        wait_for("the rule closed", lambda: window_named(app, "Recheck as an Independent Expert") is None)
        time.sleep(0.5)
        for done in (1, 2):
            press_key("ctrl+shift+a")
            wait_for(f"{done} reviewed", lambda: find(frame, lambda n: n.name == f"{done} / 2 reviewed" and showing(n)))
        click(wait_for("Approve", lambda: find(frame, lambda n: "Approve…" in (n.name or "") and n.getRoleName() == "push button" and showing(n))))
        dialog = sign_dialog(app, "Recheck")
        set_text(find(dialog, lambda n: n.name == "Recheck conclusion" and n.getRoleName() == "text"),
                 "Records and evidence complete; approved.")
        screenshot_window("Recheck", "recheck-en")
        click(wait_for("Sign", lambda: find(dialog, lambda n: "Sign Conclusion" in (n.name or "") and n.getRoleName() == "push button")))
        wait_for("approved", lambda: json.loads(cli(data_dir, "--json", "assessment", "show", a))["state"] == "approved")

        # the signed report
        press_key("ctrl+e")
        save_through_chooser(app, "Export Report", report)
        dialog = sign_dialog(app, "Export Report")
        screenshot_window("Export Report", "export-report-en")
        click(wait_for("Export", lambda: find(dialog, lambda n: "Export" in (n.name or "") and n.getRoleName() == "push button")))
        wait_for("report written", lambda: find(frame, lambda n: n.name == "Report saved"), timeout=90)
        sig = subprocess.run(["pdfsig", report], capture_output=True, text=True)
        assert sig.stdout.count("Signature is Valid.") == 1, sig.stdout
        assert "Rita Reviewer" in sig.stdout, sig.stdout
        cli(data_dir, "verify", report)

        # the bundle, signed by the reviewer
        press_key("ctrl+shift+e")
        save_through_chooser(app, "Export Bundle", bundle)
        dialog = sign_dialog(app, "Export Bundle")
        click(wait_for("Export", lambda: find(dialog, lambda n: "Export" in (n.name or "") and n.getRoleName() == "push button")))
        wait_for("bundle written", lambda: os.path.exists(bundle) and find(frame, lambda n: (n.name or "").startswith("Bundle saved")), timeout=90)
        cli(data_dir, "verify", bundle)

        # the catalog browser: a clause by its number, with its limits
        press_key("ctrl+k")
        catalogs = wait_for("Catalogs window", lambda: window_named(app, "Catalogs"))
        search = wait_for("search", lambda: find(catalogs, lambda n: n.name == "Search clauses" and n.getRoleName() == "entry"))
        set_text(search, "7.4.2.2")
        wait_for("the 15 s answer rate and its limit",
                 lambda: find(catalogs, lambda n: (n.name or "").startswith("Calls answered by an agent within 15 s — ≥ 85 % of samples ≤ 15 s")))
        screenshot("exports-catalogs-en")
    except Exception:
        screenshot("failure-exports")
        raise
    finally:
        stop(proc)

    # a double-click on the bundle: Attest starts with it and imports it into an empty data directory
    fresh = os.path.join(tmp, "fresh")
    proc = start_attest(fresh, "en", args=[bundle])
    try:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        wait_for("the imported assessment opens", lambda: find(frame, lambda n: n.name == "Export Telecom" and showing(n)), timeout=60)
        wait_for("its clauses", lambda: find(frame, lambda n: (n.name or "").startswith("1.1 ")))
        listed = json.loads(cli(fresh, "--json", "assessment", "list"))
        assert [x["id"] for x in listed] == [a], listed
        assert json.loads(cli(fresh, "--json", "assessment", "show", a))["state"] == "approved"
        screenshot("exports-imported-en")
        print("1 passed, 0 failed")
    except Exception:
        screenshot("failure-import")
        raise
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
