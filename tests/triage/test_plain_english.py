"""Emergencies typed in plain English by patients and relatives; minor complaints stay minor."""
import pytest

from wenzhen.assessment import assess

EMERGENCIES = [
    ("my husband suddenly can't lift his right arm and his words are all muddled, started 20 mins ago", 2),
    ("mum's face has dropped on one side and she can't smile properly", 2),
    ("my son ate a peanut cookie and now his lips are swelling and he's wheezing", 1),
    ("my 3 month old feels really hot, 38.5, and won't feed", 2),
    ("dad collapsed in the garden, he's breathing but we can't wake him", 1),
    ("my friend took a load of pills after a breakup, she's getting really drowsy", 1),
    ('my wife is 34 weeks and has a pounding headache, flashing lights and swollen face', 2),
    ("i've been throwing up blood and feel dizzy when i stand", 2),
    ('my daughter has a stiff neck, high fever and the light hurts her eyes', 2),
    ("grandma fell and hit her head, she's on blood thinners and is now being sick", 2),
    ('my partner has the worst headache of his life, came on like a thunderclap', 2),
    ('my baby is breathing really fast and sucking in under her ribs', 2),
    ("chest feels tight and heavy, going down my left arm, I'm 58 and sweating", 2),
    ('i think my appendix, pain moved to the right side, fever, cant walk straight', 2),
    ('my 2 year old swallowed one of those little round batteries', 2),
    ("my teenage son says his testicle suddenly really hurts and it's swollen", 2),
    ("my toddler is having a fit and it won't stop, it's been 10 minutes", 1),
    ("i'm diabetic and my sugar reading says 1.9 and i'm shaky and confused", 1),
    ("my dad is really breathless, lips look blue, can't speak in full sentences", 1),
    ('we had the heater on all night and all of us have headaches and are being sick', 2),
    ("my dog bit my son's face and it's bleeding a lot, won't stop", 2),
    ("i cut my wrist deep, there's blood spurting out", 1),
    ("my mum is really confused, feverish, and her wee smells bad, she's 85", 2),
    ("i'm 8 weeks pregnant with sharp pain on one side and i fainted", 1),
    ("woke up with the worst sore throat ever, can't swallow my own spit, drooling, voice muffled", 2),
]

MINOR = [
    'got a runny nose and a bit of a cough, no fever, feel ok',
    "i've got a mouth ulcer that's been there 3 days",
    "i stubbed my toe, it's a bit bruised but i can walk fine",
    "mild headache after a long day at the computer, it's easing with rest",
]


@pytest.mark.parametrize("text, least_urgent", EMERGENCIES, ids=lambda x: str(x)[:20])
def test_plain_english_emergency(text, least_urgent):
    a = assess(text)
    assert a.triage.triage_level <= least_urgent, [r.id for r in a.triage.rules_fired]


@pytest.mark.parametrize("text", MINOR, ids=lambda x: x[:20])
def test_plain_english_minor_complaint(text):
    assert assess(text).triage.triage_level == 4
