"""The role tagger's features: what each token of a sentence is (its word, shape, quotation marks,
the rules' role, the corpus's cues, its neighbours), and the BIO tags of gold spans."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from newsgold.formats.tokenize import Token, segment
from newsgold.schemas.annotation import Span
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme
from newsgold.suggest.rules import CUES, PERSONAL_PRONOUNS, TITLES, Attribution, find_attributions, quotations


ROLE_ORDER = ("CUE", "SPEAKER", "QUOTE")
"""Which role a token takes where gold spans overlap: the first listed."""


FEATURES = "words+rules+cues+quotations/4"
"""The feature set of `sentence_features`, stored with a trained tagger and checked when it is loaded."""


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


def tagger_for(scheme: Scheme) -> bool:
    """Whether `scheme` names the three roles the tagger tags (QUOTE, SPEAKER, CUE)."""
    roles = scheme.resolved_roles
    return (roles.quote, roles.speaker, roles.cue) == ("QUOTE", "SPEAKER", "CUE")
