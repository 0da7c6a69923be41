"""Language cues of the understanding module (cues.yaml: linguistic, not medical), read and compiled once
for every reader of the package."""
from __future__ import annotations

import re
from pathlib import Path

from ..kb.base import read_messages

CUES_PATH = Path(__file__).with_name("cues.yaml")
_DATA = read_messages(CUES_PATH)
CUE: dict[str, re.Pattern] = {k: re.compile(v["pattern"], re.I if v["ignore_case"] else 0) for k, v in _DATA["patterns"].items()}
WORDS: dict = _DATA["words"]
