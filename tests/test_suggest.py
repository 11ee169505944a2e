"""Suggestions: the string matcher, the attribution rules on hard cases, suggestion sets in a corpus,
and their figures against the bundled gold (each document left out of what suggests it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, init_corpus, ingest, stats, validate
from newsgold.curation import adjudicate, agreement
from newsgold.errors import UsageError
from newsgold.schemas import AnnotationSet, Origin, Span, default_scheme
from newsgold.suggest import SUGGESTER, SpanModel, Suggester, effort, evaluate_suggestions, suggest, train_model
from newsgold.suggest.lexicon import EntityLexicon, EntityMatcher
from newsgold.suggest.rules import find_attributions

from conftest import REPO
from helpers import seed_scheme


def _said(text: str, entities: list[tuple[str, str]] = ()) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(form, quote, speaker, cue, referent) of every attribution the rules find in `text`."""
    known = []
    for surface, label in entities:
        start = -1
        while (start := text.find(surface, start + 1)) >= 0:
            known.append((start, start + len(surface), label))
    found = []
    for a in find_attributions(text, known):
        def cut(extent: tuple[int, int] | None) -> str | None:
            return text[extent[0]:extent[1]] if extent else None
        found.append((a.form, cut(a.quote), cut(a.speaker), cut(a.cue), cut(a.referent)))
    return found


def test_a_curly_direct_quote_with_a_speaker_after_it_and_one_before_it() -> None:
    assert _said("“We will stay in Estonia as long as needed,” the minister said.") == [
        ("direct", "We will stay in Estonia as long as needed,", "the minister", "said", None)]
    assert _said("Stoltenberg told reporters: “We see how Russia is pushing.”", [("Stoltenberg", "PERSON")]) == [
        ("direct", "We see how Russia is pushing.", "Stoltenberg", "told reporters", "Stoltenberg")]
    assert _said("“Nothing changes for us,” said Kaja Kallas.", [("Kaja Kallas", "PERSON")]) == [
        ("direct", "Nothing changes for us,", "Kaja Kallas", "said", "Kaja Kallas")]


def test_a_quote_split_by_he_said_is_two_quotes_of_one_pronoun_resolved_to_the_name_before() -> None:
    text = "Hanno Pevkur spoke in Tallinn. “We stay here,” he said. “We will not leave Ukraine alone.”"
    assert _said(text, [("Hanno Pevkur", "PERSON"), ("Tallinn", "GPE")]) == [
        ("direct", "We stay here,", "he", "said", "Hanno Pevkur"),
        ("direct", "We will not leave Ukraine alone.", "he", None, "Hanno Pevkur")]


def test_nested_and_straight_marks_stay_inside_and_short_fragments_make_a_quote_mixed() -> None:
    text = 'The envoy said: "They called it ‘a special operation’ for two years."'
    assert _said(text) == [("direct", "They called it ‘a special operation’ for two years.", "The envoy", "said",
                            None)]
    text = "Putin stated that war would be “inevitable” if NATO came."
    assert _said(text, [("Putin", "PERSON"), ("NATO", "ORG")]) == [
        ("mixed", "war would be “inevitable” if NATO came", "Putin", "stated", "Putin")]
    assert _said("Pevkur’s team and the officials’ cars left. It was ‘fine’.") == []  # apostrophes, a fragment


def test_according_to_before_and_after_the_clause() -> None:
    entities = [("Hanno Pevkur", "PERSON"), ("NATO", "ORG"), ("Ukraine", "GPE")]
    assert _said("Every NATO country has troops in Ukraine, according to Defense Minister Hanno Pevkur.",
                 entities) == [("indirect", "Every NATO country has troops in Ukraine", "Hanno Pevkur",
                                "according to", "Hanno Pevkur")]
    assert _said("According to the Secretary General, NATO is not a party to the conflict.", entities) == [
        ("indirect", "NATO is not a party to the conflict", "the Secretary General", "According to", None)]


def test_reporting_patterns_continuations_headlines_and_objects() -> None:
    entities = [("Pevkur", "PERSON"), ("Stoltenberg", "PERSON")]
    text = "Pevkur said that NATO staff serve only as advisers, adding that camps are planned in Poland."
    assert _said(text, entities) == [
        ("indirect", "NATO staff serve only as advisers", "Pevkur", "said", "Pevkur"),
        ("indirect", "camps are planned in Poland", "Pevkur", "adding", "Pevkur")]
    assert _said("NATO has no troops in Ukraine, Stoltenberg said.", entities) == [
        ("indirect", "NATO has no troops in Ukraine", "Stoltenberg", "said", "Stoltenberg")]
    assert _said("Stoltenberg: There are no NATO troops in Ukraine\n\nMore text.", entities)[0] == (
        "indirect", "There are no NATO troops in Ukraine", "Stoltenberg", None, "Stoltenberg")
    assert _said("Every NATO Country Has Personnel In Ukraine, Foreign Official Says\n\nText.")[0][1:4] == (
        "Every NATO Country Has Personnel In Ukraine", "Foreign Official", "Says")
    assert _said("He said this at a press conference in Brussels on Friday.") == []
    assert _said("Officials said the border would stay closed for weeks.") == [
        ("indirect", "the border would stay closed for weeks", "Officials", "said", None)]


def test_reporting_verbs_in_every_form_and_the_words_that_only_look_like_cues() -> None:
    entities = [("Pevkur", "PERSON")]
    assert _said("Pevkur has also said that the talks would go on.", entities) == [  # the cue: the content verb
        ("indirect", "the talks would go on", "Pevkur", "said", "Pevkur")]
    assert _said("Pevkur contended that the talks would go on.", entities)[0][3] == "contended"
    assert _said("The officials are arguing that the talks would go on.")[0][2:4] == ("The officials", "arguing")
    # Nouns that are verbs too are cues only as verbs: "reports that" here is no report.
    assert _said("The state reports that were leaked showed nothing new about it.") == []
    # A verb followed by `by` is not the cue: the gerund after it is.
    assert [f[3] for f in _said("The ministry responded by denouncing the claims as false and dangerous.")] != [
        "responded"]
    # A sentence's "This" or "It" reports nobody's words.
    assert _said("This emphasizes that NATO is not a party to the conflict.") == []
    # Verbs of finding and knowing report only before `that`.
    assert _said("The latest Reuters/Ipsos poll showed that Trump leads the field with 31 percent.") == [
        ("indirect", "Trump leads the field with 31 percent", "The latest Reuters/Ipsos poll", "showed", None)]
    assert _said("The police found the body in the car on Monday.") == []


def test_doubled_apostrophes_quote_and_an_appositive_belongs_to_its_speaker() -> None:
    """Plain-text sources that write `“` and `”` as two apostrophes (PolNeAR's New York Times
    articles): the words between are a direct quote. A speaker's appositive ("X, a lawyer,") is
    part of the SPEAKER, before the cue and after it; when it was said stays out of the QUOTE."""
    text = "''It is hard to get through,'' Tina Tchen, Mrs. Obama's chief of staff, said. ''We had to balance.''"
    assert _said(text) == [
        ("direct", "It is hard to get through,", "Tina Tchen, Mrs. Obama's chief of staff", "said", None),
        ("direct", "We had to balance.", "Tina Tchen, Mrs. Obama's chief of staff", None, None)]
    assert _said("''It has been a very successful strategy,'' said Warren Gunnels, a longtime policy adviser.")[0][2] \
        == "Warren Gunnels, a longtime policy adviser"
    assert _said("Rep. Tom Cole of Oklahoma, an ally of the leadership, said Thursday his worry is Trump.") == [
        ("indirect", "his worry is Trump", "Rep. Tom Cole of Oklahoma, an ally of the leadership", "said", None)]
    titles = "He was on “Meet the Press With Chuck Todd” on Sunday, and on “Girls, Girls, Girls” later."
    assert _said(titles) == []
    assert _said('<tweet id="771154653060866048" author="@dmartosko" datetime="2016-09-01">Rudy</tweet>') == []
    closing_only = _said("The end of all those policies,'' he said, and he left the room for good.")
    assert "direct" not in [form for form, *_ in closing_only]  # a closing pair opens nothing


def test_speakers_that_are_shares_groups_possessions_and_names_with_a_party_or_an_age() -> None:
    speakers = {text: [f[2] for f in _said(text)] for text in (
        "About 4 in 10 say they want the next president to be more liberal.",
        "52 percent of registered voters say they would consider voting for him.",
        "Sanders’ aides say their campaign has no desire to fight over it.",
        "Tech executives say they have been asked to keep the content online.",
        "Sen. Elizabeth Warren (D-MA) said Trump was a proven failure in business.",
        "Jillian Chase, 27, a Tinder user in New York, said the election came up.",
        "Republican Rep. Lee Zeldin of New York, a Trump supporter, said it will help both of them.")}
    assert list(speakers.values()) == [
        ["About 4 in 10"], ["52 percent of registered voters"], ["Sanders’ aides"], ["Tech executives"],
        ["Elizabeth Warren"], ["Jillian Chase, 27, a Tinder user in New York"],
        ["Republican Rep. Lee Zeldin of New York, a Trump supporter"]]
    assert _said("The plan would fail badly, another source said.")[0][2] == "another source"
    assert _said("Gov.\xa0Mike\xa0Pence (R-IN) said\xa0the deal was good for Indiana.")[0][1:4] == (
        "the deal was good for Indiana", "Mike\xa0Pence", "said")  # no-break spaces are spaces
    assert _said("He said it to me twice at the meeting.") == []  # `it` is what was said, not a clause's subject
    source = "the average of recent polls compiled by Real Clear Politics"
    leads = f"Clinton leads Trump by three points, 45.4 percent to 42 percent, according to {source}."
    assert _said(leads)[0][2] == source


def test_a_paragraph_that_opens_with_a_name_and_a_colon_is_that_speakers_turn() -> None:
    """Headlines (`X: CLAUSE`, with or without a final period) and a transcript's turns: the
    paragraph's words are the speaker's, without a cue; a label such as `Note:` is no speaker; a
    quotation after the colon gets the speaker instead of a second quote."""
    text = ("NY Daily News: Paris Terror Attacks Highlight Threat Posed by NRA.\n\n"
            "TAPPER: Do you think Donald Trump has campaigned as a healer?\n\nPENCE: I do, Jake. He has done well.\n\n"
            "Note: this story was updated on Friday.\n\nJones: “The state is a starting point for both parties.”")
    assert [f[:4] for f in _said(text) if f[3] is None] == [
        ("indirect", "Paris Terror Attacks Highlight Threat Posed by NRA", "NY Daily News", None),
        ("indirect", "Do you think Donald Trump has campaigned as a healer", "TAPPER", None),
        ("indirect", "I do, Jake. He has done well", "PENCE", None),
        ("direct", "The state is a starting point for both parties.", "Jones", None)]


def test_a_quotation_introduced_by_a_colon_or_according_to_or_going_on_in_the_next_paragraph() -> None:
    """Who speaks a quotation with no cue beside it: the sentence that introduces it with a colon,
    on its line or as the paragraph before (its cue and speaker, else the subject and its verb);
    `according to X, “...”`; and, after `“...,” X said.` ends a paragraph, the next paragraph that
    is a whole quoted sentence goes on in X's voice, unless its sentence has a speaker of its own."""
    text = ("Cruz continued:\n\n“The questions in this debate show why people don’t trust the media.”\n\n"
            "Reporter Jomana Karadsheh says:\n\n“Well, according to the eyewitness, the attackers came at night.”")
    assert [f[:4] for f in _said(text)] == [
        ("direct", "The questions in this debate show why people don’t trust the media.", "Cruz", None),
        ("direct", "Well, according to the eyewitness, the attackers came at night.", "Reporter Jomana Karadsheh",
         "says")]
    assert [f[:4] for f in _said("According to the newspaper, “gun laws empower dealers to sell weapons.”")] == [
        ("direct", "gun laws empower dealers to sell weapons.", "the newspaper", "According to")]
    text = ("“We will win this state,” Bozell says.\n\n"
            "“First, in every clash it was Trump who picked the fight.”"
            "\n\n“There were those of us who felt otherwise,” he notes.\n\nThe rally ended.\n\n"
            "“Nobody here saw it coming at all.”")
    mused = _said("“We will win this state,” Bozell says.\n\n"
                  "“There were those of us who felt otherwise,” he mused.")
    assert mused[1][:4] == ("direct", "There were those of us who felt otherwise,", None, None)  # not Bozell's
    assert [f[:4] for f in _said(text)] == [
        ("direct", "We will win this state,", "Bozell", "says"),
        ("direct", "First, in every clash it was Trump who picked the fight.", "Bozell", None),
        ("direct", "There were those of us who felt otherwise,", "he", "notes"),   # its own speaker, `notes` a cue
        ("direct", "Nobody here saw it coming at all.", None, None)]             # a paragraph between: nobody's


def test_whom_it_was_told_is_neither_the_quote_nor_the_speaker() -> None:
    assert [f[1:4] for f in _said("Smith told Jones that the plan had failed badly.")] == [
        ("the plan had failed badly", "Smith", "told")]
    assert [f[1:4] for f in _said("Smith told the Associated Press on Monday that the plan had failed.")] == [
        ("the plan had failed", "Smith", "told")]
    assert [f[1:4] for f in _said("Smith told him the plan had failed badly.")] == [
        ("the plan had failed badly", "Smith", "told")]
    assert [f[1:4] for f in _said("The plan failed badly, Smith told Jones on Monday.")] == [
        ("The plan failed badly", "Smith", "told")]


def test_the_clause_after_a_cue_starts_at_the_reported_words_and_ends_before_the_next_quotation() -> None:
    said = "Mr. Trump said having Mr. Putin treat him with respect is positive. ''Obama doesn't get along with him,'' he said on ABC's ''This Week.''"
    assert [f[:3] for f in _said(said)] == [
        ("indirect", "having Mr. Putin treat him with respect is positive", "Trump"),
        ("direct", "Obama doesn't get along with him,", "he")]  # `on ABC's This Week` is no clause
    assert _said("He said on ABC that the plan would go ahead soon.")[0][1] == "the plan would go ahead soon"
    assert _said("He said in this way the allies can train the crews at home.")[0][1] == \
        "in this way the allies can train the crews at home"  # an adjunct that opens the clause
    assert _said("He met Ali in 1996, and Nicklaus said it’s one of his favorite pictures.")[0][1:3] == (
        "it’s one of his favorite pictures", "Nicklaus")  # `it’s` opens a clause; `said it` would not
    assert _said("But Ramos said Trump has not replied to his interview requests.")[0][2] == "Ramos"
    assert _said("''I am going to be the nominee,'' he said aboard his plane on Monday as he crossed Nevada.") == [
        ("direct", "I am going to be the nominee,", "he", "said", None)]  # the cue is the quotation's
    assert _said("Minors would be a group for asylum, Sanders said, a policy that could help them stay.") == [
        ("indirect", "Minors would be a group for asylum", "Sanders", "said", None)]
    assert _said("The same could not be said for Rakeem Jones, a protester who was punched.") == []  # passive
    assert _said("Pevkur has been saying that the talks would go on.")[0][2] == "Pevkur"


@pytest.mark.parametrize("text", [
    "Pevkur said, ''the talks will go on for weeks and weeks.''\n",              # doubled straight marks
    "He said that \"the talks will go on for weeks and weeks.\"\n",           # `that` before a quotation
    "The talks will go on for weeks, said Sanders.\n",                         # a name with the period
    "He’s said that the talks will go on for weeks and weeks.\n",             # not a name: no PERSON
    "“We will win,” Trump said, “because the talks will go on.”\n",             # fragments keep their period
])
def test_the_suggesters_own_output_keeps_every_boundary_rule(text: str) -> None:
    from newsgold.corpus.boundaries import boundary_findings
    from newsgold.schemas import Document, DocumentMeta, default_scheme
    from newsgold.suggest import suggest_set

    suggested = suggest_set(Document.from_text("d", text, DocumentMeta()), seed_scheme(), None)
    assert [s for s in suggested.spans if s.label == "QUOTE"]  # something was suggested
    assert boundary_findings(suggested, seed_scheme()) == [], [(s.label, s.text) for s in suggested.spans]
    assert not [s for s in suggested.spans if s.label == "PERSON" and s.text.lower() in ("he", "he’s")]


def test_a_direct_quote_over_paragraphs_is_one_quote_and_an_unclosed_one_is_none() -> None:
    text = ("The minister said: “We will stay.\n\n“We will not leave, whatever Moscow says.”\n\nEnd.")
    [(form, quote, speaker, cue, _)] = _said(text)
    assert (form, speaker, cue) == ("direct", "The minister", "said")
    assert quote == "We will stay.\n\n“We will not leave, whatever Moscow says."
    assert _said("He said: “We will stay here for good.\n\nThe next paragraph is the reporter's.") == []


def test_the_matcher_takes_the_longest_word_bounded_case_sensitive_match() -> None:
    matcher = EntityMatcher({"NATO": "ORG", "NATO Secretary General": "PERSON", "Pevkur": "PERSON",
                             "Hanno Pevkur": "PERSON", "Ukraine": "GPE"})
    text = "NATO Secretary General met Hanno Pevkur; NATOs and nato and Pevkur’s Ukraine."
    assert [(text[m.start:m.end], m.label) for m in matcher.find(text)] == [
        ("NATO Secretary General", "PERSON"), ("Hanno Pevkur", "PERSON"), ("Pevkur", "PERSON"), ("Ukraine", "GPE")]


def test_the_lexicon_takes_the_most_frequent_label_and_leaves_a_document_out() -> None:
    def one(doc_id: str, *spans: tuple[str, str]) -> AnnotationSet:
        made, at = [], 0
        for n, (surface, label) in enumerate(spans):
            made.append(Span(id=f"s{n}", start=at, end=at + len(surface), label=label, text=surface))
            at += len(surface) + 1
        return AnnotationSet(doc_id=doc_id, doc_sha256="0" * 64, annotator="a", origin=Origin(source="manual"),
                             spans=made)
    lexicon = EntityLexicon.from_sets([one("d1", ("Georgia", "GPE"), ("Tallinn", "GPE")),
                                       one("d2", ("Georgia", "PERSON"), ("Georgia", "GPE"))], seed_scheme())
    assert lexicon.entries() == {"Georgia": "GPE", "Tallinn": "GPE"}
    assert lexicon.entries(leave_out="d1") == {"Georgia": "PERSON"}  # a tie: the scheme's first label
    assert lexicon.entries(leave_out="d2") == {"Georgia": "GPE", "Tallinn": "GPE"}


@pytest.fixture
def seeds(tmp_path: Path) -> Corpus:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    return Corpus.open(tmp_path / "corpus")


def test_suggest_writes_valid_suggestion_sets_that_agreement_and_adjudication_leave_out(seeds: Corpus) -> None:
    report = suggest(seeds)
    assert sorted(report.written) == sorted(d.id for d in seeds.iter_documents()) and report.spans > 100
    sets = list(Corpus.open(seeds.root).iter_annotation_sets())
    assert {s.annotator for s in sets} == {"suggest"}
    assert all(s.origin.source == "suggestion" and s.origin.detail.startswith(SUGGESTER) for s in sets)
    assert all(not s.stance for s in sets)
    quotes = [span for s in sets for span in s.spans if span.label == "QUOTE"]
    assert quotes and all(span.attrs.get("form") in ("direct", "indirect", "mixed") for span in quotes)
    assert validate(seeds.root).ok
    assert agreement(Corpus.open(seeds.root)).documents == 0  # suggestions are nobody's vote
    counted = stats(Corpus.open(seeds.root))
    assert counted.suggestions == {"suggest": 2} and not counted.annotators and not counted.annotation_labels
    before = (seeds.root / "gold.jsonl").read_bytes()
    adjudicated = adjudicate(Corpus.open(seeds.root), "majority")
    assert (seeds.root / "gold.jsonl").read_bytes() == before
    assert not adjudicated.written and not adjudicated.unresolved  # no votes: nothing to decide
    # Again: nothing new; --replace makes them again, in place.
    assert suggest(Corpus.open(seeds.root)).skipped and not suggest(Corpus.open(seeds.root)).written
    same = (seeds.root / "annotations.jsonl").read_bytes()
    again = suggest(Corpus.open(seeds.root), replace=True)  # made again, they come out the same: unchanged
    assert len(again.unchanged) == 2 and not again.written and len(list(Corpus.open(seeds.root).iter_annotation_sets())) == 2
    assert (seeds.root / "annotations.jsonl").read_bytes() == same


def test_suggest_never_touches_an_annotators_set_and_names_unknown_documents(seeds: Corpus) -> None:
    gold = next(seeds.iter_gold())
    from newsgold.corpus.write import add_sets
    assert add_sets(seeds, [AnnotationSet(
        doc_id=gold.doc_id, doc_sha256=gold.doc_sha256, annotator="suggest",
        origin=Origin(source="label-studio"), spans=gold.spans, relations=gold.relations)]).ok
    before = (seeds.root / "annotations.jsonl").read_bytes()
    with pytest.raises(UsageError, match="not a suggestion set"):
        suggest(seeds, replace=True)
    with pytest.raises(UsageError, match="no document nope"):
        suggest(seeds, set_name="rules", doc_ids=["nope"])
    assert (seeds.root / "annotations.jsonl").read_bytes() == before


def test_effort_is_zero_from_gold_and_every_operation_from_an_empty_page() -> None:
    gold = next(Corpus.open(REPO / "corpus").iter_gold())
    assert not effort(gold, gold, seed_scheme())
    scratch = effort(None, gold, seed_scheme())
    assert scratch["add"] == len(gold.spans) and scratch["relation_add"] == len(gold.relations)
    assert scratch["attribute"] == sum(len(s.attrs) for s in gold.spans)
    moved = gold.model_copy(update={"spans": [s.model_copy(update={"label": "ORG"}) if s.label == "GPE" else s
                                              for s in gold.spans]})
    assert effort(moved, gold, seed_scheme()) == {"relabel": sum(s.label == "GPE" for s in gold.spans)}


def test_effort_does_not_charge_what_the_gold_never_annotates(seeds: Corpus) -> None:
    """A corpus whose gold has no entities, no refers_to and no form (as one imported from PolNeAR):
    suggestions of those are not charged, and the figures say what was left out."""
    from newsgold.suggest import AnnotatedKinds

    scheme = seed_scheme()
    gold = next(Corpus.open(REPO / "corpus").iter_gold())
    attribution = {"QUOTE", "SPEAKER", "CUE"}
    bare = gold.model_copy(update={
        "spans": [s.model_copy(update={"attrs": {}}) for s in gold.spans if s.label in attribution],
        "relations": [r for r in gold.relations if r.type != "refers_to"]})
    kinds = AnnotatedKinds.of([bare])
    assert kinds.labels == attribution and "refers_to" not in kinds.relations and not kinds.attributes
    charged = effort(gold, bare, scheme)  # the full gold as if suggested: entities, refers_to, forms extra
    assert charged["delete"] == sum(s.label not in attribution for s in gold.spans) and charged["attribute"]
    assert not effort(gold, bare, scheme, kinds)  # none of it is charged where nothing of it is annotated
    assert kinds.not_charged(scheme) == {"labels": ["GPE", "NORP", "ORG", "PERSON"], "relations": ["refers_to"],
                                         "attributes": ["QUOTE.form"]}
    everything = evaluate_suggestions(seeds).as_dict()["effort"]["not_charged"]  # the bundled gold uses it all
    assert everything == {"labels": [], "relations": [], "attributes": []}


def test_the_figures_on_the_bundled_gold_leave_each_document_out(seeds: Corpus) -> None:
    figures = evaluate_suggestions(seeds).as_dict()
    assert figures["documents"] == 2
    assert figures["effort"]["ratio"] < 0.5  # suggestions save more than half the work
    assert figures["labels"]["QUOTE"]["exact"]["f1"] > 0.8 and figures["attribution_accuracy"] > 0.4
    # A name only one document mentions is never suggested in it: its own gold is left out.
    texts = {d.id: d.text for d in seeds.iter_documents()}
    only_in = {doc_id: [s.text for s in g.spans if s.label == "PERSON"
                        and all(s.text not in t for other, t in texts.items() if other != doc_id)]
               for doc_id, g in ((g.doc_id, g) for g in seeds.iter_gold())}
    entity_only = evaluate_suggestions(seeds, suggester=Suggester(attribution=False)).as_dict()
    persons = entity_only["labels"]["PERSON"]
    assert any(only_in.values()) and persons["suggested"] < persons["gold"]


def test_the_cli_suggests_and_evaluates(seeds: Corpus, runner) -> None:
    result = runner.invoke(main, ["suggest", "--corpus", str(seeds.root), "--evaluate", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["effort"]["operations"] > 0
    assert not (seeds.root / "annotations.jsonl").read_text().strip()  # --evaluate writes nothing
    result = runner.invoke(main, ["suggest", "--corpus", str(seeds.root), "--set", "rules", "--no-entities"])
    assert result.exit_code == 0 and "in 2 documents (sets of 'rules')" in result.output
    sets = list(Corpus.open(seeds.root).iter_annotation_sets())
    assert {s.label for x in sets for s in x.spans} == {"QUOTE", "SPEAKER", "CUE"}
    assert "(rules)" in sets[0].origin.detail


def test_a_new_corpus_learns_entities_from_its_own_gold(tmp_path: Path) -> None:
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": "Kallas said that Estonia will stay the course in Ukraine."})
                    + "\n")
    ingest(corpus, [feed])
    report = suggest(Corpus.open(corpus.root))
    [made] = Corpus.open(corpus.root).iter_annotation_sets()
    assert report.written == ["a"] and {s.label for s in made.spans} == {"QUOTE", "SPEAKER", "CUE", "PERSON"}
    # The named speaker no lexicon entry covers becomes a PERSON, which the speaker refers to.
    by_id = {s.id: s for s in made.spans}
    assert sorted((r.type, by_id[r.from_].text, by_id[r.to].label) for r in made.relations) == [
        ("attributed_to", "Estonia will stay the course in Ukraine", "SPEAKER"),
        ("cued_by", "Estonia will stay the course in Ukraine", "CUE"), ("refers_to", "Kallas", "PERSON")]
    assert validate(corpus.root).ok


def test_a_named_speaker_without_a_mention_becomes_a_person_that_later_pronouns_refer_to() -> None:
    text = "Kallas said the plan works well. Later she said that nothing had changed at all."
    found = find_attributions(text, [], person="PERSON")
    assert [(text[a.speaker[0]:a.speaker[1]], text[a.referent[0]:a.referent[1]], a.new_entity) for a in found] == [
        ("Kallas", "Kallas", (0, 6, "PERSON")), ("she", "Kallas", None)]
    assert all(a.new_entity is None for a in find_attributions(text, []))  # no person label: nothing added


def test_one_sentence_interrupted_by_its_speaker_is_one_quote_in_two_fragments(tmp_path: Path) -> None:
    text = "“We will win,” Trump said, “because the state is ours.” Then he left."
    [found] = find_attributions(text)
    assert [text[a:b] for a, b in found.fragments] == ["We will win,", "because the state is ours."]
    assert (text[found.speaker[0]:found.speaker[1]], text[found.cue[0]:found.cue[1]]) == ("Trump", "said")
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "t", "text": text}) + "\n")
    ingest(corpus, [feed])
    suggest(Corpus.open(corpus.root))
    [made] = Corpus.open(corpus.root).iter_annotation_sets()
    [quote] = [s for s in made.spans if s.label == "QUOTE"]
    assert quote.fragments == [tuple(f) for f in found.fragments] and validate(corpus.root).ok


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on the bundled gold (a few epochs: these tests check the mechanics, not quality)."""
    folder = tmp_path_factory.mktemp("model") / "model"
    report = train_model(Corpus.open(REPO / "corpus"), folder, epochs=MODEL_EPOCHS)
    assert report.documents == 2 and report.span_key == "attribution"
    return folder


MODEL_EPOCHS = 4


def test_a_trained_model_adds_scored_spans_to_valid_suggestion_sets(seeds: Corpus, trained_model: Path,
                                                                    runner) -> None:
    model = SpanModel(trained_model)
    text = next(seeds.iter_documents()).text
    entities, spans = model.predict(text)
    assert all(0 <= a < b <= len(text) for a, b, _ in entities)
    assert all(label in {"QUOTE", "SPEAKER", "CUE"} and 0.0 <= score <= 1.0 for _, _, label, score in spans)
    result = runner.invoke(main, ["suggest", "--corpus", str(seeds.root), "--model", str(trained_model)])
    assert result.exit_code == 0, result.output
    made = list(Corpus.open(seeds.root).iter_annotation_sets())
    assert all("+ model" in s.origin.detail for s in made) and validate(seeds.root).ok
    scored = [span for s in made for span in s.spans if span.score is not None]
    assert scored and all(span.label in {"QUOTE", "SPEAKER", "CUE"} and span.id.startswith("m") for span in scored)
    # Scores travel to Label Studio with the prediction, region by region.
    from newsgold.formats.labelstudio.convert import set_to_results
    for annotation_set in made:
        results = set_to_results(annotation_set, seeds.scheme)
        assert sum("score" in r for r in results) == sum(s.score is not None for s in annotation_set.spans)


def test_the_model_is_scored_leave_one_document_out(seeds: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgold.suggest.evaluate as evaluate_module

    trained: list[tuple[frozenset[str], int]] = []
    used: list[Path] = []
    real_train, real_model = evaluate_module.train_model, evaluate_module.SpanModel

    def train(corpus: Corpus, out: Path, *, leave_out, epochs):  # type: ignore[no-untyped-def]
        trained.append((frozenset(leave_out), epochs))
        return real_train(corpus, out, leave_out=leave_out, epochs=epochs)

    def model(folder: Path):  # type: ignore[no-untyped-def]
        used.append(folder)
        return real_model(folder)

    monkeypatch.setattr(evaluate_module, "train_model", train)
    monkeypatch.setattr(evaluate_module, "SpanModel", model)
    figures = evaluate_suggestions(seeds, train_epochs=1).as_dict()
    gold_ids = {g.doc_id for g in seeds.iter_gold()}
    # One model per scored document, each trained without that document, and each one used.
    assert sorted(trained, key=str) == sorted(((frozenset({doc_id}), 1) for doc_id in gold_ids), key=str)
    assert len(used) == len(gold_ids) == figures["documents"]


def test_train_refuses_a_corpus_without_gold_and_suggest_a_folder_without_a_model(tmp_path: Path, runner) -> None:
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["train", "--corpus", str(corpus.root), "--model", str(tmp_path / "m")])
    assert result.exit_code == 2 and "no gold to train on" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["suggest", "--corpus", str(corpus.root), "--model", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no trained model" in result.output and "newsgold train" in result.output


def test_model_spans_are_trimmed_kept_apart_from_the_rules_and_get_a_form_by_their_marks() -> None:
    from newsgold.suggest.suggest import _model_spans

    text = "Kallas said: “We stay.” Officials agreed that prices rise."
    rules = [Span(id="q1", start=14, end=22, label="QUOTE", text="We stay.", attrs={"form": "direct"})]
    scheme = seed_scheme()
    predicted = [(13, 23, "QUOTE", 0.9),            # overlaps the rules' quote: left to the rules
                 (45, 58, "QUOTE", 0.71),           # " prices rise." minus the space: kept, indirect
                 (23, 33, "SPEAKER", 1.2),          # " Officials" trimmed, score clamped to 1
                 (0, 6, "PERSON", 0.5)]             # not an attribution label: not the spancat's
    made = _model_spans(text, predicted, rules, {"QUOTE", "SPEAKER", "CUE"}, scheme.resolved_roles, scheme)
    assert [(s.text, s.label, s.attrs, s.score) for s in made] == [
        ("prices rise.", "QUOTE", {"form": "indirect"}, 0.71), ("Officials", "SPEAKER", {}, 1.0)]
    quoted = _model_spans(text, [(14, 22, "QUOTE", 0.6)], [], {"QUOTE"}, scheme.resolved_roles, scheme)
    assert quoted[0].attrs == {"form": "direct"}
