"""Compiles the gettext catalogs (tracer/locale/*/LC_MESSAGES/tracer.po) when the package is built.

Everything else about the build is in pyproject.toml. Editable installs compile them too, and
`tracer.i18n` compiles a missing or stale catalog in memory, so a plain checkout still works.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(__file__).parent.glob("tracer/locale/*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
