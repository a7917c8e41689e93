"""Settings: everything that differs between server, in-process and test use."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _default_fixtures() -> Path:
    """The embedded default data: inside the package once installed from a wheel or sdist
    (setup.py ships ``fixtures/`` as ``simulator/fixtures/``), else in the source checkout."""
    installed = _PACKAGE / "fixtures" / "default.json"
    return installed if installed.exists() else _PACKAGE.parent / "fixtures" / "default.json"


DEFAULT_FIXTURES = _default_fixtures()


@dataclass
class Settings:
    data_dir: str | None = None          # None: in memory; else a folder (journal + TinyDB file)
    seed: int | None = None              # reproducible SIDs, tokens and Faker data
    fixtures: str | None = None          # None: the embedded default fixtures
    freeze_clock: bool = False           # start with the clock frozen (tests)
    control_plane_public: bool = False   # answer /_sim/ from non-loopback clients too
    allowed_hosts: tuple[str, ...] = ()  # Host names /_sim/ accepts besides loopback ones
    journal_size: int = 1000             # requests kept for GET /_sim/v1/journal
    compact_every: int = 20_000          # journal lines between background compactions
    extra: dict = field(default_factory=dict)

    @property
    def fixtures_path(self) -> Path:
        return Path(self.fixtures) if self.fixtures else DEFAULT_FIXTURES
