"""The gold annotations of the two seed articles, written through the library.

Every span is located by its text inside a paragraph (found by its opening words), never by a
counted offset; the builder fails loudly when an anchor is missing or ambiguous. Run from the
repository root: `python scripts/seed_gold.py [CORPUS]` (default: corpus). The judgement calls
behind these annotations are recorded in docs/guidelines.md; a test proves corpus/gold.jsonl is
exactly what this script writes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.corpus.checks import check_set
from newsgold.corpus.store import Corpus
from newsgold.corpus.write import put_gold
from newsgold.schemas import Document, GoldSet, Provenance, Relation, Span

ADJUDICATOR = "seed-gold"
NATO, FRANCE, RUSSIA = "nato-personnel-in-ukraine", "france-contingent-to-ukraine", "russia-300k-troops"


@dataclass
class _Span:
    label: str
    start: int
    end: int
    attrs: dict[str, str] = field(default_factory=dict)
    stance: dict[str, str] = field(default_factory=dict)
    id: str = ""


class GoldBuilder:
    """Collects spans and relations of one document, located by anchor text."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        self.spans: list[_Span] = []
        self.relations: list[tuple[str, _Span, _Span]] = []
        self.stance: dict[str, str] = {}
        self._start, self._end = 0, len(self.text)

    def paragraph(self, opening: str, nth: int = 1) -> GoldBuilder:
        """Restrict the following look-ups to the nth paragraph that starts with `opening`."""
        position = -1
        for _ in range(nth):
            position = self.text.find(opening, position + 1)
            if position == -1:
                raise LookupError(f"{self.document.id}: no paragraph opening {opening!r} (#{nth})")
            if position and self.text[position - 1] != "\n":
                raise LookupError(f"{self.document.id}: {opening!r} does not open a paragraph")
        end = self.text.find("\n", position)
        self._start, self._end = position, (end if end != -1 else len(self.text))
        return self

    def _occurrences(self, needle: str) -> list[int]:
        """Starts of `needle` in the paragraph as whole words (no letter or digit either side)."""
        found = []
        position = self.text.find(needle, self._start, self._end)
        while position != -1:
            before = self.text[position - 1] if position > 0 else " "
            end = position + len(needle)
            after = self.text[end] if end < len(self.text) else " "
            if not (before.isalnum() or after.isalnum()):
                found.append(position)
            position = self.text.find(needle, position + 1, self._end)
        return found

    def _find(self, needle: str, nth: int | None) -> tuple[int, int]:
        found = self._occurrences(needle)
        where = f"paragraph {self.text[self._start:self._start + 40]!r}"
        if len(found) < (nth or 1):
            raise LookupError(f"{self.document.id}: {needle!r} #{nth or 1} not in {where}")
        if nth is None and len(found) > 1:
            raise LookupError(f"{self.document.id}: {needle!r} occurs {len(found)} times in {where}; give nth")
        position = found[(nth or 1) - 1]
        return position, position + len(needle)

    def span(self, label: str, needle: str, nth: int | None = None, **extra: dict[str, str]) -> _Span:
        """Add a span over the nth occurrence of `needle` in the paragraph (unique if nth is None)."""
        start, end = self._find(needle, nth)
        span = _Span(label, start, end, **extra)
        self.spans.append(span)
        return span

    def entities(self, label: str, *needles: str | tuple[str, int]) -> list[_Span]:
        """Add one entity span for each needle, each `needle` or (`needle`, nth)."""
        out = []
        for needle in needles:
            text, nth = (needle, None) if isinstance(needle, str) else needle
            out.append(self.span(label, text, nth))
        return out

    def speaker(self, needle: str, refers_to: _Span, nth: int | None = None) -> _Span:
        """Add a SPEAKER mention and its refers_to link to an entity span."""
        speaker = self.span("SPEAKER", needle, nth)
        self.relations.append(("refers_to", speaker, refers_to))
        return speaker

    def quote(self, content: str, form: str, speaker: _Span, cue: _Span | None = None,
              stance: dict[str, str] | None = None, nth: int | None = None) -> _Span:
        """Add a QUOTE with its form, attribution, optional cue and stance per target."""
        quote = self.span("QUOTE", content, nth, attrs={"form": form}, stance=dict(stance or {}))
        self.relations.append(("attributed_to", quote, speaker))
        if cue is not None:
            self.relations.append(("cued_by", quote, cue))
        return quote

    def cue(self, needle: str, nth: int | None = None) -> _Span:
        """Add a CUE span."""
        return self.span("CUE", needle, nth)

    def build(self) -> GoldSet:
        """Number the spans in text order and return the gold set."""
        layer_rank = {"PERSON": 0, "ORG": 0, "GPE": 0, "NORP": 0, "QUOTE": 1, "SPEAKER": 2, "CUE": 3}
        ordered = sorted(self.spans, key=lambda s: (s.start, -s.end, layer_rank[s.label]))
        for number, span in enumerate(ordered, 1):
            span.id = f"s{number}"
        return GoldSet(
            doc_id=self.document.id,
            doc_sha256=self.document.sha256,
            spans=[Span(id=s.id, start=s.start, end=s.end, label=s.label,
                        text=self.text[s.start:s.end], attrs=s.attrs, stance=s.stance)
                   for s in ordered],
            relations=sorted((Relation(type=t, from_=a.id, to=b.id) for t, a, b in self.relations),
                             key=lambda r: (int(r.from_[1:]), r.type, int(r.to[1:]))),
            stance=self.stance,
            provenance=Provenance(method="manual", annotators=[ADJUDICATOR],
                                  note="Hand annotation of the seed article following docs/guidelines.md; "
                                       "written by scripts/seed_gold.py."),
        )


def seed_000(document: Document) -> GoldSet:
    """Pevkur: every NATO country already has military personnel in Ukraine (and the replies)."""
    b = GoldBuilder(document)
    b.paragraph("Russia /")
    b.span("GPE", "Russia")

    # Headline and its verbatim repetition: each occurrence is annotated (guidelines: repeated lines).
    for nth in (1, 2):
        b.paragraph("Every NATO Country Already Has", nth=nth)
        b.entities("ORG", "NATO")
        b.entities("GPE", "Ukraine")

    b.paragraph("Estonian Defense Minister Hanno Pevkur said there are no current plans")
    b.entities("NORP", "Estonian")
    pevkur_sub = b.span("PERSON", "Hanno Pevkur")
    b.entities("GPE", "Russia")
    b.quote("there are no current plans for forces to take part in active fighting against Russia",
            "indirect", speaker=b.speaker("Hanno Pevkur", pevkur_sub), cue=b.cue("said"))

    for nth in (1, 2):
        b.paragraph("Every NATO Country Already Has", nth=nth)
        b.quote("Every NATO Country Already Has Military Personnel In Ukraine", "indirect",
                speaker=b.speaker("Foreign Official", pevkur_sub), cue=b.cue("Says"),
                stance={NATO: "favor"})

    b.paragraph("Every NATO member country already has troops on the ground")
    b.entities("ORG", "NATO")
    b.entities("GPE", "Ukraine")
    b.entities("NORP", "Estonian")
    pevkur_1 = b.span("PERSON", "Hanno Pevkur")
    b.quote("Every NATO member country already has troops on the ground in Ukraine", "indirect",
            speaker=b.speaker("Hanno Pevkur", pevkur_1), cue=b.cue("according to"),
            stance={NATO: "favor"})

    b.paragraph("During remarks made in an April 1 interview")
    b.entities("NORP", "Austrian")
    b.entities("ORG", "Die Presse", "RT News")
    b.entities("GPE", "Russia")
    b.quote("under current plans no forces will take part in active fighting against Russia",
            "indirect", speaker=b.speaker("he", pevkur_1), cue=b.cue("added"))

    b.paragraph("Pevkur said that NATO personnel")
    pevkur_2 = b.span("PERSON", "Pevkur")
    b.entities("ORG", "NATO")
    b.entities("NORP", "Ukrainian")
    b.entities("GPE", "Poland", "U.K.", "Estonia", "Ukraine")
    pevkur_2_speaker = b.speaker("Pevkur", pevkur_2)
    b.quote("NATO personnel are serving only as advisers and are involved in training Ukrainian "
            "soldiers in Poland, the U.K., and Estonia", "indirect",
            speaker=pevkur_2_speaker, cue=b.cue("said"))
    b.quote("western defense officials are planning to setup training camps in Ukraine", "indirect",
            speaker=pevkur_2_speaker, cue=b.cue("adding"))

    b.paragraph("“The reality is that every NATO member country")
    b.entities("ORG", "NATO")
    b.entities("GPE", ("Ukraine", 1), ("Ukraine", 2))
    b.entities("NORP", "French")
    b.entities("PERSON", "Emmanuel] Macron")  # the editor's opening bracket stays outside the name
    official = b.speaker("the official", pevkur_2)
    b.quote("The reality is that every NATO member country already has military personnel in "
            "Ukraine, such as military attaches or people who travel to Ukraine from time to time,",
            "direct", speaker=official, cue=b.cue("said", nth=1), stance={NATO: "favor"})
    b.quote("What [French] President [Emmanuel] Macron said mainly related to personnel training.",
            "direct", speaker=official, stance={FRANCE: "against"})

    b.paragraph("France has been the subject of speculation")
    b.entities("GPE", ("France", 1), ("Ukraine", 1), ("France", 2), ("Ukraine", 2), "Russia")
    naryshkin = b.span("PERSON", "Sergey Naryshkin")
    _, svr = b.entities("ORG", "Russian Foreign Intelligence Service", "SVR")
    b.quote("his agency has information that France is preparing a military contingent of 2,000 "
            "troops to be sent to Ukraine to join the fight against Russia", "indirect",
            speaker=b.speaker("Sergey Naryshkin", naryshkin), cue=b.cue("said"),
            stance={FRANCE: "favor"})
    # The nested report, whose content is given: the agency's own QUOTE inside Naryshkin's.
    b.quote("France is preparing a military contingent of 2,000 troops to be sent to Ukraine to join "
            "the fight against Russia", "indirect", speaker=b.speaker("his agency", svr),
            cue=b.cue("has information"), stance={FRANCE: "favor"})

    b.paragraph("The French defense ministry responded")
    ministry = b.span("ORG", "French defense ministry")
    b.quote("disinformation and irresponsible.", "direct",
            speaker=b.speaker("The French defense ministry", ministry), cue=b.cue("denouncing"),
            stance={FRANCE: "against"})

    b.paragraph("Earlier in the year, Russian President Vladimir Putin")
    b.entities("NORP", "Russian")
    putin = b.span("PERSON", "Vladimir Putin")
    b.entities("ORG", "NATO")
    b.entities("GPE", "Ukraine")
    b.quote("war would be “inevitable” if NATO deployed a physical troop presence to Ukraine",
            "mixed", speaker=b.speaker("Vladimir Putin", putin), cue=b.cue("stated"))

    b.paragraph("Pevkur’s assertion")
    pevkur_3 = b.span("PERSON", "Pevkur")
    b.entities("GPE", "Ukraine")
    b.entities("ORG", "NATO")
    b.quote("military members are already in Ukraine", "indirect",
            speaker=b.speaker("Pevkur", pevkur_3), cue=b.cue("assertion"), stance={NATO: "favor"})

    b.paragraph("“We strongly believe")
    b.entities("GPE", "Ukraine")
    b.entities("ORG", ("NATO", 1), ("NATO", 2))
    stoltenberg_1 = b.span("PERSON", "Jens Stoltenberg")
    b.quote("We strongly believe that support to Ukraine should be less dependent on short-term, "
            "voluntary offers and more dependent on long-term NATO commitments,", "direct",
            speaker=b.speaker("Jens Stoltenberg", stoltenberg_1), cue=b.cue("said"))

    b.paragraph("“The reason why we do this")
    b.entities("GPE", "Ukraine")
    stoltenberg_2 = b.span("PERSON", "Stoltenberg")
    b.entities("GPE", "Russia")
    stoltenberg_2_speaker = b.speaker("Stoltenberg", stoltenberg_2)
    b.quote("The reason why we do this is the situation on the battlefield in Ukraine. It is serious,",
            "direct", speaker=stoltenberg_2_speaker, cue=b.cue("told reporters"))
    b.quote("We see how Russia is pushing, and we see how they try to win this war by just waiting us out.",
            "direct", speaker=stoltenberg_2_speaker)

    b.paragraph("Ukrainian president Volodymyr Zelenskiy")
    b.entities("NORP", "Ukrainian")
    zelenskiy = b.span("PERSON", "Volodymyr Zelenskiy")
    b.entities("GPE", "Russia", "Ukraine")
    b.quote("Russia is preparing to send another 300,000 soldiers to Ukraine", "indirect",
            speaker=b.speaker("Volodymyr Zelenskiy", zelenskiy), cue=b.cue("saying"),
            stance={RUSSIA: "favor"})

    b.paragraph("Russian Presidential Spokesman Dmitry Peskov")
    b.entities("NORP", ("Russian", 1), ("Russian", 2))
    peskov = b.span("PERSON", "Dmitry Peskov")
    b.entities("ORG", "TASS")
    b.quote("This is not true.", "direct", speaker=b.speaker("Dmitry Peskov", peskov),
            cue=b.cue("telling"), stance={RUSSIA: "against"})

    b.stance = {NATO: "favor", FRANCE: "neutral", RUSSIA: "neutral"}
    return b.build()


def seed_004(document: Document) -> GoldSet:
    """Stoltenberg: there are no NATO troops in Ukraine."""
    b = GoldBuilder(document)
    b.paragraph("Stoltenberg: There are no NATO troops")
    stoltenberg_h = b.span("PERSON", "Stoltenberg")
    b.entities("ORG", "NATO")
    b.entities("GPE", "Ukraine")
    b.quote("There are no NATO troops in Ukraine", "indirect",
            speaker=b.speaker("Stoltenberg", stoltenberg_h), stance={NATO: "against"})

    b.paragraph("NATO Secretary General Jens Stoltenberg once again says")
    b.entities("ORG", "NATO", "Alliance")
    stoltenberg_1 = b.span("PERSON", "Jens Stoltenberg")
    b.entities("GPE", "Ukraine")
    b.quote("there are neither instructors nor military units of the Alliance forces in Ukraine",
            "indirect", speaker=b.speaker("Jens Stoltenberg", stoltenberg_1), cue=b.cue("says"),
            stance={NATO: "against"})

    b.paragraph("He said this at a press conference")
    b.entities("GPE", "Brussels", "Ukraine")
    b.entities("NORP", "Russian")
    b.entities("ORG", "NATO")

    b.paragraph("Stoltenberg said that in order to control")
    stoltenberg_2 = b.span("PERSON", "Stoltenberg")
    b.entities("GPE", "Ukraine")
    b.entities("NORP", "Ukrainian")
    b.quote("in order to control advanced air defense systems, as well as artillery that allies "
            "supply to Ukraine, the Ukrainian military is trained directly in the member countries "
            "of the alliance", "indirect", speaker=b.speaker("Stoltenberg", stoltenberg_2),
            cue=b.cue("said"))

    b.paragraph("He said when a specialist is needed")
    b.entities("NORP", "Ukrainians")
    b.entities("ORG", ("NATO", 1), ("NATO", 2), ("NATO", 3), ("NATO", 4))
    b.entities("GPE", ("Ukraine", 1), ("Ukraine", 2))
    he = b.speaker("He", stoltenberg_2)
    b.quote("when a specialist is needed to manage this system, whether it be an air defense system "
            "or an artillery system, Ukrainians receive training in a NATO country", "indirect",
            speaker=he, cue=b.cue("said"))
    b.quote("NATO employees do not do any work on the territory of Ukraine", "indirect",
            speaker=he, stance={NATO: "against"})  # without the connective `But` and the period
    b.quote("This emphasizes that NATO is not a party to the conflict – they have no troops on the "
            "ground, but NATO allies are helping Ukraine to carry out self-defense", "indirect",
            speaker=b.speaker("the Secretary General", stoltenberg_2), cue=b.cue("according to"),
            stance={NATO: "against"})

    b.paragraph("The Secretary General said that in this way")
    b.entities("NORP", "Ukrainians")
    b.entities("ORG", "NATO")
    b.entities("GPE", "Ukraine")
    b.quote("in this way the Allies can ensure that the Ukrainians can manage advanced systems "
            "without having to deploy NATO personnel in Ukraine", "indirect",
            speaker=b.speaker("The Secretary General", stoltenberg_2), cue=b.cue("said"),
            stance={NATO: "against"})

    b.paragraph("Stoltenberg also believes")
    stoltenberg_3 = b.span("PERSON", "Stoltenberg")
    b.entities("GPE", "Ukraine", "Poland", "Germany")
    b.quote("the issue of providing Ukraine with air defense systems, as Poland recently discussed, "
            "in particular, the transfer of Patriot belonging to Germany, is the competence of a "
            "particular state", "indirect", speaker=b.speaker("Stoltenberg", stoltenberg_3),
            cue=b.cue("believes"))

    b.paragraph("The Secretary General said concrete decisions")
    b.quote("concrete decisions regarding specific systems are national decisions", "indirect",
            speaker=b.speaker("The Secretary General", stoltenberg_3), cue=b.cue("said"))

    b.paragraph("In addition, he said")
    b.quote("the allies continue to increase the production capacity of the military-industrial "
            "complex", "indirect", speaker=b.speaker("he", stoltenberg_3), cue=b.cue("said"))

    b.paragraph("Stoltenberg said partly NATO officials")
    stoltenberg_4 = b.span("PERSON", "Stoltenberg")
    b.entities("ORG", "NATO")
    b.entities("GPE", "Soviet Union", "Ukraine")
    b.entities("NORP", ("Soviet", 2))
    stoltenberg_4_speaker = b.speaker("Stoltenberg", stoltenberg_4)
    b.quote("partly NATO officials were able to increase production in the allied countries by "
            "producing equipment from the Soviet Union and ammunition of the time, which is "
            "extremely urgent, since Ukraine has Soviet-style artillery, and they need ammunition "
            "and spare parts", "indirect", speaker=stoltenberg_4_speaker, cue=b.cue("said"))
    b.quote("The allies in the eastern part of the alliance have this production, and they "
            "increased production", "indirect", speaker=stoltenberg_4_speaker)

    b.stance = {NATO: "against"}
    return b.build()


SEEDS = {"000_8dd4fb761523bda0": seed_000, "004_2da5e68ab82a8b3d": seed_004}


def build_gold(corpus: Corpus) -> list[GoldSet]:
    """Build the gold of every seed document of `corpus`; raise if any breaks a rule."""
    gold = []
    for document in corpus.iter_documents():
        builder = SEEDS.get(document.id)
        if builder is None:
            continue
        gold_set = builder(document)
        findings = check_set(gold_set, document.text, corpus.scheme, gold=True)
        if findings:
            raise ValueError(f"{document.id}: " + "; ".join(f"[{f.rule}] {f.field}: {f.message}"
                                                             for f in findings))
        gold.append(gold_set)
    return gold


def main(root: Path) -> None:
    corpus = Corpus.open(root)
    gold = build_gold(corpus)
    # The seed gold is hand-made (method manual) and this script is its author: it goes in through
    # the write path, as every writer's does; gold it wrote before is replaced (and kept, if it changed).
    report = put_gold(corpus, gold)  # the same gold again is unchanged: nothing is written
    kept = {o.doc_id for o in report.outcomes if o.status == "kept"}  # hand-made, and this script changed it
    replaced = put_gold(Corpus.open(root), [g for g in gold if g.doc_id in kept], replace=True) if kept else None
    written = sum(o.status != "unchanged" for o in report.outcomes)
    print(f"{len(gold)} gold sets in {corpus.gold_path}: {written} written"
          + (f" (the earlier ones are kept in {replaced.backup_path})" if replaced and replaced.backup_path else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus"))
