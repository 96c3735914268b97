#!/usr/bin/python3
"""attest-cli evidence add, killed with SIGKILL at random moments, never leaves a broken store.

Two kinds of kill, 25 times each: while a 64 MB file is being copied and hashed, and while the
database transaction is open (ATTEST_TEST_COMMIT_DELAY_MS, read by _at_change_commit, holds it
open before COMMIT). After every kill: SQLite's integrity check passes, every stored file is
named by its own SHA-256, `assessment show --json` works, and the same add, retried, succeeds,
sweeps the killed ingest's temporary file (its lock died with the process; no age is waited
for) and lists the file exactly once. `audit verify` is
clean at the end of each series.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "correct horse battery"
MINI = os.path.join(SRC, "tests", "data", "mini.json")
BIG = 64 << 20
ROUNDS = 25
MIN_ROUNDS = 8
# seconds since the class started by which each series stops adding rounds (see within_budget)
BUDGET = {"test_kill_during_ingest": 85, "test_kill_during_transaction": 145}
COMMIT_DELAY_MS = 300


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class CrashTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-crash-")
        cls.data_dir = os.path.join(cls.tmp, "data")
        cls.t0 = time.monotonic()
        cls.rng = random.Random(os.environ.get("ATTEST_CRASH_SEED") or None)
        cls.verified = set()
        cls.run_cli("standards", "import", MINI)
        cls.lead = cls.run_cli("identity", "create", "--name", "Assessor", "--role", "assessor",
                               env={"ATTEST_PASSPHRASE": PASS}).stdout.strip()
        cls.assessment = cls.run_cli("assessment", "create", "--standard", "MINI", "--org", "O",
                                     "--lead", cls.lead).stdout.strip()
        # generated once per run; each round changes its last bytes so each ingest is new content
        cls.big = os.path.join(cls.tmp, "big.bin")
        with open(cls.big, "wb") as f:
            for _ in range(BIG >> 20):
                f.write(os.urandom(1 << 20))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @classmethod
    def run_cli(cls, *args, env=None, expect=0):
        full_env = dict(os.environ)
        full_env.pop("ATTEST_TEST_COMMIT_DELAY_MS", None)
        full_env.update(env or {})
        p = subprocess.run([CLI, "--data-dir", cls.data_dir] + list(args), capture_output=True,
                           text=True, env=full_env, timeout=120)
        if p.returncode != expect:
            raise AssertionError(f"{args} exited {p.returncode}, expected {expect}\n{p.stderr}")
        return p

    def add_args(self, path):
        return ["evidence", "add", self.assessment, path, "--by", self.lead, "--clause", "1.1"]

    def kill_at(self, path, after, started, env=None):
        """Runs the add, waits until started() says the phase under test has begun (process
        start-up is not what we test), sleeps `after` seconds, then SIGKILLs it."""
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.Popen([CLI, "--data-dir", self.data_dir] + self.add_args(path),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=full_env)
        deadline = time.monotonic() + 60
        while proc.poll() is None and not started() and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(after)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return proc.returncode

    def temporaries(self):
        root = os.path.join(self.data_dir, "evidence")
        return {n for n in os.listdir(root) if n.startswith(".tmp-")} if os.path.isdir(root) else set()

    def check_store(self):
        """What must hold after any crash."""
        db = os.path.join(self.data_dir, "attest.db")
        p = subprocess.run(["sqlite3", db, "pragma integrity_check"], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.stdout.strip(), "ok", p.stderr)

        root = os.path.join(self.data_dir, "evidence")
        temporaries = []
        for name in os.listdir(root) if os.path.isdir(root) else []:
            path = os.path.join(root, name)
            if name.startswith(".tmp-"):
                temporaries.append(path)
                continue
            self.assertTrue(os.path.isdir(path) and len(name) == 2, f"stray {path}")
            for stored in os.listdir(path):
                full = os.path.join(path, stored)
                st = os.stat(full)
                key = (stored, st.st_size, st.st_mtime_ns, st.st_ino)
                if key in self.verified:
                    continue
                # no half file under a real name: every name is its content's hash
                self.assertEqual(sha256_file(full), stored, f"{full} is not named by its SHA-256")
                self.assertEqual(stored[:2], name)
                self.verified.add(key)

        shown = json.loads(self.run_cli("--json", "assessment", "show", self.assessment).stdout)
        self.assertEqual(shown["id"], self.assessment)
        self.last_shown = shown
        return temporaries

    def check_audit(self):
        # the chain is cumulative: a transaction half-applied by any kill would still show here
        self.assertIn("intact", self.run_cli("audit", "verify", self.assessment).stdout)

    def retry(self, path, want, temporaries):
        # what a killed ingest left is swept by the next run: its lock died with it, whatever its age
        got = self.run_cli(*self.add_args(path)).stdout.strip()
        self.assertEqual(got, want)
        for t in temporaries:
            self.assertFalse(os.path.exists(t), f"{t} was not swept")
        listed = json.loads(self.run_cli("--json", "evidence", "list", self.assessment).stdout)
        mine = [e for e in listed if e["sha256"] == want]
        self.assertEqual(len(mine), 1, listed)
        self.assertEqual(mine[0]["clauses"], ["1.1"])
        self.assertTrue(os.path.exists(os.path.join(self.data_dir, "evidence", want[:2], want)))

    def new_content(self, path, round_no, size=None):
        with open(path, "r+b" if size is None else "wb") as f:
            if size is None:
                f.seek(-16, os.SEEK_END)
                f.write(round_no.to_bytes(8, "big") + os.urandom(8))
            else:
                f.write(os.urandom(size))
        return sha256_file(path)

    def within_budget(self, done):
        """On a slow or busy machine fewer rounds keep the test under its 3-minute limit (a
        round is a few attest-cli runs and a 64 MB ingest). At least MIN_ROUNDS always run."""
        spent = time.monotonic() - self.t0
        if done >= MIN_ROUNDS and spent > BUDGET[self._testMethodName]:
            print(f"{self._testMethodName}: stopped after {done} rounds ({spent:.0f} s)")
            return False
        return True

    def test_kill_during_ingest(self):
        # how long copying and hashing take here (from the temporary file's appearance to exit)
        want = self.new_content(self.big, 0)
        proc = subprocess.Popen([CLI, "--data-dir", self.data_dir] + self.add_args(self.big),
                                stdout=subprocess.DEVNULL)
        while proc.poll() is None and not self.temporaries():
            time.sleep(0.002)
        t0 = time.monotonic()
        self.assertEqual(proc.wait(timeout=120), 0)
        window = time.monotonic() - t0
        self.retry(self.big, want, self.check_store())

        killed = rounds = 0
        for i in range(1, ROUNDS + 1):
            if not self.within_budget(rounds):
                break
            rounds += 1
            want = self.new_content(self.big, i)
            before = self.temporaries()
            status = self.kill_at(self.big, self.rng.uniform(0, window), lambda: self.temporaries() - before)
            killed += status == -signal.SIGKILL
            self.retry(self.big, want, self.check_store())
        self.check_audit()
        print(f"ingest: {rounds} rounds, {killed} killed mid-way, ingest window {window:.2f} s")
        # most kills must have landed while it ran, or this tested nothing
        self.assertGreaterEqual(killed, MIN_ROUNDS // 2)

    def test_kill_during_transaction(self):
        small = os.path.join(self.tmp, "small.bin")
        env = {"ATTEST_TEST_COMMIT_DELAY_MS": str(COMMIT_DELAY_MS)}
        placed_unreferenced = rounds = 0
        for i in range(1, ROUNDS + 1):
            if not self.within_budget(rounds):
                break
            rounds += 1
            want = self.new_content(small, i, 256 << 10)
            final = os.path.join(self.data_dir, "evidence", want[:2], want)
            # The file is placed inside the transaction, just before the delay and COMMIT: from
            # then, kill anywhere in the delay or in the COMMIT that follows it.
            after = self.rng.uniform(0, COMMIT_DELAY_MS / 1000 + 0.02)
            status = self.kill_at(small, after, lambda: os.path.exists(final), env)
            self.assertIn(status, (-signal.SIGKILL, 0))  # 0: it finished just before the kill
            temporaries = self.check_store()
            if os.path.exists(final):
                if want not in [e["sha256"] for e in self.last_shown["evidence"]]:
                    # killed inside the transaction: the rows rolled back, the complete file stayed
                    placed_unreferenced += 1
            self.retry(small, want, temporaries)
        self.check_audit()
        print(f"transaction: {rounds} rounds, {placed_unreferenced} killed between placing the file and COMMIT")
        self.assertGreater(placed_unreferenced, 0, "no kill landed inside the transaction")


if __name__ == "__main__":
    unittest.main(verbosity=2)
