"""No identity ever reaches the vault's files in plaintext, in any common encoding."""

from __future__ import annotations

from pathlib import Path

from tracer.vault.store import DB_NAME


def vault_files(home: Path) -> dict[str, bytes]:
    names = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm")
    return {n: (home / n).read_bytes() for n in names if (home / n).exists()}


def leaks(files: dict[str, bytes], secrets: set[str]) -> list[tuple[str, str, str]]:
    found = []
    for name, raw in files.items():
        for secret in secrets:
            for encoding in ("utf-8", "utf-16-le"):
                if secret.encode(encoding) in raw:
                    found.append((name, encoding, secret))
    return found


def test_secrets_are_not_in_the_vault_or_its_wal_while_it_is_open(filled, home):
    files = vault_files(home)
    assert f"{DB_NAME}-wal" in files  # the writes of this session are still in the WAL
    assert leaks(files, filled.secrets) == []


def test_secrets_are_not_in_the_vault_file_after_it_is_closed(filled, vault, home):
    vault.close()
    files = vault_files(home)
    assert len(files[DB_NAME]) > 0
    assert leaks(files, filled.secrets) == []


def test_the_secret_list_covers_every_kind_of_identity(filled, me):
    """Guards the two tests above against checking an empty or partial list."""
    kinds = {me.name, me.phone, me.phone_local, "+8613900139001", "13900139001", "StockPro",
             "招商理财", "OldShop"}  # fmt: skip
    assert kinds <= filled.secrets
    assert all(c.name in filled.secrets and c.email in filled.secrets for c in filled.canaries)
