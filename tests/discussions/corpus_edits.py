"""The seeded edits of the re-anchoring corpus (`reanchoring_corpus`): an editor that makes
a new edition of a book the way real editions differ, each character keeping its origin."""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from .reanchoring_corpus import (
    EDIT_KINDS,
    GLOBAL_KINDS,
    NEW,
    STRIDE,
    Chapter,
    Passage,
    Thread,
    sentence_spans,
)

_WORD = re.compile(r"[A-Za-z]+")

RESPELLINGS = [
    ("colour", "color"),
    ("honour", "honor"),
    ("favour", "favor"),
    ("behaviour", "behavior"),
    ("neighbour", "neighbor"),
    ("labour", "labor"),
    ("humour", "humor"),
    ("endeavour", "endeavor"),
    ("realise", "realize"),
    ("recognise", "recognize"),
    ("organis", "organiz"),
    ("civilis", "civiliz"),
    ("surprize", "surprise"),
    ("chuse", "choose"),
    ("to-day", "today"),
    ("to-morrow", "tomorrow"),
    ("connexion", "connection"),
    ("shew", "show"),
    ("any one", "anyone"),
    ("every one", "everyone"),
]


class Editor:
    """Applies seeded edits to a document, tracking which old passages each kind touched."""

    def __init__(self, rng, doc, texts, threads) -> None:
        self.rng, self.doc, self.texts, self.threads = rng, doc, texts, threads
        self.touched: dict[int, set[str]] = {}
        self.vocabulary = sorted({w.lower() for t in texts[:400] for w in _WORD.findall(t)})

    def run(self, edits_per_passage: float, every_global_edit: bool = False) -> None:
        rng = self.rng
        local = [k for k in EDIT_KINDS if k not in GLOBAL_KINDS]
        passages = sum(len(c.passages) for c in self.doc)
        copies = []
        for _ in range(max(10, int(passages * edits_per_passage))):
            kind = rng.choice(local)
            # Most edits are made where threads are, so that they are put to the test.
            thread = rng.choice(self.threads) if rng.random() < 0.7 else None
            if kind == "copy of the quote inserted":
                copies.append(thread)
                continue
            getattr(self, "_" + kind.replace(" ", "_"))(thread)
        # Copies of quotes are inserted last, beside quotes still whole: a copy of words that
        # were deleted meanwhile would be a move, not a copy.
        for thread in copies:
            self._copy_of_the_quote_inserted(thread)
        if every_global_edit or rng.random() < 0.7:
            self._respelling()
        if every_global_edit or rng.random() < 0.6:
            self._front_matter_added()
        if every_global_edit or rng.random() < 0.5:
            self._quotation_marks_and_dashes_restyled()

    # Helpers

    def _locate(self, thread: Thread | None) -> tuple[int, int] | None:
        """(chapter, passage) holding most of a thread's old passage now, or a random one."""
        if thread is not None:
            best, count = None, 0
            for c, chapter in enumerate(self.doc):
                for p, passage in enumerate(chapter.passages):
                    if thread.passage not in passage.holds:
                        continue
                    n = sum(1 for o in passage.origin if o // STRIDE == thread.passage)
                    if n > count:
                        best, count = (c, p), n
            if best:
                return best
        chapters = [c for c, chapter in enumerate(self.doc) if chapter.passages]
        c = self.rng.choice(chapters)
        return c, self.rng.randrange(len(self.doc[c].passages))

    def _quote_span(self, passage: Passage, thread: Thread | None) -> tuple[int, int] | None:
        if thread is None or thread.start is None:
            return None
        positions = [
            k
            for k, o in enumerate(passage.origin)
            if o // STRIDE == thread.passage and thread.start <= o % STRIDE < thread.end
        ]
        return (positions[0], positions[-1] + 1) if positions else None

    def _mark(self, kind: str, passages: list[Passage]) -> None:
        """Record which old passages an edit touched (call after it, with every passage it
        changed)."""
        for passage in passages:
            passage.refresh()
            for old in passage.holds:
                self.touched.setdefault(old, set()).add(kind)

    def _replace(self, passage: Passage, start: int, end: int, text: str) -> None:
        """Replace passage[start:end] by `text`; characters the edit keeps keep their origin."""
        old = passage.chars[start:end]
        old_origin = passage.origin[start:end]
        origin = [NEW] * len(text)
        for op in Indel.opcodes("".join(old), text):
            if op.tag == "equal":
                for k in range(op.src_end - op.src_start):
                    origin[op.dest_start + k] = old_origin[op.src_start + k]
        passage.chars[start:end] = list(text)
        passage.origin[start:end] = origin

    def _new_words(self, count: int) -> str:
        return " ".join(self.rng.choice(self.vocabulary) for _ in range(count))

    def _new_sentence(self) -> str:
        words = self._new_words(self.rng.randint(6, 18))
        return words[0].upper() + words[1:] + "."

    # Local edits

    def _typo_fixed(self, thread) -> None:
        c, p = self._locate(thread)
        passage = self.doc[c].passages[p]
        text = passage.text
        span = self._quote_span(passage, thread)
        words = list(re.finditer(r"[A-Za-z]{5,}", text))
        if span and self.rng.random() < 0.6:
            words = [m for m in words if span[0] <= m.start() and m.end() <= span[1]] or words
        if not words:
            return
        word = self.rng.choice(words)
        k = self.rng.randrange(word.start() + 1, word.end() - 2)
        if self.rng.random() < 0.5:  # two letters swapped
            passage.chars[k], passage.chars[k + 1] = passage.chars[k + 1], passage.chars[k]
            passage.origin[k], passage.origin[k + 1] = passage.origin[k + 1], passage.origin[k]
        else:  # one letter wrong
            letter = self.rng.choice([x for x in "aeioutnsrl" if x != text[k]])
            self._replace(passage, k, k + 1, letter)
        self._mark("typo fixed", [passage])

    def _quotes_and_dashes_changed(self, thread) -> None:
        c, p = self._locate(thread)
        passage = self.doc[c].passages[p]
        self._restyle(passage)
        self._mark("quotes and dashes changed", [passage])

    def _word_changed_near_the_quote(self, thread) -> None:
        c, p = self._locate(thread)
        passage = self.doc[c].passages[p]
        span = self._quote_span(passage, thread)
        text = passage.text
        words = list(re.finditer(r"[A-Za-z]+", text))
        if span:
            words = [
                m
                for m in words
                if (span[0] - 40 <= m.start() and m.end() <= span[0])
                or (span[1] <= m.start() and m.end() <= span[1] + 40)
            ]
        if not words:
            return
        word = self.rng.choice(words)
        self._replace(passage, word.start(), word.end(), self._new_words(1))
        self._mark("word changed near the quote", [passage])

    def _sentence_moved(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        passage = chapter.passages[p]
        sentence = self._pick_sentence(passage, thread)
        if sentence is None:
            return
        start, end = sentence
        chars, origin = passage.chars[start:end], passage.origin[start:end]
        cut_end = end + 1 if end < len(passage.chars) and passage.chars[end] == " " else end
        del passage.chars[start:cut_end], passage.origin[start:cut_end]
        roll = self.rng.random()
        if roll < 0.4 and p + 1 < len(chapter.passages):
            target, at = chapter.passages[p + 1], 0
        elif roll < 0.6 and p > 0:
            target = chapter.passages[p - 1]
            at = len(target.chars)
        elif roll < 0.8:
            target = chapter.passages[min(len(chapter.passages) - 1, p + self.rng.randint(0, 6))]
            bounds = [0] + [e + 1 for _, e in sentence_spans(target.text)[:-1]]
            at = self.rng.choice(bounds)
        else:
            target, at = passage, self.rng.choice([0, len(passage.chars)])
        glue_before = [" "] if at > 0 and target.chars[at - 1 : at] != [" "] else []
        glue_after = [" "] if at < len(target.chars) and target.chars[at : at + 1] != [" "] else []
        target.chars[at:at] = glue_before + chars + glue_after
        target.origin[at:at] = [NEW] * len(glue_before) + origin + [NEW] * len(glue_after)
        self._strip(passage)
        self._strip(target)
        self._mark("sentence moved", [passage, target])

    def _sentence_deleted(self, thread) -> None:
        c, p = self._locate(thread)
        passage = self.doc[c].passages[p]
        sentence = self._pick_sentence(passage, thread)
        if sentence is None or len(sentence_spans(passage.text)) < 2:
            return
        old = set(passage.holds)
        start, end = sentence
        end = end + 1 if end < len(passage.chars) and passage.chars[end] == " " else end
        del passage.chars[start:end], passage.origin[start:end]
        self._strip(passage)
        self._mark("sentence deleted", [passage])
        for index in old:
            self.touched.setdefault(index, set()).add("sentence deleted")

    def _sentence_reworded(self, thread) -> None:
        c, p = self._locate(thread)
        passage = self.doc[c].passages[p]
        sentence = self._pick_sentence(passage, thread)
        if sentence is None:
            return
        self._mark("sentence reworded", [passage])
        start, end = sentence
        words = list(re.finditer(r"[A-Za-z]+", passage.text[start:end]))
        # Most words replaced, from the end so that offsets stay valid.
        for word in reversed(words):
            if self.rng.random() < 0.7:
                a, b = start + word.start(), start + word.end()
                replacement = list(self._new_words(1))
                passage.chars[a:b] = replacement
                passage.origin[a:b] = [NEW] * len(replacement)
        passage.refresh()

    def _paragraph_split(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        passage = chapter.passages[p]
        bounds = [e for _, e in sentence_spans(passage.text)[:-1]]
        if not bounds:
            return
        cut = self.rng.choice(bounds)
        second = Passage(passage.kind, passage.chars[cut:], passage.origin[cut:])
        del passage.chars[cut:], passage.origin[cut:]
        self._strip(passage)
        self._strip(second)
        chapter.passages.insert(p + 1, second)
        self._mark("paragraph split", [passage, second])

    def _paragraphs_merged(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        if p + 1 >= len(chapter.passages):
            p -= 1
        if p < 0:
            return
        first, second = chapter.passages[p], chapter.passages[p + 1]
        first.chars += [" "] + second.chars
        first.origin += [NEW] + second.origin
        del chapter.passages[p + 1]
        self._mark("paragraphs merged", [first])

    def _paragraph_inserted(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        text = " ".join(self._new_sentence() for _ in range(self.rng.randint(1, 4)))
        inserted = Passage("paragraph", list(text), [NEW] * len(text))
        chapter.passages.insert(p + self.rng.randint(0, 1), inserted)
        self._mark("paragraph inserted", chapter.passages[max(0, p - 1) : p + 3])

    def _paragraph_deleted(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        if len(chapter.passages) < 2:
            return
        self._mark("paragraph deleted", [chapter.passages[p]])
        del chapter.passages[p]

    def _copy_of_the_quote_inserted(self, thread) -> None:
        if thread is None or thread.start is None:
            return
        c, p = self._locate(thread)
        chapter = self.doc[c]
        quote = self.texts[thread.passage][thread.start : thread.end]
        span = self._quote_span(chapter.passages[p], thread)
        if span is None or "".join(chapter.passages[p].chars[span[0] : span[1]]) != quote:
            return
        near = min(len(chapter.passages) - 1, max(0, p + self.rng.randint(-1, 1)))
        target = chapter.passages[near]
        bounds = [0] + [e + 1 for _, e in sentence_spans(target.text)]
        if near == p:  # beside the quote, never inside it
            bounds = [b for b in bounds if not span[0] < b < span[1]]
        at = min(self.rng.choice(bounds), len(target.chars))
        inserted = f"{self._new_words(3).capitalize()} {quote} {self._new_words(4)}. "
        target.chars[at:at] = list(inserted)
        target.origin[at:at] = [NEW] * len(inserted)
        self._strip(target)
        self._mark("copy of the quote inserted", [target, chapter.passages[p]])

    def _long_paragraph_split_into_many(self, thread) -> None:
        c, p = self._locate(thread)
        chapter = self.doc[c]
        passage = chapter.passages[p]
        sentences = sentence_spans(passage.text)
        if len(sentences) < 4:
            lengths = [len(passage.chars) for passage in chapter.passages]
            p = lengths.index(max(lengths))
            passage = chapter.passages[p]
            sentences = sentence_spans(passage.text)
            if len(sentences) < 4:
                return
        self._mark("long paragraph split into many", [passage])
        pieces = min(8, len(sentences))
        cuts = sorted(self.rng.sample([e for _, e in sentences[:-1]], pieces - 1))
        parts, previous = [], 0
        for cut in [*cuts, len(passage.chars)]:
            part = Passage(passage.kind, passage.chars[previous:cut], passage.origin[previous:cut])
            self._strip(part)
            if part.chars:
                parts.append(part)
            previous = cut
        chapter.passages[p : p + 1] = parts
        self._mark("long paragraph split into many", parts)

    # Global edits

    def _respelling(self) -> None:
        chosen = self.rng.sample(RESPELLINGS, 6)
        for chapter in self.doc:
            for passage in chapter.passages:
                changed = False
                for old, new in chosen:
                    pattern = rf"(?i)\b{old}"
                    for match in reversed(list(re.finditer(pattern, passage.text))):
                        replacement = new.capitalize() if match.group()[0].isupper() else new
                        self._replace(passage, match.start(), match.end(), replacement)
                        changed = True
                if changed:
                    self._mark("respelling", [passage])

    def _front_matter_added(self) -> None:
        passages = [
            Passage("paragraph", list(text), [NEW] * len(text))
            for text in (
                " ".join(self._new_sentence() for _ in range(self.rng.randint(2, 5)))
                for _ in range(self.rng.randint(2, 6))
            )
        ]
        self.doc.insert(0, Chapter("A note on this edition", passages))
        for old in range(len(self.texts)):
            self.touched.setdefault(old, set()).add("front matter added")

    def _quotation_marks_and_dashes_restyled(self) -> None:
        for chapter in self.doc:
            for passage in chapter.passages:
                self._restyle(passage)
        for old in range(len(self.texts)):
            self.touched.setdefault(old, set()).add("quotation marks and dashes restyled")

    def _restyle(self, passage: Passage) -> None:
        """Curly quotation marks and apostrophes become straight, em dashes "--" — or the
        other way round for a text that has none."""
        text = passage.text
        if any(ch in text for ch in "“”‘’—"):
            table = {"“": '"', "”": '"', "‘": "'", "’": "'"}
            for k in range(len(passage.chars) - 1, -1, -1):
                ch = passage.chars[k]
                if ch in table:
                    passage.chars[k] = table[ch]
                elif ch == "—":
                    passage.chars[k : k + 1] = ["-", "-"]
                    passage.origin[k : k + 1] = [passage.origin[k]] * 2
        else:
            opening = True
            for k, ch in enumerate(passage.chars):
                if ch == '"':
                    passage.chars[k] = "“" if opening else "”"
                    opening = not opening
                elif ch == "'":
                    passage.chars[k] = "’"
            for k in range(len(passage.chars) - 2, -1, -1):
                if passage.chars[k] == "-" and passage.chars[k + 1] == "-":
                    passage.chars[k : k + 2] = ["—"]
                    passage.origin[k : k + 2] = [passage.origin[k]]

    def _pick_sentence(self, passage: Passage, thread) -> tuple[int, int] | None:
        sentences = sentence_spans(passage.text)
        if not sentences:
            return None
        span = self._quote_span(passage, thread)
        if span and self.rng.random() < 0.7:
            holding = [s for s in sentences if s[0] <= span[0] < s[1]]
            if holding:
                return holding[0]
        return self.rng.choice(sentences)

    @staticmethod
    def _strip(passage: Passage) -> None:
        while passage.chars and passage.chars[0].isspace():
            del passage.chars[0], passage.origin[0]
        while passage.chars and passage.chars[-1].isspace():
            del passage.chars[-1], passage.origin[-1]
