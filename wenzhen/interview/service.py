"""Interviews that persist: the engine's steps saved in the store after every answer, so an interview survives a
restart and any server on the same database can take the next answer."""
from __future__ import annotations

import threading

from .engine import InterviewState, InterviewStep, StartRequest, advance, answer, start, stop
from .report import PreconsultationReport, build_report, render_report, report_fhir
from .store import InterviewStore, StaleInterview, UnknownInterview


class InterviewService:
    def __init__(self, store: InterviewStore | None = None, url: str | None = None, llm="config"):
        self._store = store
        self._url = url
        self._lock = threading.Lock()
        if llm == "config":  # the configured model (WENZHEN_LLM_* or its file), if any, words the questions
            from ..llm.config import load_config
            llm = load_config()
        self.llm = llm

    @property
    def store(self) -> InterviewStore:
        # Opened on first use: a server that never interviews never touches the database.
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = InterviewStore(self._url)
        return self._store

    def start(self, req: StartRequest) -> tuple[str, InterviewStep]:
        state, step = start(req.complaint, age=req.age, sex=req.sex, language=req.language, llm=self.llm)
        rec = self.store.create(state.model_dump(mode="json"), status=state.status)
        return rec.id, step.model_copy(update={"interview_id": rec.id})

    def state(self, interview_id: str) -> tuple[InterviewState, int]:
        rec = self.store.get(interview_id)
        return InterviewState.model_validate(rec.state), rec.version

    def answer(self, interview_id: str, text: str) -> InterviewStep:
        """Raises UnknownInterview, InterviewEnded, ValueError, or StaleInterview when another answer to the same
        interview was saved first (the client should reload and retry)."""
        state, version = self.state(interview_id)
        step = answer(state, text, llm=self.llm)
        self.store.save(interview_id, state.model_dump(mode="json"), version, status=state.status)
        return step.model_copy(update={"interview_id": interview_id})

    def stop(self, interview_id: str) -> InterviewStep:
        state, version = self.state(interview_id)
        step = stop(state)
        self.store.save(interview_id, state.model_dump(mode="json"), version, status=state.status)
        return step.model_copy(update={"interview_id": interview_id})

    def current(self, interview_id: str) -> InterviewStep:
        """The step the interview is at (the pending question, or its end), without changing it."""
        state, _ = self.state(interview_id)
        pending = state.turns[-1].question if state.turns and state.turns[-1].speaker == "doctor" else None
        probe = state.model_copy(deep=True)
        if pending is not None:
            probe.turns.pop()  # advance() would append it again
        step = advance(probe)
        if pending is not None:
            step = step.model_copy(update={"question": pending})
        return step.model_copy(update={"interview_id": interview_id})

    def report(self, interview_id: str) -> PreconsultationReport:
        state, _ = self.state(interview_id)
        return build_report(state, interview_id)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


__all__ = ["InterviewService", "UnknownInterview", "StaleInterview", "render_report", "report_fhir"]
