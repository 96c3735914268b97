"""What the bundle tests share: attest-cli, tar and zstd by hand, a source store with one
assessment exported as a good bundle, and the check that a refused import changed nothing."""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unittest

CLI = os.environ["ATTEST_CLI"]
PASS = "correct horse battery"
HAVE_OPENSSL = shutil.which("openssl") is not None


def run(data_dir, *args, expect=0, json_out=False, env=None):
    full_env = dict(os.environ)
    full_env.pop("ATTEST_PASSPHRASE", None)
    full_env.update(env or {})
    argv = [CLI, "--data-dir", data_dir] + (["--json"] if json_out else []) + list(args)
    p = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=120)
    if p.returncode != expect:
        raise AssertionError(f"{argv} exited {p.returncode}, expected {expect}\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return json.loads(p.stdout) if json_out else p


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, capture_output=True, check=True).stdout


def unzstd(data):
    return subprocess.run(["zstd", "-q", "-d", "-c"], input=data, capture_output=True, check=True).stdout


def read_bundle(path):
    """The entries of a bundle, in order, as (name, bytes)."""
    with open(path, "rb") as f:
        raw = unzstd(f.read())
    out = []
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
        for m in tar.getmembers():
            out.append((m.name, tar.extractfile(m).read()))
    return out


def tar_bytes(entries):
    """entries: (name, bytes) for regular files, or a ready TarInfo (with bytes or None)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:", format=tarfile.PAX_FORMAT) as tar:
        for e in entries:
            if isinstance(e[0], tarfile.TarInfo):
                info, data = e
                tar.addfile(info, io.BytesIO(data) if data is not None else None)
            else:
                name, data = e
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def special(name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.devmajor, info.devminor = 1, 3
    return (info, None)


def raw_entry(name, data):
    """One regular file as tar bytes, without the end-of-archive blocks."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    return info.tobuf(format=tarfile.PAX_FORMAT) + data + b"\0" * (-len(data) % 512)


def header_only(name, size):
    """A tar header that claims size bytes, with none of them after it."""
    info = tarfile.TarInfo(name)
    info.size = size
    return info.tobuf(format=tarfile.GNU_FORMAT)


def snapshot(data_dir):
    """Every file and folder under data_dir with its content hash, and the database's rows.
    attest-cli checkpoints and removes the WAL when it closes the database, so a leftover WAL
    is counted like any file (only the shared-memory index, which readers rewrite, is not)."""
    tree = {}
    for root, dirs, files in os.walk(data_dir):
        for d in dirs:
            tree[os.path.relpath(os.path.join(root, d), data_dir) + "/"] = None
        for f in files:
            if f == "attest.db-shm":
                continue
            full = os.path.join(root, f)
            with open(full, "rb") as fh:
                tree[os.path.relpath(full, data_dir)] = hashlib.sha256(fh.read()).hexdigest()
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'attest.db')}?immutable=1", uri=True)
    rows = list(db.iterdump())
    db.close()
    return tree, rows


GENESIS = "0" * 64


def audit_hash(prev, e):
    """An audit entry's hash, as at-audit.c computes it."""
    text = "attest-audit/1\n%s\n%d\n%s\n%s\n%s\n%s\n%s\n%s" % (
        prev, e["n"], e["at"], e["actor"] or "", e["action"], e["entity"], e["entity_key"],
        "null" if e["state"] is None else e["state"])
    return hashlib.sha256(text.encode()).hexdigest()


def rechain_audit(audit):
    prev = GENESIS
    for e in audit:
        e["prev_hash"] = prev
        e["hash"] = prev = audit_hash(prev, e)


class BundleCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-bundle-")
        cls.a = os.path.join(cls.tmp, "a")
        help_text = subprocess.run([CLI, "--help"], capture_output=True, text=True).stdout
        cls.skipped = []
        env = {"ATTEST_PASSPHRASE": PASS}
        cls.lead = run(cls.a, "identity", "create", "--name", "Ann Assessor", "--role", "assessor",
                       "--org", "CB", env=env).stdout.strip()
        cls.other = run(cls.a, "identity", "create", "--name", "Otto Other", "--role", "assessor",
                        "--org", "CB", env=env).stdout.strip()
        cls.assessment = run(cls.a, "assessment", "create", "--standard", "QCS", "--org", "Org X",
                             "--lead", cls.lead, "--scope", "hotline", "--site", "Beijing").stdout.strip()

        catalog = run(cls.a, "standards", "show", "QCS", json_out=True)
        clauses = []

        def walk(items):
            for c in items:
                if c.get("assessable"):
                    clauses.append(c["number"])
                walk(c.get("children", []))
        walk(catalog["clauses"])
        cls.clauses = clauses

        cls.has_finding = "finding set" in help_text
        cls.has_evidence = "evidence add" in help_text
        cls.has_nc = "nc add" in help_text
        if cls.has_finding:
            run(cls.a, "finding", "set", cls.assessment, clauses[0], "--by", cls.lead,
                "--verdict", "conform", "--note", "answered within 15 s")
        else:
            cls.skipped.append("finding set (attest-cli has no “finding set” yet)")
        cls.evidence = []
        if cls.has_evidence:
            for i, size in enumerate((70000, 1234)):
                path = os.path.join(cls.tmp, f"evidence-{i}.bin")
                with open(path, "wb") as f:
                    f.write(os.urandom(size))
                cls.evidence.append(run(cls.a, "evidence", "add", cls.assessment, path, "--by", cls.lead,
                                        "--clause", clauses[0]).stdout.strip())
        else:
            cls.skipped.append("evidence add (attest-cli has no “evidence add” yet)")
        if cls.has_nc:
            run(cls.a, "nc", "add", cls.assessment, clauses[1], "--by", cls.lead, "--grade", "minor",
                "--text", "staff not polite", "--suggestion", "train them")
        else:
            cls.skipped.append("nc add (attest-cli has no “nc add” yet)")
        for s in cls.skipped:
            print(f"test_bundle: records not created: {s}", file=sys.stderr)

        cls.good = os.path.join(cls.tmp, "good.attest")
        run(cls.a, "bundle", "export", cls.assessment, "-o", cls.good, "--by", cls.lead, env=env)
        cls.entries = read_bundle(cls.good)
        with open(cls.good, "rb") as f:
            cls.good_bytes = f.read()

        # the exporter's key, for bundles re-signed after a change (openssl cms, as Attest signs)
        cls.keys = {}
        if HAVE_OPENSSL:
            for ident in (cls.lead, cls.other):
                pem = os.path.join(cls.tmp, f"{ident}.pem")
                subprocess.run(["openssl", "pkcs12", "-in", os.path.join(cls.a, "identities", f"{ident}.p12"),
                                "-passin", f"pass:{PASS}", "-nodes", "-out", pem],
                               check=True, capture_output=True)
                cls.keys[ident] = pem
        cls.other_cert = None
        if HAVE_OPENSSL:
            with open(cls.keys[cls.other]) as f:
                text = f.read()
            start = text.index("-----BEGIN CERTIFICATE-----")
            end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
            cls.other_cert = text[start:end] + "\n"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    # -- helpers ---------------------------------------------------------------------------

    def sign(self, manifest, ident=None):
        pem = self.keys[ident or self.lead]
        src = os.path.join(self.tmp, "m.json")
        with open(src, "wb") as f:
            f.write(manifest)
        return subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
                               "-signer", pem, "-inkey", pem, "-in", src],
                              check=True, capture_output=True).stdout

    def manifest(self):
        return json.loads(self.entries[0][1])

    def patched(self, rechain=False, **changes):
        """The manifest with the assessment row changed, and the audit log's last state of it
        changed to match (as canonical JSON: members in row order, no spaces). With rechain,
        the log's hashes are recomputed too: a forgery consistent in itself, which only the
        checks on the records' contents can refuse."""
        m = self.manifest()
        row = m["records"]["assessment"][0]["row"]
        row.update(changes)
        last = [e for e in m["audit"] if e["entity"] == "assessment"][-1]
        last["state"] = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        if rechain:
            rechain_audit(m["audit"])
        return m

    def evidence_entries(self):
        return [e for e in self.entries if e[0].startswith("evidence/")]

    def with_manifest(self, m, resign=True):
        data = json.dumps(m, ensure_ascii=False, indent=1).encode()
        sig = self.sign(data) if resign else self.entries[1][1]
        return [("manifest.json", data), ("manifest.json.sig", sig)] + self.evidence_entries()

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assert_refused(self, target, name, data, fragment):
        path = self.write(name, data)
        before = snapshot(target)
        # and nothing outside it either: the importer's only scratch space is inside the data
        # directory, so an empty TMPDIR stays empty
        scratch = tempfile.mkdtemp(prefix="tmpdir-", dir=self.tmp)
        p = run(target, "bundle", "import", path, expect=2, env={"TMPDIR": scratch})
        self.assertIn(fragment, p.stderr, f"{name}: {p.stderr}")
        self.assertTrue(p.stderr.startswith("attest-cli: error: "), p.stderr)
        after = snapshot(target)
        self.assertEqual(before[0], after[0], f"{name}: the data directory changed")
        self.assertEqual(before[1], after[1], f"{name}: the database changed")
        self.assertEqual(os.listdir(scratch), [], f"{name}: files were left in TMPDIR")
        os.rmdir(scratch)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), data, f"{name}: the bundle itself was changed")

    def make_target(self, name):
        """A data directory with something in it, to show that a refusal leaves it alone."""
        target = os.path.join(self.tmp, name)
        run(target, "identity", "create", "--name", "Someone", "--role", "reviewer",
            env={"ATTEST_PASSPHRASE": PASS})
        return target

    def run_cases(self, target, cases):
        for name, data, fragment in cases:
            with self.subTest(name):
                self.assert_refused(target, name + ".attest", data, fragment)
