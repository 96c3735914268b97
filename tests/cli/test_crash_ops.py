#!/usr/bin/python3
"""attest-cli killed with SIGKILL at random moments in everything that writes: evidence ingest,
bundle import, bundle export, report writing, report signing, the sign-offs (submission,
recheck approval, certificate issue) and identity creation.

Each kill comes at a random moment of the command's run (uniform over its duration measured
undisturbed first, so some land in start-up, most in the work, a few after it finished).
After every kill:
  - SQLite's integrity check passes;
  - every evidence file is named by its own SHA-256;
  - an output (bundle, report) either does not exist or is whole: `attest-cli verify` passes;
  - the retry succeeds (or the kill came after the commit, and the records say so);
  - after the retry nothing of the dead process is left: no .bundle-import-* folder, no
    evidence/.tmp-*, no .NAME.tmp-* beside a key or an output — swept because their lock
    died, not because they aged.
`audit verify` passes at the end of every series.

ATTEST_CRASH_ROUNDS sets the kills per command (the suite's short form: 2; the long form run
by hand for the figures in the notes: 40 or more). ATTEST_CRASH_SEED repeats a run."""
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "crash ops passphrase"
MINI = os.path.join(SRC, "tests", "data", "mini.json")
ROUNDS = int(os.environ.get("ATTEST_CRASH_ROUNDS", "2"))
BIG = 24 << 20


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Store:
    """One data directory and the checks that must hold in it after any kill."""

    def __init__(self, path):
        self.path = path
        self.verified = set()

    def cli(self, *args, expect=0, env=None):
        full = dict(os.environ, ATTEST_PASSPHRASE=PASS)
        full.update(env or {})
        p = subprocess.run([CLI, "--data-dir", self.path] + list(args), capture_output=True, text=True,
                           env=full, timeout=300)
        if expect is not None and p.returncode != expect:
            raise AssertionError(f"{args} exited {p.returncode}, expected {expect}\n{p.stderr}")
        return p

    def leftovers(self, outputs=()):
        """What a dead process may leave: temporaries in the data directory and beside outputs."""
        found = []
        if os.path.isdir(self.path):
            found += [n for n in os.listdir(self.path) if n.startswith(".bundle-import-")]
        for sub in ("evidence", "identities", "catalogs"):
            d = os.path.join(self.path, sub)
            if os.path.isdir(d):
                found += [f"{sub}/{n}" for n in os.listdir(d) if n.startswith(".")]
        for out in outputs:
            d, base = os.path.split(out)
            found += [n for n in os.listdir(d) if n.startswith("." + base + ".tmp-")]
        return found

    def check(self, test):
        db = os.path.join(self.path, "attest.db")
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            test.assertEqual(con.execute("pragma integrity_check").fetchone()[0], "ok")
        finally:
            con.close()
        root = os.path.join(self.path, "evidence")
        for name in os.listdir(root) if os.path.isdir(root) else []:
            if name.startswith("."):
                continue
            for stored in os.listdir(os.path.join(root, name)):
                full = os.path.join(root, name, stored)
                st = os.stat(full)
                key = (full, st.st_size, st.st_mtime_ns, st.st_ino)
                if key not in self.verified:
                    # no half file under a real name: every name is its content's hash
                    test.assertEqual(sha256_file(full), stored, f"{full} is not named by its SHA-256")
                    self.verified.add(key)

    def audit(self, test, assessment):
        test.assertIn("intact", self.cli("audit", "verify", assessment).stdout)

    def state(self, assessment):
        return json.loads(self.cli("--json", "assessment", "show", assessment).stdout)["state"]


class CrashOpsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-crash-ops-")
        cls.rng = random.Random(os.environ.get("ATTEST_CRASH_SEED") or None)
        cls.figures = {}
        cls.s = s = Store(os.path.join(cls.tmp, "data"))
        s.cli("standards", "import", MINI)
        cls.lead = s.cli("identity", "create", "--name", "Lead", "--role", "assessor").stdout.strip()
        cls.reviewer = s.cli("identity", "create", "--name", "Reviewer", "--role", "reviewer").stdout.strip()
        cls.issuer = s.cli("identity", "create", "--name", "Issuer", "--role", "issuer").stdout.strip()
        cls.a = s.cli("assessment", "create", "--standard", "MINI", "--org", "Org", "--lead", cls.lead).stdout.strip()
        for clause in ("1.1", "1.2"):
            s.cli("finding", "set", cls.a, clause, "--by", cls.lead, "--verdict", "conform")
        # a large piece of evidence, so import, export and ingest take long enough to be hit
        cls.big = os.path.join(cls.tmp, "big.bin")
        with open(cls.big, "wb") as f:
            f.write(os.urandom(BIG))
        s.cli("evidence", "add", cls.a, cls.big, "--by", cls.lead, "--clause", "1.1")
        cls.bundle = os.path.join(cls.tmp, "source.attest")
        s.cli("bundle", "export", cls.a, "-o", cls.bundle, "--by", cls.lead)

    @classmethod
    def tearDownClass(cls):
        print("\n" + "\n".join(f"{k}: {v}" for k, v in sorted(cls.figures.items())), file=sys.stderr)
        shutil.rmtree(cls.tmp)

    # ---- the kill ----------------------------------------------------------------------------

    def timed(self, store, args):
        t0 = time.monotonic()
        store.cli(*args)
        return time.monotonic() - t0

    def kill(self, store, args, window):
        """Starts the command, SIGKILLs it after a random share (up to 90 %) of its undisturbed
        duration; (True if it was killed, False if it finished first; the delay)."""
        env = dict(os.environ, ATTEST_PASSPHRASE=PASS)
        proc = subprocess.Popen([CLI, "--data-dir", store.path] + list(args), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        delay = self.rng.uniform(0, window * 0.9)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        return proc.wait(timeout=60) == -signal.SIGKILL, delay

    def series(self, name, store, args, outputs=(), before=None, done=None, check_output=None, retry_ok=(0,)):
        """ROUNDS kills of one command, each checked and retried. before(i) prepares a round
        (and may return other args); done() says whether the killed run had committed."""
        window = None
        killed = left = committed = again = 0
        i = 0
        while i <= ROUNDS:
            round_args = (before(i) if before else None) or args
            for out in outputs:
                if os.path.exists(out):
                    os.unlink(out)
            if window is None:
                # the first round runs undisturbed, twice: how long the command takes here (the
                # faster of the two, as a first run pays for cold caches and a kill timed by it
                # would land after the later, faster runs had finished)
                window = min(self.timed(store, round_args), self.timed(store, round_args))
                i += 1
                continue
            was_killed, delay = self.kill(store, round_args, window)
            killed += was_killed
            if not was_killed and again < ROUNDS:
                # It finished before the kill: the undisturbed runs were slower than this one
                # (a cache, a quieter moment). This round is checked like the others and made
                # again with the window it just showed, at most ROUNDS times in a series.
                again += 1
                window = min(window, delay)
            else:
                i += 1
            store.check(self)
            found = store.leftovers(outputs)
            left += bool(found)
            for out in outputs:
                if os.path.exists(out):
                    # no half-written output under the finished name
                    check_output(out)
            if done is not None and done():
                committed += 1
                continue
            p = store.cli(*round_args, expect=None)
            self.assertIn(p.returncode, retry_ok, f"retry of {round_args}: {p.stderr}")
            store.check(self)
            for out in outputs:
                check_output(out)
            self.assertEqual(store.leftovers(outputs), [], f"{name}: left behind after the retry")
        self.figures[name] = (f"{ROUNDS} rounds, {killed} killed mid-way, {left} left temporaries that the retry swept, "
                              f"{committed} had committed; window {window:.2f} s, {again} rounds made again")
        # most kills must have landed while it ran, or this tested nothing
        self.assertGreaterEqual(killed, ROUNDS // 2, self.figures[name])
        return killed

    def verified(self, store):
        def check(path):
            p = store.cli("verify", path, expect=None)
            self.assertEqual(p.returncode, 0, f"{path} is not whole: {p.stdout}{p.stderr}")
        return check

    # ---- the commands ------------------------------------------------------------------------

    def test_1_ingest(self):
        path = os.path.join(self.tmp, "ingest.bin")
        shutil.copy(self.big, path)

        def new_content(i):
            with open(path, "r+b") as f:
                f.seek(-16, os.SEEK_END)
                f.write(i.to_bytes(8, "big") + os.urandom(8))
        self.series("evidence add", self.s, ["evidence", "add", self.a, path, "--by", self.lead, "--clause", "1.2"],
                    before=new_content)
        self.s.audit(self, self.a)

    def test_2_export(self):
        out = os.path.join(self.tmp, "out", "visit.attest")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        self.series("bundle export", self.s, ["bundle", "export", self.a, "-o", out, "--by", self.lead],
                    outputs=[out], check_output=self.verified(self.s))

    def test_3_import(self):
        receiver = Store(os.path.join(self.tmp, "receiver"))
        receiver.cli("standards", "import", MINI)

        # odd rounds import as a copy, so the transaction that applies it runs every time
        def args(i):
            return ["bundle", "import", self.bundle] + (["--as-copy"] if i % 2 else [])
        self.series("bundle import", receiver, None, before=args)
        for a in json.loads(receiver.cli("--json", "assessment", "list").stdout):
            receiver.audit(self, a["id"])

    def test_4_identity(self):
        self.series("identity create", self.s, ["identity", "create", "--name", "Another", "--role", "assessor"])

    def test_5_workflow(self):
        """Submission, approval, certificate, report, countersignature: each killed in turn,
        then the assessment reopened for the next round."""
        s, a = self.s, self.a
        out = os.path.join(self.tmp, "out", "report.pdf")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        steps = [
            ("submit", ["assessment", "submit", a, "--by", self.lead], "submitted"),
            ("review", ["review", a, "--by", self.reviewer, "--approve", "--conclusion", "ok"], "approved"),
            ("certificate issue", ["certificate", "issue", a, "--by", self.issuer], "certified"),
        ]
        killed = {name: 0 for name, _, _ in steps}
        killed.update({"report": 0, "report sign": 0})
        committed = {k: 0 for k in killed}
        left = 0
        windows = {}
        check_pdf = self.verified(s)
        for i in range(ROUNDS + 1):
            for name, args, after in steps:
                if name == "review":
                    # approval needs every clause agreed in this round first (not killed: it is
                    # a record like any other, the crash series of records are above)
                    s.cli("review", "comment", a, "1.1", "1.2", "--by", self.reviewer, "--agree")
                if name not in windows:
                    windows[name] = self.timed(s, args)
                    continue
                killed[name] += self.kill(s, args, windows[name])[0]
                s.check(self)
                left += bool(s.leftovers())
                if s.state(a) == after:
                    committed[name] += 1
                else:
                    s.cli(*args)
                self.assertEqual(s.state(a), after)
                self.assertEqual(s.leftovers(), [])
            # the report, signed by the reviewer as it is written, then by the issuer
            for name, args in (("report", ["report", a, "-o", out, "--by", self.reviewer]),
                               ("report sign", ["report", "sign", out, "--by", self.issuer])):
                if name == "report" and os.path.exists(out):
                    os.unlink(out)
                if name not in windows:
                    windows[name] = self.timed(s, args)
                    continue
                killed[name] += self.kill(s, args, windows[name])[0]
                s.check(self)
                left += bool(s.leftovers([out]))
                if os.path.exists(out):
                    check_pdf(out)
                p = s.cli(*args, expect=None)
                # signed already: the kill came after the rename
                if name == "report sign" and p.returncode == 3 and "already there" in p.stderr:
                    committed[name] += 1
                else:
                    self.assertEqual(p.returncode, 0, p.stderr)
                check_pdf(out)
                self.assertEqual(s.leftovers([out]), [])
            s.cli("assessment", "reopen", a, "--by", self.lead, "--reason", f"round {i}")
        s.audit(self, a)
        for name in killed:
            self.figures[name] = (f"{ROUNDS} rounds, {killed[name]} killed mid-way, {committed[name]} had committed; "
                                  f"window {windows[name]:.2f} s")
        self.figures["workflow leftovers swept"] = left
        self.assertGreaterEqual(sum(killed.values()), len(killed) * ROUNDS // 2, killed)


if __name__ == "__main__":
    unittest.main(verbosity=2)
