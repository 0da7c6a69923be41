"""Site-specific findings composed from a complaint word and a body site (kb/data/body_sites.yaml)."""
import pytest

from wenzhen.kb import KBError, get_kb
from wenzhen.kb.loader import _check_references
from wenzhen.understanding import understand


def _status(text: str) -> dict[str, str]:
    return {f.id: f.status for f in understand(text).findings}


@pytest.mark.parametrize("text, finding", [
    ("Presents with a soft nontender fullness within the left hemi scrotum.", "scrotal_swelling"),
    ("50 year old man, swelling in scrotum since this morning", "scrotal_swelling"),
    ("She has had pain and swelling in several fingers of both hands for 2 months.", "joint_swelling"),
    ("On beginning to walk, her right leg became painful, tender, and swollen.", "unilateral_leg_swelling"),
    ("painful right labial swelling for 5 days", "vulvar_lump"),
    ("我爸右腿又红又肿，走路疼", "unilateral_leg_swelling"),
    ("阴囊肿了好几天，不疼", "scrotal_swelling"),
    ("The leg is pale, cold below the knee, with weak toe movement.", "cold_pale_limb"),
    ("itching around the anus at night", "anal_itching"),
    ("moderate steady pain in the right upper quadrant that radiates to her back", "right_upper_quadrant_pain"),
    ("肚子疼，主要是右下腹那里疼", "right_lower_quadrant_pain"),
    ("acute onset of pain and skin redness of his lower leg", "skin_redness_warmth"),
    ("activity-related pain at the back of her heel", "achilles_tendon_pain"),
])
def test_site_and_complaint_apart_are_one_finding(text, finding):
    assert _status(text).get(finding) == "present"


def test_the_specific_finding_replaces_the_general_one():
    found = _status("Swelling in the scrotum, noticed after showering.")
    assert found.get("scrotal_swelling") == "present" and "edema" not in found


@pytest.mark.parametrize("text, finding", [
    ("No testicular or scrotal pain, no fever.", "scrotal_pain"),
    ("No knee swelling or redness.", "joint_swelling"),
])
def test_denied_composition_stays_denied(text, finding):
    assert _status(text).get(finding) == "absent"


@pytest.mark.parametrize("text, finding", [
    ("chest pain since an hour, no leg swelling", "unilateral_leg_swelling"),  # a new denied item between
    ("右腿不肿，也不疼，就是有点麻", "unilateral_leg_swelling"),  # a denial between is never read as present
    ("手脚冰凉好多年了，冬天更明显", "cold_pale_limb"),  # cold hands and feet: not an ischaemic limb
    ("always has cold hands in winter", "cold_pale_limb"),
    ("a white patch on his arm for a month", "cold_pale_limb"),
    ("an itchy rash on his lower leg for a week", "skin_redness_warmth"),  # a rash is not cellulitis
    ("Abdomen soft and non-tender. Headache for two days.", "abdominal_pain"),
    ("Pain in the chest since this morning. Knee replacement last year.", "knee_pain"),  # another sentence
])
def test_words_that_do_not_compose(text, finding):
    assert _status(text).get(finding) != "present"


def test_kb_check_rejects_an_unknown_composed_finding():
    kb = get_kb()
    bad = kb.body_sites.model_copy(update={"findings": [*kb.body_sites.findings,
                                                        kb.body_sites.findings[0].model_copy(update={"finding": "no_such_finding"})]})
    broken = type(kb)(**{**kb.__dict__, "body_sites": bad})
    with pytest.raises(KBError, match="no_such_finding"):
        _check_references(broken)
