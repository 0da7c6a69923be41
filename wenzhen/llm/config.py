"""Which model to use: any OpenAI-compatible endpoint (DeepSeek, vLLM, SGLang, Ollama, llama.cpp's server), from a
YAML file and the environment. No model configured means wenzhen works exactly as without this package."""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

ENV = {"base_url": "WENZHEN_LLM_BASE_URL", "model": "WENZHEN_LLM_MODEL", "api_key": "WENZHEN_LLM_API_KEY"}
CONFIG_ENV = "WENZHEN_LLM_CONFIG"  # path of a YAML file with the fields of LLMConfig


class LLMConfig(BaseModel):
    model_config = {"extra": "forbid"}
    base_url: str = Field(description="OpenAI-compatible endpoint, e.g. https://api.deepseek.com or http://127.0.0.1:8080/v1")
    model: str = Field(description="deepseek-chat, deepseek-reasoner, qwen2.5-7b-instruct …")
    api_key: str = Field(default="none", repr=False, description="local servers accept any key")
    timeout_s: float = Field(default=60, gt=0, le=600)
    max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.3, ge=0, le=2)
    max_tokens: int = Field(default=1024, gt=0, le=32768)
    stream: bool = Field(default=False, description="stream the model's tokens (the guardrails still see the whole answer)")
    tools: bool = Field(default=True, description="offer wenzhen's deterministic tools by function calling")
    json_mode: bool = Field(default=True, description="ask for response_format json_object where wenzhen needs JSON "
                            "(finding extraction); turn off for servers that refuse it")
    log_path: str | None = Field(default=None, description="JSONL call log; default: the user data folder")


def default_data_dir() -> Path:
    """The user's data folder for wenzhen (logs, sessions): $WENZHEN_DATA_DIR, else XDG data home."""
    base = os.environ.get("WENZHEN_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "wenzhen")
    return Path(base)


def load_config(path: str | Path | None = None) -> LLMConfig | None:
    """The configuration from `path` (or $WENZHEN_LLM_CONFIG), overridden by the environment variables; None when
    no base URL and model are given anywhere. A broken file is an error, not a silent fallback."""
    data: dict = {}
    path = path or os.environ.get(CONFIG_ENV)
    if path:
        p = Path(path)
        if not p.is_file():
            raise ValueError(f"LLM configuration file not found: {p}")
        loaded = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{p}: expected a mapping of LLM settings")
        data.update(loaded)
    for field, var in ENV.items():
        if os.environ.get(var):
            data[field] = os.environ[var]
    if not data.get("base_url") or not data.get("model"):
        return None
    return LLMConfig.model_validate(data)
