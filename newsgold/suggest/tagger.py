"""A sequence tagger of the attribution roles, learned from the corpus's own gold.

Each token is tagged B-/I- QUOTE, SPEAKER or CUE, or O, by a linear-chain CRF (CRFsuite through
python-crfsuite, the library BBC R&D's Citron uses for the same task): a well-kept C library whose
training is seconds on a few hundred articles on CPU, with no GPU and no parser. Attribution corpora
such as PolNeAR are univocal (one role per token), so a tag sequence holds them; where gold spans
overlap, the inner role wins (CUE over SPEAKER over QUOTE).

Features are what a parser-free pipeline has: the word and its lower case, prefix and suffix, shape,
capitalisation, whether it is a quotation mark, whether it is inside quotation marks (those of its
sentence, and those of the whole text: a quotation of several sentences), whether it is a cue of
the rules' lexicon (`CUES`), a pronoun or a title, and the same for the two words either side;
the position in the sentence; and the role the rules (`find_attributions`, on the text alone) give
the word and its neighbours, so that the tagger learns where the rules' exact ends hold and
finds what they miss (stacking); and the corpus's own cues (`learned_cues`: the words its training
gold makes cues, stored with the tagger): whether the word is one, and how far the nearest one is
before and after it in its sentence, which a window of two words cannot see (`called the plan
“...”`, `endorsed`, `wants`: cues of PolNeAR that no list of reporting verbs holds). Tokens and
sentences are those of the exports (`newsgold.formats.tokenize`). `FEATURES` names this set: a
tagger trained on another is refused.

Each tagged span carries a score, the mean marginal probability of its tokens' tags, which
`studio push --order uncertain` uses to serve the least certain documents first. A quote tagged in
two sentences is joined again (inside quotation marks, and where the training gold runs quotes
over sentence ends: `sentence_joins`), and takes the rules' ends where the rules see it too
(`SNAP_OVERLAP`). Tagged spans become attributions as the rules' do: each QUOTE is linked to the
SPEAKER and the CUE the rules give it, where those were tagged, else to those nearest to it in its
sentences (else in the sentence before, as a continuation); a speaker refers to an entity as the
rules say (`referent`). The result passes through `suggest_set`, which keeps only
what the scheme allows, with span ends moved to the boundary rules (`conform_span`).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from newsgold._io import verify_checksums, write_checksums
from newsgold.corpus.boundaries import conform_span
from newsgold.corpus.outcomes import Report
from newsgold.corpus.outputs import check_output_folder
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.errors import UsageError
from newsgold.extras import require
from newsgold.formats.tokenize import Token, segment
from newsgold.schemas.annotation import Span
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme
from newsgold.suggest.rules import (CUES, PERSONAL_PRONOUNS, TITLES, Attribution, find_attributions, quotations,
                                    speaker_referent)

__all__ = ["FEATURES", "L1", "L2", "ROLE_ORDER", "SNAP_OVERLAP", "RoleTagger", "TaggedSpan", "TaggerReport",
           "learned_cues", "role_tags", "rule_spans", "sentence_features", "sentence_joins", "train_corpus_tagger",
           "train_tagger"]

ROLE_ORDER = ("CUE", "SPEAKER", "QUOTE")
"""Which role a token takes where gold spans overlap: the first listed."""
FEATURES = "words+rules+cues+quotations/4"
"""The feature set of `sentence_features`, stored with a trained tagger and checked when it is loaded."""
L1, L2 = 1.6, 0.05
"""The CRF's L1 and L2 regularization (CRFsuite's c1, c2), chosen by the effort ratio on 100 PolNeAR
train articles the tagger had not learned from, trained on 300 others: c1 0.1 and c2 0.01
(CRFsuite's example values, taken first) 0.759; c1 0.2: 0.752, 0.748 with c2 0.05; 0.4: 0.751, 0.742
with c2 0.1; 0.8 (c2 0.05): 0.737; 1.2: 0.721; 1.6: 0.720, **0.718** with c2 0.05; 3.2: 0.723; 6.4:
0.731. 200 iterations instead of 100 did worse (0.729). Strong L1 keeps the features that generalize
from a few hundred articles; trained on 30 it also helps (0.821 -> 0.803)."""
MODEL_FILE = "roles.crfsuite"
META_FILE = "roles.json"
_OPENING = set("“‘«„\"")
_CLOSING = set("”’»\"")
_CUE_WORDS = {word for cue in CUES for word in cue.lower().split()}


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]", "X", word)
    shape = re.sub(r"[a-z]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def _word_features(word: str, prefix: str) -> list[str]:
    lower = word.lower()
    features = [f"{prefix}w={lower}", f"{prefix}shape={_shape(word)}"]
    if lower in _CUE_WORDS:
        features.append(f"{prefix}cue")
    if lower in PERSONAL_PRONOUNS:
        features.append(f"{prefix}pronoun")
    if word in TITLES:
        features.append(f"{prefix}title")
    if word in _OPENING or word in _CLOSING:
        features.append(f"{prefix}mark")
    return features


def rule_spans(text: str, attributions: Sequence[Attribution] | None = None) -> list[Span]:
    """The quotes (each piece), speakers and cues the rules find in `text` alone (`attributions`,
    when they were found already), as role spans."""
    spans: list[Span] = []
    for attribution in find_attributions(text) if attributions is None else attributions:
        extents = [(label, extent) for label, extent in (("SPEAKER", attribution.speaker), ("CUE", attribution.cue))
                   if extent is not None]
        extents += [("QUOTE", piece) for piece in attribution.fragments or (attribution.quote,)]
        for label, (start, end) in extents:
            if start < end:
                spans.append(Span(id=f"r{len(spans)}", label=label, start=start, end=end, text=text[start:end]))
    return spans


def _featured_sentences(text: str, spans: Sequence[Span] = (), ruled: Sequence[Span] | None = None,
                        cues: frozenset[str] = frozenset()) -> Iterable[tuple[int, list[Token], list[list[str]]]]:
    """Each non-empty sentence of `text` (its number among all, its tokens, their features), cut so
    that the ends of `spans` (gold, when training) and of the rules' spans (`ruled`, else found
    here) are token boundaries: the one segmentation that training and tagging share."""
    ruled = rule_spans(text) if ruled is None else ruled
    cuts = tuple(sorted({offset for s in [*spans, *ruled] for piece in s.pieces for offset in piece}))
    marked = quotations(text)
    starts = [start for start, _ in marked]
    for number, sentence in enumerate(segment(text, cuts).sentences):
        if sentence:
            inside = [_inside(marked, starts, token) for token in sentence]
            yield number, list(sentence), sentence_features(sentence, role_tags(sentence, ruled), cues, inside)


def _inside(marked: Sequence[tuple[int, int]], starts: Sequence[int], token: Token) -> bool:
    """Whether `token` is inside (between the marks of) one of the quotations `marked` (disjoint, in
    text order; `starts` their starts)."""
    at = bisect.bisect_left(starts, token.start) - 1
    return at >= 0 and token.end < marked[at][1]


def sentence_features(sentence: Sequence[Token], rules: Sequence[str] | None = None,
                      cues: frozenset[str] = frozenset(), in_quotation: Sequence[bool] | None = None,
                      ) -> list[list[str]]:
    """The features of each token of a sentence (see the module docstring); `rules`: the rules'
    BIO tags of its tokens (`role_tags(sentence, rule_spans(text))`), all O when not given;
    `cues`: the words the training gold made cues (`learned_cues`); `in_quotation`: whether each
    token is inside a quotation of the whole text (`quotations`), which may have opened in a
    sentence before; as the sentence's own marks say when not given."""
    words = [token.text for token in sentence]
    cue_at = [i for i, word in enumerate(words) if word.lower() in cues]
    rules = list(rules) if rules is not None else ["O"] * len(words)
    inside, in_sentence = False, []
    for word in words:
        if word in _OPENING and not inside:
            inside = True
            in_sentence.append(True)
            continue
        if word in _CLOSING and inside:
            inside = False
        in_sentence.append(inside)
    in_text = list(in_quotation) if in_quotation is not None else in_sentence
    features = []
    for i, word in enumerate(words):
        lower = word.lower()
        own = ["bias", f"suffix={lower[-3:]}", f"prefix={lower[:3]}", f"quoted={in_sentence[i]}",
               f"in_quotation={in_text[i]}", f"position={min(i, 5)}", f"title_case={word[:1].isupper()}",
               *_word_features(word, "")]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            own += _word_features(words[j], f"{offset:+d}:") if 0 <= j < len(words) else [f"{offset:+d}:none"]
        own.append(f"-1|0={words[i - 1].lower() if i else '^'}|{lower}")
        own += [f"rule={rules[i]}", f"-1:rule={rules[i - 1] if i else '^'}",
                f"+1:rule={rules[i + 1] if i + 1 < len(words) else '$'}"]
        if lower in cues:
            own.append("learned_cue")
        left = [i - j for j in cue_at if j < i]
        right = [j - i for j in cue_at if j > i]
        own += [f"cue_left={_bucket(min(left)) if left else 'none'}",
                f"cue_right={_bucket(min(right)) if right else 'none'}"]
        features.append(own)
    return features


def _bucket(distance: int) -> str:
    return str(distance) if distance <= 3 else "4-6" if distance <= 6 else "7-12" if distance <= 12 else "far"


def learned_cues(examples: Sequence[tuple[Document, Sequence[Span]]], *, least: int = 2,
                 share: float = 0.2) -> frozenset[str]:
    """The words (lower case) that the gold of `examples` makes part of a CUE at least `least`
    times and in at least `share` of the times they occur: the corpus's own cue lexicon."""
    as_cue, seen = Counter[str](), Counter[str]()
    for document, spans in examples:
        cues = [piece for s in spans if s.label == "CUE" for piece in s.pieces]
        for sentence in segment(document.text).sentences:
            for token in sentence:
                word = token.text.lower()
                seen[word] += 1
                if any(a <= token.start and token.end <= b for a, b in cues):
                    as_cue[word] += 1
    return frozenset(word for word, n in as_cue.items()
                     if n >= least and n >= share * seen[word] and any(c.isalpha() for c in word))


def role_tags(sentence: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """BIO tags of the attribution roles over the tokens of a sentence (see ROLE_ORDER)."""
    tags = ["O"] * len(sentence)
    rank = {role: n for n, role in enumerate(ROLE_ORDER)}
    taken = [len(ROLE_ORDER)] * len(sentence)
    for span in spans:
        if span.label not in rank:
            continue
        for start, end in span.pieces:
            first = True
            for i, token in enumerate(sentence):
                if token.start >= start and token.end <= end and rank[span.label] < taken[i]:
                    previous_same = i > 0 and tags[i - 1] != "O" and tags[i - 1][2:] == span.label and not first
                    tags[i] = f"{'I' if previous_same else 'B'}-{span.label}"
                    taken[i] = rank[span.label]
                    first = False
    for i in range(len(tags)):  # an inner role taken out of a span leaves its next token to begin again
        if tags[i].startswith("I-") and (i == 0 or tags[i - 1][2:] != tags[i][2:]):
            tags[i] = f"B-{tags[i][2:]}"
    return tags


@dataclass
class TaggerReport(Report):
    """What `train_tagger` learned from."""

    documents: int
    tokens: int
    folder: Path


def sentence_joins(text: str, sentences: Sequence[tuple[int, int]], spans: Sequence[Span]) -> Counter[str]:
    """How the gold `spans` treat each boundary between two `sentences` (in text order) of one
    paragraph, outside quotation marks, where quotes meet: `joined` where one QUOTE runs over it
    (a piece across it, or pieces either side), `split` where a QUOTE ends the first sentence and
    another opens the next. PolNeAR joins (its content runs over sentences); newsgold's guidelines
    split (a continuation sentence is a QUOTE of its own). Inside quotation marks both join."""
    quotes = [s for s in spans if s.label == "QUOTE"]
    marked = quotations(text)
    counts = Counter[str]()
    for (_, end), (start, _) in itertools.pairwise(sentences):
        if "\n" in text[end:start] or any(a < end and start < b for a, b in marked):
            continue
        if any(q.start < end and start < q.end for q in quotes):
            counts["joined"] += 1
        elif any(_BETWEEN_PIECES.fullmatch(text, q.end, end) for q in quotes if q.end <= end) \
                and any(_BETWEEN_PIECES.fullmatch(text, start, q.start) for q in quotes if q.start >= start):
            counts["split"] += 1
    return counts


def train_tagger(examples: Iterable[tuple[Document, Sequence[Span]]], out: Path, *,
                 max_iterations: int = 100) -> TaggerReport:
    """Train the role tagger on (document, gold spans) pairs and write it to the folder `out`
    (created; its model file replaced). Spans of labels outside ROLE_ORDER are ignored. Raises
    UsageError when no example has a role span."""
    import pycrfsuite  # imported here: only training and tagging need it

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({"c1": L1, "c2": L2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    documents = tokens = with_roles = 0
    joins = Counter[str]()
    examples = [(document, [s for s in spans if s.label in ROLE_ORDER]) for document, spans in examples]
    cues = learned_cues(examples)
    for document, spans in examples:
        documents += 1
        with_roles += bool(spans)
        extents = []
        for _, sentence, features in _featured_sentences(document.text, spans, cues=cues):
            trainer.append(features, role_tags(sentence, spans))
            tokens += len(sentence)
            extents.append((sentence[0].start, sentence[-1].end))
        joins.update(sentence_joins(document.text, extents, spans))
    if not with_roles:
        raise UsageError("no gold span of QUOTE, SPEAKER or CUE to learn from: add gold first")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out / MODEL_FILE))
    (out / META_FILE).write_text(json.dumps({"documents": documents, "tokens": tokens, "roles": list(ROLE_ORDER),
                                             "features": FEATURES, "sentence_joins": dict(sorted(joins.items())),
                                             "cue_words": sorted(cues)},
                                            indent=2) + "\n")
    write_checksums(out)
    return TaggerReport(documents=documents, tokens=tokens, folder=out)


def train_corpus_tagger(corpus: Corpus, tagger_path: Path, *, leave_out: Iterable[str] = (),
                        max_iterations: int = 100) -> TaggerReport:
    """Train the role tagger on the gold of `corpus` (but the documents in `leave_out`, to score it
    on them afterwards) and write it to `tagger_path`: what `suggest(tagger_path=tagger_path)` reads. Raises
    UsageError when the scheme does not name QUOTE, SPEAKER and CUE roles or no gold has them;
    MissingExtraError without the `suggest` extra."""
    require("suggest")
    check_corpus(corpus)
    check_output_folder(corpus, tagger_path, parameter="tagger_path", kind="tagger")
    if not tagger_for(corpus.scheme):
        raise UsageError("the role tagger tags QUOTE, SPEAKER and CUE, which this corpus's scheme does not name "
                         "as its quote, speaker and cue roles")
    left_out = set(leave_out)
    index = corpus.document_index()
    examples = ((index.read_document(gold.doc_id), gold.spans) for gold in corpus.iter_gold()
                if gold.doc_id not in left_out and gold.doc_id in index)
    return train_tagger(examples, tagger_path, max_iterations=max_iterations)


class RoleTagger:
    """A trained role tagger (`train_tagger`), loaded from its folder."""

    def __init__(self, folder: Path) -> None:
        import pycrfsuite

        path = Path(folder) / MODEL_FILE
        if not path.is_file():
            raise UsageError(f"{folder} holds no role tagger ({MODEL_FILE}): train one with train_tagger")
        verify_checksums(Path(folder), "role tagger")  # CRFsuite trusts its file: a damaged one crashes it
        try:
            meta = json.loads((Path(folder) / META_FILE).read_text(encoding="utf-8"))
            features = meta.get("features")
        except (OSError, ValueError, AttributeError):
            meta, features = {}, None
        if features != FEATURES:
            raise UsageError(f"{folder} holds a role tagger trained on other features ({features or 'unknown'}, "
                             f"this newsgold uses {FEATURES}): train it again with train_tagger")
        self.folder = Path(folder)
        joins = meta.get("sentence_joins") or {}
        # whether the gold it learned from ran quotes over sentence ends more often than it split them there
        self.joins_sentences: bool = joins.get("joined", 0) > joins.get("split", 0)
        self.cues = frozenset(meta.get("cue_words") or ())
        self._tagger: Any = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, text: str) -> list[TaggedSpan]:
        """Every tagged span of `text`, in text order, with its sentence and score: the mean of its
        tokens' marginal probabilities of the tags they were given. Two QUOTEs in a row with only
        spaces and punctuation between them are one; across a sentence end (in one paragraph), only
        inside quotation marks or where the gold it learned from ran quotes over sentence ends more
        often than it split them there (`joins_sentences`). A QUOTE that shares most of its extent
        with a quote of the rules takes the rules' ends (`SNAP_OVERLAP`)."""
        return self._spans(text, rule_spans(text))

    def _spans(self, text: str, ruled: Sequence[Span]) -> list[TaggedSpan]:
        runs: list[_Run] = []
        for number, sentence, features in _featured_sentences(text, ruled=ruled, cues=self.cues):
            tags = self._tagger.tag(features)
            current: _Run | None = None
            for position, (token, tag) in enumerate(zip(sentence, tags, strict=True)):
                role = tag[2:] if tag != "O" else None
                marginal = self._tagger.marginal(tag, position)
                if role is not None and current is not None and current.role == role and tag.startswith("I-"):
                    current.end = token.end
                    current.marginals.append(marginal)
                    continue
                if current is not None:
                    runs.append(current)
                current = _Run(token.start, token.end, role, [marginal], number, number) if role else None
            if current is not None:
                runs.append(current)
        runs = _joined_quotes(text, runs, self.joins_sentences, quotations(text))
        return [run.tagged() for run in _snapped(runs, [r for r in ruled if r.label == "QUOTE"])]

    def attributions(self, text: str, entities: Sequence[tuple[int, int, str]], scheme: Scheme) -> list[Attribution]:
        """Each tagged QUOTE as an attribution, with the SPEAKER and CUE the rules give the quote
        where they see it too and those spans were tagged, else those nearest to it in its sentences
        (else in the sentence before); every span's ends moved to the boundary rules."""
        tagged = []
        rules = find_attributions(text)
        for found in self._spans(text, rule_spans(text, rules)):
            conformed = conform_span(Span(id="t", label=found.role, start=found.start, end=found.end,
                                          text=text[found.start:found.end]), text, scheme)
            if conformed is not None:
                tagged.append(found._replace(start=conformed.start, end=conformed.end))
        result = []
        for quote in tagged:
            if quote.role != "QUOTE":
                continue
            speaker = _nearest(tagged, "SPEAKER", quote)
            cue = _nearest(tagged, "CUE", quote)
            ruling = _ruling(rules, quote)
            if ruling is not None:  # where the rules see this quote, their speaker and cue, if tagged too
                speaker = _over(tagged, "SPEAKER", ruling.speaker) or speaker
                cue = _over(tagged, "CUE", ruling.cue) or cue
            start, end = quote.start, quote.end
            form = "direct" if start > 0 and text[start - 1] in _OPENING and text[end:end + 1] in _CLOSING \
                else "indirect"
            where = (speaker.start, speaker.end) if speaker else None
            result.append(Attribution(quote=(start, end), form=form, speaker=where,
                                      cue=(cue.start, cue.end) if cue else None,
                                      referent=speaker_referent(text, where, entities),
                                      scores=(quote.score, speaker.score if speaker else None,
                                              cue.score if cue else None)))
        return result


class TaggedSpan(NamedTuple):
    """A span the tagger found: its extent, role, sentence number (its first) and score (0-1)."""

    start: int
    end: int
    role: str
    sentence: int
    score: float
    last_sentence: int | None = None
    """The number of the sentence it ends in (past `sentence` for a quote joined over sentences)."""


@dataclass
class _Run:
    """Tokens tagged with one role in a row (or QUOTEs joined), while they are being read."""

    start: int
    end: int
    role: str
    marginals: list[float]
    first: int
    last: int

    def tagged(self) -> TaggedSpan:
        return TaggedSpan(self.start, self.end, self.role, self.first,
                          round(sum(self.marginals) / len(self.marginals), 4), self.last)


_BETWEEN_PIECES = re.compile(r"[^\w\n]*")
"""What may stand between two tagged QUOTEs for them to be one: spaces and punctuation, no word and
no paragraph break."""


def _joined_quotes(text: str, runs: list[_Run], across_sentences: bool,
                   marked: Sequence[tuple[int, int]] = ()) -> list[_Run]:
    """`runs` (in text order) with two QUOTEs in a row joined where only spaces and punctuation
    stand between them: in one sentence (the tagger began the quote again), in consecutive sentences
    inside one quotation of `marked` (a direct quote of several sentences), and, when
    `across_sentences`, in any consecutive sentences."""
    joined: list[_Run] = []
    for run in runs:
        last = joined[-1] if joined else None
        if last is not None and run.role == last.role == "QUOTE" \
                and (run.first == last.last or run.first == last.last + 1 and (
                    across_sentences or any(a < last.end and run.start < b for a, b in marked))) \
                and _BETWEEN_PIECES.fullmatch(text, last.end, run.start):
            joined[-1] = _Run(last.start, run.end, "QUOTE", last.marginals + run.marginals, last.first, run.last)
            continue
        joined.append(run)
    return joined


SNAP_OVERLAP = 0.5
"""A tagged QUOTE whose overlap with a quote (piece) of the rules is more than this share of their
joint extent takes the rules' ends: where both see the same quote, the rules' ends, read from
quotation marks and clause structure, are exact more often. Measured on PolNeAR train articles the
tagger had not learned from (100, beside 300 it learned from): QUOTE exact F1 0.305 without it,
0.321 with it (the rules alone 0.296)."""


def _snapped(runs: list[_Run], rule_quotes: Sequence[Span]) -> list[_Run]:
    """`runs` with each QUOTE given the ends of the rules' quote it mostly shares (`SNAP_OVERLAP`);
    a second QUOTE given the same ends is one with the first."""
    snapped: list[_Run] = []
    taken: dict[tuple[int, int], _Run] = {}
    for run in runs:
        if run.role == "QUOTE":
            best = max(((_shared((q.start, q.end), (run.start, run.end)), q.start, q.end) for q in rule_quotes),
                       default=None)
            if best is not None and best[0] > SNAP_OVERLAP:
                ends = (best[1], best[2])
                if ends in taken:
                    taken[ends].marginals += run.marginals
                    taken[ends].last = max(taken[ends].last, run.last)
                    continue
                run = _Run(ends[0], ends[1], "QUOTE", list(run.marginals), run.first, run.last)
                taken[ends] = run
        snapped.append(run)
    return sorted(snapped, key=lambda r: (r.start, r.end))


def _nearest(tagged: Sequence[TaggedSpan], role: str, quote: TaggedSpan) -> TaggedSpan | None:
    last = quote.sentence if quote.last_sentence is None else quote.last_sentence
    for wanted in (range(quote.sentence, last + 1), (quote.sentence - 1,)):
        candidates = [(_distance(t, quote), t.start, t) for t in tagged if t.role == role and t.sentence in wanted]
        if candidates:
            return min(candidates, key=lambda c: (c[0], c[1]))[2]
    return None


def _ruling(rules: Sequence[Attribution], quote: TaggedSpan) -> Attribution | None:
    """The rules' attribution whose quote shares the most of its extent with `quote`, if more than
    `SNAP_OVERLAP`."""
    best = None
    for attribution in rules:
        share = _shared(attribution.quote, (quote.start, quote.end))
        if share > SNAP_OVERLAP and (best is None or share > best[0]):
            best = (share, attribution)
    return best[1] if best else None


def _shared(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The share of their joint extent that two extents have in common (negative when apart)."""
    return (min(a[1], b[1]) - max(a[0], b[0])) / (max(a[1], b[1]) - min(a[0], b[0]))


def _over(tagged: Sequence[TaggedSpan], role: str, extent: tuple[int, int] | None) -> TaggedSpan | None:
    """The first tagged span of `role` over `extent`, if any."""
    if extent is None:
        return None
    found = [t for t in tagged if t.role == role and t.start < extent[1] and extent[0] < t.end]
    return found[0] if found else None


def _distance(span: TaggedSpan, quote: TaggedSpan) -> int:
    """How far `span` is from `quote`: 0 inside it."""
    if quote.start <= span.start and span.end <= quote.end:
        return 0
    return min(abs(span.start - quote.end), abs(quote.start - span.end))


def tagger_for(scheme: Scheme) -> bool:
    """Whether `scheme` names the three roles the tagger tags (QUOTE, SPEAKER, CUE)."""
    roles = scheme.resolved_roles
    return (roles.quote, roles.speaker, roles.cue) == ("QUOTE", "SPEAKER", "CUE")
