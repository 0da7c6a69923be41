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
