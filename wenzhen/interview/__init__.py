"""Pre-consultation interview (预问诊, SPEC): dialogue understanding, the next best question, the report for the
doctor, and sessions that persist."""
from .dialogue import DialogueReading, FindingMention, Utterance, pooled_status, understand_dialogue
from .engine import (
    InterviewEnded,
    InterviewState,
    InterviewStep,
    Question,
    StartRequest,
    advance,
    answer,
    next_question,
    start,
    stop,
)
from .report import PreconsultationReport, build_report, render_report, report_fhir

__all__ = [
    "understand_dialogue", "pooled_status", "Utterance", "FindingMention", "DialogueReading",
    "start", "answer", "stop", "advance", "next_question", "InterviewState", "InterviewStep", "Question", "StartRequest",
    "InterviewEnded", "PreconsultationReport", "build_report", "render_report", "report_fhir",
]
