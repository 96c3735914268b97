"""A throwaway PostgreSQL cluster for the registry tests: initdb and pg_ctl into a temporary
folder, on a free port on the loopback, password authentication over TCP (the password in a
PGPASSFILE, as libpq's convention has it), TLS when asked for. initdb refuses to run as root, so
as root the cluster runs as the `postgres` system user the postgresql package creates."""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

PG_BIN = os.environ.get("ATTEST_PG_BIN", "/usr/lib/postgresql/15/bin")
TOOLS = ("initdb", "pg_ctl", "postgres", "psql")


def missing_tools():
    """The PostgreSQL programs that are not there (empty when the tests can run)."""
    return [t for t in TOOLS if not os.access(os.path.join(PG_BIN, t), os.X_OK)]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One cluster with a role `attest` (password `secret`) owning a database `attest`."""

    def __init__(self, ssl=False, user="attest", password="registry secret 1"):
        self.user = user
        self.password = password
        self.port = free_port()
        self.root = tempfile.mkdtemp(prefix="attest-pg-")
        self.data = os.path.join(self.root, "data")
        self.sock = os.path.join(self.root, "sock")
        self.log = os.path.join(self.root, "server.log")
        os.mkdir(self.sock)
        self.as_user = []
        if os.geteuid() == 0:
            try:
                pg = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root needs the postgres system user (the postgresql package makes it)")
            for path in (self.root, self.sock):
                os.chown(path, pg.pw_uid, pg.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        options = [f"-p {self.port}", f"-k {self.sock}", "-c listen_addresses=127.0.0.1", "-c fsync=off",
                   "-c max_connections=40"]
        if ssl:
            key, crt = os.path.join(self.root, "server.key"), os.path.join(self.root, "server.crt")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                            "-days", "1", "-keyout", key, "-out", crt], check=True, capture_output=True)
            os.chmod(key, 0o600)
            if self.as_user:
                for path in (key, crt):
                    os.chown(path, pg.pw_uid, pg.pw_gid)
            options += ["-c ssl=on", f"-c ssl_cert_file={crt}", f"-c ssl_key_file={key}", "-c log_connections=on"]
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", " ".join(options), "start")
        self.sql(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'")
        self.sql(f"CREATE DATABASE {user} OWNER {user}")
        self.pgpass = os.path.join(self.root, "pgpass")
        with open(self.pgpass, "w") as f:
            f.write(f"127.0.0.1:{self.port}:{user}:{user}:{password}\n")
        os.chmod(self.pgpass, 0o600)

    def _run(self, tool, *args):
        p = subprocess.run(self.as_user + [os.path.join(PG_BIN, tool)] + list(args), capture_output=True, text=True,
                           cwd="/", timeout=120)
        if p.returncode != 0:
            log = open(self.log).read() if os.path.exists(self.log) else ""
            raise RuntimeError(f"{tool} failed: {p.stdout}\n{p.stderr}\n{log}")
        return p.stdout

    def url(self, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.user}" + (f"?{query}" if query else "")

    def sql(self, statement, db="postgres"):
        """Runs SQL as the superuser over the cluster's unix socket; returns psql's unaligned rows."""
        return self._run("psql", "-h", self.sock, "-p", str(self.port), "-U", "postgres", "-d", db,
                         "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-c", statement)

    def registry_sql(self, statement):
        return self.sql(statement, db=self.user).strip()

    def stop(self):
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
