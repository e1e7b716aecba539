"""Run the app under uvicorn and tell the terminal how to pair.

Binds 127.0.0.1 unless `lan`; then it binds the machine's LAN address and prints the pairing URL
with a QR code for the phone's camera. Each time a code is used the terminal gets the next one.
uvicorn's access log is off: request lines would carry pairing codes and contact ids.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import segno
import uvicorn

from tracer.errors import InputError
from tracer.i18n import _
from tracer.serve.app import Options, create_app
from tracer.serve.auth import Pairing
from tracer.serve.desk import Desk
from tracer.vault.keys import Derived

LOOPBACK = "127.0.0.1"


def run(
    home: Path,
    passphrase: str | Derived,
    *,
    port: int = 8765,
    lan: bool = False,
    options: Options | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """Serve until interrupted. The passphrase opens the vault here; it never travels over HTTP."""
    host = lan_address() if lan else LOOPBACK
    desk = Desk(home, passphrase)
    try:
        pairing = Pairing(on_renew=_announcer(host, port, lan, out))
        app = create_app(desk, pairing, options)
        _announce(pairing_url(host, port, pairing.code), lan, out, first=True)
        _logging()
        config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", lifespan="on")
        uvicorn.Server(config).run()
    finally:
        desk.close()


def pairing_url(host: str, port: int, code: str) -> str:
    return f"http://{host}:{port}/pair?code={code}"


# A private address the routing table is asked about: connecting a UDP socket sends nothing, it
# only picks the interface (and so the source address) a packet to the LAN would leave from.
_ROUTE_PROBE = ("10.255.255.255", 1)


def lan_address() -> str:
    """This machine's IPv4 address on the LAN: the first non-loopback one its name resolves to,
    else the address the routing table would send LAN traffic from (Debian maps the host name to
    127.0.1.1 in /etc/hosts, so the name alone often finds nothing)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for address in [str(info[4][0]) for info in infos] + [_routed_address()]:
        if address and not address.startswith(("127.", "0.")):
            return address
    raise InputError(_("no LAN address found for this machine"), field="lan", hint=_("serve without --lan"))


def _routed_address() -> str:
    """The source address of the route to `_ROUTE_PROBE`, "" when there is none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            return str(probe.getsockname()[0])
    except OSError:
        return ""


def _announcer(host: str, port: int, lan: bool, out: TextIO) -> Callable[[str], None]:
    return lambda code: _announce(pairing_url(host, port, code), lan, out, first=False)


def _announce(url: str, lan: bool, out: TextIO, *, first: bool) -> None:
    lead = _("Pair a device: open {url}") if first else _("Paired. Next device: open {url}")
    out.write(lead.format(url=url) + "\n")
    if lan:
        segno.make(url, error="m").terminal(out=out, compact=True)
    out.flush()


def _logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("tracer.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
