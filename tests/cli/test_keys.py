#!/usr/bin/python3
"""Keys: identity files are private (0600 in a 0700 folder), and every PKCS#12 file that should
not be trusted with a signature is refused with a sentence: a wrong passphrase, no MAC, a legacy
or weak cipher (RC2, 3DES) or a SHA-1 MAC, an unencrypted key, a key that does not match its
certificate, an expired or a not-yet-valid certificate — at import, and (for a certificate
that expired since) when it would sign. The files are made here with the openssl command line."""
import datetime
import os
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

CLI = os.environ["ATTEST_CLI"]
SRC = os.environ["ATTEST_SOURCE_ROOT"]
PASS = "key test passphrase"
VALID_FOR = int(os.environ.get("ATTEST_KEYS_VALID_FOR", "8"))
CA_CONF = """[ ca ]
default_ca = d
[ d ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
default_md = sha256
policy = p
unique_subject = no
[ p ]
commonName = supplied
"""


def openssl(*args):
    p = subprocess.run(["openssl"] + list(args), capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"openssl {args}: {p.stderr}")


class KeysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attest-keys-")
        cls.data = os.path.join(cls.tmp, "data")
        t = cls.path
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", t("k.pem"), "-out", t("c.pem"), "-subj", "/CN=Imported Person/O=Some CA", "-days", "30")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", t("k2.pem"), "-out", t("c2.pem"), "-subj", "/CN=Somebody Else", "-days", "30")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.tmp, name)

    def cli(self, *args, expect=0, passphrase=PASS):
        env = dict(os.environ, ATTEST_PASSPHRASE=passphrase)
        p = subprocess.run([CLI, "--data-dir", self.data] + list(args), capture_output=True, text=True,
                           env=env, timeout=120)
        self.assertEqual(p.returncode, expect, f"{args}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def p12(self, name, *args, key="k.pem", cert="c.pem"):
        out = self.path(name)
        openssl("pkcs12", "-export", "-passout", f"pass:{PASS}", "-inkey", self.path(key),
                *(["-in", self.path(cert)] if cert else []), *args, "-out", out)
        return out

    def signed_cert(self, name, start, end):
        """A certificate for k.pem valid from start to end (openssl ca: req -x509 cannot set
        a start in the past or the future)."""
        ca = self.path("ca-" + name)
        os.makedirs(ca)
        open(os.path.join(ca, "index.txt"), "w").close()
        with open(os.path.join(ca, "serial"), "w") as f:
            f.write("01\n")
        with open(os.path.join(ca, "ca.cnf"), "w") as f:
            f.write(CA_CONF.format(dir=ca))
        openssl("req", "-new", "-key", self.path("k.pem"), "-subj", "/CN=Dated Person", "-out", os.path.join(ca, "r.csr"))
        openssl("ca", "-batch", "-config", os.path.join(ca, "ca.cnf"), "-selfsign", "-keyfile", self.path("k.pem"),
                "-in", os.path.join(ca, "r.csr"), "-startdate", start, "-enddate", end, "-out", self.path(name + ".pem"))
        return name + ".pem"

    def refused(self, p12, *words):
        err = self.cli("identity", "import", p12, expect=2).stderr.strip()
        self.assertTrue(err.startswith("attest-cli: error: "), err)
        for w in words:
            self.assertIn(w, err)
        # one sentence, not an OpenSSL error queue
        self.assertNotIn("error:0", err)
        self.assertEqual(len(err.splitlines()), 1, err)
        return err

    def test_private_files(self):
        lead = self.cli("identity", "create", "--name", "Made Here", "--role", "assessor").stdout.strip()
        imported = self.cli("identity", "import", self.p12("good.p12")).stdout.strip()
        folder = os.path.join(self.data, "identities")
        self.assertEqual(stat.S_IMODE(os.stat(self.data).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(folder).st_mode), 0o700)
        for ident in (lead, imported):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(folder, ident + ".p12")).st_mode), 0o600, ident)
        self.assertEqual([n for n in os.listdir(folder) if n.startswith(".")], [])

        # a key restored from a backup readable by all is made private again before it signs
        key = os.path.join(folder, lead + ".p12")
        os.chmod(key, 0o644)
        a = self.cli("assessment", "create", "--standard", "QCS", "--org", "Org", "--lead", lead).stdout.strip()
        out = self.path("private.attest")
        self.cli("bundle", "export", a, "-o", out, "--by", lead)
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)

        # a wrong passphrase, to the key file of the data directory and to an imported file
        p = self.cli("bundle", "export", a, "-o", out, "--by", lead, expect=2, passphrase="not the passphrase")
        self.assertIn("passphrase is wrong", p.stderr)

    def test_wrong_passphrase(self):
        p = self.cli("identity", "import", self.p12("wrong.p12"), expect=2, passphrase="another passphrase")
        self.assertIn("the passphrase is wrong", p.stderr)

    def test_legacy_and_weak(self):
        self.refused(self.p12("legacy.p12", "-legacy"), "PBE-SHA1-RC2-40", "outdated", "export it again")
        self.refused(self.p12("certpbe-3des.p12", "-certpbe", "PBE-SHA1-3DES"), "PBE-SHA1-3DES", "outdated")
        self.refused(self.p12("keypbe-3des.p12", "-keypbe", "PBE-SHA1-3DES"), "PBE-SHA1-3DES", "outdated")
        self.refused(self.p12("sha1-mac.p12", "-macalg", "sha1"), "integrity check uses SHA1")
        self.refused(self.p12("no-mac.p12", "-nomac"), "no integrity check")
        self.refused(self.p12("clear-key.p12", "-keypbe", "NONE"), "not encrypted")
        self.refused(self.path("c.pem"), "not a PKCS#12 key file")

    def test_key_not_matching(self):
        # openssl will not pair a key with another's certificate; a key alone plus a certificate
        # in the chain is how such a file arrives
        self.refused(self.p12("mismatch.p12", "-nocerts", "-certfile", self.path("c2.pem"), cert=None),
                     "the key does not belong to the certificate")

    def test_dates(self):
        self.refused(self.p12("expired.p12", cert=self.signed_cert("expired", "20200101000000Z", "20210101000000Z")),
                     "expired on 2021-01-01", "Dated Person")
        self.refused(self.p12("future.p12", cert=self.signed_cert("future", "20400101000000Z", "20410101000000Z")),
                     "not valid yet (from 2040-01-01)")

    def test_expires_after_import(self):
        # valid for a few seconds (enough for a slow machine, or valgrind, to import it): imported
        # while valid, refused when it would sign
        now = datetime.datetime.now(datetime.timezone.utc)
        end = (now + datetime.timedelta(seconds=VALID_FOR)).strftime("%Y%m%d%H%M%SZ")
        start = (now - datetime.timedelta(days=1)).strftime("%Y%m%d%H%M%SZ")
        ident = self.cli("identity", "import", self.p12("short.p12", cert=self.signed_cert("short", start, end))).stdout.strip()
        a = self.cli("assessment", "create", "--standard", "QCS", "--org", "Org", "--lead", ident).stdout.strip()
        time.sleep(max(0, (now + datetime.timedelta(seconds=VALID_FOR + 1) - datetime.datetime.now(datetime.timezone.utc)).total_seconds()))
        p = self.cli("bundle", "export", a, "-o", self.path("late.attest"), "--by", ident, expect=2)
        self.assertIn("expired on", p.stderr)
        self.assertFalse(os.path.exists(self.path("late.attest")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
