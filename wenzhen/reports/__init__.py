"""Report interpretation (体检/检验报告解读, SPEC 6): text, CSV/Excel, JSON, FHIR, PDF and photos.

    >>> from wenzhen.reports import interpret_text
    >>> r = interpret_text("性别：男 年龄：45岁\\n白细胞计数 12.5 ×10^9/L 3.5-9.5")
    >>> r.items[0].flag
    'high'
"""
from .fhir import to_fhir_bundle
from .interpret import egfr_ckd_epi_2021, interpret_bytes, interpret_file, interpret_parsed, interpret_report, interpret_text
from .models import (
    InterpretedItem,
    ParsedReport,
    PatientContext,
    RawResult,
    ReportInterpretation,
    ReportReadError,
    TrendReport,
)
from .parse import parse_bytes, parse_text
from .trends import compare_reports

__all__ = [
    "InterpretedItem", "ParsedReport", "PatientContext", "RawResult", "ReportInterpretation", "ReportReadError",
    "TrendReport", "compare_reports", "egfr_ckd_epi_2021", "interpret_bytes", "interpret_file", "interpret_parsed", "interpret_report",
    "interpret_text", "parse_bytes", "parse_text", "to_fhir_bundle",
]
