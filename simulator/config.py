"""Settings: everything that differs between server, in-process and test use."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "default.json"


@dataclass
class Settings:
    data_dir: str | None = None          # None: in memory; else a folder (journal + TinyDB file)
    seed: int | None = None              # reproducible SIDs, tokens and Faker data
    fixtures: str | None = None          # None: the embedded default fixtures
    freeze_clock: bool = False           # start with the clock frozen (tests)
    control_plane_public: bool = False   # answer /_sim/ from non-loopback clients too
    journal_size: int = 1000             # requests kept for GET /_sim/v1/journal
    compact_every: int = 20_000          # journal lines between background compactions
    extra: dict = field(default_factory=dict)

    @property
    def fixtures_path(self) -> Path:
        return Path(self.fixtures) if self.fixtures else DEFAULT_FIXTURES
