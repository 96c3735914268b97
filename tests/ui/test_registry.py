#!/usr/bin/python3
"""The Registry page against a throwaway PostgreSQL cluster: the address typed into the page,
the published assessments listed, one fetched into this data directory and opened; then an
approved assessment certified with a number the registry gives and published from the assessment
menu, each signed in the sign dialog. In English
the whole round; in Chinese the page itself, for the README's screenshots. Exits 77 (skipped)
only when PostgreSQL's programs are not installed."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from atspi_helpers import (app_named, click, find, press_key, screenshot_window, set_text, showing,  # noqa: E402
                           start_attest, wait_for, window_named)
import pglib  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PASS = "registry window passphrase"

WORDS = {
    "en": {"address": "Registry address", "fetch": "Fetch ", "menu": "Assessment menu", "publish_item": "Publish to Registry",
           "publish_title": "Publish to Registry", "publish": "Publish", "pass": "Passphrase of your key", "open": "Open "},
    "zh_CN": {"address": "登记库地址", "fetch": "获取 ", "menu": "评价菜单", "publish_item": "发布到登记库",
              "publish_title": "发布到登记库", "publish": "发布", "pass": "您的密钥口令", "open": "打开 "},
}


def plain(label):
    return (label or "").replace("(_", "(").replace("_", "")


def main(lang):
    w = WORDS[lang]
    tmp = tempfile.mkdtemp(prefix="attest-ui-registry-")
    pg = pglib.Cluster()
    os.environ["PGPASSFILE"] = pg.pgpass
    url = pg.url()
    env = dict(os.environ, ATTEST_PASSPHRASE=PASS)

    def cli(data_dir, *args, registry=False):
        argv = [CLI, "--data-dir", data_dir] + (["--registry", url] if registry else []) + list(args)
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
        assert p.returncode == 0, f"{args}: {p.stderr}"
        return p.stdout.strip()

    def approved(data_dir, org, lead, reviewer):
        a = cli(data_dir, "assessment", "create", "--standard", "MINI", "--org", org, "--lead", lead, "--scope", "hotline")
        for clause in ("1.1", "1.2"):
            cli(data_dir, "finding", "set", a, clause, "--by", lead, "--verdict", "conform")
        cli(data_dir, "assessment", "submit", a, "--by", lead)
        cli(data_dir, "review", "comment", a, "1.1", "1.2", "--by", reviewer, "--agree")
        cli(data_dir, "review", a, "--by", reviewer, "--approve", "--conclusion", "conforms")
        return a

    proc = None
    try:
        cli(tmp, "registry", "init", "--url", url)
        # the office publishes two assessments, one of them certified
        office = os.path.join(tmp, "office")
        mini = os.path.join(SRC, "tests", "data", "mini.json")
        cli(office, "standards", "import", mini)
        lead = cli(office, "identity", "create", "--name", "Olga Lead", "--role", "assessor")
        reviewer = cli(office, "identity", "create", "--name", "Ron Reviewer", "--role", "reviewer")
        issuer = cli(office, "identity", "create", "--name", "Ida Issuer", "--role", "issuer")
        remote = approved(office, "Remote Telecom", lead, reviewer)
        number = cli(office, "certificate", "issue", remote, "--by", issuer, registry=True)
        cli(office, "registry", "publish", remote, "--by", issuer, registry=True)
        other = approved(office, "Harbour Broadband", lead, reviewer)
        cli(office, "registry", "publish", other, registry=True)

        # this desk: someone with an approved assessment of their own to publish
        desk = os.path.join(tmp, "desk")
        cli(desk, "standards", "import", mini)
        me = cli(desk, "identity", "create", "--name", "Dora Desk", "--role", "assessor", "--role", "issuer")
        desk_reviewer = cli(desk, "identity", "create", "--name", "Rex Reviewer", "--role", "reviewer")
        local = approved(desk, "Local Telecom", me, desk_reviewer)

        proc = start_attest(desk, lang)
        app = app_named("attest")
        frame = wait_for("main window", lambda: find(app, lambda n: n.getRoleName() == "frame" and showing(n)))
        wait_for("assessments", lambda: find(frame, lambda n: (n.name or "").startswith(w["open"] + "Local Telecom")))

        press_key("ctrl+shift+r")
        address = wait_for("registry address", lambda: find(frame, lambda n: n.name == w["address"]
                                                             and n.getRoleName() == "text" and showing(n)))
        set_text(address, url)
        press_key("Return")  # the page puts the focus on the address while there is none
        fetch = wait_for("fetch button", lambda: find(frame, lambda n: (n.name or "").startswith(w["fetch"] + "Remote Telecom")
                                                       and n.getRoleName() == "push button" and showing(n)), timeout=40)
        wait_for("the other one", lambda: find(frame, lambda n: (n.name or "").startswith(w["fetch"] + "Harbour Broadband") and showing(n)))
        frame_title = frame.name
        screenshot_window(frame_title, f"registry-{lang}")
        if lang != "en":
            return 0

        # fetched into this data directory and opened
        click(fetch)
        wait_for("fetched", lambda: remote in [a["id"] for a in json.loads(cli(desk, "--json", "assessment", "list"))], timeout=60)
        shown = json.loads(cli(desk, "--json", "assessment", "show", remote))
        assert shown["state"] == "certified" and shown["certificate"]["number"] == number, shown
        wait_for("the assessment open", lambda: find(frame, lambda n: n.name == w["menu"] and showing(n)), timeout=30)

        # back to the list, open our own, publish it from the assessment menu
        press_key("alt+Left")
        click(wait_for("open local", lambda: find(frame, lambda n: (n.name or "").startswith(w["open"] + "Local Telecom")
                                                  and showing(n))))
        # the certificate, numbered by the registry the page was told about
        def is_pass(n):
            return n.name == w["pass"] and n.getRoleName() in ("password text", "text")
        click(wait_for("assessment menu", lambda: find(frame, lambda n: n.name == w["menu"] and showing(n))))
        click(wait_for("issue item", lambda: find(app, lambda n: plain(n.name).startswith("Issue Certificate")
                                                  and n.getRoleName() in ("menu item", "push button"))))
        dialog = wait_for("issue dialog", lambda: window_named(app, "Issue Certificate", having=is_pass))
        set_text(find(dialog, is_pass), PASS)
        click(wait_for("issue button", lambda: find(dialog, lambda n: "Issue" in plain(n.name) and "Certificate" not in n.name
                                                      and n.getRoleName() == "push button")))
        wait_for("certified", lambda: json.loads(cli(desk, "--json", "assessment", "show", local))["state"] == "certified", timeout=60)
        local_number = json.loads(cli(desk, "--json", "assessment", "show", local))["certificate"]["number"]
        assert local_number != number, (local_number, number)
        assert pg.registry_sql(f"SELECT assessment_id FROM certificates WHERE number = '{local_number}'") == local

        click(wait_for("assessment menu", lambda: find(frame, lambda n: n.name == w["menu"] and showing(n))))
        click(wait_for("publish item", lambda: find(app, lambda n: plain(n.name).startswith(w["publish_item"])
                                                    and n.getRoleName() in ("menu item", "push button"))))

        dialog = wait_for("publish dialog", lambda: window_named(app, w["publish_title"], having=is_pass))
        set_text(find(dialog, is_pass), PASS)
        screenshot_window(w["publish_title"], f"publish-{lang}")
        click(wait_for("publish button", lambda: find(dialog, lambda n: w["publish"] in plain(n.name) and "Registry" not in n.name
                                                      and n.getRoleName() == "push button")))
        wait_for("published", lambda: local in [e["id"] for e in json.loads(cli(desk, "--json", "registry", "list", registry=True))],
                 timeout=60)
        listed = [e for e in json.loads(cli(desk, "--json", "registry", "list", registry=True)) if e["id"] == local][0]
        assert listed["org"] == "Local Telecom" and listed["state"] == "certified", listed
        assert listed["certificate"]["number"] == local_number and listed["certificate"]["status"] == "valid", listed
        print("registry page: fetched", remote, "and published", local)
        return 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    missing = pglib.missing_tools()
    if missing:
        print(f"SKIP: PostgreSQL's programs ({', '.join(missing)}) are not in {pglib.PG_BIN}: install postgresql-15 "
              "(build-aux/test does).")
        sys.exit(77)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "en"))
