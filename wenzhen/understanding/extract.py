"""Text → ClinicalPicture: findings with ConText modifiers, attributes, vitals, demographics."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..kb import KnowledgeBase, get_kb
from ..kb.base import read_messages
from .cues import CUE as _CUE
from .cues import WORDS as _WORDS
from .lexicon import _CJK, LEXICON_PATH, Hit, Lexicons, get_lexicons, leftmost_longest
from .measurements import AgeMention, Span, extract_ages, extract_durations, extract_gestation, extract_vitals
from .models import (
    Allergy,
    ClinicalPicture,
    Demographics,
    Evidence,
    Finding,
    Medication,
    Pregnancy,
    VitalSigns,
    avpu_from_gcs,
)
from .sites import site_hits
from .text import detect_language, normalize

MAX_CHARS = 20_000
ENGLISH_MODIFIER_WINDOW = 16
MAX_CUE_REACH = 100  # characters: longer than any cue's max_scope (schema caps it at 80)

_SENTENCE_END = _CUE["sentence_end"]
_POSSESSED = _CUE["possessed_by_other"]
_COUNTED_BEFORE = _CUE["counted_people"]
_DATED_PAST = re.compile(read_messages(LEXICON_PATH)["diagnosis_dated_past"], re.I)
_CLAUSE_END_ZH = _CUE["clause_end_zh"]
_STATUS_RANK = {"present": 0, "uncertain": 1, "hypothetical": 2, "absent": 3}
_ALLERGY_ZH = _CUE["allergy_zh"]
_ALLERGY_EN = _CUE["allergy_en"]
_NO_ALLERGY = _CUE["no_allergy"]
_NOT_ALLERGENS = set(_WORDS["not_allergens"])
_COPULA_ENDINGS = tuple(_WORDS["copula_endings"])
# Chart style puts the site after the complaint: "pain, chest", "swelling, lt. ankle".
_CHART_INVERSION = _CUE["chart_inversion"]
# Dialogue turns: "医生：有没有发热？ 患者：没有" — a question's answer decides the finding's status.
_DOCTOR_LABELS = _WORDS["doctor_labels"]
_PATIENT_LABELS = _WORDS["patient_labels"]
_LABEL_WORDS = "|".join(re.escape(w) for w in sorted(_DOCTOR_LABELS + _PATIENT_LABELS, key=len, reverse=True))
# "医生：", "Doctor:", "[医生]", "【家属】", "患者(女,45岁)："
_TURN = re.compile(r"(?:^|(?<=[\s。.!?！？;；]))(?:[\[【(（](?P<who2>" + _LABEL_WORDS + r")[\]】)）]\s*[:：]?|(?P<who>"
                   + _LABEL_WORDS + r")(?:\s*[(（][^)）\n]{0,12}[)）])?\s*[:：])", re.I)
_DOCTOR = set(_DOCTOR_LABELS)
_QUESTION = _CUE["question"]
_ANSWER_NO = _CUE["answer_no"]
_ASKS_POSITIVE = _CUE["asks_the_positive"]
_NEGATION_HEAD = _CUE["negation_head"]
_ANSWER_YES = _CUE["answer_yes"]
_ANSWER_YES_WHEN = _CUE["answer_yes_when"]
_ANSWER_UNSURE = _CUE["answer_unsure"]
_ANSWER_UNKNOWN = _CUE["answer_unknown"]
_ASKS_AMOUNT = _CUE["asks_amount"]
_ASKS_BACK = _CUE["asks_back"]
_PRODUCT_NAME = _CUE["product_name"]
_ANSWER_WHEN = _CUE["answer_when"]
# An answer that repeats the word asked about: the first Chinese character of a clause, after fillers.
_ANSWER_FILLER = _CUE["answer_filler"]
_ECHO_SKIP = set(_WORDS["echo_skip"])
_ENDS_DENIED = _CUE["ends_denied"]


def _echo(answer: str, asked: str) -> str | None:
    chars = {c for c in asked if _CJK.match(c) and c not in _ECHO_SKIP}
    if not chars:
        return None
    for clause in re.split(r"[，,。;；、.!！?？\s]", answer)[:6]:
        clause = _ANSWER_FILLER.sub("", clause.strip())
        # "晕，心跳快", "站起来就晕": yes; "不晕", "没怎么吐": no.
        at = next((i for i, c in enumerate(clause) if c in chars), None)
        if at is not None and at <= 6:
            if _ENDS_DENIED.search(clause[at + 1:]):
                return "no"  # "晚上咳嗽吗？" "晚上没有": the clause ends denying it
            before = clause[:at]
            return "no" if re.search(r"(?:不|没有|没|无)[^不没无]{0,2}$", before) or _DENIED_COORDINATION.search(before) else "yes"
    return None


_ANSWER_AMOUNT = _CUE["answer_amount"]
_DENIED_COORDINATION = _CUE["denied_coordination"]
_DEGREE_YES = _CUE["degree_yes"]
_PRESUPPOSED = _CUE["presupposed"]
_PRESUPPOSING = _CUE["presupposing_question"]
_CJK_CONTENT = _CUE["cjk_content"]
_AGE_BANDS = (("infant", 1), ("child", 12), ("adolescent", 18), ("adult", 65), ("elderly", 200))


def age_band(age: float) -> str:
    for band, upper in _AGE_BANDS:
        if age < upper:
            return band
    return "elderly"


@dataclass
class _Segments:
    sentence_starts: list[int]
    clause_starts: list[int]

    @staticmethod
    def _index(starts: list[int], pos: int) -> int:
        return bisect_right(starts, pos) - 1

    def sentence(self, pos: int) -> int:
        return self._index(self.sentence_starts, pos)

    def clause(self, pos: int) -> int:
        return self._index(self.clause_starts, pos)

    def sentence_bounds(self, pos: int, lo: int, hi: int) -> tuple[int, int]:
        """The sentence holding `pos`, within [lo, hi) (a dialogue turn)."""
        i = self.sentence(pos)
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else hi
        return max(lo, self.sentence_starts[i]), min(hi, end)


def _segment(text: str, language: str) -> _Segments:
    sent = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    clause = set(sent)
    if language == "zh":
        clause.update(m.end() for m in _CLAUSE_END_ZH.finditer(text))
    return _Segments(sorted(set(sent)), sorted(clause))


def _overlaps(a: Hit | Span, spans) -> bool:
    if isinstance(spans, _Coverage):
        return spans.overlaps(a.start, a.end)
    return any(a.start < s.end and s.start < a.end for s in spans)


class _Coverage:
    """Which characters some span covers: overlap tests in O(span length), not O(spans)."""

    def __init__(self, spans, length: int):
        self.cov = bytearray(length + 1)
        for sp in spans:
            self.cov[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.cov[start:end])


_PAIN_WORD = _CUE["pain_word"]
_NEGATED_BEFORE = _CUE["negated_before"]


def _heads_its_clause(cue: Hit, seg: _Segments) -> bool:
    """A cue reaches into the next clause only when nothing follows it in its own ("没有：发烧，咳嗽"),
    not when its clause has its own object ("哭没有眼泪，尿很少": the urine is not denied)."""
    k = seg.clause(cue.start)
    end = seg.clause_starts[k + 1] if k + 1 < len(seg.clause_starts) else None
    return end is None or end - cue.end <= 2


def _apply_context(findings: list[tuple[Hit, Finding]], cues: list[Hit], seg: _Segments) -> None:
    terminators = sorted(c.start for c in cues if c.value.direction == "terminate")
    active = sorted((c for c in cues if c.value.direction not in ("terminate", "pseudo")), key=lambda c: c.start)
    starts = [c.start for c in active]

    def blocked(a: int, b: int) -> bool:  # a terminator (但是, but) between a and b
        i = bisect_left(terminators, a)
        return i < len(terminators) and terminators[i] < b

    # A two-way cue that heads a finding in its own clause looks forward only: "肚子疼也没有发烧"
    # denies the fever, not the pain; "发烧也没有" denies the fever.
    heads = {id(c) for c in active if c.value.direction == "bidirectional" and any(
        c.end <= h.start <= c.end + c.value.max_scope and seg.clause(h.start) == seg.clause(c.start) for h, _ in findings)}
    for hit, f in findings:
        cats: list[str] = []
        # Only cues within the longest possible scope can reach this finding.
        near = active[bisect_left(starts, hit.start - MAX_CUE_REACH):bisect_right(starts, hit.end + MAX_CUE_REACH)]
        for c in near:
            rule = c.value
            same_clause = seg.clause(c.start) == seg.clause(hit.start)
            if not same_clause and seg.sentence(c.start) != seg.sentence(hit.start):
                continue
            if rule.direction in ("forward", "bidirectional") and c.end <= hit.start:
                if (hit.start - c.end <= rule.max_scope and not blocked(c.end, hit.start)
                        and (same_clause or (rule.max_scope > 12 and _heads_its_clause(c, seg)))):
                    cats.append(rule.category)
                    f.cues.append(c.key)
                    continue
            if rule.direction in ("backward", "bidirectional") and c.start >= hit.end and id(c) not in heads:
                if c.start - hit.end <= rule.max_scope and not blocked(hit.end, c.start) and same_clause:
                    cats.append(rule.category)
                    f.cues.append(c.key)
        if "POSSIBLE" in cats:
            f.status = "uncertain"
        elif "HYPOTHETICAL" in cats:
            f.status = "hypothetical"
        elif "NEGATED" in cats:
            f.status = "absent"
        if "HISTORICAL" in cats:
            f.historical = True
        if "OTHER_EXPERIENCER" in cats:
            f.experiencer = "other"


def _stated_diagnoses(low: str, norm: str, lex: Lexicons, kb: KnowledgeBase, finding_hits: list[Hit],
                      taken: list[Span]) -> list[tuple[Hit, Finding]]:
    """Condition names in the text. One that covers a finding's words entirely ("急性心梗" over "心梗") wins."""
    out: list[tuple[Hit, Finding]] = []
    for h in lex.diagnoses.find(low):
        inside = [f for f in finding_hits if f.start < h.end and h.start < f.end]
        if any(not (h.start <= f.start and f.end <= h.end and (h.end - h.start) > (f.end - f.start)) for f in inside):
            continue
        if _overlaps(h, taken):
            continue
        after = low[h.end:h.end + 12].lstrip()
        if after.startswith(tuple(lex.raw["diagnosis_not_stated_before"])):
            continue
        c = kb.conditions[h.value]
        # "sign": a past episode (以前得过阑尾炎) is not a current one.
        f = Finding(id=c.id, name=c.name, category="sign", evidence=Evidence(text=norm[h.start:h.end], start=h.start, end=h.end))
        if _DATED_PAST.match(after):
            f.historical, f.cues = True, ["dated in the past"]
        out.append((h, f))
    return out


Turns = list[tuple[str, int, int]]


def _apply_dialogue(findings: list[tuple[Hit, Finding]], text: str, spans: Turns | None, seg: _Segments) -> bool:
    """In a doctor–patient dialogue (`spans`, from _dialogue_turns), a finding the doctor asks about takes
    the patient's answer. Returns whether the text was read as a dialogue.
    """
    positive = {id(hit) for hit, _ in findings if _asks_the_positive(text, hit)}
    for hit, f in findings:
        if id(hit) in positive:
            f.status, f.cues = "hypothetical", f.cues + ["asks: positive"]
    if not spans:
        return False
    starts = sorted(h.start for h, _ in findings)
    for hit, f in findings:
        idx = next((i for i, (_, a, b) in enumerate(spans) if a <= hit.start < b), None)
        if idx is None or spans[idx][0] != "doctor" or not _QUESTION.search(text[spans[idx][1]:spans[idx][2]]):
            continue  # a doctor's statement ("是咳嗽引起的") informs like any other sentence
        if _PRESUPPOSED.search(text[max(spans[idx][1], hit.start - 30):hit.start]) or _PRESUPPOSING.match(text, hit.end, spans[idx][2]):
            continue  # "除了发热还有别的吗？" asks about the others; "发烧几天了？" takes the fever as given
        reply = next((sp for sp in spans[idx + 1:] if sp[0] == "patient"), None)
        answer = text[reply[1]:reply[2]] if reply else ""
        inverted = id(hit) in positive
        asked = f.evidence.text
        if inverted and (head := _NEGATION_HEAD.match(asked)):
            asked = asked[head.end():]  # the answer echoes 放屁, not 没有放屁
        echo = _echo(answer, asked)
        if _ANSWER_UNKNOWN.match(answer):
            f.status, f.cues = "hypothetical", f.cues + ["answer: unknown"]  # asked, and nobody knows: no evidence
        elif _ANSWER_UNSURE.match(answer):
            f.status, f.cues = "uncertain", f.cues + ["answer: unsure"]
        elif _ASKS_BACK.search(re.split(r"[，,。.!！;；]", answer.strip())[0]):
            f.status = "hypothetical"  # "腹胀主要表现是什么？": the reply asks back, it answers nothing
        elif echo:
            # "头晕吗？" "晕，心跳快"; "肿吗？吐了吗？" "不肿，吐了一次": the answer repeats the word asked about.
            f.status, f.cues = ("present", f.cues + ["answer: yes"]) if echo == "yes" else ("absent", f.cues + ["answer: no"])
        elif (no := _ANSWER_NO.match(answer)) and (not _names_own_finding(text, reply[1] + no.end(), starts, reply[2])
                                                   or _finding_at(findings, reply[1] + no.end()) in (f.id, None)):
            # "没有流涕" to "有没有发烧、流涕？" denies the runny nose only; the fever stays unanswered
            f.status, f.cues = "absent", f.cues + ["answer: no"]
        elif no:
            f.status = "hypothetical"
        elif ((yes := _ANSWER_YES.match(answer) or _ANSWER_YES_WHEN.match(answer))
              and not _names_own_finding(text, reply[1] + yes.end(), starts, reply[2])):
            f.status, f.cues = "present", f.cues + ["answer: yes"]
        elif (_ANSWER_AMOUNT.match(answer) or _ANSWER_WHEN.match(answer)) and _ASKS_AMOUNT.search(text, *seg.sentence_bounds(hit.start, spans[idx][1], spans[idx][2])):
            # "发烧多少度？" "38.5"; "咳嗽多久了？" "三天": the question takes the finding as given.
            f.status, f.cues = "present", f.cues + ["answer: amount"]
        else:
            f.status = "hypothetical"  # asked but not answered: not evidence either way
        if inverted and f.status in ("present", "absent"):
            # "有没有放屁？" "没有": the child passes no wind, so the finding named by that absence is present
            f.status = "absent" if f.status == "present" else "present"
    return True


def _asks_the_positive(text: str, hit: Hit) -> bool:
    """"有没有放屁？": the words of a finding named by an absence (没有放屁) inside a question about the positive."""
    return hit.start > 0 and bool(_NEGATION_HEAD.match(text, hit.start)) and bool(_ASKS_POSITIVE.match(text, hit.start - 1))


def _finding_at(findings: list, pos: int) -> str | None:
    """The finding whose words start at `pos` (or one character on), if any."""
    return next((f.id for h, f in findings if 0 <= h.start - pos <= 1), None)


def _names_own_finding(text: str, pos: int, starts: list[int], end: int) -> bool:
    """"有点喘" answering "脖子发硬吗？": "a bit" leads into something of its own (a finding, or words that are not
    the one asked about), so it answers nothing else. Only the reply itself (up to `end`) counts: the next question
    ("fever?\nyes\ncough?") is not the answer's own words."""
    i = bisect_left(starts, pos)
    if i < len(starts) and starts[i] < end and starts[i] - pos <= 1:
        return True
    return bool(_DEGREE_YES.search(text, 0, pos)) and bool(_CJK_CONTENT.match(text, pos, end))


def _dialogue_turns(text: str) -> Turns | None:
    """(role, body start, body end) for each turn, when the text is a doctor–patient dialogue."""
    turns = [((m.group("who") or m.group("who2")).lower(), m.start(), m.end()) for m in _TURN.finditer(text)]
    roles = {"doctor" if w in _DOCTOR else "patient" for w, _, _ in turns}
    if len(turns) < 2 or roles != {"doctor", "patient"}:
        return _unlabelled_turns(text)
    return [(("doctor" if w in _DOCTOR else "patient"), body, (turns[i + 1][1] if i + 1 < len(turns) else len(text)))
            for i, (w, _, body) in enumerate(turns)]


_QUESTION_LINE = _CUE["question_line"]


def _unlabelled_turns(text: str) -> Turns | None:
    """A chat pasted one turn per line with no names: a line asking a question is the clinician's,
    the line after it the answer. Needs at least two such question-and-answer pairs."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    if len(lines) < 4:
        return None
    asks = [bool(_QUESTION_LINE.search(text[a:b])) for a, b in lines]
    pairs = sum(1 for i in range(len(lines) - 1) if asks[i] and not asks[i + 1])
    if pairs < 2:
        return None
    return [("doctor" if q else "patient", a, b) for q, (a, b) in zip(asks, lines)]


_EN_NUMBERS = {w: i for i, w in enumerate(_WORDS["en_numbers"])}
_EN_NUMBER = re.compile(r"\b(?:" + "|".join(_EN_NUMBERS) + r")\b", re.I)
_ANSWER_END = _CUE["answer_end"]


def _questions_and_answers(text: str, spans: Turns | None):
    """(question span, answer start, answer end) for each clinician turn answered by the next turn;
    the answer runs to its first sentence end."""
    for (role, a, b), (nrole, na, nb) in zip(spans or [], (spans or [])[1:]):
        if role == "doctor" and nrole == "patient":
            cut = _ANSWER_END.search(text, na, nb)
            yield a, b, na, (cut.start() if cut else nb)


def _dialogue_measurements(text: str, lex: Lexicons, spans: Turns | None) -> tuple[VitalSigns, list[AgeMention]]:
    """Bare answers to a doctor's question about a measurement ("多少度？" "38.5")."""
    vitals, ages = VitalSigns(), []
    for a, b, a_start, a_end in _questions_and_answers(text, spans):
        question, answer = text[a:b].lower(), text[a_start:a_end]
        if not re.search(r"\d|[一二两三四五六七八九十半]", answer) and not _EN_NUMBER.search(answer):
            continue
        for q in lex.raw["dialogue_measurement_questions"]:
            if not re.search(q["question"], question, re.I):
                continue
            if q.get("age"):
                suffix = ("岁" if re.search(r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*$", answer) else "大" if re.search(r"[月周天]\s*$", answer)
                          else " old" if re.search(r"(?:years?|months?|weeks?|days?)\s*$", answer, re.I) else "")
                for m in extract_ages(_EN_NUMBER.sub(lambda w: str(_EN_NUMBERS[w.group(0).lower()]), answer) + suffix):
                    ages.append(AgeMention(m.years, answer.strip(), a_start, a_end, m.sex))
                    break
                continue
            found, _ = extract_vitals(q["prefix"] + answer)
            for name in VitalSigns.model_fields:
                if name != "evidence" and getattr(found, name) is not None and getattr(vitals, name) is None:
                    setattr(vitals, name, getattr(found, name))
                    vitals.evidence[name] = Evidence(text=answer.strip(), start=a_start, end=a_end)
    return vitals, ages


_NEGATED_ANSWER = _CUE["negated_answer"]


def _lost_functions(text: str, lex: Lexicons, kb: KnowledgeBase, hits: list[Hit],
                    spans: Turns | None) -> list[tuple[Hit, Finding]]:
    """"叫得醒吗？" "叫不醒": a normal function the doctor asks about, answered no, is a finding.
    A question that names a symptom ("有没有呼吸困难？") is about the symptom, not the function."""
    out: list[tuple[Hit, Finding]] = []
    for a, b, a_start, a_end in _questions_and_answers(text, spans):
        question, answer = text[a:b], text[a_start:a_end]
        if not _QUESTION.search(question) or any(a <= h.start < b for h in hits):
            continue
        if re.search(lex.raw["dialogue_function_reduced"], question, re.I):
            continue
        if not answer.strip() or _ANSWER_UNSURE.match(answer) or _ANSWER_UNKNOWN.match(answer) or not _NEGATED_ANSWER.match(answer):
            continue
        for q in lex.raw["dialogue_function_questions"]:
            if re.search(q["question"], question, re.I) and q["finding"] in kb.findings:
                fd = kb.findings[q["finding"]]
                hit = Hit(a_start, a_end, answer, fd.id)
                out.append((hit, Finding(id=fd.id, name=fd.name, category=fd.category,
                                         cues=["answer: no to a normal function"],
                                         evidence=Evidence(text=answer.strip(), start=a_start, end=a_end))))
                break
    return out


def _attach_attributes(findings: list[tuple[Hit, Finding]], text: str, lex: Lexicons, seg: _Segments,
                       taken: list[Span], language: str) -> None:
    low = text.lower()
    taken_cov = _Coverage(taken, len(text))
    onsets = [h for h in lex.onset.find(low) if not _overlaps(h, taken_cov)]
    # "疼得不厉害", "not severe": a negated severity word says nothing about severity.
    severities = [h for h in lex.severity.find(low) if not _overlaps(h, taken_cov)
                  and not _NEGATED_BEFORE.search(low[max(0, h.start - 10):h.start])]
    durations = extract_durations(text, lex.durations, taken)
    dur_cov = _Coverage(durations, len(text))
    durations += [
        _DurationWord(h.value, text[h.start:h.end], h.start, h.end)
        for h in lex.duration_words.find(low)
        if not _overlaps(h, taken_cov) and not _overlaps(h, dur_cov)
    ]
    finding_clauses = {seg.clause(h.start) for h, _ in findings}
    # English has no clause commas to lean on: modifiers must sit next to the finding.
    window = ENGLISH_MODIFIER_WINDOW if language == "en" else None

    def close(h, hit) -> bool:
        if window is None:
            return True
        lo, hi = (h.end, hit.start) if h.start < hit.start else (hit.end, h.start)
        return hit.start - window <= h.start <= hit.end + window and "," not in text[lo:hi]

    for hit, f in findings:
        cl = seg.clause(hit.start)
        near = [o for o in onsets if seg.clause(o.start) == cl and close(o, hit)]
        if near:
            f.onset = near[0].value
        sev = [s for s in severities if seg.clause(s.start) == cl and close(s, hit)]
        if not sev and window is None:
            # "右上腹一直疼，疼得很厉害": a pain's severity alone in the next clause qualifies the one before.
            sev = [s for s in severities if seg.clause(s.start) == cl + 1 and cl + 1 not in finding_clauses
                   and seg.sentence(s.start) == seg.sentence(hit.start)
                   and _PAIN_WORD.search(text[seg.clause_starts[cl + 1]:s.end])]
        if sev:
            f.severity = min(sev, key=lambda s: abs(s.start - hit.start)).value
        elif f.id in _BLEEDING_VOLUME["findings"]:
            # "咯鲜血约200ml": a volume at or above the threshold in the same clause is a large bleed.
            vols = [float(m.group(1)) for m in _VOLUME.finditer(low) if seg.clause(m.start()) == cl]
            if vols and max(vols) >= _BLEEDING_VOLUME["severe_ml"]:
                f.severity = "severe"
        durs = [d for d in durations if seg.clause(d.start) == cl]
        if not durs:
            # "胸痛，两小时了": a duration alone in the next clause belongs to the one before.
            durs = [d for d in durations if seg.clause(d.start) == cl + 1 and cl + 1 not in finding_clauses
                    and seg.sentence(d.start) == seg.sentence(hit.start)]
        if durs:
            d = min(durs, key=lambda d: abs(d.start - hit.start))
            f.duration_hours, f.duration_text = round(d.hours, 3), d.text


@dataclass
class _DurationWord:
    hours: float
    text: str
    start: int
    end: int


@dataclass
class _Person:
    relation: str
    sex: str | None
    text: str
    start: int
    end: int


# "我用血压计量了他两个胳膊", "我发现她…": the writer acting on the patient is not the one with the finding.
_ACTOR_AFTER_SELF = _CUE["actor_after_self"]


_REPORTS_ON_WRITER = _CUE["reports_on_writer"]
_COMPANION_BEFORE = _CUE["companion_before"]
_SHARED_ACTIVITY = _CUE["shared_activity"]


def _persons(low: str, text: str, lex: Lexicons) -> list[_Person]:
    out: list[_Person] = []
    for h in lex.persons.find(low):
        relation, sex = h.value
        if relation == "self" and _ACTOR_AFTER_SELF.match(low, h.end):
            continue
        if relation == "other" and (h.start == 0 or low[h.start - 1] == "\n") and low[h.end:h.end + 1] in ("：", ":"):
            continue  # the speaker label "患者：" of a dialogue is the patient speaking, not someone else
        if relation != "self" and _COMPANION_BEFORE.search(low, max(0, h.start - 8), h.start) and _SHARED_ACTIVITY.match(low, h.end):
            continue  # "跟同事吃了顿烧烤", "played with my friends": company, not the patient
        if relation != "self" and _REPORTS_ON_WRITER.match(low, h.end):
            continue  # "my wife says I'm slurring", "老婆说我说话不清楚": she reports, the writer has it
        if relation != "self" and _COUNTED_BEFORE.search(low, max(0, h.start - 6), h.start):
            continue  # "生过5个孩子", "has two children": a count of people, not the one complaining
        p = _Person(relation, sex, text[h.start:h.end], h.start, h.end)
        if relation == "pronoun" and out and out[-1].end == h.start:
            continue  # emphatic 我自己, 她自己: the person just named
        if relation == "pronoun":
            # "my wife had the baby … she is pale": a person of the pronoun's sex comes before one of unknown sex.
            named = [q for q in reversed(out) if q.relation not in ("self",)]
            prev = next((q for q in named if sex and q.sex == sex), None) or next(iter(named), None)
            if prev is None:
                continue  # a pronoun with nobody before it: leave the default subject
            p = _Person(prev.relation, prev.sex or sex, p.text, p.start, p.end)
        out.append(p)
    return out


def _same_person(a: _Person, b: _Person) -> bool:
    return a.relation == b.relation and (a.sex is None or b.sex is None or a.sex == b.sex)


def _demographics(text: str, low: str, lex: Lexicons, persons: list[_Person], findings: list[tuple[Hit, Finding]],
                  seg: _Segments, taken: list[Span], extra_ages: list[AgeMention] = ()) -> tuple[Demographics, _Person | None, list[Span]]:
    symptoms = [h for h, f in findings if f.category in ("symptom", "sign", "context")]
    subject: _Person | None = None
    inherited_sex = None
    anchor = symptoms[0].start if symptoms else (findings[0][0].start if findings else len(text))
    before = [p for p in persons if p.end <= anchor]
    if before:
        subject = before[-1]
        if subject.sex is None:  # "我儿子6岁，孩子发烧": the child is the son named before
            named = next((p for p in before if p.relation == subject.relation and p.sex), None)
            inherited_sex = named.sex if named is not None else None
    elif persons:
        # Named only after the complaint ("fever for 3 days in my son"): that person, unless the complaint's owner
        # was already described ("29 year old Female. … her husband …", "45岁女性，白带多。她老公…") or the
        # person is someone's relative (her husband, 她老公), who is not the one complaining.
        described = any(a.end <= anchor for a in extract_ages(text) if not _overlaps(a, taken))
        own = [p for p in persons if not _POSSESSED.search(text[max(0, p.start - 6):p.start])]
        subject = None if described else (own[0] if own else None)
    if subject is not None and subject.relation == "self":
        subject = _Person("self", None, subject.text, subject.start, subject.end)

    demo = Demographics()
    if subject is not None:
        demo.subject = subject.relation  # type: ignore[assignment]
        demo.subject_text = subject.text
        demo.sex = subject.sex or inherited_sex  # type: ignore[assignment]
        demo.evidence.append(Evidence(text=subject.text, start=subject.start, end=subject.end))

    ages = sorted([a for a in extract_ages(text) if not _overlaps(a, taken)]
                  + [a for a in extra_ages if not _overlaps(a, taken)], key=lambda a: a.start)
    age_spans = [Span(a.start, a.end) for a in ages]
    if ages:
        # The subject's age: the first age after the subject's mention, else the first one given.
        pick = next((a for a in ages if subject is None or a.start >= subject.start), ages[0])
        demo.age_years, demo.age_text = pick.years, pick.text
        demo.evidence.append(Evidence(text=pick.text, start=pick.start, end=pick.end))
        if pick.sex and demo.sex is None:
            demo.sex = pick.sex  # type: ignore[assignment]
    if demo.sex is None:
        finding_cov = _Coverage([Span(x.start, x.end) for x, _ in findings], len(text))
        person_spans = [Span(p.start, p.end) for p in persons if subject is None or not _same_person(p, subject)]
        for h in lex.sex.find(low):
            if not _overlaps(h, person_spans) and not _overlaps(h, finding_cov):
                demo.sex = h.value
                demo.evidence.append(Evidence(text=text[h.start:h.end], start=h.start, end=h.end))
                break
    if demo.age_years is not None:
        demo.age_assumed_band = None
    elif demo.subject == "child":
        # 宝宝/baby without an age: assume an infant, the more cautious reading.
        infant_words = ("宝宝", "婴儿", "新生儿", "宝贝", "baby", "infant", "newborn")
        demo.age_assumed_band = "infant" if any(w in (demo.subject_text or "").lower() for w in infant_words) else "child"
    elif demo.subject == "grandparent":
        demo.age_assumed_band = "elderly"
    return demo, subject, age_spans


def _assign_experiencer(findings: list[tuple[Hit, Finding]], persons: list[_Person], subject: _Person | None,
                        seg: _Segments, text: str) -> None:
    ends = [p.end for p in persons]
    for hit, f in findings:
        i = bisect_right(ends, hit.start)  # persons are in text order: the last one ending before the finding
        if i == 0 or subject is None:
            continue
        who = persons[i - 1]
        if seg.sentence(who.start) != seg.sentence(hit.start):
            continue
        if not any(_same_person(p, subject) for p in _listed_with(persons, i - 1, text)):
            f.experiencer = "other"


# "我、我妈和我弟都头疼": people joined by these share what follows.
_LIST_JOINER = _CUE["list_joiner"]


def _listed_with(persons: list[_Person], k: int, text: str) -> list[_Person]:
    """persons[k] and the people listed with it ("我、我妈和我弟", "my wife and I")."""
    chain = [persons[k]]
    j = k
    while j > 0 and _LIST_JOINER.match(text[persons[j - 1].end:persons[j].start]):
        j -= 1
        chain.append(persons[j])
    return chain


def _merge(findings: list[Finding]) -> list[Finding]:
    """One entry per finding and experiencer; the most affirmative status wins, attributes are pooled."""
    merged: dict[tuple[str, str], Finding] = {}
    for f in findings:
        key = (f.id, f.experiencer)
        cur = merged.get(key)
        if cur is None:
            merged[key] = f
            continue
        better, other = (f, cur) if (_STATUS_RANK[f.status], f.historical) < (_STATUS_RANK[cur.status], cur.historical) else (cur, f)
        if better.status == "hypothetical" and better.implied_by and other.status == "absent" and not other.implied_by:
            better, other = other, better  # "没有精神萎靡" is not undone by a question about 嗜睡, which implies it
        for attr in ("onset", "duration_hours", "duration_text", "severity"):
            if getattr(better, attr) is None and getattr(other, attr) is not None:
                setattr(better, attr, getattr(other, attr))
        if better.implied_by and not other.implied_by:
            better.implied_by = None
            better.evidence = other.evidence
        merged[key] = better
    return list(merged.values())


def _medications(low: str, text: str, lex: Lexicons, kb: KnowledgeBase, negated_spans: list[Span]) -> list[Medication]:
    out, seen = [], set()
    negated_cov = _Coverage(negated_spans, len(text))
    for h in lex.medications.find(low):
        if h.value in seen or _overlaps(h, negated_cov):
            continue
        seen.add(h.value)
        m = kb.medications[h.value]
        out.append(Medication(id=m.id, name=m.name, drug_class=m.drug_class,
                              evidence=Evidence(text=text[h.start:h.end], start=h.start, end=h.end)))
    return out


def _allergies(text: str, lex: Lexicons, kb: KnowledgeBase, language: str) -> tuple[list[Allergy], bool, list[Span]]:
    out: list[Allergy] = []
    spans: list[Span] = []
    no_known = bool(_NO_ALLERGY.search(text))
    for pat in (_ALLERGY_ZH, _ALLERGY_EN):
        for m in pat.finditer(text):
            if _NO_ALLERGY.search(text[max(0, m.start() - 4):m.end()]):
                continue
            raw = (m.groupdict().get("x") or m.groupdict().get("y") or "").strip()
            if not raw or raw in _NOT_ALLERGENS or raw.endswith(_COPULA_ENDINGS):
                continue  # "我是过敏…", "孩子有点过敏": who, not what to
            found = lex.allergens.find(raw.lower())
            end = m.end()
            if found and m.groupdict().get("x") is not None and pat is _ALLERGY_EN:
                # "allergic to aspirin and I've had chest pain": the allergy ends with its last allergen.
                end = m.start("x") + len(raw) - len(raw.lstrip()) + found[-1].end
                raw = raw.strip()[:found[-1].end]
            ev = Evidence(text=text[m.start():end], start=m.start(), end=end)
            ids = list(dict.fromkeys(h.value for h in found))  # "青霉素和海鲜" → two
            for aid in ids or [None]:
                name = raw if aid is None else (kb.allergens[aid].name.en if language == "en" else kb.allergens[aid].name.zh)
                out.append(Allergy(allergen_id=aid, name=name, evidence=ev))
            spans.append(Span(m.start(), end))
    return out, no_known and not out, spans


@lru_cache(maxsize=8)
@lru_cache(maxsize=8)
def _giving_way(kb: KnowledgeBase) -> frozenset[str]:
    return frozenset(f.id for f in kb.findings.values() if f.gives_way)


def _give_way(hits: list[Hit], giving_way: frozenset[str]) -> list[Hit]:
    """Drop the hits of findings that give way wherever another finding is read from overlapping words: 吃了一瓶
    安眠药 is an overdose, not only a medicine taken."""
    others = [h for h in hits if h.value not in giving_way]
    if len(others) == len(hits):
        return hits
    return others + [h for h in hits if h.value in giving_way
                     and not any(o.start < h.end and h.start < o.end for o in others)]


@lru_cache(maxsize=8)
def _implies(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    return {f.id: frozenset(f.implies) for f in kb.findings.values() if f.implies}


def _with_site_findings(hits: list[Hit], low: str, kb: KnowledgeBase) -> list[Hit]:
    """Add the findings a complaint word and a body site compose ("swelling in the scrotum"); the general
    finding read from the same words gives way to the specific one (not also oedema)."""
    composed, replaces = site_hits(low, kb)
    if not composed:
        return hits
    out = list(hits)
    for i, c in enumerate(composed):
        if any(h.value == c.value and h.start < c.end and c.start < h.end for h in out):
            continue  # already read as a phrase
        out = [h for h in out if not (h.value in replaces[i] and c.start <= h.start and h.end <= c.end)]
        out.append(c)
    return sorted(out, key=lambda h: h.start)


def understand(text: str, kb: KnowledgeBase | None = None) -> ClinicalPicture:
    """Read a complaint in colloquial Chinese or English into structured findings.

    Raises ValueError for input that is not text or is empty.
    """
    return understand_with_mentions(text, kb, keep_mentions=False)[0]


def understand_with_mentions(text: str, kb: KnowledgeBase | None = None,
                             keep_mentions: bool = True) -> tuple[ClinicalPicture, list[Finding]]:
    """understand(), and every mention of a finding before merging, in text order (a dialogue's later correction
    overrides an earlier answer; datasets pool mentions their own way). understand() itself keeps none: copying them
    is work the single-complaint path does not need."""
    if not isinstance(text, str):
        raise ValueError("input must be text")
    kb = kb or get_kb()
    lex = get_lexicons()
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"input longer than {MAX_CHARS} characters: only the first {MAX_CHARS} were read")
    norm = normalize(text)
    if not norm.strip():
        raise ValueError("input is empty")
    low = norm.lower()
    language = detect_language(norm)
    seg = _segment(norm, language)

    vitals, vital_spans = extract_vitals(norm)
    turns = _dialogue_turns(norm)
    answered_vitals, answered_ages = _dialogue_measurements(norm, lex, turns)
    for name, ev in answered_vitals.evidence.items():
        if getattr(vitals, name) is None:
            setattr(vitals, name, getattr(answered_vitals, name))
            vitals.evidence[name] = ev
            vital_spans.append(Span(ev.start, ev.end))
    allergies, no_known_allergies, allergy_spans = _allergies(norm, lex, kb, language)
    taken = vital_spans + allergy_spans

    products = [Span(m.start(), m.end()) for m in _PRODUCT_NAME.finditer(low)]
    raw = _give_way(lex.findings.all_hits(low) + lex.finding_patterns.all_hits(low), _giving_way(kb))
    hits = [h for h in leftmost_longest(raw, _implies(kb))
            if not _overlaps(h, allergy_spans) and not _overlaps(h, products)]
    inverted = _CHART_INVERSION.match(low) if language == "en" else None
    if inverted:
        # Read "pain, chest" also as "chest pain"; a hit there stands for the whole phrase.
        swapped = f"{inverted.group(2)} {inverted.group(1)}"
        found = {h.value for h in hits}
        for h in lex.findings.find(swapped, lex.finding_patterns.all_hits(swapped)):
            if h.value not in found:
                hits.append(Hit(0, len(low.rstrip()), h.key, h.value))
                found.add(h.value)
        hits.sort(key=lambda h: h.start)
    hits = _with_site_findings(hits, low, kb)
    pairs: list[tuple[Hit, Finding]] = []
    for h in hits:
        fd = kb.findings[h.value]
        pairs.append((h, Finding(id=fd.id, name=fd.name, category=fd.category,
                                 evidence=Evidence(text=norm[h.start:h.end], start=h.start, end=h.end))))
    finding_spans = [Span(h.start, h.end) for h in hits]
    finding_cov = _Coverage(finding_spans + taken, len(norm))
    dx_pairs = _stated_diagnoses(low, norm, lex, kb, hits, taken + products)
    # The name wins over a finding inside it: "hay fever" is not a fever.
    pairs = [(h, f) for h, f in pairs if not any(d.start <= h.start and h.end <= d.end for d, _ in dx_pairs)]
    hits = [h for h, _ in pairs]
    dx_cov = _Coverage([Span(h.start, h.end) for h, _ in dx_pairs], len(norm))
    cues = [c for c in lex.context.find(low) if not _overlaps(c, finding_cov) and not _overlaps(c, dx_cov)]
    _apply_context(pairs, cues, seg)
    _apply_context(dx_pairs, cues, seg)
    _apply_dialogue(dx_pairs, norm, turns, seg)
    lost = _lost_functions(norm, lex, kb, hits, turns)
    if _apply_dialogue(pairs, norm, turns, seg):
        notes.append("read as a doctor–patient dialogue: findings the doctor asked about take the patient's answer")
    if lost:
        pairs = sorted(pairs + lost, key=lambda p: p[0].start)

    # Speaker labels (患者：, Patient:) name a role, not the person the complaint is about.
    labels = [Span(m.start(), m.end()) for m in _TURN.finditer(norm)]
    not_persons = _Coverage(finding_spans + labels, len(norm))
    persons = [p for p in _persons(low, norm, lex) if not _overlaps(p, not_persons)]
    demo, subject, age_spans = _demographics(norm, low, lex, persons, pairs, seg, taken, answered_ages)
    _assign_experiencer(pairs, persons, subject, seg, low)
    _assign_experiencer(dx_pairs, persons, subject, seg, low)
    _attach_attributes(pairs, norm, lex, seg, taken + age_spans, language)

    findings = [f for _, f in pairs]
    mentions: list[Finding] = []
    for _, f in pairs:
        if keep_mentions:
            mentions.append(f.model_copy())
        for implied in kb.findings[f.id].implies:
            fd = kb.findings[implied]
            entailed = f.model_copy(update={"id": fd.id, "name": fd.name, "category": fd.category,
                                            "implied_by": f.id, "cues": list(f.cues)})
            findings.append(entailed)
            if keep_mentions and f.status in ("present", "uncertain"):
                # 上吐下泻 is a mention of vomiting and of diarrhoea too; "晚上不咳" denies only the night cough
                mentions.append(entailed.model_copy())
    findings = _merge(findings)

    pregnancy = None
    preg = next((f for f in findings if f.id == "pregnancy" and f.experiencer == "patient"), None)
    gest = extract_gestation(norm)
    if gest is not None:
        pregnancy = Pregnancy(status="pregnant", gestational_weeks=gest[0],
                              evidence=Evidence(text=gest[1].group(0), start=gest[1].start(), end=gest[1].end()))
    elif preg is not None and preg.status in ("present", "absent"):
        pregnancy = Pregnancy(status="pregnant" if preg.status == "present" else "not_pregnant", evidence=preg.evidence)
    if pregnancy and pregnancy.status == "pregnant":
        if demo.sex is None:
            demo.sex = "female"
        if preg is None:
            fd = kb.findings["pregnancy"]
            findings.append(Finding(id=fd.id, name=fd.name, category=fd.category,
                                    evidence=pregnancy.evidence))

    negated = [Span(f.evidence.start, f.evidence.end) for f in findings if f.status == "absent"]
    medications = _medications(low, norm, lex, kb, negated)

    consciousness = None
    if vitals.gcs is not None:
        consciousness = avpu_from_gcs(vitals.gcs, kb)

    if not findings and not any(getattr(vitals, k) is not None for k in ("sbp", "hr", "rr", "temp_c", "spo2", "gcs")):
        notes.append("no symptom, sign or measurement was recognised in the text")
    findings = _drop_general_denials(findings, _implies(kb))
    findings += _from_durations(findings, kb)
    findings += _from_medications(findings, medications, kb)
    return ClinicalPicture(
        text=norm,
        language=language,  # type: ignore[arg-type]
        findings=sorted(findings, key=lambda f: f.evidence.start),
        vitals=vitals,
        demographics=demo,
        medications=medications,
        allergies=allergies,
        no_known_allergies=no_known_allergies,
        pregnancy=pregnancy,
        consciousness=consciousness,  # type: ignore[arg-type]
        stated_diagnoses=[f for _, f in dx_pairs],
        notes=notes,
    ), mentions


_BLEEDING_VOLUME = read_messages(LEXICON_PATH)["bleeding_volume"]
_VOLUME = re.compile(r"(\d{2,5}(?:\.\d+)?)\s*(?:%s)(?![a-z])" % "|".join(map(re.escape, _BLEEDING_VOLUME["units"])), re.I)


def _drop_general_denials(findings: list[Finding], implies: dict[str, frozenset[str]]) -> list[Finding]:
    """没吐过血 denies vomiting blood, not vomiting: a general finding read from the same words as a denied
    specific one is dropped (affirmed, the specific one implies the general one anyway)."""
    denied = [f for f in findings if f.status == "absent"]
    return [g for g in findings if not (g.status == "absent" and any(
        g.id in implies.get(s.id, ()) and s.evidence.start < g.evidence.end and g.evidence.start < s.evidence.end
        for s in denied))]


def _from_durations(findings: list[Finding], kb: KnowledgeBase) -> list[Finding]:
    """Findings that a duration establishes (拉肚子半年 → chronic diarrhoea), unless already said or denied."""
    said = {f.id for f in findings if f.experiencer == "patient"}
    out = []
    for fd in _duration_defs(kb):
        crit = fd.from_duration
        base = next((f for f in findings if f.id == crit.finding and f.affirmed and f.duration_hours is not None
                     and f.duration_hours >= crit.min_hours), None)
        if base is not None and fd.id not in said:
            out.append(Finding(id=fd.id, name=fd.name, category=fd.category, evidence=base.evidence,
                               duration_hours=base.duration_hours, duration_text=base.duration_text,
                               implied_by=f"duration:{crit.finding}"))
    return out


def _from_medications(findings: list[Finding], medications: list[Medication], kb: KnowledgeBase) -> list[Finding]:
    """Findings that a named medicine establishes (吃了阿莫西林 → took a medicine), unless already said or denied."""
    if not medications:
        return []
    said = {f.id for f in findings if f.experiencer == "patient"}
    ev = medications[0].evidence
    return [Finding(id=fd.id, name=fd.name, category=fd.category, evidence=ev, implied_by=f"medication:{medications[0].id}")
            for fd in _medication_defs(kb) if fd.id not in said]


@lru_cache(maxsize=8)
def _medication_defs(kb: KnowledgeBase) -> tuple:
    return tuple(fd for fd in kb.findings.values() if fd.from_medication)


@lru_cache(maxsize=8)
def _duration_defs(kb: KnowledgeBase) -> tuple:
    return tuple(fd for fd in kb.findings.values() if fd.from_duration is not None)


@lru_cache(maxsize=8)
def _vital_defs(kb: KnowledgeBase) -> tuple:
    return tuple(fd for fd in kb.findings.values() if fd.from_vital is not None)


__all__ = ["understand", "age_band", "VitalSigns"]


_OPS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


def derive_from_vitals(picture: ClinicalPicture, kb: KnowledgeBase | None = None) -> ClinicalPicture:
    """Add findings that a measurement establishes (体温39°C → 发热) when the words did not say so."""
    kb = kb or get_kb()
    v = picture.vitals
    if v.hr is not None and v.sbp:  # (a zero pressure would divide by zero)
        v.shock_index = round(v.hr / v.sbp, 2)  # the shock index, read by the triage rules like a measurement
    if picture.pregnancy is not None and picture.pregnancy.status == "pregnant":
        v.gestational_weeks = picture.pregnancy.gestational_weeks
    have = {f.id for f in picture.findings if f.experiencer == "patient" and f.status != "absent"}
    for fd, met, ev in measured_findings(picture, kb):
        if met and fd.id not in have:
            add_derived_finding(picture, fd, ev, f"vital:{fd.from_vital.vital}")
    return picture


def measured_findings(picture: ClinicalPicture, kb: KnowledgeBase) -> list[tuple]:
    """Each finding a measurement of the picture speaks to (体温 → 发热): (its definition, whether the measurement
    meets it, the measurement's evidence). Met: derive_from_vitals adds it; not met: the differential counts it
    as ruled out."""
    out = []
    for fd in _vital_defs(kb):
        crit = fd.from_vital
        value = getattr(picture.vitals, crit.vital)
        if value is None:
            continue
        ev = picture.vitals.evidence.get(crit.vital) or Evidence(text=f"{crit.vital}={value:g}", start=0, end=0)
        out.append((fd, _OPS[crit.op](float(value), crit.value), ev))
    return out


def add_derived_finding(picture: ClinicalPicture, fd, evidence: Evidence, implied_by: str) -> None:
    """Add a finding a measurement establishes; it replaces the patient's own entry (a measurement beats a denial)."""
    picture.findings = [f for f in picture.findings if not (f.id == fd.id and f.experiencer == "patient")]
    picture.findings.append(Finding(id=fd.id, name=fd.name, category=fd.category,
                                    evidence=evidence, implied_by=implied_by))
