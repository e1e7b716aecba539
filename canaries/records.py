"""What the generator hands out (`Issued`) and what active canaries already use (`Taken`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from canaries.names import name_key


@dataclass(frozen=True)
class Issued:
    """One canary identity, ready for the vault. `warnings` say which fields carry no signal."""

    name: str
    email: str | None
    markers: dict[str, str]
    surname_key: str
    warnings: tuple[str, ...] = ()


@dataclass
class Taken:
    """Values active canaries use; the generator never reissues them while space remains.

    Fill it with `add` (new canaries) or `add_identity` (canaries read back from the vault).
    `surname_uses` counts canaries per surname key, so exhausted spaces reuse the rarest key.
    """

    surname_keys: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    surname_uses: dict[str, int] = field(default_factory=dict)
    # spoken keys of given names callers already use on the number being allocated (a previous
    # owner's "Zachary"): set around one issue, never issued as an English canary's given name
    heard_given: set[str] = field(default_factory=set)

    def add(self, issued: Issued) -> None:
        """Record a canary just issued."""
        self.record(issued.name, issued.email, issued.markers, issued.surname_key)

    def add_identity(
        self, name: str | None, email: str | None, markers: Mapping[str, str], *, locale: str, active: bool = True
    ) -> None:
        """Record a stored canary; its surname key is recomputed from `name` for `locale`.

        Name, email and markers are never reissued; the surname is avoided only while the canary
        is `active` (not retired, and not the user's own name given to a KYC platform).
        """
        self.record(name, email, markers, name_key(name, locale=locale) if active and name else None)

    def record(self, name: str | None, email: str | None, markers: Mapping[str, str], key: str | None) -> None:
        """Record one canary's fields (emails lowercase); `key` None: no surname to avoid."""
        if name:
            self.names.add(name)
        if email:
            self.emails.add(email.lower())
        self.markers.update(markers.values())
        if key is not None:
            self.surname_keys.add(key)
            self.surname_uses[key] = self.surname_uses.get(key, 0) + 1
