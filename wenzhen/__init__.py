"""wenzhen (问诊): a deterministic, sourced clinical core for Chinese healthcare."""

__version__ = "0.1.0"
