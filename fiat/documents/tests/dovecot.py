"""A throwaway Dovecot IMAP server for tests, listening on 127.0.0.1.

``run_dovecot`` writes a minimal ``dovecot.conf`` into a fresh folder:
plain-text IMAP without TLS on a free port, users and plain passwords in a
passwd-file, Maildir storage per user, and the runtime, state and log files
inside the folder. It starts ``dovecot -F`` (foreground), waits until the
port accepts connections, and stops the server afterwards.

Dovecot 2.3 runs its services as the current user. Run as root, it refuses
to run its login process or to open mail as root. So then its services run
as the ``dovenull`` system user that Debian's package creates (``nobody``
without it). The folder is made readable for that user, the mail folder is
given to it, and only the master process stays root.
"""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imap_tools import MailBoxUnencrypted

DOVECOT = Path("/usr/sbin/dovecot")
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 10.0
_UNPRIVILEGED_USERS = ("dovenull", "nobody")

CONFIG_TEMPLATE = """\
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{root}/mail/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  # Without access to this socket the auth process applies no penalty
  # delay after a failed login, which would slow down the next test.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass(frozen=True)
class DovecotServer:
    host: str
    port: int
    root: Path

    def connect(self, username: str, password: str) -> MailBoxUnencrypted:
        """Return a logged-in imap-tools client; use it as a context manager."""
        return MailBoxUnencrypted(self.host, self.port, timeout=10).login(
            username, password, initial_folder=None
        )

    def log(self) -> str:
        log_path = self.root / "dovecot.log"
        return log_path.read_text(errors="replace") if log_path.exists() else ""


@contextmanager
def run_dovecot(users: dict[str, str]) -> Iterator[DovecotServer]:
    """Run Dovecot with ``users`` (name to password) until the block ends."""
    root = Path(tempfile.mkdtemp(prefix="fiat-dovecot-"))
    try:
        root.chmod(0o755)
        server = DovecotServer(host=HOST, port=_free_port(), root=root)
        _write_config(server, users)
        process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(server, process)
            yield server
        finally:
            _stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _service_account() -> pwd.struct_passwd:
    """Return the account that Dovecot's services and mail access run as."""
    current = pwd.getpwuid(os.geteuid())
    if current.pw_uid != 0:
        return current
    for name in _UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("Running Dovecot as root needs a dovenull or nobody user.")


def _write_config(server: DovecotServer, users: dict[str, str]) -> None:
    account = _service_account()
    mail_root = server.root / "mail"
    mail_root.mkdir()
    os.chown(mail_root, account.pw_uid, account.pw_gid)
    passwd = "".join(
        f"{name}:{{PLAIN}}{password}::::::\n" for name, password in users.items()
    )
    (server.root / "passwd").write_text(passwd)
    config = CONFIG_TEMPLATE.format(
        host=server.host,
        port=server.port,
        root=server.root,
        user=account.pw_name,
        group=grp.getgrgid(account.pw_gid).gr_name,
        uid=account.pw_uid,
        gid=account.pw_gid,
    )
    (server.root / "dovecot.conf").write_text(config)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_for_port(server: DovecotServer, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            raise RuntimeError(f"Dovecot exited at start: {output}{server.log()}")
        if _greets(server):
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"Dovecot did not listen on {server.host}:{server.port} within "
        f"{START_TIMEOUT_SECONDS} s: {server.log()}"
    )


def _greets(server: DovecotServer) -> bool:
    """Tell whether the server accepts a connection and sends its greeting.

    The greeting comes once the auth process is ready, and stopping a
    server earlier makes Dovecot wait several seconds for it.
    """
    try:
        with socket.create_connection((server.host, server.port), timeout=1) as probe:
            return probe.recv(100).startswith(b"* OK")
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
