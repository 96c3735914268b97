#!/usr/bin/python3
"""The assessor's workbench, driven through AT-SPI in the real window: a first profile, a new
assessment, verdicts by button and by key, a sample series for 7.4.2.2 that fails its limit,
evidence through the file chooser and by paste, a nonconformity — and then attest-cli finds all
of it in the database."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_helpers import (app_named, choose_path, click, find, find_all, named, press_key, screenshot, set_text,  # noqa: E402
                           showing, start_attest, wait_for, text_of, window_named)

CLI = os.environ["ATTEST_CLI"]
PASS = "workbench passphrase"


def cli(data_dir, *args):
    p = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def row(frame, number):
    """The clause row whose accessible name starts with the number (DESIGN.md, "The window")."""
    return find(frame, lambda n: (n.name or "").startswith(number + " ") and showing(n))


def main():
    tmp = tempfile.mkdtemp(prefix="attest-workbench-")
    data_dir = os.path.join(tmp, "data")
    evidence = os.path.join(tmp, "queue-display.png")
    subprocess.run(["convert", "-size", "640x480", "gradient:skyblue-navy", evidence], check=True)
    proc = start_attest(data_dir)
    try:
        run(data_dir, evidence)
    except Exception:
        screenshot("failure-workbench")
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def run(data_dir, evidence):
    if True:
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, named("Attest", "frame")))

        # first run: a profile
        wait_for("welcome page", lambda: find(frame, lambda n: n.name == "Who Are You?" and showing(n)))
        set_text(find(frame, lambda n: n.name == "Your name" and n.getRoleName() == "text"), "Wang Ping")
        set_text(find(frame, lambda n: n.name == "Certification body or organisation" and n.getRoleName() == "text"),
                 "China Quality Certification Centre")
        set_text(find(frame, lambda n: n.name == "Passphrase" and n.getRoleName() in ("password text", "text")), PASS)
        set_text(find(frame, lambda n: n.name == "Repeat passphrase" and n.getRoleName() in ("password text", "text")), PASS)
        screenshot("workbench-welcome-en")
        click(wait_for("Create Profile", lambda: find(frame, lambda n: "Create Profile" in (n.name or "")
                                                      and n.getRoleName() == "push button" and showing(n))))

        # the empty list, then a new assessment
        wait_for("empty list", lambda: find(frame, lambda n: n.name == "No Assessments Yet" and showing(n)))
        click(find(frame, lambda n: n.name == "New assessment" and n.getRoleName() == "push button" and showing(n)))
        dialog = wait_for("New Assessment dialog", lambda: window_named(app, "New Assessment"))
        set_text(wait_for("Organisation", lambda: find(dialog, lambda n: n.name == "Organisation" and n.getRoleName() == "text")),
                 "Example Telecom Co., Ltd.")
        set_text(find(dialog, lambda n: n.name == "Address" and n.getRoleName() == "text"), "1 Finance Street, Beijing")
        set_text(find(dialog, lambda n: n.name == "Scope" and n.getRoleName() == "text"), "Mobile and broadband services")
        set_text(find(dialog, lambda n: n.name == "Sites (separated by semicolons)" and n.getRoleName() == "text"),
                 "Head office hall; 10000 hotline centre")
        screenshot("workbench-new-assessment-en")
        click(wait_for("Create", lambda: find(dialog, lambda n: "Create" in (n.name or "") and n.getRoleName() == "push button")))

        # the assessment opens on its first clause
        wait_for("clause list", lambda: find(frame, lambda n: n.name == "Clauses" and n.getRoleName() == "list"))
        wait_for("row 4.a", lambda: row(frame, "4.a"))
        # by button
        click(wait_for("Conform", lambda: find(frame, lambda n: n.name == "Conform" and n.getRoleName() in ("toggle button", "push button") and showing(n))))
        wait_for("4.a marked conform", lambda: "Conform" in (row(frame, "4.a").name or ""))
        # by key: the next clause, then 3 (Nonconform) and 2 (Partially conform) on the one after
        click(find(frame, lambda n: n.name == "Next clause" and showing(n)))
        wait_for("4.b shown", lambda: find(frame, lambda n: n.name == "4.b" and n.getRoleName() == "label" and showing(n)))
        press_key("3")
        wait_for("4.b marked nonconform by key", lambda: "Nonconform" in (row(frame, "4.b").name or ""))
        press_key("alt+Down")
        wait_for("4.c shown", lambda: find(frame, lambda n: n.name == "4.c" and n.getRoleName() == "label" and showing(n)))
        press_key("2")
        wait_for("4.c marked partial by key", lambda: "Partially conform" in (row(frame, "4.c").name or ""))
        screenshot("workbench-clause-en")

        # 7.4.2.2 by search; 20 sampled calls, 15 answered within 15 s: 75 % < 85 %
        search = find(frame, lambda n: n.name == "Search clauses" and n.getRoleName() == "entry")
        set_text(search, "7.4.2.2")
        wait_for("7.4.2.2 shown", lambda: find(frame, lambda n: n.name == "7.4.2.2" and n.getRoleName() == "label"
                                              and n.parent and n.parent.childCount == 2 and showing(n)))
        try:
            samples = wait_for("sample input", lambda: find(frame, lambda n: (n.name or "").startswith("Samples:")
                                                            and "15" in n.name and showing(n)))
        except AssertionError:
            meas = find(frame, lambda n: n.name == "Measurements" and n.getRoleName() == "label")
            box = meas.parent
            def dump(n, d=0):
                print("DEBUG", "  " * d, n.getRoleName(), repr(n.name), n.childCount)
                for i in range(min(n.childCount, 12)):
                    dump(n.getChildAtIndex(i), d + 1)
            dump(box)
            raise
        set_text(samples, "\n".join(["8"] * 15 + ["22"] * 5))
        wait_for("live evaluation fails", lambda: find(frame, lambda n: n.name == "Fails the limit" and showing(n)))
        assert find(frame, lambda n: (n.name or "").startswith("75 % (15 of 20)") and showing(n)), "the share is shown"
        click(find(frame, lambda n: n.name == "Nonconform" and n.getRoleName() in ("toggle button", "push button") and showing(n)))

        # evidence through the file chooser: type the path, press Add
        click(find(frame, lambda n: (n.name or "").startswith("Add evidence") and n.getRoleName() == "push button" and showing(n)))
        choose_path(app, "Add Evidence", evidence, "Add")
        wait_for("evidence tile", lambda: find(frame, lambda n: n.name == "Evidence queue-display.png" and showing(n)), timeout=30)
        wait_for("7.4.2.2 counts its evidence", lambda: "1 evidence file" in (row(frame, "7.4.2.2").name or ""))

        # and by paste: a file copied in a file manager arrives as a URI list on the clipboard
        rota = os.path.join(os.path.dirname(evidence), "agent-rota.txt")
        with open(rota, "w") as f:
            f.write("08:00-20:00 12 agents\n")
        clip = subprocess.Popen(["xclip", "-quiet", "-selection", "clipboard", "-t", "text/uri-list"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        clip.stdin.write(f"file://{rota}\r\n".encode())
        clip.stdin.close()
        try:
            press_key("ctrl+v")
            wait_for("pasted evidence", lambda: find(frame, lambda n: n.name == "Evidence agent-rota.txt" and showing(n)), timeout=30)
        finally:
            clip.terminate()
        wait_for("7.4.2.2 counts both", lambda: "2 evidence files" in (row(frame, "7.4.2.2").name or ""))

        # a nonconformity, prefilled from the failing measurement
        press_key("ctrl+shift+n")
        nc = wait_for("Raise Nonconformity dialog", lambda: window_named(app, "Raise Nonconformity"))
        found = wait_for("prefilled finding", lambda: find(nc, lambda n: n.name == "What was found" and n.getRoleName() == "text"))
        assert "75" in text_of(found), text_of(found)
        set_text(find(nc, lambda n: n.name == "Rectification suggestion" and n.getRoleName() == "text"),
                 "Add agents at peak hours and review the rota weekly.")
        screenshot("workbench-nonconformity-en")
        click(wait_for("Raise", lambda: find(nc, lambda n: "Raise" in (n.name or "") and n.getRoleName() == "push button")))
        wait_for("7.4.2.2 has an NC", lambda: "1 nonconformity" in (row(frame, "7.4.2.2").name or ""))
        screenshot("workbench-en")

        # what the window did is in the database attest-cli reads
        listed = json.loads(cli(data_dir, "--json", "assessment", "list"))
        assert [a["org"] for a in listed] == ["Example Telecom Co., Ltd."], listed
        shown = json.loads(cli(data_dir, "--json", "assessment", "show", listed[0]["id"]))
        assert shown["address"] == "1 Finance Street, Beijing", shown["address"]
        assert shown["sites"] == ["Head office hall", "10000 hotline centre"], shown["sites"]
        verdicts = {f["clause"]: f["verdict"] for f in shown["findings"]}
        assert verdicts.get("4.a") == "conform", verdicts
        assert verdicts.get("4.b") == "nonconform", verdicts
        assert verdicts.get("4.c") == "partial", verdicts
        assert verdicts.get("7.4.2.2") == "nonconform", verdicts
        f7422 = next(f for f in shown["findings"] if f["clause"] == "7.4.2.2")
        share = next(r for r in f7422["indicator_results"] if r["indicator"] == "manual-answer-15s")
        assert share["n"] == 20 and abs(share["value"] - 75.0) < 1e-9 and share["pass"] is False, share
        assert [e["original_name"] for e in shown["evidence"]] == ["queue-display.png", "agent-rota.txt"], shown["evidence"]
        assert all(e["clauses"] == ["7.4.2.2"] for e in shown["evidence"]), shown["evidence"]
        assert [e["kind"] for e in shown["evidence"]] == ["photo", "document"], shown["evidence"]
        assert len(shown["nonconformities"]) == 1, shown["nonconformities"]
        ncr = shown["nonconformities"][0]
        assert ncr["clause"] == "7.4.2.2" and "75" in ncr["text"], ncr
        assert ncr["suggestion"] == "Add agents at peak hours and review the rota weekly.", ncr
        print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
