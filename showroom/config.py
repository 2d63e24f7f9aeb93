"""Configuration defaults; environment variables SHOWROOM_* and DATABASE_URL override."""
from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


class Config:
    SECRET_KEY = ""  # SHOWROOM_SECRET_KEY, else a random key kept in the instance folder
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(REPO_ROOT / "showroom" / "translations")
    LANGUAGES = ("zh_CN", "en")
    SHOWROOM_TIMEZONE = "Asia/Shanghai"
    SHOWROOM_SHOP_NAME = "银饰批发展厅"  # heads every printed document
    # the business calendar (showroom/bizcal.py): opening periods of a working day, local time
    SHOWROOM_OPEN_HOURS = "09:00-12:00,13:30-18:00"
    SHOWROOM_REPAIR_WEIGHT_TOLERANCE_CG = 5  # 0.05 g: beyond it a returned piece is flagged
    # A new consignor's default share of a sale (basis points: 8000 = 80 %) for items
    # without their own consignor price (SPEC §7).
    SHOWROOM_CONSIGNOR_SHARE_BP = 8000
    # Cash (yuan, e.g. "500.00") left in each cashier's drawer for change: every shift's
    # expected cash at the close includes it. "0" = the showroom keeps no float.
    SHOWROOM_OPENING_FLOAT = "0"
    SHOWROOM_CONSIGNMENT_AGED_DAYS = 90  # unsold consigned goods older than this go back
    # Remote orders (SPEC §5): an online order that arrives after this local time (or on a
    # closed day) is due to be answered by the end of the next working day.
    SHOWROOM_ONLINE_CUTOFF = "17:00"
    # The showroom's bank accounts told with the amount to remit, one per line:
    # "bank | account name | account number", accounts separated by ";".
    SHOWROOM_BANK_ACCOUNTS = "中国工商银行义乌分行 | 银饰批发展厅 | 6222 0812 0800 1234 567"
    SHOWROOM_REORDER_AT = 2  # our goods with this many or fewer on hand are on the reorder list
    SHOWROOM_PRINT_TIMEOUT = 5.0  # seconds: connect, write, status answer
    SHOWROOM_PRINT_BACKOFF = (1, 2, 5, 10, 30, 60)  # seconds between tries of a refusing printer
    SHOWROOM_PRINT_SPOOL = ""  # folder file:// printers write to; "" = instance/printed
    # Where tcp:// printers may be: networks (comma-separated) and ports (ranges allowed).
    SHOWROOM_PRINTER_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7"
    SHOWROOM_PRINTER_PORTS = "9100-9109"
    # Shipping notices by e-mail, sent by the print worker; no host = e-mail switched off.
    SHOWROOM_SMTP_HOST = ""
    SHOWROOM_SMTP_PORT = 25
    SHOWROOM_SMTP_USER = ""
    SHOWROOM_SMTP_PASSWORD = ""
    SHOWROOM_SMTP_FROM = ""  # "" = the user name, else showroom@localhost
    SHOWROOM_SMTP_STARTTLS = False
    SHOWROOM_SMTP_TIMEOUT = 10.0  # seconds: connect and each reply
    SHOWROOM_ENV = "development"  # "production": demo staff (weak demo PINs) are refused
    SHOWROOM_IDLE_MINUTES = 15
    # Sign-in throttle, keyed on who is tried AND where from, so nobody can lock a colleague
    # out from another tablet: 5 wrong PINs for one staff number from one client address
    # within 15 minutes lock that pair for 15 minutes after the last; one address may get
    # 20 PINs wrong across all numbers within 15 minutes, then it is refused (HTTP 429) until
    # the oldest of them is 15 minutes old. Refused tries are recorded but never extend a lock.
    # The address is the request's remote_addr: behind a reverse proxy, pass the client's
    # address through (werkzeug's ProxyFix), or every tablet shares the proxy's budget.
    SHOWROOM_LOCKOUT_ATTEMPTS = 5
    SHOWROOM_LOCKOUT_MINUTES = 15
    SHOWROOM_SOURCE_ATTEMPTS = 20
    SHOWROOM_SOURCE_MINUTES = 15
    SHOWROOM_TOKEN_HOURS = 12
    SHOWROOM_GREETING_SECONDS = 60
    SHOWROOM_CALLBACK_HOURS = 24
    # argon2id for PINs: OWASP's minimum, m=19 MiB, t=2, p=1. A 6-digit PIN has only 10^6
    # values, so the hash is not what keeps it safe (the throttle is); it only has to make
    # a stolen database slow to read. One verify takes about 70 ms on the 2-core test
    # machine (the old m=64 MiB, t=3, p=4 took about 330 ms there, and 2.5 GiB for 40 at
    # once): 40 tablets signing in at once need 40 x 70 ms / 2 cores = 1.4 s of CPU, so the
    # median sign-in of a shift-start storm stays under 1.5 s; 40 at once need 760 MiB.
    # Stored hashes with other parameters are rehashed at the next good sign-in.
    # Tests lower them (the hash stays argon2id, only cheaper).
    SHOWROOM_ARGON2_TIME_COST = 2
    SHOWROOM_ARGON2_MEMORY_KIB = 19456
    SHOWROOM_ARGON2_PARALLELISM = 1
    # Hashes at once per process, 0 = one per CPU: queued sign-ins then finish in turn
    # (median about half of 40 x 70 ms / 2) instead of all at the end of 1.4 s together.
    SHOWROOM_ARGON2_THREADS = 0
    SESSION_COOKIE_HTTPONLY = True
    SHOWROOM_COOKIE_SECURE = False  # True behind HTTPS: session and station cookies go only there
    MAX_CONTENT_LENGTH = 1024 * 1024  # every request body; the API caps its own at 256 KiB
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None


def load_config(overrides: dict[str, Any] | None, instance_path: str) -> dict[str, Any]:
    """Merge defaults, environment and explicit overrides (tests pass a mapping)."""
    cfg: dict[str, Any] = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    cfg["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(instance_path) / "showroom.db")
    for key, value in os.environ.items():
        if key.startswith("SHOWROOM_"):
            cfg[key] = _coerce(value, cfg.get(key))
    if os.environ.get("SHOWROOM_SECRET_KEY"):
        cfg["SECRET_KEY"] = os.environ["SHOWROOM_SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        cfg["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(os.environ["DATABASE_URL"])
    if overrides:
        cfg.update(overrides)
    cfg["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _instance_secret(Path(instance_path))
    return cfg


def _instance_secret(instance: Path) -> str:
    """A key made on first start and kept (mode 600) so sessions survive restarts; nobody
    can forge a session with a key that was never published.

    Written atomically: the key goes into a private temporary file, is flushed to disk and
    then linked into place, so the file appears whole or not at all. Two processes starting
    at the same moment agree on one key (the second link fails and it reads the first);
    a reader that still finds the file empty (left by an older version that crashed
    mid-write) waits a moment, then replaces it."""
    path = instance / "secret_key"
    private_folder(instance)
    for attempt in range(40):
        try:
            key = path.read_text().strip()
        except FileNotFoundError:
            _publish_secret(path, replace=False)
            continue
        if key:
            return key
        if attempt >= 20:  # empty for a second: a crashed writer, not a slow one
            _publish_secret(path, replace=True)
        time.sleep(0.05)
    raise RuntimeError(f"cannot read the secret key in {path}")


def _publish_secret(path: Path, *, replace: bool) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)  # mode 600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if another process published first: keep theirs
            except FileExistsError:
                pass
        _fsync_dir(path.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) if needed and make it ours only (mode 700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _chmod(folder, 0o700)
    return folder


def private_file(path: Path) -> None:
    """Mode 600 for an existing file of ours (a database, its -wal and -shm)."""
    if path.exists():
        _chmod(path, 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:  # not ours (a shared folder set up by an administrator)
        pass


def normalise_db_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and route both to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, tuple):
        return tuple(float(v) for v in value.split(",") if v.strip())
    return value
