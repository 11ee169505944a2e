"""Tokens and sentences of the token exports: spaCy's rules, and the invariants newsgold enforces after them.

The battery holds the cases that broke the hand-written splitter (titles, line breaks inside names)
and the other hard cases of news text. Each case is checked for the invariants, and exported as a
gold set (every marked mention an entity, quotes with speakers and cues) whose tags must rebuild
every span exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from newsgold.corpus import Corpus
from newsgold.exchange import export
from newsgold.formats.tokenize import segment
from newsgold.schemas.annotation import GoldSet, Provenance, Relation, Span
from newsgold.schemas.document import Document, DocumentMeta

from helpers import bio_runs, write_corpus  # type: ignore[import-not-found]

# (text, entities as (label, mention, occurrence), sentences wanted or None)
BATTERY: list[tuple[str, list[tuple[str, str]], int | None]] = [
    ("Officials in St. Louis said Sen. Ted Cruz met Gov. Greg Abbott and Lt. Gen. Ben Hodges on Monday. "
     "Dr. Jill Stein agreed.",
     [("GPE", "St. Louis"), ("PERSON", "Ted Cruz"), ("PERSON", "Greg Abbott"), ("PERSON", "Ben Hodges"),
      ("PERSON", "Jill Stein")], 2),
    ("The New York\nTimes reported it. Mr. Macron said he would not send troops.",
     [("ORG", "New York\nTimes"), ("PERSON", "Macron")], 2),
    ("J. R. R. Tolkien and U.S. officials met in Washington, D.C. on Friday.",
     [("PERSON", "J. R. R. Tolkien"), ("GPE", "U.S."), ("GPE", "Washington, D.C.")], 1),
    ("Aid rose to $3.5 million, or 4.2% more than in 2023. The U.K. paid £1.2bn.",
     [("GPE", "U.K.")], 2),
    ("See https://www.nato.int/cps/en/natohq/news_224.htm?selectedLocale=en or write to press@hq.nato.int. "
     "NATO did not answer.",
     [("ORG", "NATO")], 2),
    ("Émilie Dubois, Zoë Saldaña and Ren\u0301e Cafe\u0301 came with the family 👨\u200d👩\u200d👧 and 🇺🇦 flags.",
     [("PERSON", "Émilie Dubois"), ("PERSON", "Zoë Saldaña"), ("PERSON", "Ren\u0301e Cafe\u0301")], 1),
    ("Pevkur’s remarks and NATO's reply. O'Brien did not comment.",
     [("PERSON", "Pevkur"), ("ORG", "NATO"), ("PERSON", "O'Brien")], 2),
    ("Hyphenated war-torn Kyiv-based groups met in Kharkiv.\n\nA new paragraph starts here",
     [("GPE", "Kharkiv")], 2),
]

QUOTES = [
    # (text, quote, speaker, cue, form): quotes inside quotes, a quote split by "he said", "according to",
    # a pronoun speaker, a direct quote across paragraphs.
    ("“He told me ‘we are not there.’ Then he left,” Jens Stoltenberg said.",
     "He told me ‘we are not there.’ Then he left", "Jens Stoltenberg", "said", "direct"),
    ("Every member has troops there, according to Hanno Pevkur. He did not name them.",
     "Every member has troops there", "Hanno Pevkur", "according to", "indirect"),
    ("Macron spoke on Monday. He said that France would not send troops. Others agreed.",
     "France would not send troops", "He", "said", "indirect"),
    ("“The first paragraph of the quote.\n\nAnd the second one,” the minister added.",
     "The first paragraph of the quote.\n\nAnd the second one", "the minister", "added", "direct"),
]


def _spans(text: str, mentions: list[tuple[str, str]]) -> list[Span]:
    spans, position = [], 0
    for number, (label, mention) in enumerate(mentions):
        start = text.index(mention, position)
        position = start + len(mention)
        spans.append(Span(id=f"e{number}", start=start, end=position, label=label, text=mention))
    return spans


@pytest.mark.parametrize(("text", "mentions", "wanted"), BATTERY, ids=[t[:24] for t, _, _ in BATTERY])
def test_invariants_hold_on_the_battery(text: str, mentions: list[tuple[str, str]], wanted: int | None) -> None:
    spans = _spans(text, mentions)
    made = segment(text, [e for s in spans for e in (s.start, s.end)], [(s.start, s.end) for s in spans])
    tokens = made.tokens
    graphemes = {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}
    for token in tokens:
        assert token.text == text[token.start:token.end] and token.text
        assert not any(c.isspace() for c in token.text)
        assert token.start in graphemes and token.end in graphemes, f"{token} cuts a grapheme cluster"
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    # Only whitespace lies between tokens: nothing of the text is lost.
    covered = "".join(text[a.end:b.start] for a, b in zip(tokens, tokens[1:]))
    assert not covered.strip()
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    for span in spans:
        assert span.start in starts and span.end in ends, span
        sentence_firsts = {s[0].start for s in made.sentences}
        assert not any(span.start < first < span.end for first in sentence_firsts), f"{span.text!r} split"
    if wanted is not None:
        assert len(made.sentences) == wanted, [[t.text for t in s] for s in made.sentences]


SENTENCES = [
    # (text, its sentences as space-joined tokens): an opening mark or bracket opens its sentence, a
    # closing one closes it, for straight and curly, double and single marks, « » and „ “; a line of
    # its own (breadcrumb, headline, byline) is a sentence.
    ("Sen. Lee sponsored the bill. “We have waited long enough,” she said. “Now we act.”",
     ["Sen. Lee sponsored the bill .", "“ We have waited long enough , ” she said .", "“ Now we act . ”"]),
    ('He left. "We stay," she said. "Now." Then silence.',
     ["He left .", '" We stay , " she said .', '" Now . "', "Then silence ."]),
    ("He left. ‘We stay,’ she said. ‘Now.’ The troops’ guns fell silent.",
     ["He left .", "‘ We stay , ’ she said .", "‘ Now . ’", "The troops ’ guns fell silent ."]),
    ("He left. 'We stay,' she said. The troops' guns fell silent.",
     ["He left .", "' We stay , ' she said .", "The troops ' guns fell silent ."]),
    ("Il a dit. « Nous restons. » Puis il est parti.", ["Il a dit .", "« Nous restons . »", "Puis il est parti ."]),
    ("Sie sagte. „Wir bleiben.“ Dann ging sie.", ["Sie sagte .", "„ Wir bleiben . “", "Dann ging sie ."]),
    ("It ended. (Another sentence follows.) And [a third.]",
     ["It ended .", "( Another sentence follows . )", "And [ a third . ]"]),
    ("Russia /\nKremlin denies troop claims\nBy Jane Doe\n\nThe Kremlin said on Monday it had no plans.",
     ["Russia /", "Kremlin denies troop claims", "By Jane Doe", "The Kremlin said on Monday it had no plans ."]),
]


@pytest.mark.parametrize(("text", "wanted"), SENTENCES, ids=[t[:24] for t, _ in SENTENCES])
def test_marks_belong_to_their_sentence_and_a_line_is_a_sentence(text: str, wanted: list[str]) -> None:
    assert [" ".join(t.text for t in s) for s in segment(text).sentences] == wanted


def test_titles_do_not_end_sentences_and_graphemes_stay_whole() -> None:
    made = segment("Lt. Gen. Smith met Sen. Cruz. Gov. Abbott left.")
    assert [[t.text for t in s] for s in made.sentences] == [
        ["Lt.", "Gen.", "Smith", "met", "Sen.", "Cruz", "."], ["Gov.", "Abbott", "left", "."]]
    assert [t.text for t in segment("E\u0301milie 👨\u200d👩\u200d👧 🇺🇦").tokens] == [
        "E\u0301milie", "👨\u200d👩\u200d👧", "🇺🇦"]


def test_a_span_edge_inside_a_grapheme_wins_and_is_counted() -> None:
    text = "Cafe\u0301 noir"
    made = segment(text, [4])  # a span ending before the combining accent
    assert [t.text for t in made.tokens] == ["Cafe", "\u0301", "noir"] and made.split_graphemes == 1


def test_no_break_spaces_never_sit_inside_a_token() -> None:
    assert [t.text for t in segment("10\u00a0000 troops").tokens] == ["10", "000", "troops"]


def _battery_corpus(tmp_path: Path) -> Path:
    documents, golds = [], []
    for number, (text, mentions, _) in enumerate(BATTERY):
        documents.append(Document.from_text(f"battery-{number}", text, DocumentMeta(language="en")))
        golds.append(_gold(documents[-1], _spans(text, mentions), []))
    for number, (text, quote, speaker, cue, form) in enumerate(QUOTES):
        document = Document.from_text(f"quotes-{number}", text)
        q_start = text.index(quote)
        s_start = text.index(speaker, q_start + len(quote)) if speaker != "He" else text.index(speaker)
        c_start = text.index(cue, s_start + len(speaker)) if cue != "according to" else text.index(cue)
        spans = [Span(id="q", start=q_start, end=q_start + len(quote), label="QUOTE", text=quote, attrs={"form": form}),
                 Span(id="sp", start=s_start, end=s_start + len(speaker), label="SPEAKER", text=speaker),
                 Span(id="c", start=c_start, end=c_start + len(cue), label="CUE", text=cue)]
        relations = [Relation(type="attributed_to", **{"from": "q"}, to="sp"),
                     Relation(type="cued_by", **{"from": "q"}, to="c")]
        if speaker[0].isupper() and speaker not in ("He",):
            spans.append(Span(id="p", start=s_start, end=s_start + len(speaker), label="PERSON", text=speaker))
            relations.append(Relation(type="refers_to", **{"from": "sp"}, to="p"))
        documents.append(document)
        golds.append(_gold(document, spans, relations))
    return write_corpus(tmp_path / "battery", documents, golds)


def _gold(document: Document, spans: list[Span], relations: list[Relation]) -> GoldSet:
    return GoldSet(doc_id=document.id, doc_sha256=document.sha256, spans=spans, relations=relations,
                   provenance=Provenance(method="manual", annotators=["test"]))


def test_every_span_of_the_battery_rebuilds_from_the_tags(tmp_path: Path) -> None:
    corpus = Corpus.open(_battery_corpus(tmp_path))
    export(corpus, "ner-hf", tmp_path / "ner")
    export(corpus, "attribution-hf", tmp_path / "attribution")
    names = json.loads((tmp_path / "ner" / "manifest.json").read_text())["details"]["ner_tag_names"]
    rebuilt = set()
    for line in (tmp_path / "ner" / "gold.jsonl").read_text().splitlines():
        row = json.loads(line)
        rebuilt |= {(row["doc_id"], *run) for run in bio_runs([names[t] for t in row["ner_tags"]], row["token_offsets"])}
    golds = [json.loads(line) for line in (corpus.root / "gold.jsonl").read_text().splitlines()]
    entities = {(g["doc_id"], s["label"], s["start"], s["end"]) for g in golds for s in g["spans"]
                if s["label"] in ("PERSON", "ORG", "GPE", "NORP")}
    assert rebuilt == entities
    tag_names = json.loads((tmp_path / "attribution" / "manifest.json").read_text())["details"]["tag_names"]
    roles = {}
    for line in (tmp_path / "attribution" / "gold.jsonl").read_text().splitlines():
        row = json.loads(line)
        for column in ("quote_tags", "nested_quote_tags", "speaker_tags", "cue_tags"):
            names = tag_names[column]
            roles |= {(row["doc_id"], *run): column
                      for run in bio_runs([names[t] for t in row[column]], row["token_offsets"])}
        for quote in row["quotes"]:
            [[first, last]] = quote["token_ranges"]
            assert row["token_offsets"][first][0] == quote["start"] and row["token_offsets"][last - 1][1] == quote["end"]
    wanted = {(g["doc_id"], s["label"], s["start"], s["end"]) for g in golds for s in g["spans"]
              if s["label"] in ("QUOTE", "SPEAKER", "CUE")}
    assert set(roles) == wanted
