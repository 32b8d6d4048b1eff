"""Running the re-anchoring corpus without a database: the same planning and rules as a
re-import, on plain texts (see `reanchoring_corpus`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from discussions.anchoring import Placement, TextChange, make_selector, place
from readings.reimport_plan import OldChapter, plan_reimport

from .reanchoring_corpus import Case, indistinguishable, judge


@dataclass(frozen=True)
class Outcome:
    thread_index: int
    placement: Placement
    verdict: str


def run(case: Case) -> list[Outcome]:
    """Re-anchor every thread of `case` the way a re-import does."""
    old_chapters, old_texts, old_chapter_of = [], {}, {}
    index = 0
    for number, (title, passages) in enumerate(case.old):
        ids = []
        for _, text in passages:
            old_texts[index] = text
            old_chapter_of[index] = number
            ids.append(index)
            index += 1
        old_chapters.append(OldChapter(number, title, ids))
    new_chapters = [(title, [text for _, text in passages]) for title, passages in case.new]
    plan = plan_reimport(old_chapters, old_texts, new_chapters)
    new_texts = dict(enumerate(case.new_texts))
    chapters = defaultdict(list)
    for j, chapter in enumerate(plan.chapter_of):
        chapters[chapter].append(j)
    change = TextChange(
        alignment=plan.alignment,
        old_texts=old_texts,
        new_texts=new_texts,
        chapters=dict(chapters),
        chapter_of=dict(enumerate(plan.chapter_of)),
        fallback_chapters={i: plan.successors[old_chapter_of[i]] for i in old_texts},
    )
    outcomes = []
    for n, (thread, truth) in enumerate(zip(case.threads, case.truths, strict=True)):
        selector = make_selector(old_texts[thread.passage], thread.start, thread.end)
        placement = place(selector, thread.passage, change)
        verdict = judge(truth, placement.status, placement.key, placement.start, placement.end)
        if verdict == "wrong" and indistinguishable(
            case, n, placement.key, placement.start, placement.end
        ):
            verdict = "indistinguishable"
        outcomes.append(Outcome(n, placement, verdict))
    return outcomes


def figures(cases_and_outcomes) -> dict:
    """Counts over many cases: threads, wrong placements, re-attached share, and per edit kind."""
    total = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for case, outcomes in cases_and_outcomes:
        for outcome in outcomes:
            truth = case.truths[outcome.thread_index]
            exists = truth.status in ("kept", "edited")
            key = outcome.verdict
            total["threads"] += 1
            total[key] += 1
            total[f"truth {truth.status}"] += 1
            if exists:
                total["exist"] += 1
                total["reattached"] += key == "right"
            for kind in case.touched[outcome.thread_index] or {"untouched"}:
                by_kind[kind]["threads"] += 1
                by_kind[kind][key] += 1
                if exists:
                    by_kind[kind]["exist"] += 1
                    by_kind[kind]["reattached"] += key == "right"
    return {"total": total, "by_kind": by_kind}
