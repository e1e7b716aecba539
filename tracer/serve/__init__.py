"""`tracer serve`: a local web app for the phone, Twilio webhooks and the alias mailbox.

    from tracer.serve import Desk, Options, Pairing, create_app, run
    run(home, passphrase, port=8765, lan=False, options=Options())   # what the CLI calls

See docs/cli.md (`tracer serve`) and docs/threat-model.md ("The web app").
"""

from __future__ import annotations

from tracer.serve.app import Options, create_app
from tracer.serve.auth import Pairing
from tracer.serve.desk import Desk
from tracer.serve.server import lan_address, pairing_url, run

__all__ = ["Desk", "Options", "Pairing", "create_app", "lan_address", "pairing_url", "run"]
