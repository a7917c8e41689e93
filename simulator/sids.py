"""Twilio SIDs (two-letter prefix + 32 lowercase hex) and other generated secrets.

With a seed every SID, token and Faker value repeats run after run.
"""
from __future__ import annotations

import random
import threading

from faker import Faker


class Generator:
    def __init__(self, seed: int | None = None):
        self.seed = seed
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._random = random.Random(self.seed) if self.seed is not None else random.SystemRandom()
            self.faker = Faker()
            self.faker.seed_instance(self.seed if self.seed is not None else random.SystemRandom().getrandbits(64))

    def hex(self, length: int = 32) -> str:
        with self._lock:
            return f"{self._random.getrandbits(length * 4):0{length}x}"

    def sid(self, prefix: str) -> str:
        return prefix + self.hex(32)

    def token(self) -> str:
        return self.hex(32)

    def choice(self, seq):
        with self._lock:
            return self._random.choice(seq)

    def randint(self, a: int, b: int) -> int:
        with self._lock:
            return self._random.randint(a, b)
