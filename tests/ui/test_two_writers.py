#!/usr/bin/python3
"""Two writers on one data directory: the window records while attest-cli, in two processes at
once, records findings, notes and evidence in a loop. No write is lost, and neither the window
nor attest-cli shows "database is locked" (or any other failure) to the person.

The window types a note on its clause again and again and sets its verdict, waiting each time
for "Saved"; the clause page never says "Not saved". attest-cli works on the other clauses.
At the end every attest-cli command has exited 0, the store holds each one's last write, the
window's last note and verdict, and the audit trail is intact. ATTEST_WRITERS_ROUNDS sets the
window's notes (12 here); the attest-cli loops run until the window is done."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_helpers import click, find, find_all, showing, start_attest, wait_for  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
PASS = "two writers passphrase"
ROUNDS = int(os.environ.get("ATTEST_WRITERS_ROUNDS", "12"))


def cli(data_dir, *args):
    return subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, ATTEST_PASSPHRASE=PASS))


class Writer(threading.Thread):
    """attest-cli in a loop on its own clauses: a finding with a note, now and then evidence."""

    def __init__(self, data_dir, a, lead, clauses, tmp, name):
        super().__init__(daemon=True)
        self.data_dir, self.a, self.lead, self.clauses, self.tmp, self.tag = data_dir, a, lead, clauses, tmp, name
        self.stop = threading.Event()
        self.failures = []
        self.last = {}
        self.evidence = []
        self.runs = 0

    def run(self):
        i = 0
        while not self.stop.is_set():
            clause = self.clauses[i % len(self.clauses)]
            note = f"{self.tag} write {i}"
            p = cli(self.data_dir, "finding", "set", self.a, clause, "--by", self.lead, "--verdict", "conform",
                    "--note", note)
            self.runs += 1
            if p.returncode != 0:
                self.failures.append(p.stderr.strip())
            else:
                self.last[clause] = note
            if i % 5 == 4:
                path = os.path.join(self.tmp, f"{self.tag}-{i}.txt")
                with open(path, "w") as f:
                    f.write(f"{self.tag} evidence {i} {time.time()}\n")
                p = cli(self.data_dir, "evidence", "add", self.a, path, "--by", self.lead, "--clause", clause)
                self.runs += 1
                if p.returncode != 0:
                    self.failures.append(p.stderr.strip())
                else:
                    self.evidence.append(p.stdout.strip())
            i += 1


def main():
    tmp = tempfile.mkdtemp(prefix="attest-two-writers-")
    data_dir = os.path.join(tmp, "data")
    lead = cli(data_dir, "identity", "create", "--name", "Diligent Assessor", "--role", "assessor").stdout.strip()
    a = cli(data_dir, "assessment", "create", "--standard", "QCS", "--org", "Lively Telecom", "--lead", lead).stdout.strip()
    catalog = json.loads(cli(data_dir, "--json", "standards", "show", "QCS").stdout)

    def clauses(nodes):
        for c in nodes:
            yield c
            yield from clauses(c.get("children", []))
    assessable = [c["number"] for c in clauses(catalog["clauses"]) if c["assessable"]]
    mine = assessable[0]          # the clause the window opens on
    writers = [Writer(data_dir, a, lead, assessable[1 + k::2][:20], tmp, f"cli-{k}") for k in range(2)]

    proc = start_attest(data_dir)
    try:
        app = wait_for("attest", lambda: next((x for x in __import__("pyatspi").Registry.getDesktop(0)
                                                if x is not None and x.name == "attest"), None), timeout=60)
        app.set_cache_mask(0)
        frame = wait_for("main window", lambda: find(app, lambda n: n.name == "Attest" and n.getRoleName() == "frame"))
        click(wait_for("open", lambda: find(frame, lambda n: (n.name or "").startswith("Open Lively Telecom"))))
        note = wait_for("Notes", lambda: find(frame, lambda n: n.name == "Notes" and n.getRoleName() == "text" and showing(n)))
        verdicts = [wait_for(v, lambda v=v: find(frame, lambda n: n.name == v and n.getRoleName() in ("toggle button", "push button")
                                                 and showing(n))) for v in ("Conform", "Partially conform")]

        for w in writers:
            w.start()
        status = None
        said = []
        for k in range(ROUNDS):
            text = f"window note {k}: recorded while attest-cli writes"
            note.queryEditableText().setTextContents(text)
            if status is None:
                status = wait_for("Saved", lambda: find(frame, lambda n: n.getRoleName() == "label" and showing(n)
                                                         and (n.name or "").startswith("Saved ")))
            else:
                # the label reads "Editing…" (set as the text changed) until the pause is over and the write is done
                wait_for("Saved", lambda: status.name.startswith("Saved ") or status.name == "Not saved", timeout=40)
            said.append(status.name)
            assert status.name.startswith("Saved "), f"the window said {status.name!r} while attest-cli wrote"
            click(verdicts[k % 2])
        last_verdict = ("conform", "partial")[(ROUNDS - 1) % 2]
        time.sleep(1)
        for w in writers:
            w.stop.set()
        for w in writers:
            w.join(timeout=180)

        # nothing the person would read says the database was busy
        words = [n.name for n in find_all(frame, lambda n: n.getRoleName() == "label" and showing(n)
                                          and any(x in (n.name or "").lower() for x in ("locked", "busy", "not saved")))]
        assert words == [], words
    finally:
        for w in writers:
            w.stop.set()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    try:
        for w in writers:
            assert w.failures == [], f"{w.tag}: {w.failures[:3]}"
        shown = json.loads(cli(data_dir, "--json", "assessment", "show", a).stdout)
        findings = {f["clause"]: f for f in shown["findings"]}
        for w in writers:
            for clause, note_text in w.last.items():
                assert findings[clause]["note"] == note_text, (clause, findings[clause]["note"], note_text)
        assert findings[mine]["note"] == f"window note {ROUNDS - 1}: recorded while attest-cli writes", findings[mine]
        assert findings[mine]["verdict"] == last_verdict, findings[mine]
        stored = {e["sha256"] for e in shown["evidence"]}
        for w in writers:
            assert set(w.evidence) <= stored
        assert "intact" in cli(data_dir, "audit", "verify", a).stdout
        runs = sum(w.runs for w in writers)
        print(f"{ROUNDS} window notes and verdicts saved while attest-cli ran {runs} commands in two processes; "
              f"none failed, none lost")
        print("1 passed, 0 failed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
