"""Medical records (SPEC): the record drafted from the consultation, and quality control (病历质控) of one record or
of a whole archive (locally or on Ray)."""
from .batch import BatchSummary, qc_batch
from .draft import Draft, DraftRequest, draft_record, render_record
from .models import Diagnosis, Document, MedicalRecord, Patient
from .qc import Defect, QCResult, load_rules, qc_record, record_from_text

__all__ = ["draft_record", "render_record", "Draft", "DraftRequest", "qc_record", "qc_batch", "record_from_text",
           "load_rules", "MedicalRecord", "Diagnosis", "Document", "Patient", "QCResult", "Defect", "BatchSummary"]
