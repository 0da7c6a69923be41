"""Knowledge base: data files under data/, their schema and a validating loader."""
from .loader import KBError, KnowledgeBase, get_kb, load_hospital_config, load_kb

__all__ = ["KBError", "KnowledgeBase", "get_kb", "load_kb", "load_hospital_config"]
