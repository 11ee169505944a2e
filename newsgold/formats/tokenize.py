"""The tokenizer and sentence splitter of the token-level exports (ner-conll, ner-hf, spacy).

Tokens are, in order of preference: abbreviations of single letters with dots (`U.K.`), runs of
word characters with inner hyphens or apostrophes (`war-torn`, `Pevkur’s`), or any other single
non-space character. Every token is then cut at each span boundary that falls inside it, so that
every span starts and ends on a token boundary (`Pevkur’s` with PERSON `Pevkur` -> `Pevkur`, `’s`).
Sentences end at line breaks and after `.`, `!` or `?` (and closing quotes) followed by a space and
an upper-case letter, a digit or an opening quote; a single-letter abbreviation does not end one.
Offsets are code points into the document text, half-open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["Token", "tokenize", "sentences"]

_TOKEN = re.compile(r"(?:\w\.){2,}|\w+(?:[-'’]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"""[.!?]["”’)\]]*(?=\s+["“‘(\[]?[A-Z0-9“"‘])""")


class Token(NamedTuple):
    """A token and its code point offsets."""

    text: str
    start: int
    end: int


def tokenize(text: str, boundaries: Iterable[int] = ()) -> list[Token]:
    """Tokenize `text`, cutting tokens at every offset in `boundaries`."""
    cuts = sorted(set(boundaries))
    tokens: list[Token] = []
    append = tokens.append
    c, count = 0, len(cuts)
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while c < count and cuts[c] <= start:
            c += 1
        if c < count and cuts[c] < end:
            left = start
            while c < count and cuts[c] < end:
                append(Token(text[left:cuts[c]], left, cuts[c]))
                left = cuts[c]
                c += 1
            append(Token(text[left:end], left, end))
        else:
            append(Token(match.group(), start, end))
    return tokens


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group `tokens` into sentences (see the module docstring for the rule)."""
    ends = set()
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 2):match.start()]
        if re.fullmatch(r"(^|\W)\w", before) or re.fullmatch(r"\.\w", before):
            continue  # U.K. or a single initial: not a sentence end
        ends.add(match.end())
    groups: list[list[Token]] = []
    current: list[Token] = []
    previous_end = 0
    for token in tokens:
        if current and ("\n" in text[previous_end:token.start] or previous_end in ends):
            groups.append(current)
            current = []
        current.append(token)
        previous_end = token.end
    if current:
        groups.append(current)
    return groups
