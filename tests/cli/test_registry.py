#!/usr/bin/python3
"""The registry on a throwaway PostgreSQL cluster (initdb and pg_ctl into a temporary folder, on a
free port; the password from a PGPASSFILE): init, publish, list, fetch into another data
directory, status with signed suspensions, withdrawals and restorations, `verify --registry`,
hostile bundles refused with nothing stored, a bundle altered in the database refused on fetch,
100 certificates issued at once from two processes with 100 distinct numbers, and TLS.
Skipped (exit 77) only when PostgreSQL's programs are not installed."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pglib  # noqa: E402
from bundlelib import read_bundle, rechain_audit, tar_bytes, zstd  # noqa: E402

CLI = os.environ["ATTEST_CLI"]
MINI = os.path.join(os.environ["ATTEST_SOURCE_ROOT"], "tests", "data", "mini.json")
PASS = "registry passphrase 1"
HAVE_OPENSSL = shutil.which("openssl") is not None


class Office:
    """A data directory with a lead assessor, a reviewer and an issuer, and the mini catalog."""

    def __init__(self, test, name):
        self.test = test
        self.dir = os.path.join(test.tmp, name)
        self.lead = self.cli("identity", "create", "--name", f"{name} Lead", "--role", "assessor").stdout.strip()
        self.reviewer = self.cli("identity", "create", "--name", f"{name} Reviewer", "--role", "reviewer").stdout.strip()
        self.issuer = self.cli("identity", "create", "--name", f"{name} Issuer", "--role", "issuer").stdout.strip()
        self.cli("standards", "import", MINI)
        self.cli("standards", "import", test.one_clause)

    def cli(self, *args, expect=0, json_out=False, registry=None, env=None):
        return self.test.cli(self.dir, *args, expect=expect, json_out=json_out, registry=registry, env=env)

    def approved(self, org, evidence=None, standard="MINI"):
        a = self.cli("assessment", "create", "--standard", standard, "--org", org, "--lead", self.lead).stdout.strip()
        for clause in ("1.1", "1.2") if standard == "MINI" else ("1.1",):
            self.cli("finding", "set", a, clause, "--by", self.lead, "--verdict", "conform")
        if evidence:
            self.cli("evidence", "add", a, evidence, "--by", self.lead, "--clause", "1.1")
        self.cli("assessment", "submit", a, "--by", self.lead)
        self.cli("review", "comment", a, *(("1.1", "1.2") if standard == "MINI" else ("1.1",)),
                 "--by", self.reviewer, "--agree")
        self.cli("review", a, "--by", self.reviewer, "--approve", "--conclusion", "conforms")
        return a


class RegistryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-registry-")
        cls.pg = pglib.Cluster()
        cls.url = cls.pg.url()
        # a standard of one clause: 100 approved assessments in as few steps as the workflow allows
        with open(MINI, encoding="utf-8") as f:
            one = json.load(f)
        one["code"] = "ONE"
        one["clauses"][0]["children"] = one["clauses"][0]["children"][:1]
        cls.one_clause = os.path.join(cls.tmp, "one.json")
        with open(cls.one_clause, "w", encoding="utf-8") as f:
            json.dump(one, f, ensure_ascii=False)

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()
        shutil.rmtree(cls.tmp)

    def cli(self, data, *args, expect=0, json_out=False, registry=None, env=None):
        full_env = dict(os.environ, ATTEST_PASSPHRASE=PASS, PGPASSFILE=self.pg.pgpass)
        full_env.pop("ATTEST_REGISTRY", None)
        full_env.update(env or {})
        argv = [CLI, "--data-dir", data] + (["--json"] if json_out else [])
        if registry is not False:
            argv += ["--registry", registry or self.url]
        p = subprocess.run(argv + list(args), capture_output=True, text=True, env=full_env, timeout=120)
        self.assertEqual(p.returncode, expect, f"{args}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        if expect != 0:
            self.assertTrue(p.stderr.startswith("attest-cli: error: "), p.stderr)
        return json.loads(p.stdout) if json_out else p

    def setUp(self):
        # every test starts from the schema as `registry init` makes it (idempotent)
        self.cli(self.tmp, "registry", "init", "--url", self.url, registry=False)

    def table_counts(self):
        return self.pg.registry_sql("SELECT (SELECT count(*) FROM assessments), (SELECT count(*) FROM bundle_chunks), "
                                    "(SELECT count(*) FROM publications), (SELECT count(*) FROM identities), "
                                    "(SELECT count(*) FROM certificates WHERE published_at IS NOT NULL), "
                                    "(SELECT coalesce(sum(length(data)), 0) FROM bundle_chunks)")

    # -- connection and schema ---------------------------------------------------------------

    def test_init_and_connection(self):
        again = self.cli(self.tmp, "registry", "init", "--url", self.url, registry=False)
        self.assertIn("0 migrations applied", again.stdout)
        self.assertEqual(self.pg.registry_sql("SELECT max(version) FROM registry_schema"), "1")
        # --url works for every registry command, as the global --registry does
        self.assertIsInstance(self.cli(self.tmp, "registry", "list", "--url", self.url, registry=False, json_out=True), list)

        # a password never goes on the command line
        with_password = self.url.replace("attest@", f"attest:{self.pg.password.replace(' ', '%20')}@")
        p = self.cli(self.tmp, "registry", "list", registry=with_password, expect=2)
        self.assertIn(".pgpass", p.stderr)
        self.assertNotIn(self.pg.password, p.stderr)

        # the password comes from PGPASSFILE: a wrong one is a plain refusal
        wrong = os.path.join(self.tmp, "wrong-pgpass")
        with open(wrong, "w") as f:
            f.write(f"127.0.0.1:{self.pg.port}:attest:attest:not the password\n")
        os.chmod(wrong, 0o600)
        p = self.cli(self.tmp, "registry", "list", expect=2, env={"PGPASSFILE": wrong})
        self.assertIn("could not connect to the registry", p.stderr)
        self.assertIn("password authentication failed", p.stderr)

        # a database without the schema says how to make it
        self.pg.sql("CREATE DATABASE empty OWNER attest")
        with open(wrong, "w") as f:
            f.write(f"127.0.0.1:{self.pg.port}:*:attest:{self.pg.password}\n")
        empty = self.url.rsplit("/", 1)[0] + "/empty"
        p = self.cli(self.tmp, "registry", "list", registry=empty, expect=2, env={"PGPASSFILE": wrong})
        self.assertIn("registry init", p.stderr)

        # an address that is no address
        p = self.cli(self.tmp, "registry", "list", registry="postgresql://[nonsense", expect=2)
        self.assertIn("is not a PostgreSQL connection URL", p.stderr)
        # and no registry at all, where one is needed
        p = self.cli(self.tmp, "registry", "list", registry=False, expect=2)
        self.assertIn("--registry URL", p.stderr)

    # -- the whole round ------------------------------------------------------------------------

    def test_publish_fetch_status(self):
        office = Office(self, "office")
        photo = os.path.join(self.tmp, "photo.jpg")
        with open(photo, "wb") as f:
            f.write(os.urandom(3 << 20))  # three pieces of 1 MiB and a bit in the registry
        a = office.approved("Hotline Services Ltd", evidence=photo)

        draft = office.cli("assessment", "create", "--standard", "MINI", "--org", "Draft Org", "--lead", office.lead).stdout.strip()
        p = office.cli("registry", "publish", draft, expect=3)
        self.assertIn("only an approved or certified assessment is published", p.stderr)

        number = office.cli("certificate", "issue", a, "--by", office.issuer).stdout.strip()
        self.assertRegex(number, r"^MINI-\d{4}-\d{4}$")
        shown = office.cli("assessment", "show", a, json_out=True, registry=False)
        self.assertEqual(shown["certificate"]["number"], number)
        self.assertEqual(self.pg.registry_sql(f"SELECT assessment_id FROM certificates WHERE number = '{number}'"), a)
        # numbered but not yet published: the registry says so
        p = office.cli("registry", "status", number, expect=2)
        self.assertIn("has not been published", p.stderr)

        out = office.cli("registry", "publish", a, "--by", office.issuer).stdout
        self.assertIn("audit log:", out)
        self.assertIn(f"registry: assessment {a} published", out)
        self.assertEqual(self.pg.registry_sql(f"SELECT bundle_chunks FROM assessments WHERE id = '{a}'"), "4")

        listed = office.cli("registry", "list", json_out=True)
        mine = [e for e in listed if e["id"] == a]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["org"], "Hotline Services Ltd")
        self.assertEqual(mine[0]["state"], "certified")
        self.assertEqual(mine[0]["certificate"]["number"], number)
        self.assertEqual(mine[0]["certificate"]["status"], "valid")
        self.assertIn(a, [e["id"] for e in office.cli("registry", "list", "--org", "hotline SERV", json_out=True)])
        self.assertNotIn(a, [e["id"] for e in office.cli("registry", "list", "--org", "Other", json_out=True)])
        self.assertIn(a, [e["id"] for e in office.cli("registry", "list", "--state", "certified", json_out=True)])
        self.assertNotIn(a, [e["id"] for e in office.cli("registry", "list", "--state", "approved", json_out=True)])
        p = office.cli("registry", "list", "--state", "lost", expect=2)
        self.assertIn("is not a state the registry knows", p.stderr)
        self.assertIn(number, office.cli("registry", "list").stdout)

        status = office.cli("registry", "status", number, json_out=True)
        self.assertEqual((status["status"], status["assessment_id"], status["org"]), ("valid", a, "Hotline Services Ltd"))
        self.assertEqual(status["history"], [])
        self.assertIn(f"{number}: valid until {status['valid_until']}", office.cli("registry", "status", number).stdout)

        # fetched into another data directory by its number: the normal importer, every check again
        elsewhere = os.path.join(self.tmp, "elsewhere")
        fetched = self.cli(elsewhere, "registry", "fetch", number, json_out=True)
        self.assertEqual(fetched, {"assessment_id": a, "outcome": "imported"})
        there = self.cli(elsewhere, "assessment", "show", a, json_out=True, registry=False)
        self.assertEqual(there["certificate"]["number"], number)
        self.assertEqual(len(there["evidence"]), 1)
        self.cli(elsewhere, "audit", "verify", a, registry=False)
        self.assertEqual(self.cli(elsewhere, "registry", "fetch", a, json_out=True)["outcome"], "unchanged")
        p = self.cli(elsewhere, "registry", "fetch", "MINI-1999-9999", expect=2)
        self.assertIn("has no published assessment or certificate", p.stderr)
        # nothing of a fetch is left behind in the data directory
        self.assertEqual([n for n in os.listdir(elsewhere) if n.startswith(".registry-")], [])

        # the certificate report, checked against the registry
        report = os.path.join(self.tmp, "report.pdf")
        office.cli("report", a, "-o", report, "--lang", "en", registry=False)
        p = office.cli("verify", report)
        self.assertIn(f"registry: certificate {number} is valid", p.stdout)

        # status changes: issuers only, with a reason, signed, in order
        p = office.cli("registry", "suspend", number, "--by", office.lead, "--reason", "x", expect=3)
        self.assertIn("does not have the issuer role", p.stderr)
        office.cli("registry", "suspend", number, "--by", office.issuer, expect=1)
        p = office.cli("registry", "restore", number, "--by", office.issuer, "--reason", "nothing to restore", expect=3)
        self.assertIn("already valid", p.stderr)
        office.cli("registry", "suspend", number, "--by", office.issuer, "--reason", "hotline closed for a month")
        status = office.cli("registry", "status", number, json_out=True)
        self.assertEqual((status["status"], status["reason"]), ("suspended", "hotline closed for a month"))
        p = office.cli("verify", report, expect=2)
        self.assertIn(f"certificate {number} is no longer valid: suspended since", p.stdout)
        verdict = office.cli("verify", report, json_out=True, expect=2)
        self.assertFalse(verdict["valid"])
        self.assertIn(a, [e["id"] for e in office.cli("registry", "list", "--state", "suspended", json_out=True)])

        office.cli("registry", "restore", number, "--by", office.issuer, "--reason", "hotline open again")
        self.assertEqual(office.cli("registry", "status", number, json_out=True)["status"], "valid")
        office.cli("verify", report)
        office.cli("registry", "withdraw", number, "--by", office.issuer, "--reason", "the organisation closed the service")
        for verb in ("restore", "suspend", "withdraw"):
            p = office.cli("registry", verb, number, "--by", office.issuer, "--reason", "again", expect=3)
            self.assertIn("stays withdrawn", p.stderr)
        status = office.cli("registry", "status", number, json_out=True)
        self.assertEqual(status["status"], "withdrawn")
        self.assertEqual([h["status"] for h in status["history"]], ["suspended", "valid", "withdrawn"])
        self.assertEqual({h["signer"] for h in status["history"]}, {office.issuer})
        text = office.cli("registry", "status", number).stdout
        self.assertIn("withdrawn since", text)
        self.assertIn("restored by", text)

        # the history is checked when read: an altered reason, or a change taken out, is named
        self.pg.registry_sql(f"UPDATE status_changes SET reason = 'nothing happened' WHERE number = '{number}' AND status = 'suspended'")
        p = office.cli("registry", "status", number, expect=2)
        self.assertIn("change 1 (suspended", p.stderr)
        self.assertIn("its text was altered after it was signed", p.stderr)
        office.cli("verify", report, expect=2)
        self.pg.registry_sql(f"DELETE FROM status_changes WHERE number = '{number}' AND status = 'suspended'")
        p = office.cli("registry", "status", number, expect=2)
        self.assertIn("a change was taken out or reordered", p.stderr)

        # a bundle altered in the database is refused on fetch, and nothing is imported
        # one byte flipped (255 − b is never b): overwriting it with a constant left the chunk as it
        # was whenever that byte already held the constant, one run in 256
        self.pg.registry_sql(f"UPDATE bundle_chunks SET data = set_byte(data, 99, 255 - get_byte(data, 99)) "
                             f"WHERE assessment_id = '{a}' AND n = 1")
        third = os.path.join(self.tmp, "third")
        self.cli(third, "identity", "create", "--name", "Someone", "--role", "reviewer", registry=False)
        p = self.cli(third, "registry", "fetch", a, expect=2)
        self.assertIn("does not match the SHA-256 recorded when it was published", p.stderr)
        self.assertEqual(self.cli(third, "assessment", "list", json_out=True, registry=False), [])
        self.assertEqual([n for n in os.listdir(third) if n.startswith(".registry-")], [])

    def test_reissue(self):
        office = Office(self, "reissue")
        a = office.approved("Reissued Org")
        first = office.cli("certificate", "issue", a, "--by", office.issuer).stdout.strip()
        office.cli("registry", "publish", a, "--by", office.issuer)
        office.cli("assessment", "reopen", a, "--by", office.issuer, "--reason", "scope widened", registry=False)
        office.cli("assessment", "submit", a, "--by", office.lead, registry=False)
        office.cli("review", a, "--by", office.reviewer, "--approve", "--conclusion", "still conforms", registry=False)
        second = office.cli("certificate", "issue", a, "--by", office.issuer).stdout.strip()
        self.assertNotEqual(first, second)
        # the registry would go on calling the first one valid: its withdrawal comes first, signed
        before = self.table_counts()
        p = office.cli("registry", "publish", a, "--by", office.issuer, expect=3)
        self.assertIn(f"the registry still shows certificate {first}", p.stderr)
        self.assertIn(f"registry withdraw {first}", p.stderr)
        self.assertEqual(self.table_counts(), before)
        office.cli("registry", "withdraw", first, "--by", office.issuer, "--reason", "replaced by a reissued certificate")
        office.cli("registry", "publish", a, "--by", office.issuer)
        listed = [e for e in office.cli("registry", "list", json_out=True) if e["id"] == a]
        self.assertEqual(listed[0]["certificate"]["number"], second)
        self.assertEqual(office.cli("registry", "status", second, json_out=True)["status"], "valid")
        self.assertEqual(office.cli("registry", "status", first, json_out=True)["status"], "withdrawn")

    def test_expired_and_local_numbers(self):
        office = Office(self, "numbers")
        # a certificate numbered on a laptop before the registry was set up, whose number the
        # registry has already given to someone else: refused on publish, never two owners
        first = office.approved("First Org")
        given = office.cli("certificate", "issue", first, "--by", office.issuer).stdout.strip()
        local = office.approved("Local Org")
        local_number = office.cli("certificate", "issue", local, "--by", office.issuer, registry=False).stdout.strip()
        self.assertNotEqual(given, local_number)
        office.cli("registry", "publish", first, "--by", office.issuer)
        taken_by = self.pg.registry_sql(f"SELECT assessment_id FROM certificates WHERE number = '{local_number}'")
        if taken_by:
            before = self.table_counts()
            p = office.cli("registry", "publish", local, "--by", office.issuer, expect=3)
            self.assertIn(f"certificate number {local_number} is already registered for assessment {taken_by}", p.stderr)
            self.assertEqual(self.table_counts(), before)
        else:
            # a free number given elsewhere is taken by the registry as it is
            office.cli("registry", "publish", local, "--by", office.issuer)
            self.assertEqual(self.pg.registry_sql(f"SELECT assessment_id FROM certificates WHERE number = '{local_number}'"), local)

        # expiry follows from the validity, whatever the stored status
        self.pg.registry_sql(f"UPDATE certificates SET valid_until = '2020-01-31' WHERE number = '{given}'")
        status = office.cli("registry", "status", given, json_out=True)
        self.assertEqual((status["status"], status["since"]), ("expired", "2020-01-31"))
        self.assertIn(first, [e["id"] for e in office.cli("registry", "list", "--state", "expired", json_out=True)])
        p = office.cli("registry", "restore", given, "--by", office.issuer, "--reason", "x", expect=3)
        self.assertIn("expired on 2020-01-31", p.stderr)

    # -- hostile bundles --------------------------------------------------------------------------

    @unittest.skipUnless(HAVE_OPENSSL, "openssl is needed to sign altered manifests")
    def test_hostile_bundles_refused(self):
        office = Office(self, "hostile")
        other = office.cli("identity", "create", "--name", "Mallory", "--role", "assessor").stdout.strip()
        evidence = os.path.join(self.tmp, "hostile-evidence.bin")
        with open(evidence, "wb") as f:
            f.write(os.urandom(5000))
        a = office.approved("Hostile Test Org", evidence=evidence)
        good = os.path.join(self.tmp, "hostile-good.attest")
        office.cli("bundle", "export", a, "-o", good, registry=False)
        entries = read_bundle(good)
        manifest, signature = entries[0][1], entries[1][1]
        evidence_entries = [e for e in entries if e[0].startswith("evidence/")]

        keys = {}
        for ident in (office.lead, other):
            pem = os.path.join(self.tmp, f"{ident}.pem")
            subprocess.run(["openssl", "pkcs12", "-in", os.path.join(office.dir, "identities", f"{ident}.p12"),
                            "-passin", f"pass:{PASS}", "-nodes", "-out", pem], check=True, capture_output=True)
            keys[ident] = pem

        def sign(data, ident):
            src = os.path.join(self.tmp, "m.json")
            with open(src, "wb") as f:
                f.write(data)
            return subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
                                   "-signer", keys[ident], "-inkey", keys[ident], "-in", src],
                                  check=True, capture_output=True).stdout

        def bundle(m, sig=None, ev=None):
            data = json.dumps(m, ensure_ascii=False, indent=1).encode() if isinstance(m, dict) else m
            return zstd(tar_bytes([("manifest.json", data), ("manifest.json.sig", sig if sig is not None else sign(data, office.lead))]
                                  + (ev if ev is not None else evidence_entries)))

        m = json.loads(manifest)
        relinked = json.loads(manifest)
        relinked["audit"][-2]["prev_hash"] = relinked["audit"][-2]["hash"]
        rewritten = json.loads(manifest)
        rewritten["records"]["assessment"][0]["row"]["org"] = "Someone Else"
        rechained = json.loads(manifest)
        rechained["records"]["assessment"][0]["row"]["org"] = "Someone Else"
        last = [e for e in rechained["audit"] if e["entity"] == "assessment"][-1]
        last["state"] = json.dumps(rechained["records"]["assessment"][0]["row"], ensure_ascii=False, separators=(",", ":"))
        rechain_audit(rechained["audit"])
        name, data = evidence_entries[0]
        flipped = bytes([data[0] ^ 1]) + data[1:]
        cases = [
            ("tampered-evidence", bundle(manifest, signature, [(name, flipped)]), "SHA-256"),
            ("manifest-changed-unsigned", bundle(json.dumps(rewritten).encode(), signature), "signature is broken"),
            ("signed-by-someone-else", bundle(manifest, sign(manifest, other)), "signature is broken"),
            ("audit-chain-broken", bundle(relinked), "chain is broken"),
            ("records-disagree-with-audit", bundle(rewritten), "differs from what its audit log last recorded"),
            # consistent in itself and signed by its exporter, but changed after the reviewer approved it
            ("changed-after-approval", bundle(rechained), "the records changed after it was signed"),
            ("truncated", zstd(tar_bytes([("manifest.json", manifest)])[:700]), "truncated"),
            ("not-a-bundle", b"%PDF-1.7 not a bundle at all", "not an Attest bundle"),
        ]
        self.assertEqual(m["assessment_id"], a)
        before = self.table_counts()
        for case, data, fragment in cases:
            with self.subTest(case):
                path = os.path.join(self.tmp, case + ".attest")
                with open(path, "wb") as f:
                    f.write(data)
                p = office.cli("registry", "publish", path, expect=2)
                self.assertIn("the registry refuses the bundle, nothing was stored", p.stderr)
                self.assertIn(fragment, p.stderr)
                self.assertEqual(self.table_counts(), before, f"{case}: the registry changed")

        # the same bundle untouched is published, so the refusals above were for what was altered
        office.cli("registry", "publish", good)
        self.assertEqual(self.pg.registry_sql(f"SELECT org FROM assessments WHERE id = '{a}'"), "Hostile Test Org")
        p = office.cli("registry", "publish", good, "--by", office.lead, expect=1)
        self.assertIn("leave out --by", p.stderr)

    # -- numbers under load -------------------------------------------------------------------------

    def test_concurrent_issue(self):
        offices = [Office(self, f"issuer-{i}") for i in range(2)]
        per_office = 50

        def prepare(office):
            return [office.approved(f"Concurrent Org {i}", standard="ONE") for i in range(per_office)]

        def issue(office, assessments):
            numbers = []
            for a in assessments:
                numbers.append(office.cli("certificate", "issue", a, "--by", office.issuer).stdout.strip())
            return numbers

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            prepared = list(pool.map(prepare, offices))
            # two processes at once, all the time: 100 issues against the one registry
            numbers = sum(pool.map(issue, offices, prepared), [])

        self.assertEqual(len(numbers), 2 * per_office)
        self.assertEqual(len(set(numbers)), 2 * per_office, "two issuers were given the same number")
        quoted = ",".join(f"'{n}'" for n in numbers)
        self.assertEqual(self.pg.registry_sql(f"SELECT count(DISTINCT assessment_id) FROM certificates WHERE number IN ({quoted})"),
                         str(2 * per_office))
        for office, assessments in zip(offices, prepared):
            for a in assessments[:3]:
                shown = office.cli("assessment", "show", a, json_out=True, registry=False)
                self.assertEqual(shown["state"], "certified")
                self.assertIn(shown["certificate"]["number"], numbers)

    # -- TLS ----------------------------------------------------------------------------------------

    @unittest.skipUnless(HAVE_OPENSSL, "openssl is needed for the server's certificate")
    def test_tls(self):
        secure = pglib.Cluster(ssl=True)
        try:
            url = secure.url(sslmode="require")
            env = {"PGPASSFILE": secure.pgpass}
            self.cli(self.tmp, "registry", "init", "--url", url, registry=False, env=env)
            self.assertEqual(self.cli(self.tmp, "registry", "list", registry=url, json_out=True, env=env), [])
            # the server logs each connection: Attest's came in over TLS
            with open(secure.log) as f:
                log = f.read()
            self.assertRegex(log, r"connection authorized: user=attest database=attest application_name=attest SSL enabled")
        finally:
            secure.stop()
        # TLS asked for, a server without it: a sentence, not a silent plain connection
        p = self.cli(self.tmp, "registry", "list", registry=self.pg.url(sslmode="require"), expect=2)
        self.assertIn("could not connect to the registry", p.stderr)
        self.assertIn("SSL", p.stderr)


if __name__ == "__main__":
    missing = pglib.missing_tools()
    if missing:
        print(f"SKIP: PostgreSQL's programs ({', '.join(missing)}) are not in {pglib.PG_BIN}: the registry tests need "
              "a throwaway cluster. Install postgresql-15 (build-aux/test does).")
        sys.exit(77)
    unittest.main(verbosity=2)
