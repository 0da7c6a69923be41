"""Knowledge base: data files under data/, their schema and a validating loader."""
from .base import KBError
from .loader import KnowledgeBase, get_kb, load_hospital_config, load_kb

__all__ = ["KBError", "KnowledgeBase", "get_kb", "load_kb", "load_hospital_config"]
