"""The annotator's side, in a real browser: Chromium driven by Playwright against the test server.

An annotator signs in, selects spans with the mouse, picks labels by their hotkeys, sets a quote's
form and stance beside the text, draws relations, sets the document stance and submits; then
`studio pull` must store exactly what they did. Screenshots of failures go to the test's temp
folder; `NEWSGOLD_SCREENSHOTS=docs/img` (see `make screenshots`) refreshes the README's.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgold.corpus import Corpus, ingest, init_corpus
from newsgold.formats.labelstudio.config import NOTE_HINT, NOTE_NAME
from newsgold.studio import connect, pull, push

import browser
from conftest import REPO
from helpers import arrows_of, regions_of, seed_scheme

pytestmark = pytest.mark.labelstudio

KEYS = seed_scheme().hotkeys
"""The key of each label on the labeling page: the guidelines' label table gives the same."""
NATO = "Military personnel of NATO member countries are present in Ukraine."
RUSSIA = "Russia is preparing to send another 300,000 soldiers to Ukraine."
SEED = REPO / "seeds" / "000_8dd4fb761523bda0.txt"
EMOJI_TEXT = "Fans 😀😀 cheered 🇺🇦 as Pevkur’s team met U.K. officials.\nPevkur said: “We stay.”\n"


@pytest.fixture(scope="module")
def signed_in(chromium: Any, label_studio: Any) -> dict[str, Any]:
    """The browser state (Label Studio's session cookie) of the annotator signed in once, through
    the login form: each test's page starts from it, as a browser that stays signed in does."""
    context = chromium.new_context()
    browser.sign_in(context.new_page(), label_studio.url, label_studio.email, label_studio.password)
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture
def page(chromium: Any, signed_in: dict[str, Any], tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, storage_state=signed_in)
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        opened.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
    context.close()


def _pushed(tmp_path: Path, studio_env: Any, texts: dict[str, str]) -> tuple[Corpus, int]:
    corpus = init_corpus(tmp_path / "c", name=f"ui-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    ingest(corpus, [feed])
    report = push(corpus, connect())
    return Corpus.open(corpus.root), report.project_id


def _at(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _keep_screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("NEWSGOLD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def test_an_annotator_labels_a_direct_quote_and_pull_stores_exactly_that(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    corpus, project_id = _pushed(tmp_path, studio_env, {"seed": text})
    [document] = corpus.iter_documents()
    text = document.text
    quote_text = ("The reality is that every NATO member country already has military personnel in Ukraine, "
                  "such as military attaches or people who travel to Ukraine from time to time,")
    quote = _at(text, quote_text)
    speaker = _at(text, "the official", quote[0])
    cue = _at(text, "said", speaker[0])
    uk = _at(text, "U.K.")
    browser.open_labeling(page, studio_env.url, project_id)
    for name, (start, end) in (("QUOTE", quote), ("SPEAKER", speaker), ("CUE", cue), ("GPE", uk)):
        browser.label(page, KEYS[name], start, end)  # the keys the guidelines' label table gives
    browser.relate(page, ("QUOTE", "The reality"), ("SPEAKER", "the official"))
    browser.relate(page, ("QUOTE", "The reality"), ("CUE", "said"))
    browser.select_region(page, "QUOTE", "The reality")
    browser.choice(page, "QUOTE form", "direct").click()
    browser.choice(page, NATO, "favor").click()
    browser.choice(page, RUSSIA, "against").click()
    assert browser.is_chosen(page, RUSSIA, "against")
    browser.choice(page, RUSSIA, "against").click()  # clicked again: cleared
    assert not browser.is_chosen(page, RUSSIA, "against")
    _keep_screenshot(page, "labeling-a-quote.png")
    # The controls of the selected quote stay beside the text, wherever the article is scrolled: the
    # column of controls does not move when the article scrolls (it scrolls on its own when it is long).
    form = browser.choice(page, "QUOTE form", "direct")
    form.scroll_into_view_if_needed()
    before = form.bounding_box()
    text_box = page.locator(".lsf-richtext__container").bounding_box()
    page.mouse.move(text_box["x"] + 50, 450)  # over the article, which the wheel scrolls
    page.mouse.wheel(0, 20000)
    page.wait_for_timeout(300)
    after = form.bounding_box()
    assert before is not None and after is not None and 0 <= after["y"] and after["y"] + after["height"] <= 900
    assert abs(after["y"] - before["y"]) < 2, (before, after)
    note = page.get_by_placeholder(NOTE_HINT)  # the last control can be seen whole, above Submit
    note.scroll_into_view_if_needed()
    note_box, bar = note.bounding_box(), page.get_by_test_id("bottombar-submit-button").bounding_box()
    assert note_box is not None and bar is not None and note_box["y"] + note_box["height"] <= bar["y"]
    shown = page.evaluate("() => document.querySelector('.lsf-richtext__container').innerText")
    assert page.evaluate("() => window.scrollY") > 0 or "personnel training" in shown
    page.keyboard.press("Escape")
    browser.document_choice(page, NATO, "favor").click()  # the document's stance
    browser.submit(page)

    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.conflicts)
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    spans = {s.label: s for s in annotation_set.spans}
    assert {label: (s.start, s.end, s.text) for label, s in spans.items()} == {
        "QUOTE": (*quote, quote_text), "SPEAKER": (*speaker, "the official"), "CUE": (*cue, "said"),
        "GPE": (*uk, "U.K.")}
    assert spans["QUOTE"].attrs == {"form": "direct"}
    assert spans["QUOTE"].stance == {"nato-personnel-in-ukraine": "favor"}  # russia was cleared
    by_id = {s.id: s.label for s in annotation_set.spans}
    assert sorted((r.type, by_id[r.from_], by_id[r.to]) for r in annotation_set.relations) == [
        ("attributed_to", "QUOTE", "SPEAKER"), ("cued_by", "QUOTE", "CUE")]
    assert annotation_set.stance == {"nato-personnel-in-ukraine": "favor"}


def test_spans_beside_emoji_possessives_and_line_breaks_are_exact(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    corpus, project_id = _pushed(tmp_path, studio_env, {"emoji": EMOJI_TEXT})
    text = next(corpus.iter_documents()).text
    wanted = {"PERSON": _at(text, "Pevkur"), "GPE": _at(text, "U.K."), "QUOTE": _at(text, "We stay."),
              "SPEAKER": _at(text, "Pevkur", text.index("\n"))}
    browser.open_labeling(page, studio_env.url, project_id)
    for name in ("PERSON", "GPE", "QUOTE", "SPEAKER"):
        browser.label(page, KEYS[name], *wanted[name])
    browser.relate(page, ("QUOTE", "We stay."), ("SPEAKER", "Pevkur"))
    browser.select_region(page, "QUOTE", "We stay.")
    browser.choice(page, "QUOTE form", "direct").click()
    page.keyboard.press("Escape")
    note = page.get_by_placeholder(NOTE_HINT)
    note.click()
    page.keyboard.type("Is Pevkur the speaker?")
    page.keyboard.press("Enter")  # a new line; the note is saved with the annotation, nothing else to press
    page.keyboard.type("Check the team too.")
    # Label Studio's own habit, Shift+Enter, keeps the lines so far and leaves the box open for more;
    # the box says nothing else (no submission counter, no Add button) than its hint.
    page.keyboard.press("Shift+Enter")
    assert note.is_visible()
    note.click()
    page.keyboard.type("And the date.")
    box = page.locator(".ng-note")
    assert box.get_by_text("submissions").count() == 0 and box.get_by_role("button", name="Add").count() == 0
    browser.submit(page)
    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.conflicts)
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    assert [c.text for c in annotation_set.comments or []] == [
        "Is Pevkur the speaker?\nCheck the team too.\nAnd the date."]
    assert {s.label: (s.start, s.end) for s in annotation_set.spans} == wanted
    assert {s.label: s.text for s in annotation_set.spans} == {
        "PERSON": "Pevkur", "GPE": "U.K.", "QUOTE": "We stay.", "SPEAKER": "Pevkur"}


def test_a_quote_without_its_form_cannot_be_submitted(page: Any, studio_env: Any, tmp_path: Path) -> None:
    corpus, project_id = _pushed(tmp_path, studio_env, {"form": EMOJI_TEXT})
    text = next(corpus.iter_documents()).text
    browser.open_labeling(page, studio_env.url, project_id)
    browser.label(page, KEYS["QUOTE"], *_at(text, "We stay."))
    page.keyboard.press("Escape")
    browser.submit(page, stored=False)
    assert page.get_by_text("Choose the form of every QUOTE: select each QUOTE in the Regions list and tick its form "
                            "(a QUOTE in pieces carries it on its first piece)").first.is_visible()
    _keep_screenshot(page, "form-required.png")
    sdk = connect().sdk
    tasks = list(sdk.tasks.list(project=project_id, fields="all"))
    assert all(not (t.annotations or []) for t in tasks)


def test_every_gold_span_is_one_mouse_selection(page: Any, studio_env: Any, tmp_path: Path) -> None:
    """A drag over exactly a gold span's characters selects exactly that span (character granularity)."""
    source = Corpus.open(REPO / "corpus")
    texts = {d.id: d.text for d in source.iter_documents()}
    corpus, project_id = _pushed(tmp_path, studio_env, texts)
    browser.open_labeling(page, studio_env.url, project_id)
    shown = page.evaluate("() => document.querySelector('.lsf-richtext__container').innerText")
    doc_id = next(d for d, t in texts.items() if t.splitlines()[0] in shown)
    gold = next(g for g in source.iter_gold() if g.doc_id == doc_id)
    wrong = []
    for span in gold.spans:
        browser.drag(page, span.start, span.end)
        selected = page.evaluate("() => window.getSelection().toString()")
        if selected.replace("\n", "") != span.text.replace("\n", ""):
            wrong.append((span.label, span.text, selected))
    assert not wrong, wrong
    assert len(gold.spans) > 50
    shutil.rmtree(tmp_path / "c", ignore_errors=True)


def test_an_annotator_starts_from_suggestions_corrects_them_and_submits(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    """Suggestions pushed as predictions are on the page when the task opens; what the annotator
    submits (the suggestions, corrected) is pulled as their own set, beside the suggestion set."""
    from newsgold.suggest import suggest

    text = ("Pevkur said that every NATO country has personnel in Ukraine.\n\n"
            "“There are no NATO troops in Ukraine,” Stoltenberg told reporters.\n")
    corpus = init_corpus(tmp_path / "c", name=f"ui-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "s1", "text": text}) + "\n")
    ingest(corpus, [feed])
    suggest(Corpus.open(corpus.root))
    [suggested] = Corpus.open(corpus.root).iter_annotation_sets()
    report = push(Corpus.open(corpus.root), connect(), set_name="suggest")
    assert report.predictions == 1
    browser.open_labeling(page, studio_env.url, report.project_id)
    regions = page.locator(".lsf-outliner-item__content")
    regions.first.wait_for()
    drawn = regions_of(suggested, corpus.scheme)  # a named speaker is the person's region, labelled twice
    assert drawn < len(suggested.spans) and page.locator(".lsf-outliner-item__content", has_text="PERSON, SPEAKER").count()
    assert regions.count() == drawn  # every suggestion is on the page, drawn
    suggestion_mark = ".lsf-outliner-item__control_type_predict svg"  # Label Studio's mark of a suggested region
    assert page.locator(suggestion_mark).count() == drawn
    overlay = page.locator(".relations-overlay")
    arrows = arrows_of(suggested, corpus.scheme)
    assert 0 < arrows < len(suggested.relations)  # a named speaker's reference is the region's two labels
    assert overlay.locator("g").count() == arrows  # the arrows ...
    assert overlay.locator("text").count() == 0  # ... without type tags over the words (their type is implied)
    _keep_screenshot(page, "suggestions.png")
    # The guidelines' way to read without the arrows: Relations panel, "Hide all".
    def arrows_shown() -> int:
        return int(overlay.locator("g").evaluate_all(
            "gs => gs.filter(g => getComputedStyle(g).display !== 'none' && getComputedStyle(g).visibility !== "
            "'hidden' && getComputedStyle(g).opacity !== '0' && g.getBoundingClientRect().width > 0).length"))

    assert arrows_shown() == arrows
    page.locator(".lsf-panel-tabs__draggable-tab .lsf-panel-tabs__tab", has_text="Relations").click()
    page.get_by_label("Hide all").click()
    page.wait_for_timeout(200)
    assert arrows_shown() == 0
    _keep_screenshot(page, "suggestions-relations-hidden.png")
    page.locator(".lsf-panel-tabs__draggable-tab .lsf-panel-tabs__tab", has_text="Regions").click()
    # The annotator adds what the rules cannot know: the quote's stance, and an entity they missed,
    # which carries no suggestion mark.
    browser.select_region(page, "QUOTE", "There are no NATO troops")
    browser.choice(page, NATO, "against").click()
    page.keyboard.press("Escape")
    nato = _at(text, "NATO", text.index("There are"))
    browser.label(page, KEYS["ORG"], *nato)
    page.keyboard.press("Escape")
    assert regions.count() == drawn + 1
    assert page.locator(suggestion_mark).count() == drawn
    browser.submit(page)
    pulled = pull(Corpus.open(corpus.root), connect())
    assert pulled.ok, (pulled.rejected, pulled.conflicts)
    sets = {s.origin.source: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert set(sets) == {"suggestion", "label-studio"} and sets["suggestion"] == suggested
    mine = sets["label-studio"]
    key = lambda s: (s.start, s.end, s.label, tuple(sorted(s.attrs.items())))  # noqa: E731
    added = (*nato, "ORG", ())
    assert sorted(map(key, mine.spans)) == sorted([*map(key, suggested.spans), added])
    assert len(mine.relations) == len(suggested.relations)
    [quote] = [s for s in mine.spans if s.text.startswith("There are no")]
    assert quote.stance == {"nato-personnel-in-ukraine": "against"}


def test_suggestions_pushed_onto_tasks_already_there_are_drawn_in_the_annotators_stream(
        chromium: Any, signed_in: dict[str, Any], studio_env: Any, tmp_path: Path) -> None:
    """Issue 43, item 1: the team pushes the articles, then suggests and pushes the suggestions onto
    the tasks already there; Label All Tasks (the annotators' stream, not only the task list) shows
    every suggested region, at 1366x768."""
    from newsgold.suggest import suggest

    text = "Pevkur said that every NATO country has personnel in Ukraine.\n"
    corpus, project_id = _pushed(tmp_path, studio_env, {"s1": text})
    suggest(corpus)
    [suggested] = Corpus.open(corpus.root).iter_annotation_sets()
    report = push(Corpus.open(corpus.root), connect(), set_name="suggest")
    assert report.predictions == 1 and not report.imported  # onto the task already there
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, storage_state=signed_in)
    try:
        stream = context.new_page()
        browser.open_labeling(stream, studio_env.url, project_id)
        regions = stream.locator(".lsf-outliner-item__content")
        regions.first.wait_for(timeout=10_000)
        assert regions.count() == regions_of(suggested, corpus.scheme)
        assert stream.locator(".lsf-outliner-item__control_type_predict svg").count() == regions_of(suggested, corpus.scheme)
    finally:
        context.close()


TWIN_TEXT = "Estonia’s defence minister spoke in Tallinn.\nPevkur said: “We stay.”\n"


def _relations_of(corpus: Corpus) -> list[tuple[str, str, str, str]]:
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    span_of = {s.id: s for s in annotation_set.spans}
    return sorted((r.type, span_of[r.from_].label, span_of[r.to].label, span_of[r.to].text)
                  for r in annotation_set.relations)


def _link_quote(page: Any, quote: tuple[int, int], targets: list[tuple[int, int]]) -> None:
    """The guidelines' "with the quote selected, press Alt+R and click the speaker, then again for
    the cue", clicking words in the text (a link ends with nothing selected, so the quote is clicked
    again before the next)."""
    for target in targets:
        browser.click_text(page, *quote)
        page.keyboard.press("Alt+r")
        page.wait_for_timeout(150)
        browser.click_text(page, *target)
        page.keyboard.press("Escape")


def _twin_page(page: Any, studio_env: Any, tmp_path: Path,
               labels: tuple[str, ...]) -> tuple[Corpus, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """TWIN_TEXT pushed and opened, `labels` drawn in that order (SPEAKER over the PERSON's name);
    the corpus and the name's, the quote's and the cue's offsets."""
    corpus, project_id = _pushed(tmp_path, studio_env, {"twin": TWIN_TEXT})
    text = next(corpus.iter_documents()).text
    name, quote, cue = _at(text, "Pevkur"), _at(text, "We stay."), _at(text, "said")
    browser.open_labeling(page, studio_env.url, project_id)
    for label in labels:
        browser.label(page, KEYS[label], *{"PERSON": name, "SPEAKER": name, "QUOTE": quote, "CUE": cue}[label])
    page.keyboard.press("Escape")
    return corpus, name, quote, cue


def test_a_speaker_who_is_a_person_is_the_person_region_with_the_speaker_label_too(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    """The guidelines' way for a speaker whose words are an entity: click the PERSON, press the
    SPEAKER key (one region, "PERSON, SPEAKER"), then link the quote to it with a click in the text.
    The pull stores the SPEAKER, its attribution and cue, and the speaker's reference to the PERSON,
    with nothing to repair."""
    from playwright.sync_api import expect
    corpus, name, quote, cue = _twin_page(page, studio_env, tmp_path, ("PERSON", "QUOTE", "CUE"))
    browser.click_text(page, *name)  # the PERSON, selected
    page.keyboard.press(KEYS["SPEAKER"])  # ... and now a SPEAKER too
    expect(page.locator(".lsf-outliner-item__content", has_text="PERSON, SPEAKER")).to_have_count(1)
    _keep_screenshot(page, "speaker-who-is-a-person.png")
    page.keyboard.press("Escape")
    browser.click_text(page, *quote)
    browser.choice(page, "QUOTE form", "direct").click()
    page.keyboard.press("Escape")
    _link_quote(page, quote, [name, cue])
    browser.submit(page)

    report = pull(corpus, connect())
    assert report.ok and not report.warnings, (report.rejected, report.warnings)
    assert _relations_of(corpus) == [("attributed_to", "QUOTE", "SPEAKER", "Pevkur"),
                                     ("cued_by", "QUOTE", "CUE", "said"),
                                     ("refers_to", "SPEAKER", "PERSON", "Pevkur")]


def test_a_speaker_drawn_over_a_persons_words_gets_the_relation_the_click_missed(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    """A SPEAKER drawn as a second region over a PERSON's words: a click on the words selects the
    PERSON (drawn first), so "Alt+R, click the speaker" links the quote to the PERSON. The pull
    stores the relation on the SPEAKER over the same words and says so; the SPEAKER -> PERSON
    relation, drawn from the Regions list, is kept."""
    corpus, name, quote, cue = _twin_page(page, studio_env, tmp_path, ("PERSON", "QUOTE", "SPEAKER", "CUE"))
    browser.click_text(page, *quote)
    browser.choice(page, "QUOTE form", "direct").click()
    page.keyboard.press("Escape")
    _link_quote(page, quote, [name, cue])
    browser.relate(page, ("SPEAKER", "Pevkur"), ("PERSON", "Pevkur"))
    browser.submit(page)

    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.conflicts)
    assert _relations_of(corpus) == [("attributed_to", "QUOTE", "SPEAKER", "Pevkur"),
                                     ("cued_by", "QUOTE", "CUE", "said"),
                                     ("refers_to", "SPEAKER", "PERSON", "Pevkur")]
    [notice] = report.warnings
    warning = notice.as_text()
    assert notice.code == "result-not-as-given" and notice.doc_id is not None
    assert "relation QUOTE -> PERSON" in warning and "stored on the SPEAKER region" in warning


def _inside(box: dict[str, float] | None, top: float, bottom: float) -> bool:
    return box is not None and box["y"] >= top and box["y"] + box["height"] <= bottom


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_the_page_has_room_to_read_and_stance_that_cannot_be_confused(
        chromium: Any, studio_env: Any, tmp_path: Path, width: int, height: int) -> None:
    """At the two common laptop and desktop sizes, with a quote selected: the article column is
    wide enough to read (measured), the quote's form, its stance and the article's stance are all
    on the screen at once, in two boxes of their own colours and headings; the label bar stays at
    the top of the article however far it scrolls; the choices look single (round); and in the
    text a GPE inside a QUOTE, and a SPEAKER over a PERSON, keep their own colours."""
    text = SEED.read_text(encoding="utf-8")
    corpus, project_id = _pushed(tmp_path, studio_env, {"seed": text})
    text = next(corpus.iter_documents()).text
    quote = _at(text, "The reality is that every NATO member country already has military personnel in Ukraine")
    ukraine, official = _at(text, "Ukraine", quote[0]), _at(text, "the official", quote[0])
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        browser.sign_in(page, studio_env.url, studio_env.email, studio_env.password)
        browser.open_labeling(page, studio_env.url, project_id)
        for name, span in (("QUOTE", quote), ("GPE", ukraine), ("PERSON", official), ("SPEAKER", official)):
            browser.label(page, KEYS[name], *span)
        page.keyboard.press("Escape")
        browser.select_region(page, "QUOTE", "The reality")
        article = page.locator(".lsf-richtext__container").bounding_box()
        bar = page.get_by_test_id("bottombar-submit-button").bounding_box()
        assert article is not None and bar is not None
        print(f"{width}x{height}: article column {article['width']:.0f} px wide")
        assert article["width"] >= (580 if width < 1600 else 900)  # about 75 and 120 characters a line
        top, bottom = 48, bar["y"]  # below Label Studio's header, above its bottom bar
        region_box = page.locator(".ng-region").first.bounding_box()
        document_box = page.locator(".ng-document").first.bounding_box()
        shown = [browser.choice(page, "QUOTE form", "direct")]
        for claim in (NATO, RUSSIA):
            shown += [browser.choice(page, claim, "favor"), browser.document_choice(page, claim, "neutral")]
        shown.append(page.locator(f"textarea[name='{NOTE_NAME}'], .lsf-text-area textarea").first)  # the note box
        assert all(_inside(control.bounding_box(), top, bottom) for control in shown), [
            control.bounding_box() for control in shown]
        assert region_box is not None and document_box is not None and region_box["y"] < document_box["y"]
        headings = [page.locator(f".{group} h4").first.inner_text() for group in ("ng-region", "ng-document")]
        assert headings == ["QUOTE form", "Stance of the whole article"]
        assert page.locator(".ng-region h4", has_text="Stance of the selected QUOTE").count() == 1
        backgrounds = {page.locator(f".{group}").first.evaluate("e => getComputedStyle(e).backgroundColor")
                       for group in ("ng-region", "ng-document")}
        assert len(backgrounds) == 2  # two boxes, two colours
        round_boxes = page.locator(".ng-region .ant-checkbox-inner, .ng-document .ant-checkbox-inner")
        assert round_boxes.count() >= 7
        assert {round_boxes.nth(i).evaluate("e => getComputedStyle(e).borderRadius")
                for i in range(round_boxes.count())} == {"50%"}
        _keep_screenshot(page, f"page-{width}x{height}.png")

        def colours(span: tuple[int, int], label: str) -> dict[str, str]:
            selector = f'.htx-highlight[data-start="{span[0]}"][data-end="{span[1]}"][data-label$=":{label}"]'
            return page.locator(selector).first.evaluate(
                "e => { const s = getComputedStyle(e); return {fill: s.backgroundColor, "
                "under: s.borderBottomColor + ' ' + s.borderBottomWidth}; }")

        page.keyboard.press("Escape")
        assert colours(quote, "QUOTE") == {"fill": "rgba(0, 0, 0, 0)", "under": "rgb(255, 127, 14) 3px"}
        assert colours(ukraine, "GPE")["fill"] == "rgba(148, 103, 189, 0.3)"  # GPE's own purple
        assert colours(official, "SPEAKER") == {"fill": "rgba(0, 0, 0, 0)", "under": "rgb(214, 39, 40) 2px"}
        assert colours(official, "PERSON")["fill"] == "rgba(31, 119, 180, 0.3)"  # PERSON's blue inside the outline

        # The labels stay at hand at the end of the article.
        page.mouse.move(article["x"] + 50, (top + bottom) / 2)
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(300)
        labels = page.locator(".ng-labels").bounding_box()
        assert _inside(labels, 0, bottom) and labels is not None and labels["y"] >= top - 1, labels
        end = page.evaluate("() => document.querySelector('.lsf-richtext__container').getBoundingClientRect().bottom")
        assert end <= bottom + 1  # scrolled to the end of the article, and the labels are still there
    finally:
        context.close()


def test_a_quote_in_two_pieces_is_joined_by_continues_as_the_guidelines_show(
        page: Any, studio_env: Any, tmp_path: Path) -> None:
    """The guidelines' steps for a sentence quoted around its speaker: each piece a QUOTE with its
    form, `Alt+R` from the first to the second, and in the Relations panel the relation's "..."
    button, then `continues` under "Select labels". The pull stores one QUOTE of two fragments."""
    text = "“We will win,” Trump said, “because the state is ours.”\n"
    corpus, project_id = _pushed(tmp_path, studio_env, {"split": text})
    first, second = _at(text, "We will win,"), _at(text, "because the state is ours.")
    browser.open_labeling(page, studio_env.url, project_id)
    browser.label(page, KEYS["QUOTE"], *first)
    browser.label(page, KEYS["QUOTE"], *second)
    for piece in ("We will win", "because the state"):  # each piece has its form (Submit refuses otherwise)
        browser.select_region(page, "QUOTE", piece)
        browser.choice(page, "QUOTE form", "direct").click()
        page.keyboard.press("Escape")
    browser.relate(page, ("QUOTE", "We will win"), ("QUOTE", "because the state"))
    page.locator(".lsf-panel-tabs__draggable-tab .lsf-panel-tabs__tab", has_text="Relations").click()
    page.locator(".lsf-relations__item").first.hover()
    page.get_by_label("Show Relation Labels").first.click()  # the "..." button, shown on hover
    page.get_by_text("Select labels").click()
    page.get_by_text("continues", exact=True).last.click()
    _keep_screenshot(page, "continues.png")
    page.keyboard.press("Escape")
    browser.submit(page)

    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.warnings)
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    [quote] = annotation_set.spans
    assert quote.label == "QUOTE" and quote.fragments == [first, second] and quote.attrs == {"form": "direct"}
    assert annotation_set.relations == []


def _annotator(chromium: Any, invite_url: str, name: str) -> Any:
    """A new annotator's browser, signed up with the invite link (an account of their own)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    joined = context.new_page()
    browser.sign_up(joined, invite_url, f"{name}-{uuid.uuid4().hex[:6]}@newsgold.test", f"pass-{uuid.uuid4().hex}")
    return joined


NO_MORE_TASKS = "No More Tasks Left in Queue"
"""What Label Studio's labeling stream shows an annotator when it has no task left for them."""


def test_a_team_annotates_with_overlap_two_and_the_adjudicator_decides_in_the_browser(
        chromium: Any, page: Any, studio_env: Any, tmp_path: Path) -> None:
    """The team's week (docs/team.md) in the browser: three annotators join with the invite link;
    the document goes to two of them (`push(overlap=2)`), who label it in the labeling stream and
    disagree; the third finds no task left. Pull, agreement and adjudicate see the disagreement;
    the adjudicator opens the review task, sees each annotator's version under its pseudonym,
    duplicates the one they agree with and submits it; `pull_review` stores it as gold, which the
    next `adjudicate` keeps."""
    from newsgold.curation import adjudicate, agreement
    from newsgold.studio import annotators, pull_review, push_review, status
    from newsgold.studio.review import AGREED
    from playwright.sync_api import expect
    from test_review import TEXT

    corpus = init_corpus(tmp_path / "c", name=f"team-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "split", "text": TEXT}) + "\n")
    ingest(corpus, [feed])
    studio = connect()
    pushed = push(corpus, studio, overlap=2)
    invite_url = annotators(studio).invite_url
    team = {name: _annotator(chromium, invite_url, name) for name in ("ana", "ben", "cy")}
    try:
        for name, label in (("ana", "GPE"), ("ben", "ORG")):  # they disagree on what Tallinn is
            annotator = team[name]
            browser.open_labeling(annotator, studio_env.url, pushed.project_id)
            browser.label(annotator, KEYS["PERSON"], *_at(TEXT, "Pevkur"))
            browser.label(annotator, KEYS[label], *_at(TEXT, "Tallinn"))
            annotator.keyboard.press("Escape")
            browser.submit(annotator)
            annotator.get_by_text(NO_MORE_TASKS).wait_for()  # the one document is done for them
        team["cy"].goto(f"{studio_env.url}/projects/{pushed.project_id}/data?labeling=1")
        team["cy"].get_by_text(NO_MORE_TASKS).wait_for()  # two have it: none is left for a third
    finally:
        for annotator in team.values():
            annotator.context.close()

    progress = status(corpus, studio)
    assert progress.overlap_done == ["split"] and progress.annotators_per_document == {"split": 2}
    assert pull(corpus, studio).ok
    versions = {s.annotator: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert sorted(sorted((sp.label, sp.text) for sp in s.spans) for s in versions.values()) == [
        [("GPE", "Tallinn"), ("PERSON", "Pevkur")], [("ORG", "Tallinn"), ("PERSON", "Pevkur")]]
    [pair] = agreement(Corpus.open(corpus.root)).as_dict()["pairs"]
    assert pair["spans"]["exact"]["PERSON"]["f1"] == 1.0 and pair["spans"]["exact"]["ALL"]["f1"] == 0.5
    assert [u.doc_id for u in adjudicate(Corpus.open(corpus.root), "majority").unresolved] == ["split"]

    review = push_review(Corpus.open(corpus.root), studio)
    page.goto(f"{studio_env.url}/projects/{review.project_id}/data")
    page.get_by_text(TEXT.strip()).first.click()  # the task, opened from the review project's list
    tabs = page.locator(".lsf-annotation-button__name")
    expect(tabs).to_have_count(1 + 1 + len(versions))  # the tabs appear one by one: wait for them all
    assert sorted(tabs.all_inner_texts()[1:]) == sorted([AGREED, *versions])  # after the adjudicator's own
    regions = page.locator(".lsf-outliner-item__content")
    expect(regions).to_have_count(1)
    assert [" ".join(r.split()) for r in regions.all_inner_texts()] == ["1 PERSON Pevkur"]  # starts from the agreed
    [gpe] = [name for name, s in versions.items() if "GPE" in {sp.label for sp in s.spans}]
    page.locator(".lsf-annotation-button", has_text=gpe).click()  # one annotator's version, as they left it
    page.locator(".lsf-outliner-item__content", has_text="GPE").wait_for()
    _keep_screenshot(page, "review-versions.png")
    page.locator(".lsf-annotation-button_selected .lsf-annotation-button__trigger").click()
    page.get_by_text("Duplicate Annotation").click()  # the adjudicator takes that version as theirs
    page.get_by_text("split", exact=True).first.click()  # a click beside the menu closes it
    page.get_by_text("Duplicate Annotation").wait_for(state="hidden")
    expect(regions).to_have_count(2)
    assert sorted(" ".join(r.split()) for r in regions.all_inner_texts()) == ["1 PERSON Pevkur", "2 GPE Tallinn"]
    _keep_screenshot(page, "review.png")
    browser.submit(page)

    stored = pull_review(Corpus.open(corpus.root), studio)
    assert stored.ok and [(o.doc_id, o.status) for o in stored.gold] == [("split", "updated")]
    gold = {g.doc_id: g for g in Corpus.open(corpus.root).iter_gold()}["split"]
    assert sorted((s.label, s.text) for s in gold.spans) == [("GPE", "Tallinn"), ("PERSON", "Pevkur")]
    assert gold.provenance.method == "manual" and "adjudicated in Label Studio" in (gold.provenance.note or "")
    assert adjudicate(Corpus.open(corpus.root), "majority").kept_hand_made == ["split"]
    assert {g.doc_id: g for g in Corpus.open(corpus.root).iter_gold()}["split"] == gold
