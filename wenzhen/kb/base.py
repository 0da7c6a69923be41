"""The one pattern every knowledge-base domain (clinical, labs and imaging, calculators, scales) is built on:
a strict model, YAML reading, lists of entries and one-object files with errors that name the file and the
entry, id indexes, comparable names, and a content digest for the version."""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DATA_DIR = Path(__file__).parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster start
M = TypeVar("M", bound=BaseModel)


class KBError(ValueError):
    """The knowledge base (or a hospital's configuration) is invalid."""


class Strict(BaseModel):
    """Base of every KB model: unknown keys rejected, immutable; fields with an alias (`if`) also take their name."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _cache_dir() -> Path | None:
    d = os.environ.get("WENZHEN_CACHE_DIR")
    if d == "":
        return None  # caching switched off
    return Path(d) if d else Path.home() / ".cache" / "wenzhen" / "yaml"


def read_yaml(path: Path) -> Any:
    """Parse a YAML file. Parsing 20,000 surface forms takes seconds, so the parsed data is cached by the
    file's content hash (~/.cache/wenzhen, or $WENZHEN_CACHE_DIR; empty turns it off): a changed file is
    parsed again, and a cache that cannot be read or written is simply skipped."""
    raw = Path(path).read_bytes()
    cache = _cache_dir()
    key = cache / (hashlib.sha256(raw).hexdigest() + ".marshal") if cache else None
    if key is not None:
        try:
            return marshal.loads(key.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise KBError(f"{path}: not valid YAML: {e}") from e
    if key is not None:
        try:
            key.parent.mkdir(parents=True, exist_ok=True)
            tmp = key.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(data))
            tmp.replace(key)
        except (OSError, ValueError):
            pass  # read-only home, or a value marshal cannot store: parse every time
    return data


def parse_list(path: Path, model: type[M], items: Any) -> list[M]:
    """Entries of one file; an invalid entry is reported with its file, position and id."""
    if not isinstance(items, list):
        raise KBError(f"{path}: expected a list of entries, got {type(items).__name__}")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as e:
            ident = item.get("id") or item.get("literal") or item.get("item") if isinstance(item, dict) else None
            raise KBError(f"{path}: entry {i} ({ident}): {e}") from e
    return out


def parse_one(path: Path, model: type[M], data: Any) -> M:
    """A file (or a part of one) that holds one object, such as a policy."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise KBError(f"{path}: {e}") from e


def load_list(path: Path, model: type[M], files: list[Path]) -> list[M]:
    files.append(path)
    return parse_list(path, model, read_yaml(path))


def load_dir(directory: Path, model: type[M], files: list[Path]) -> list[M]:
    """Every *.yaml of a folder, in name order (a domain split by body system or topic)."""
    out: list[M] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        out.extend(load_list(path, model, files))
    return out


def load_one(path: Path, model: type[M], files: list[Path]) -> M:
    files.append(path)
    return parse_one(path, model, read_yaml(path))


def index_by_id(items: list[M], what: str) -> dict[str, M]:
    out: dict[str, M] = {}
    for it in items:
        key = it.id  # type: ignore[attr-defined]
        if key in out:
            raise KBError(f"duplicate {what} id: {key}")
        out[key] = it
    return out


def normalise_key(text: str) -> str:
    """Comparable form of a name or unit: NFKC, lower case, no spaces/punctuation; μ/µ → u."""
    s = unicodedata.normalize("NFKC", str(text)).lower().replace("μ", "u").replace("µ", "u")
    return re.sub(r"[\s_\-'’‘\"(),.:;/\\]+", "", s)


def add_name(index: dict, name: str, target: object, where: str) -> None:
    """Register a name (normalised) for a target; the same name for two targets is an error."""
    key = normalise_key(name)
    if not key:
        return
    if index.get(key, target) != target:
        raise KBError(f"{where}: name {name!r} already means {index[key]!r}")
    index[key] = target


def digest(files: list[Path]) -> str:
    """A short content hash of the files a domain was loaded from: its version."""
    h = hashlib.sha256()
    for p in files:
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:12]


class Text(Strict):
    """Words shown to people, in Simplified Chinese and English: the one bilingual type of the project
    (no parallel `*_zh` / `*_en` fields). In YAML: `name: {zh: 胸痛, en: chest pain}`."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def pick(self, lang: str) -> str:
        return pick(self, lang)


class TextList(Strict):
    """Lists of words in each language, such as a condition's other names."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def pick(self, lang: str) -> list[str]:
        return pick(self, lang)


def fill(template: Any, **texts: Text) -> Text:
    """A {zh, en} template from a messages file with its {placeholders} filled from bilingual texts:
    fill({"zh": "可能是{name}", "en": "Possible {name}"}, name=condition.name)."""
    return Text(**{lang: template[lang].format(**{k: getattr(v, lang) for k, v in texts.items()}) for lang in ("zh", "en")})


def pick(text: Any, lang: str) -> Any:
    """The one way to choose a language from a Text / TextList (or any object with `zh` and `en`); None stays
    None, so optional texts need no test. Anything but "en" reads as Chinese, the default language."""
    if text is None:
        return None
    return text.en if lang == "en" else text.zh


@functools.lru_cache(maxsize=None)
def read_messages(path: Path) -> dict:
    """A package's interface wording (its messages.yaml), read once; treat it as read-only."""
    return read_yaml(Path(path))
