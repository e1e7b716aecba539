"""A real Dovecot IMAP server for the tests: TLS only, one user, in a temp folder, on 127.0.0.1.

Needs Debian's dovecot-imapd (scripts/test installs it) and openssl; fails, never skips, without
them. The certificate is self-signed, made by openssl for 127.0.0.1; clients trust it via its file.
As root (CI), Dovecot runs its processes as Debian's dovecot and dovenull users.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.serve import free_port

CONF = """\
base_dir = {run}
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:{run}/mail/%u
default_internal_user = {user}
default_login_user = {user}
default_internal_group = {group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {run}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={run}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Imap:
    host: str
    port: int
    user: str
    password: str
    cafile: str
    spool: Path  # the short-path folder with sockets, passdb and mail (removed by `stop`)


def _binary() -> str:
    found = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if not found:
        pytest.fail("dovecot not found: install Debian's dovecot-imapd (scripts/test does)")
    return found


def _certificate(root: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def start(root: Path, user: str = "catchall@mail.example.org", password: str = "imap-test-pw") -> tuple[Imap, subprocess.Popen[bytes]]:
    """Dovecot in the foreground under `root`; returns once it accepts TLS connections."""
    binary = _binary()
    (root / "state").mkdir(parents=True, exist_ok=True)
    _certificate(root)
    port = free_port()
    run = Path(tempfile.mkdtemp(prefix="dv"))  # short: it holds unix sockets (108-byte paths)
    run.chmod(0o755)  # the unprivileged login processes reach their sockets through it
    (run / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n", encoding="utf-8")
    (run / "passwd").chmod(0o644)  # read by the auth process as the internal user; a test password
    internal, login, group = _accounts()
    uid, gid = pwd.getpwnam(internal).pw_uid, grp.getgrnam(group).gr_gid
    for sub in ("mail", "home"):  # the mail processes run as the internal user (never uid 0)
        (run / sub).mkdir()
        os.chown(run / sub, uid, gid)
    conf = root / "dovecot.conf"
    text = CONF.format(
        root=root, run=run, port=port, uid=uid, gid=gid, user=internal, group=group
    )
    conf.write_text(text.replace(f"default_login_user = {internal}", f"default_login_user = {login}"), encoding="utf-8")
    proc = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(port, proc, root)
    except BaseException:
        shutil.rmtree(run, ignore_errors=True)
        raise
    return Imap("127.0.0.1", port, user, password, str(root / "cert.pem"), run), proc


def _accounts() -> tuple[str, str, str]:
    """(internal user, login user, group): Debian's dovecot/dovenull as root, else ourselves."""
    if os.getuid() == 0:
        return "dovecot", "dovenull", "dovecot"
    me = pwd.getpwuid(os.getuid()).pw_name
    return me, me, grp.getgrgid(os.getgid()).gr_name


def _wait(port: int, proc: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (root / "dovecot.log").read_text(errors="replace") if (root / "dovecot.log").exists() else ""
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            pytest.fail(f"dovecot exited {proc.returncode}: {out}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("dovecot did not listen within 20 s")


def stop(imap: Imap, proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(imap.spool, ignore_errors=True)
