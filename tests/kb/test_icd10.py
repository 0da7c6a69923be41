"""Every condition's ICD-10 code is in China's national clinical version 2.0 (国家临床版2.0), the checklist of
issue 11, unless the code is newer than that list (COVID-19, Zika, …). Skipped when the list is not present."""
import csv

import pytest

from benchmarks.common import Skip, dataset
from wenzhen.kb import get_kb

# WHO ICD-10 codes added after the national clinical list 2.0 was published, or for which it has no entry.
NEWER_THAN_THE_LIST = {"U07.1", "A92.5", "K20.0", "M04.8", "O90.6"}


def _national_codes() -> set[str]:
    try:
        path = dataset("icd10-cn") / "ICD10_national_clinical_v2.0.tsv"
    except Skip as e:
        pytest.skip(str(e))
    with open(path, encoding="utf-8") as f:
        return {row[0].strip().upper() for row in csv.reader(f, delimiter="\t") if row and row[0][:1].isalpha()}


def _listed(code: str, codes: set[str]) -> bool:
    """K35.9 is listed as K35.900; a bare category (N44) as any of its codes (N44.x00)."""
    stem = code.rstrip(".")
    return any(x.startswith(stem) for x in codes)


def test_condition_codes_are_in_the_national_clinical_list():
    codes = _national_codes()
    missing = [(c.id, c.icd10) for c in get_kb().conditions.values()
               if (code := c.icd10.strip().upper().split("/")[0].split(",")[0].split()[0]) not in NEWER_THAN_THE_LIST
               and not _listed(code, codes)]
    assert not missing, f"ICD-10 codes not in 国家临床版2.0: {missing}"


def test_the_check_can_fail():
    codes = _national_codes()
    assert _listed("K35.9", codes) and _listed("N44", codes)
    assert not _listed("K35.8", codes) and not _listed("U07.1", codes)


def _national_list() -> dict[str, str]:
    try:
        path = dataset("icd10-cn") / "ICD10_national_clinical_v2.0.tsv"
    except Skip as e:
        pytest.skip(str(e))
    with open(path, encoding="utf-8") as f:
        return {row[0].strip(): row[1].strip().replace("\\[", "[").replace("\\]", "]")
                for row in csv.reader(f, delimiter="\t") if row and row[0][:1].isalpha()}


def test_national_codes_are_in_the_list_with_their_names():
    """Every code a record's diagnosis carries (kb/data/coding/) is a code of the list, with the list's own name."""
    listed = _national_list()
    wrong = [(cid, c.code, c.name, listed.get(c.code)) for cid, c in get_kb().national_codes.codes.items()
             if listed.get(c.code) != c.name]
    assert not wrong, wrong[:20]


def test_national_codes_cover_the_conditions_and_stay_in_their_category():
    kb = get_kb()
    codes = kb.national_codes.codes
    uncoded = [c.id for c in kb.conditions.values() if c.id not in codes]
    # only conditions whose code is newer than the list or has no entry in it
    assert all(kb.conditions[c].icd10 in NEWER_THAN_THE_LIST for c in uncoded), uncoded
    # the national code refines the condition's ICD-10 code (same category)
    outside = [c for c in kb.conditions.values() if c.id in codes and c.icd10
               and not codes[c.id].code.startswith(c.icd10.split("/")[0].split(",")[0].split()[0].rstrip(".")[:3])]
    assert not outside, [(c.id, c.icd10, codes[c.id].code) for c in outside]


def test_a_drafted_diagnosis_carries_its_national_code():
    from wenzhen.interview.dialogue import Utterance
    from wenzhen.records import draft_record

    d = draft_record([Utterance(speaker="patient", text="孩子发烧两天，耳朵疼，一直抓耳朵"),
                      Utterance(speaker="doctor", text="考虑是急性中耳炎，先吃布洛芬")])
    assert [(x.name, x.icd10) for x in d.record.diagnoses] == [("急性中耳炎", "H66.900x002")]
