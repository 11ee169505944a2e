"""Attribution suggestions by rules: quotes, their speakers and cues, with the relations between them.

- **Direct quotes** are the text between paired quotation marks (curly or straight, double or single,
  or two apostrophes for a double mark as some plain-text sources write them; marks nested inside
  stay inside), at least `MIN_QUOTE_WORDS` words long; shorter quoted fragments are not quotes, but
  make the indirect quote holding them `mixed`; nor are titles of works with no speaker (`“Meet the
  Press”`) or a markup attribute's value (`author="@x"`). A quote running over several paragraphs,
  each opened again with a mark and only the last closed (the news convention), is one quote. Its
  speaker and cue come from the same sentence: `“...,” the official said`, `“...,” said
  Stoltenberg`, `Stoltenberg told reporters: “...”`, `according to X, “...”`, or the sentence that
  introduces it with a colon, on its line or as the paragraph before (`Cruz continued: ¶ “...”`);
  after the quotation, a verb that is also a noun is a cue too (`“...,” he notes`). A direct quote
  with none that follows an attributed one in its paragraph is the same speaker's (no cue), and so
  is a paragraph that is one whole quoted sentence right after a paragraph that ends with an
  attributed quotation (`“...,” X said. ¶ “....”`, the news convention).
- **Indirect quotes** come from reporting patterns in a sentence (outside direct quotes): `X said
  (that) CLAUSE`, `CLAUSE, X said`, `CLAUSE, said X`, `according to X, CLAUSE`, `CLAUSE, according to
  X`, a headline `CLAUSE, X Says`; `..., adding (that) CLAUSE` starts a second quote of the same
  speaker. The quote leaves out `that` and the final punctuation. A speaker's appositive (`X, a
  lawyer,`) is part of the speaker; when it was said (`said Thursday`) and whom it was told (`told
  Jones that`, `told him`) are in neither. A cue right
  after a quotation is the quotation's; a passive cue (`could not be said`) has no speaker before it.
- **Turns**: a paragraph that opens with a name and a colon (a headline `X: CLAUSE`, a transcript's
  `PENCE: ...`) is X's to its end, without a cue (the colon is none).
- **Cues** come from a lexicon of reporting verbs in every form and phrases (`CUES`, built from
  `REPORTING_VERBS`).
- **Speakers** are the entity mention that ends right before the cue (or follows `according to`), a
  pronoun, a description (`the official`, `the Secretary General`), a group (`officials`, `tech
  executives`), a share (`52 percent of voters`), a possession (`Sanders’ aides`), or a run of
  capitalized words without its leading titles (and a party after it, `(D-MA)`), with its
  appositive (`X, a lawyer,`). A speaker refers to the entity mention at
  its place; a pronoun or a description to the nearest PERSON (for `agency`, `ministry`, ... the
  nearest ORG) before it; a description of a text or a record (`a campaign memo`, `the poll`: `THINGS`)
  to none.

The rules read only the text and the entity mentions given to them, so they are the same for every
corpus; their figures on the bundled gold are in the README (`newsgold suggest --evaluate`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsgold.formats.tokenize import segment

__all__ = ["Attribution", "CUES", "MIN_QUOTE_WORDS", "PERSONAL_PRONOUNS", "PRONOUNS", "TITLES", "find_attributions",
           "quotations", "speaker_referent"]

MIN_QUOTE_WORDS = 3
"""Quoted text shorter than this is a fragment (a scare quote, a title), not a quote."""

REPORTING_VERBS = (
    "say", "tell", "add", "write", "note", "report", "announce", "suggest", "argue", "explain", "think",
    "believe", "acknowledge", "claim", "insist", "warn", "declare", "predict", "recall", "conclude",
    "respond", "reply", "agree", "concede", "contend", "assert", "maintain", "stress", "emphasize",
    "emphasise", "admit", "confirm", "tweet", "complain", "observe", "vow", "promise", "pledge", "estimate",
    "indicate", "reveal", "allege", "testify", "speculate", "state", "mention", "charge", "counter",
    "caution", "boast", "joke", "lament", "remark", "recount", "comment", "denounce")
"""Verbs that report speech or thought, as lemmas: the reporting verbs among the most frequent cues
of PolNeAR's train split (counted with bench/polnear.py; its test split was never read) that take a
clause, plus the speech verbs of the bundled gold. `deny` is not one: in "denied the claim" the verb
takes an object, not a report (docs/guidelines.md)."""
_IRREGULAR = {"say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
              "write": ("writes", "wrote", "writing"), "think": ("thinks", "thought", "thinking")}


def _forms(lemma: str) -> tuple[str, ...]:
    """The lemma and its third person, past and -ing forms (every tense and aspect is built of these)."""
    if lemma in _IRREGULAR:
        return (lemma, *_IRREGULAR[lemma])
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        third, past, ing = lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    elif lemma.endswith("e"):
        past, ing = lemma + "d", (lemma[:-1] if not lemma.endswith("ee") else lemma) + "ing"
    elif lemma in ("admit", "vow") or (lemma.endswith("t") and lemma in ("admit",)):
        past, ing = (lemma + "ted", lemma + "ting") if lemma == "admit" else (lemma + "ed", lemma + "ing")
    else:
        past, ing = lemma + "ed", lemma + "ing"
    return (lemma, third, past, ing)


NOUN_TOO = ("report", "note", "claim", "state", "charge", "estimate", "promise", "comment", "counter",
            "tweet", "reply", "joke", "remark", "vow", "pledge", "mention", "warn", "stress", "boast")
"""Verbs whose bare and -s forms are also nouns ("the state", "reports of"): only their past and -ing
forms are cues."""
CUES = tuple(sorted({"told reporters", "according to", "pointed out", "points out", *(form for lemma in REPORTING_VERBS
                                   for form in _forms(lemma)[2 if lemma in NOUN_TOO else 0:])},
                    key=lambda cue: (-len(cue), cue)))
"""Reporting verbs in every form, and phrases (longest first, so that one that starts another wins)."""

PRONOUNS = ("he", "she", "they", "we", "I")
PERSONAL_PRONOUNS = frozenset({*(p.lower() for p in PRONOUNS), "it", "you", "us", "them", "him", "her"})
"""Every personal pronoun, lower case: never a name (a speaker's own, or a word the tagger reads)."""
BETWEEN = {"is", "are", "was", "were", "has", "have", "had", "been", "will", "would", "also", "now", "later",
           "previously", "repeatedly", "often", "once", "again", "publicly", "privately", "recently", "then"}
"""Auxiliaries and adverbs that may stand between a speaker and the cue ("Pevkur has also said"):
the speaker ends before them, and the cue is the content verb alone, as the guidelines say."""
PASSIVE = {"be", "been", "being", "is", "are", "was", "were", "get", "got"}
"""Before a participle cue, these make it passive (`could not be said`): no speaker before it."""
_LAST_WORD = re.compile(r"(?<![\w’'])(\w+)\s*$")
NOT_SPEAKERS = {"This", "That", "These", "Those", "It", "Which", "What", "There", "Here"}
"""Capitalized words that start a sentence but name no one: "This emphasizes that ..." reports
nobody's words."""
THINGS = ("memo", "report", "reports", "poll", "polls", "survey", "study", "statement", "letter", "email",
          "document", "documents", "analysis", "data", "records", "filing", "release", "website", "post",
          "tweet", "video", "ad", "book", "article", "story", "interview", "transcript", "figures", "numbers")
"""Heads of descriptions that name a text or a record, not a person: `a campaign memo` refers to no
entity (the nearest PERSON before it is not its author)."""
ORG_HEADS = ("agency", "ministry", "office", "government", "service", "department", "spokesperson's office",
             "alliance", "company", "committee", "council", "army", "military", "embassy", "kremlin")
TITLES = {"Minister", "President", "Secretary", "General", "Defense", "Defence", "Foreign", "Director",
          "Spokesman", "Spokeswoman", "Spokesperson", "Chancellor", "Prime", "Deputy", "Chief", "Head",
          "Commander", "Ambassador", "Senator", "Governor", "Mayor", "Press", "Estonian", "Russian",
          "French", "German", "British", "American", "Ukrainian", "Polish", "Former", "Mr.", "Mrs.", "Ms.",
          "Dr.", "Gen.", "Col.", "Lt.", "Sen.", "Gov."}
"""Words a capitalized run may start with that are a title or an adjective, not the name."""
ROLE_NOUNS = {"Official", "Officials", "Spokesman", "Spokeswoman", "Spokesperson", "Minister", "Ministry",
              "Source", "Sources", "Diplomat", "Diplomats"}
"""A capitalized run ending in one of these is a description (`Foreign Official`): kept whole."""
_THAT = re.compile(r"\bthat\s+")
PREPOSITIONS = {"on", "in", "at", "to", "during", "after", "before", "from", "about", "with", "of", "for", "by"}
"""Words that open a phrase of place, time or manner after a cue (`he said on ABC's This Week`,
`said in a statement that ...`), which is no reported clause; one that opens the clause stays in it
(`said in this way the Allies can ...`)."""
CONJUNCTIONS = {"But", "And", "Yet", "So", "Still", "Now", "Then", "Meanwhile", "Later", "Also"}
"""Words that open a sentence before its speaker's name (`But Ramos said`), in no name."""
AUXILIARIES = {"is", "was", "are", "were", "will", "would", "has", "had", "have", "can", "could", "should",
               "may", "might", "must", "does", "did", "wasn", "isn", "won", "doesn", "didn", "hasn"}
OBJECTS = {"this", "it", "so", "nothing", "something", "otherwise", "goodbye", "yes", "no"}
"""A clause after a cue that starts with one of these is the verb's object, not a report."""
GROUPS = ("officials", "diplomats", "sources", "analysts", "experts", "lawmakers", "observers", "leaders",
          "authorities", "critics", "residents", "witnesses", "commanders", "soldiers")

_CUE = re.compile(r"(?<![\w’'])(?:" + "|".join(
    rf"{re.escape(cue[0])}{re.escape(cue[1:])}|{re.escape(cue[0].upper())}{re.escape(cue[1:])}" for cue in CUES)
    + r")(?![\w’'])(?!\s+by\s)")  # "responded by denouncing": the gerund is the cue
_CUE_AFTER_QUOTE = re.compile(r"(?<![\w’'])(?:" + "|".join(sorted(
    {*CUES, *(form for lemma in NOUN_TOO for form in _forms(lemma)[:2])}, key=lambda cue: (-len(cue), cue)))
    + r")(?![\w’'])", re.IGNORECASE)
"""Cues right after a quotation (`“...,” he notes`), where a verb that is also a noun (`notes`,
`claims`, `warns`) can be nothing else."""
THAT_VERBS = ("show", "find", "expect", "hope", "fear", "feel", "know", "learn", "understand", "worry", "doubt",
              "assume", "suspect", "realize", "recognize", "decide", "hear", "see", "determine", "prove")
"""Verbs of finding, knowing and expecting: cues only before `that` ("the poll showed that ..."; "found
the body" reports nothing). PolNeAR annotates such reports; they are not in `CUES`."""
_THAT_FORMS = {"find": ("finds", "found", "finding"), "know": ("knows", "knew", "knowing", "known"),
               "feel": ("feels", "felt", "feeling"), "hear": ("hears", "heard", "hearing"),
               "see": ("sees", "saw", "seeing", "seen"), "understand": ("understands", "understood"),
               "prove": ("proves", "proved", "proving", "proven")}
_THAT_CUE = re.compile(r"(?<![\w’'])(?:" + "|".join(sorted(
    {form for lemma in THAT_VERBS for form in (lemma, *_THAT_FORMS.get(lemma, _forms(lemma)[1:]))},
    key=len, reverse=True)) + r")(?=\s+that\s)")
_WORD = re.compile(r"\w+")
_NAME_WORD = r"\[?[A-Z][\w’'.\-]*\]?"
_NAME_AT_END = re.compile(rf"(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD}\s*$")
_NAME_AT_START = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}")
_PRONOUN_AT_END = re.compile(r"(?<!\w)(?:" + "|".join(PRONOUNS + tuple(p.capitalize() for p in PRONOUNS))
                             + r")\s*$")
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Aa]nother|[Oo]ne|[Ss]everal|[Oo]ther)"
_DESCRIPTION_AT_END = re.compile(rf"(?<!\w){_DETERMINER}\s+(?:[\w’'\-/&]+\s+){{0,3}}?[\w’'\-]+\s*$")
_GROUP_AT_END = re.compile(r"(?<!\w)(?:[A-Z]\w+\s+)?(?:" + "|".join(GROUPS) + r")\s*$")
_PEOPLE = r"[a-z]+(?:ers|ors|ists|ants|ents|ans|ives|aides|ees|ians)"
"""Plural nouns of people by their ending: voters, supporters, economists, residents, Republicans' ..."""
_PEOPLE_AT_END = re.compile(rf"(?<![\w’'])(?:[A-Za-z][\w\-]*\s+){{0,2}}{_PEOPLE}\s*$")
"""`voters`, `tech executives`, `GOP primary voters` before a cue."""
_SHARE = (r"(?:(?:[Aa]bout|[Nn]early|[Aa]lmost|[Oo]nly|[Jj]ust|[Mm]ore\s+than|[Ll]ess\s+than|[Aa]t\s+least)\s+)?"
          r"(?:[\w.\-]+\s+(?:percent|in\s+\d+|out\s+of\s+\d+)|[Hh]alf|[Mm]ost|[Mm]any|[Ss]ome|[Aa]\s+majority|"
          r"[Aa]\s+third|[Tt]wo-thirds|[Aa]\s+quarter)")
_SHARE_AT_END = re.compile(rf"(?<![\w’']){_SHARE}(?:\s+of\s+(?:[\w’'\-]+\s+){{0,4}}?[\w’'\-]+)?\s*$")
"""A share of people (`52 percent of registered voters`, `About 4 in 10`, `half of them`) before a cue."""
_POSSESSED_AT_END = re.compile(r"(?<![\w’'])(?:[A-Z][\w.\-]*\s+){0,2}[A-Z][\w.\-]*(?:’s|'s|’|')\s+"
                               r"(?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*\s*$")
"""`Sanders’ aides`, `Clinton's campaign manager` before a cue."""
_SPEAKER_AFTER = re.compile(rf"\s*(?:{_DETERMINER}\s+(?:[\w’'\-]+\s+){{0,3}}?[\w’'\-]+|{_NAME_WORD}"
                            rf"(?:\s+{_NAME_WORD}){{0,3}}|" + "|".join(PRONOUNS) + ")")
_NAME_PHRASE = rf"{_NAME_WORD}(?:\s+(?:of\s+)?{_NAME_WORD}){{0,5}}"
_NAME_PHRASE_AT_END = re.compile(rf"{_NAME_PHRASE}\s*$")
TELL = {"tell", "tells", "told", "telling"}
"""Cues whose next words are whom it was said to (`told Jones that ...`), not what was said."""
_TOLD_WHOM = re.compile(r"(?:[\w’'.\-]+\s+){1,6}?that\s+")
"""Whom it was told, up to `that` (at most six words, no comma)."""
_TOLD_ONE = re.compile(rf"(?:him|her|them|me|us|you|reporters|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s+(?=[a-z])")
"""Whom it was told, without `that`: a pronoun, `reporters` or a name, then the clause (`told him the
plan failed`)."""
_APPOSITIVE_AT_END = re.compile(rf"({_NAME_PHRASE})(?:,\s+\d{{1,3}})?,\s+([^,;:!?“”\"\n]{{2,120}}?),\s*$")
"""`Tina Tchen, Mrs. Obama's chief of staff,` (or `Jillian Chase, 27, a Tinder user,`) before a cue:
the name and its description, one speaker."""
_PARTY_AT_END = re.compile(r"\s*\([A-Z][\w.\- ]{0,15}\)\s*$")
"""A party and state after a name (`Sen. Elizabeth Warren (D-MA) said`): the speaker is the name."""
_APPOSITIVE_AFTER = re.compile(r",\s+([^;:!?“”\"\n]{2,240}?)\s*[.]?\s*$")
"""`said Alfonso Aguilar, the executive director of ...` to the end of the sentence."""
_TITLES_ONLY = re.compile(r"(?:[A-Z][\w.’'\-]*\s+)*")
_TURN = re.compile(rf"(?m)^[ \t]*({_NAME_PHRASE}):[ \t]+(?=\S)")
NOT_TURNS = {"The Latest", "Note", "Update", "Updated", "Related", "Photo", "Photos", "Video", "Source",
             "Sources", "Correction", "Disclosure", "Watch", "Read", "Read More", "More", "Contact", "Email",
             "Tags", "Share", "Credit", "Image", "Caption", "Advertisement", "Editor's Note", "Editor’s Note",
             "Editor's note", "Editor’s note", "UPDATE", "NOTE", "WATCH", "RELATED", "CORRECTION", "Topics",
             "Filed Under", "See Also", "Also"}
"""Labels that open a paragraph with a colon and introduce no one's words."""
ACCORDING_TO_WORDS = 16
"""The longest source of `according to` taken (`the average of recent polls compiled by Real Clear Politics`)."""
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WHEN = re.compile(rf"\s*(?:(?:on\s+)?{_DAYS}|last\s+(?:week|month|year|night)|yesterday|today|earlier|"
                   rf"in\s+an\s+interview|in\s+a\s+statement)\b,?")
"""When or how it was said, between a cue and what was said (`said Thursday his ...`): in neither."""
_CONTINUATION = re.compile(r",\s+(adding|saying|noting|stressing|warning)\s+(?:that\s+)?")
_OPENING = {"“": "”", "‘": "’", '"': '"', "«": "»"}


@dataclass(frozen=True)
class Attribution:
    """One suggested quote: its extent, form, and (if found) its speaker and cue, as offsets."""

    quote: tuple[int, int]
    form: str
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    referent: tuple[int, int] | None = None
    """The entity mention the speaker refers to."""
    new_entity: tuple[int, int, str] | None = None
    """An entity mention the rules add: a speaker that is a name no given mention covers."""
    fragments: tuple[tuple[int, int], ...] | None = None
    """The pieces of a quote interrupted by its speaker (`“We will win,” he said, “because ...”`)."""
    scores: tuple[float | None, float | None, float | None] = (None, None, None)
    """How sure a learned suggester is of the quote, the speaker and the cue (0-1; None from rules)."""


@dataclass(frozen=True)
class _Quoted:
    start: int  # the opening mark
    end: int    # after the closing mark
    words: int
    width: int = 1
    """The marks' length: 2 for a doubled apostrophe (`''`)."""

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + self.width, self.end - self.width


def find_attributions(text: str, entities: Sequence[tuple[int, int, str]] = (),
                      person: str | None = None) -> list[Attribution]:
    """The quotes of `text` with speaker and cue, found by the rules above.

    `entities`: (start, end, label) of the entity mentions known in the text (suggested or
    annotated); speakers are read from them first, and refer to them. `person`: the label of
    people; when given, a speaker that is a name (capitalized words, no title or role noun) and no
    entity covers becomes a mention of it (`new_entity`), which it and later pronouns refer to. The
    quotes never cross one another (a quote may hold another).
    """
    found = _find(text, sorted(entities))
    if person is None:
        return found
    added = sorted({a.speaker for a in found if a.speaker and a.referent is None and _is_name(text, a.speaker)
                    and not any(s < a.speaker[1] and a.speaker[0] < e for s, e, _ in entities)})
    if not added:
        return found
    known = sorted([*entities, *((s, e, person) for s, e in added)])
    return [replace(a, referent=speaker_referent(text, a.speaker, known),
                    new_entity=(*a.speaker, person) if a.speaker in added else None) for a in found]


def _is_name(text: str, extent: tuple[int, int]) -> bool:
    words = text[extent[0]:extent[1]].split()
    return bool(words) and all(w[:1].isupper() and w not in TITLES and w not in ROLE_NOUNS for w in words) \
        and words[0].lower() not in PRONOUNS and words[0] not in ("The", "A", "An", "His", "Her", "Its", "Their")


def _find(text: str, entities: Sequence[tuple[int, int, str]]) -> list[Attribution]:
    quoted = _quoted(text)
    direct = [q for q in quoted if q.words >= MIN_QUOTE_WORDS]
    found: list[Attribution] = []
    sentences = _sentences(text)
    for index, quote in enumerate(direct):
        start, end = quote.inner
        speaker, cue = _direct_source(text, quote, sentences, entities)
        previous = found[-1] if index and found and found[-1].form == "direct" and found[-1].speaker \
            and not _paragraph_break(text, direct[index - 1].end, quote.start) else None
        if previous is not None and text[start:start + 1].islower() and text[previous.quote[1] - 1] == "," \
                and _comma_after(text, previous, quote.start) and previous.speaker \
                and previous.quote[1] < previous.speaker[0] < quote.start:  # one sentence, interrupted by its speaker
            pieces = (*(previous.fragments or (previous.quote,)), (start, end))
            found[-1] = replace(previous, quote=(pieces[0][0], end), fragments=pieces)
            continue
        if speaker is None and previous is not None:
            speaker = previous.speaker  # a quote after an attributed one, in its paragraph: the same voice
        if speaker is None and found and index and found[-1].form == "direct" and found[-1].speaker \
                and _continues_paragraph(text, sentences, direct[index - 1], quote):
            speaker = found[-1].speaker  # “...,” X said. ¶ “...”: the next paragraph goes on in X's voice
        if speaker is None and _is_title(text[start:end]):
            continue  # the name of a work (“Meet the Press”, “Girls, Girls, Girls”), nobody's words
        found.append(Attribution((start, end), "direct", speaker, cue, speaker_referent(text, speaker, entities)))
    taken = [(q.start, q.end) for q in direct]
    for s_start, s_end in sentences:
        for attribution in _indirect(text, s_start, s_end, entities, taken, quoted):
            if not any(_crosses(attribution.quote, other.quote) for other in found):
                found.append(attribution)
    for turn in _turns(text, entities, quoted):
        opens = [i for i, a in enumerate(found) if a.form == "direct" and a.speaker is None
                 and a.quote[0] - 1 <= turn.quote[0] <= a.quote[0]]
        if opens:  # `Jones: “...”`: the quote is there, without its speaker
            found[opens[0]] = replace(found[opens[0]], speaker=turn.speaker, referent=turn.referent)
        elif not any(_crosses(turn.quote, other.quote) or _holds(other.quote, turn.quote) for other in found):
            found.append(turn)
    found.sort(key=lambda a: a.quote)
    return found


def _turns(text: str, entities: Sequence[tuple[int, int, str]], quoted: list[_Quoted]) -> list[Attribution]:
    """`X: WORDS` opening a paragraph (a headline, a transcript's turn): WORDS, to the paragraph's
    end, are X's (no cue: the colon is none)."""
    found = []
    for turn in _TURN.finditer(text):
        name = turn.group(1)
        if name in NOT_TURNS or name.split()[0] in NOT_SPEAKERS:
            continue
        end = text.find("\n", turn.end())
        end = _strip_end(text, turn.end(), len(text) if end < 0 else end)
        if len(_WORD.findall(text[turn.end():end])) < MIN_QUOTE_WORDS:
            continue
        speaker = turn.span(1)
        found.append(Attribution((turn.end(), end), _form((turn.end(), end), quoted), speaker, None,
                                 speaker_referent(text, speaker, entities)))
    return found


def _is_title(words: str) -> bool:
    """Whether quoted words are a title: at most ten, and every word of four letters or more capitalized."""
    found = _WORD.findall(words)
    return 0 < len(found) <= 10 and found[0][:1].isupper() and all(w[:1].isupper() or w[:1].isdigit()
                                                                   for w in found if len(w) >= 4)


def _comma_after(text: str, previous: Attribution, opening: int) -> bool:
    """Whether the words between a quote and the next opening mark end with a comma (`, he said, “`)."""
    return text[previous.quote[1]:opening].rstrip().endswith(",")


def quotations(text: str) -> list[tuple[int, int]]:
    """The [start, end) of every outermost quotation of `text`, its marks included, as the rules
    pair them (nested marks inside, several paragraphs joined), in text order."""
    return [(q.start, q.end) for q in _quoted(text)]


def _quoted(text: str) -> list[_Quoted]:
    """Outermost quoted stretches: paired marks, nested ones inside, several paragraphs joined."""
    found: list[_Quoted] = []
    position = 0
    while True:
        opening = _next_opening(text, position)
        if opening is None:
            return found
        closing = _closing(text, opening)
        if closing is None:
            position = opening + 1
            continue
        width = 2 if text.startswith(DOUBLED_APOSTROPHE, opening) else 1
        inner = text[opening + width:closing]
        found.append(_Quoted(opening, closing + width, len(_WORD.findall(inner)), width))
        position = closing + width


DOUBLED_APOSTROPHE = "''"
"""Two apostrophes for a double quote mark, opening and closing alike: how some plain-text sources
write `“` and `”` (the New York Times articles of PolNeAR, LaTeX-style text)."""
_OPENING_MARK = re.compile(r"''|[“‘\"«]")
_SPACE_RUN = re.compile(r"\s*")


def _next_opening(text: str, position: int) -> int | None:
    for match in _OPENING_MARK.finditer(text, position):
        at = match.start()
        mark = match.group()
        before = text[at - 1] if at else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before == "=":
            continue  # a markup attribute's value (`author="@x"`), not a quotation
        if mark in ("‘", '"', DOUBLED_APOSTROPHE) and (before.isalnum() or after.isspace()):
            continue  # an apostrophe or a closing straight mark, not an opening
        if mark == DOUBLED_APOSTROPHE and not (before.isspace() or before in "([—–-"):
            continue  # `policies,''` closes
        return at
    return None


def _closing(text: str, opening: int) -> int | None:
    """Offset of the mark closing the one at `opening`, across paragraphs that open again."""
    mark = DOUBLED_APOSTROPHE if text.startswith(DOUBLED_APOSTROPHE, opening) else text[opening]
    wanted = _OPENING.get(mark, mark)
    depth_marks = {"“": "”", "‘": "’"} if mark in "“«" else {}
    position = opening + len(mark)
    while position < len(text):
        char = text[position]
        if char == "\n" and _paragraph_break(text, position - 1, position + 2):
            spaces = _SPACE_RUN.match(text, position)  # always matches (\s*)
            reopening = spaces.end() if spaces else position
            if not text.startswith(mark, reopening):
                return None  # the paragraph ends unclosed, and the next does not open again
            position = reopening + len(mark)
            continue
        if mark == DOUBLED_APOSTROPHE:
            if text.startswith(mark, position):
                return position
            position += 1
            continue
        if char == mark and mark in "“«":
            return None  # the same opening mark again before a closing one: this one is never closed
        if (char == wanted or (mark == "“" and char == '"')) and (mark != "‘" or not (position + 1 < len(text) and text[position + 1].isalpha())):
            return position
        if char in depth_marks and char != mark:
            inner = _closing(text, position)
            if inner is None:
                return None
            position = inner + 1
            continue
        position += 1
    return None


def _paragraph_break(text: str, start: int, end: int) -> bool:
    return "\n" in text[max(start, 0):end]


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, by the same segmentation as the exports."""
    return [(sentence[0].start, sentence[-1].end) for sentence in segment(text).sentences if sentence]


def _around(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The extent of the sentences that hold [start, end) (`sentences` in text order, disjoint)."""
    first = max(bisect.bisect_right(sentences, (start, len(sentences) and sentences[-1][1] + 1)) - 1, 0)
    holding = []
    for sentence in itertools.islice(sentences, first, None):
        if sentence[0] >= end:
            break
        if start < sentence[1]:
            holding.append(sentence)
    return (holding[0][0], holding[-1][1]) if holding else (start, end)


def _direct_source(text: str, quote: _Quoted, sentences: list[tuple[int, int]],
                   entities: Sequence[tuple[int, int, str]]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Speaker and cue of a direct quote: right after its closing mark, or right before its opening,
    else from the sentence that introduces it (`_introduction`)."""
    sentence = _around(sentences, quote.start, quote.end)
    line_end = text.find("\n", quote.end)
    after_end = min(x for x in (line_end if line_end >= 0 else len(text), sentence[1] + 1, len(text)))
    after = text[quote.end:after_end]
    lead = re.match(r"[\s,]*", after)
    offset = quote.end + (lead.end() if lead else 0)
    cue = _CUE_AFTER_QUOTE.match(text, offset)
    if cue and cue.group().lower() != "according to":  # “...,” said Stoltenberg
        speaker = _speaker_after(text, cue.end(), after_end, entities)
        if speaker:
            return speaker, cue.span()
    for cue in _CUE_AFTER_QUOTE.finditer(text, offset, min(after_end, offset + 60)):
        speaker = _speaker_before(text, offset, cue.start(), entities)
        if speaker and _TITLES_ONLY.fullmatch(text, offset, speaker[0]):  # “...,” the official said
            return speaker, cue.span()                                   # “...,” NATO chief X said
    line_start = text.rfind("\n", 0, quote.start) + 1
    before_start = max(line_start, sentence[0])
    before = text[before_start:quote.start]
    tail = re.search(r"(?:\s+\w+){0,2}\s*[:,]?\s*$", before)
    for cue in _CUE.finditer(text, before_start, quote.start):
        if tail and cue.end() >= before_start + tail.start() and cue.group().lower() != "according to":
            speaker = _speaker_before(text, before_start, cue.start(), entities)
            if speaker:  # Stoltenberg told reporters: “...”
                return speaker, cue.span()
        if cue.group().endswith("ing") and re.fullmatch(r"[^.;:!?]*,\s*", text[cue.end():quote.start]):
            subject = [(a, b) for a, b, label in entities if before_start <= a and b <= cue.start()
                       and label in ("PERSON", "ORG")]
            if subject:  # Peskov denied the claim, telling TASS, “...”
                return subject[0], cue.span()
    return _introduction(text, quote, sentences, entities) or (None, None)


def _introduction(text: str, quote: _Quoted, sentences: list[tuple[int, int]],
                  entities: Sequence[tuple[int, int, str]],
                  ) -> tuple[tuple[int, int] | None, tuple[int, int] | None] | None:
    """Speaker and cue of a quotation introduced by a sentence that ends with a colon, on its line
    (`Breitbart News responded: “...”`) or as the paragraph before (`Cruz continued: ¶ “...”`), or by
    `according to X, “...”`: a cue in that sentence with its speaker before it, else a name, a
    pronoun or a description that opens it and the one word after it before the colon (`Cruz
    continued:`, no cue)."""
    line_start = text.rfind("\n", 0, quote.start) + 1
    lead = text[line_start:quote.start]
    according = re.search(r"(?:^|\W)(according to)\s", lead, re.IGNORECASE)
    if according:
        cue_start = line_start + according.start(1)
        speaker, phrase_end = _according_to_speaker(text, cue_start + len("according to"), quote.start, entities)
        if speaker and re.fullmatch(r"\s*,\s*", text[phrase_end:quote.start]):
            return speaker, (cue_start, cue_start + len("according to"))
    if lead.strip():
        colon = lead.rstrip().endswith(":")
        end = line_start + len(lead.rstrip()) - 1
    else:
        previous = text[:line_start].rstrip()
        colon = previous.endswith(":")
        end = len(previous) - 1
    if not colon:
        return None
    start = max(text.rfind("\n", 0, end) + 1, _around(sentences, end, end + 1)[0])
    for cue in _CUE.finditer(text, start, end):
        speaker = _speaker_before(text, start, cue.start(), entities)
        if speaker and cue.group().lower() != "according to":
            return speaker, cue.span()
    turn = _INTRODUCTION.fullmatch(text, start, end)
    if turn:
        return turn.span(1), None
    return None


_INTRODUCTION = re.compile(rf"\s*(?:(?:But|And|Then|So)\s+)?({_NAME_PHRASE}|{'|'.join(PRONOUNS)}|"
                           rf"{_DETERMINER}\s+(?:[\w’'\-]+\s+){{0,3}}?[\w’'\-]+)\s+(?:then\s+|also\s+)?[a-z]+ed\s*")
"""`Cruz continued`, `17-year-old Jared Potts echoed`, `She then explained`: who speaks after the colon."""


def _continues_paragraph(text: str, sentences: list[tuple[int, int]], previous: _Quoted, quote: _Quoted) -> bool:
    """Whether `quote` opens its paragraph and is a whole sentence, and `previous` (attributed) ends
    the paragraph before it: `“...,” X said. ¶ “....”` (the news convention: the next paragraph goes
    on in X's voice)."""
    line_start = text.rfind("\n", 0, quote.start) + 1
    if text[line_start:quote.start].strip() or not _paragraph_break(text, previous.end, quote.start):
        return False
    if text[quote.end - quote.width - 1:quote.end - quote.width] not in (".", "?", "!", "…"):
        return False  # “...,” he notes: the quotation's sentence goes on, with a speaker of its own
    paragraph_end = len(text[:line_start].rstrip())
    if text.rfind("\n", 0, paragraph_end) >= previous.start:
        return False  # the attributed quotation is not in the paragraph right before
    sentence_end = _around(sentences, previous.end - 1, previous.end)[1]
    return not text[sentence_end:line_start].strip() and "\n" not in text[previous.end:sentence_end]


def _indirect(text: str, s_start: int, s_end: int, entities: Sequence[tuple[int, int, str]],
              taken: list[tuple[int, int]], quoted: list[_Quoted]) -> list[Attribution]:
    """The indirect quotes of one sentence."""
    found: list[Attribution] = []
    body_end = _strip_end(text, s_start, s_end)
    inside = [t for t in taken if t[0] < s_end and s_start < t[1]]
    cues = sorted([*_CUE.finditer(text, s_start, s_end), *_THAT_CUE.finditer(text, s_start, s_end)],
                  key=lambda match: match.start())
    for cue in cues:
        if any(a <= cue.start() < b for a, b in inside):
            continue
        clause: tuple[int, int] | None
        speaker: tuple[int, int] | None
        if cue.group().lower() == "according to":
            speaker, speaker_end = _according_to_speaker(text, cue.end(), s_end, entities)
            if speaker is None:
                continue
            before = text[s_start:cue.start()].rstrip()
            if before.endswith(",") and len(_WORD.findall(before)) >= MIN_QUOTE_WORDS:
                clause = (s_start, s_start + len(before) - 1)   # CLAUSE, according to X.
            else:
                comma = text.find(",", speaker_end, s_end)      # According to X, CLAUSE.
                clause = (_skip_space(text, comma + 1), body_end) if comma >= 0 else None
        else:
            speaker = _speaker_before(text, s_start, cue.start(), entities)
            clause = None
            if speaker is not None and any(end <= speaker[0] and re.fullmatch(r"[\s,]*", text[end:speaker[0]])
                                           for _, end in inside):
                continue  # “...,” he said aboard his plane: the cue of the quotation before it
            if speaker is not None:
                when = _WHEN.match(text, cue.end(), body_end)
                said = when.end() if when else cue.end()
                rest = re.match(r"\s*(?::\s*|,\s*|that\s+)?", text[said:body_end])
                after = said + (rest.end() if rest else 0)
                before = text[s_start:speaker[0]].rstrip()
                first = _WORD.search(text, after, body_end)
                if first and first.start() == after and first.group().lower() in PREPOSITIONS:
                    that = _THAT.search(text, after, body_end)
                    phrase = text[after:that.start()] if that else ""
                    if that and "," not in phrase and len(_WORD.findall(phrase)) <= 6:
                        after = that.end()                      # said on ABC that CLAUSE
                        first = _WORD.search(text, after, body_end)
                    elif "," not in text[after:body_end] and len(_WORD.findall(text[after:body_end])) <= 6:
                        first = None                            # he said on ABC's This Week.
                elif first and first.start() == after and cue.group().lower() in TELL and rest \
                        and not rest.group().strip():
                    told = _TOLD_WHOM.match(text, after, body_end) or _TOLD_ONE.match(text, after, body_end)
                    after = told.end() if told else after       # told Jones (that) CLAUSE
                    first = _WORD.search(text, after, body_end) if told else None
                    if first and first.group().lower() in PREPOSITIONS:
                        first = None                            # told Jones on Monday.
                clause_end = _before_quote(text, after, body_end, inside)
                if rest and rest.group().strip() == "," and before.endswith(",") \
                        and len(_WORD.findall(before)) >= MIN_QUOTE_WORDS:
                    first = None                                # CLAUSE, X said, a policy that ...
                if first and len(_WORD.findall(text[after:clause_end])) >= MIN_QUOTE_WORDS and \
                        text[after:after + 1] not in _OPENING and \
                        (rest and rest.group().strip() or first.group().lower() not in OBJECTS
                         or _subject(text, first.end(), body_end)):  # said it will ...: a clause
                    clause = (after, clause_end)                # X said (that) CLAUSE
                elif before.endswith(",") and len(_WORD.findall(before)) >= MIN_QUOTE_WORDS:
                    clause = (s_start, s_start + len(before) - 1)  # CLAUSE, X said.
            else:
                speaker = _speaker_after(text, cue.end(), s_end, entities)
                before = text[s_start:cue.start()].rstrip()
                if speaker and before.endswith(",") and len(_WORD.findall(before)) >= MIN_QUOTE_WORDS \
                        and not text[speaker[1]:body_end].strip():
                    clause = (s_start, s_start + len(before) - 1)  # CLAUSE, said X.
        if speaker is None or clause is None:
            continue
        found.extend(_split_continuations(text, clause, speaker, cue.span(), entities, quoted))
        break
    return [a for a in found if not any(_crosses(a.quote, t) or _holds(t, a.quote) for t in inside)]


def _subject(text: str, end: int, limit: int) -> bool:
    """Whether the word ending at `end` is a clause's subject: a contraction (`it’s`) or a verb after it."""
    after = _WORD.search(text, end, limit)
    return text[end:end + 1] in "’'" or bool(after and after.start() == _skip_space(text, end)
                                               and after.group().lower() in AUXILIARIES)


def _before_quote(text: str, start: int, end: int, direct: list[tuple[int, int]]) -> int:
    """`end`, or the end of the words before the first direct quote that opens a sentence in
    [start, end) (where the segmentation did not end the sentence before it); a quotation inside the
    clause stays in it (a mixed quote)."""
    opening = min((a for a, _ in direct if start < a < end and text[start:a].rstrip()[-1:] in (".", "!", "?")),
                  default=None)
    return end if opening is None else _strip_end(text, start, opening)


def _split_continuations(text: str, clause: tuple[int, int], speaker: tuple[int, int], cue: tuple[int, int],
                         entities: Sequence[tuple[int, int, str]], quoted: list[_Quoted]) -> list[Attribution]:
    """`CLAUSE, adding that CLAUSE2`: two quotes of one speaker, the second cued by `adding`."""
    referent = speaker_referent(text, speaker, entities)
    found = []
    start, end = clause
    current_cue: tuple[int, int] | None = cue
    while True:
        more = _CONTINUATION.search(text, start, end)
        if more is None or len(_WORD.findall(text[more.end():end])) < MIN_QUOTE_WORDS:
            found.append(Attribution((start, end), _form((start, end), quoted), speaker, current_cue, referent))
            return found
        found.append(Attribution((start, more.start()), _form((start, more.start()), quoted), speaker,
                                 current_cue, referent))
        start, current_cue = more.end(), more.span(1)


def _form(quote: tuple[int, int], quoted: list[_Quoted]) -> str:
    """`mixed` when a quoted fragment lies inside the paraphrase, else `indirect`."""
    return "mixed" if any(quote[0] <= q.start and q.end <= quote[1] for q in quoted) else "indirect"


def _speaker_before(text: str, limit: int, cue_start: int,
                    entities: Sequence[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The speaker ending right before a cue (whitespace, auxiliaries and adverbs between: "Pevkur
    has also said"), not before `limit`."""
    end = cue_start
    while end > limit and text[end - 1].isspace():
        end -= 1
    if end == cue_start or end <= limit:
        return None
    last, cue = _LAST_WORD.search(text, limit, end), _WORD.match(text, cue_start)
    if last and last.group(1).lower() in PASSIVE and cue and not cue.group().endswith("ing"):
        return None  # "could not be said", "were told": who is before it did not say it
    party = _PARTY_AT_END.search(text, limit, end)
    if party and party.start() > limit:
        end = party.start()
    while (word := _LAST_WORD.search(text, limit, end)) and word.group(1).lower() in BETWEEN:
        end = word.start(1)
        while end > limit and text[end - 1].isspace():
            end -= 1
        if end <= limit:
            return None
    head = text[limit:end]
    appositive = _APPOSITIVE_AT_END.search(head)
    if appositive and not _CUE.search(appositive.group(2)):
        name = _name_at_end(text, limit, limit + appositive.end(1), _NAME_PHRASE_AT_END)
        if name is not None:
            return name[0], limit + appositive.end(2)
    for start, stop, _ in entities:
        if stop == end and start >= limit:
            return start, stop
    for pattern in (_PRONOUN_AT_END, _GROUP_AT_END, _SHARE_AT_END, _DESCRIPTION_AT_END, _POSSESSED_AT_END,
                    _PEOPLE_AT_END):
        match = pattern.search(head)
        if match:
            return limit + match.start(), limit + len(head.rstrip())
    return _name_at_end(text, limit, end)


def _name_at_end(text: str, limit: int, end: int,
                 pattern: re.Pattern[str] = _NAME_AT_END) -> tuple[int, int] | None:
    """The name that ends at `end` (its titles left out), not before `limit`."""
    head = text[limit:end]
    match = pattern.search(head)
    if match is None:
        return None
    words = list(re.finditer(r"\S+", match.group()))
    while len(words) > 1 and (words[0].group() in CONJUNCTIONS or words[0].group() in TITLES
                              and words[-1].group() not in ROLE_NOUNS):
        words.pop(0)
    if (len(words) == 1 and words[0].group() in TITLES | NOT_SPEAKERS) or (
            limit + match.start() + words[0].start() == limit
            and words[0].group() in ("The", "A", "An", "But", "And", "In", "On")):
        return None
    return limit + match.start() + words[0].start(), limit + match.start() + words[-1].end()


def _speaker_after(text: str, start: int, limit: int,
                   entities: Sequence[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The speaker right after a cue (`said Stoltenberg`, `the official said` read from its start)."""
    begin = _skip_space(text, start)
    for e_start, e_end, _ in entities:
        if e_start == begin and e_end <= limit:
            return e_start, e_end
    match = _SPEAKER_AFTER.match(text, start, limit)
    if match is None or not match.group().strip():
        return None
    if _is_name(text, (begin, match.end())):
        appositive = _APPOSITIVE_AFTER.match(text[match.end():limit])
        if appositive and not _CUE.search(appositive.group(1)):
            return begin, match.end() + appositive.end(1)
    return begin, match.end()


def _according_to_speaker(text: str, start: int, limit: int,
                          entities: Sequence[tuple[int, int, str]]) -> tuple[tuple[int, int] | None, int]:
    """The speaker of `according to X`: the last entity mention in X, else X; and where X ends."""
    phrase_end = start
    stop = re.search(r"[,.;:!?]", text[start:limit])
    phrase_end = start + stop.start() if stop else limit
    inside = [(a, b) for a, b, _ in entities if start <= a and b <= phrase_end]
    if inside:
        return inside[-1], phrase_end
    begin = _skip_space(text, start)
    if begin >= phrase_end or len(_WORD.findall(text[begin:phrase_end])) > ACCORDING_TO_WORDS:
        return None, phrase_end
    return (begin, len(text[:phrase_end].rstrip())), phrase_end


def speaker_referent(text: str, speaker: tuple[int, int] | None,
              entities: Sequence[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The entity mention a speaker refers to: the one at its place, else (for a pronoun or a
    description) the nearest PERSON before it, or ORG for an organization's description."""
    if speaker is None:
        return None
    for start, end, _ in entities:
        if (start, end) == speaker:
            return start, end
    words = text[speaker[0]:speaker[1]].split()
    head = words[-1].lower() if words else ""
    if len(words) == 1 and words[0][:1].isupper() and head not in PRONOUNS and head != "i":
        return None  # a name that is no known entity: nothing to refer to
    if head.strip(".,;:’'\"") in THINGS:
        return None
    wanted = "ORG" if any(text[speaker[0]:speaker[1]].lower().endswith(h) for h in ORG_HEADS) else "PERSON"
    before = [(start, end) for start, end, label in entities if label == wanted and end <= speaker[0]]
    return before[-1] if before else None


def _strip_end(text: str, start: int, end: int) -> int:
    """The end of a sentence without its final punctuation and spaces."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?;"):
        end -= 1
    return end


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def _holds(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    """`outer` (a direct quote, with its marks) holds `inner` whole."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]
