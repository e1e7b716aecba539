"""One error hierarchy. Each error carries a user-facing message and the exit code the CLI uses.

Messages name what went wrong, where (file, line, field) and how to fix it. They never contain
secrets: callers pass redacted values or field names, not plaintext identities or keys.
"""

from __future__ import annotations

from tracer.i18n import _


class TracerError(Exception):
    """Base for every error a user may see. `exit_code` follows docs/cli.md."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """The one line (plus an optional hint) the CLI prints on stderr."""
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class InputError(TracerError):
    """Bad input: a file, row, field or argument the user can correct."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (file, line) if p is not None)
        prefix = f"{where}: " if where else ""
        field_part = _("field '{field}': ").format(field=field) if field else ""
        super().__init__(f"{prefix}{field_part}{message}", hint=hint)
        self.file, self.line, self.field = file, line, field
        self.reason = message  # without where it happened: a form shows it beside its own field


class RefusedError(TracerError):
    """A valid request the vault refuses (duplicate number, vault exists, burned identity)."""


class VaultError(TracerError):
    """The vault cannot be opened: missing, wrong passphrase, newer schema."""


class StaleKeyError(VaultError):
    """A key `tracer unlock` kept was derived for another salt: the passphrase changed since."""


class IntegrityError(TracerError):
    """Tampering or corruption: a ledger entry, signature, bundle or anchor does not hold."""

    exit_code = 3

    def __init__(self, message: str, *, entry: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.entry = entry
