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
from newsgold.formats.labelstudio.config import NOTE_HINT
from newsgold.schemas import default_scheme
from newsgold.studio import connect, pull, push

import browser
from conftest import REPO

pytestmark = pytest.mark.labelstudio

CHROMIUM = Path("/usr/bin/chromium")
KEYS = default_scheme().hotkeys
"""The key of each label on the labeling page: the guidelines' label table gives the same."""
NATO = "Military personnel of NATO member countries are present in Ukraine."
RUSSIA = "Russia is preparing to send another 300,000 soldiers to Ukraine."
SEED = REPO / "seeds" / "000_8dd4fb761523bda0.txt"
EMOJI_TEXT = "Fans 😀😀 cheered 🇺🇦 as Pevkur’s team met U.K. officials.\nPevkur said: “We stay.”\n"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        message = "no /usr/bin/chromium: `make test` installs Debian's chromium (as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(chromium: Any, label_studio: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    browser.sign_in(opened, label_studio.url, label_studio.email, label_studio.password)
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        opened.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
    context.close()


def _pushed(tmp_path: Path, studio_env: Any, texts: dict[str, str]) -> tuple[Corpus, int]:
    corpus = init_corpus(tmp_path / "c", name=f"ui-{uuid.uuid4().hex[:8]}")
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
    browser.choice(page, f"Stance: {NATO}", "favor").click()
    browser.choice(page, f"Stance: {RUSSIA}", "against").click()
    assert browser.is_chosen(page, f"Stance: {RUSSIA}", "against")
    browser.choice(page, f"Stance: {RUSSIA}", "against").click()  # clicked again: cleared
    assert not browser.is_chosen(page, f"Stance: {RUSSIA}", "against")
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
    browser.choice(page, NATO, "favor").click()  # the document's stance
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
    browser.submit(page)
    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.conflicts)
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    assert [c.text for c in annotation_set.comments or []] == ["Is Pevkur the speaker?\nCheck the team too."]
    assert {s.label: (s.start, s.end) for s in annotation_set.spans} == wanted
    assert {s.label: s.text for s in annotation_set.spans} == {
        "PERSON": "Pevkur", "GPE": "U.K.", "QUOTE": "We stay.", "SPEAKER": "Pevkur"}


def test_a_quote_without_its_form_cannot_be_submitted(page: Any, studio_env: Any, tmp_path: Path) -> None:
    corpus, project_id = _pushed(tmp_path, studio_env, {"form": EMOJI_TEXT})
    text = next(corpus.iter_documents()).text
    browser.open_labeling(page, studio_env.url, project_id)
    browser.label(page, KEYS["QUOTE"], *_at(text, "We stay."))
    page.keyboard.press("Escape")
    browser.submit(page)
    assert page.get_by_text("Choose the form of every QUOTE").first.is_visible()
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
    corpus = init_corpus(tmp_path / "c", name=f"ui-{uuid.uuid4().hex[:8]}")
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
    assert regions.count() == len(suggested.spans)  # every suggestion is on the page, drawn
    _keep_screenshot(page, "suggestions.png")
    # The annotator adds what the rules cannot know: the quote's stance.
    browser.select_region(page, "QUOTE", "There are no NATO troops")
    browser.choice(page, f"Stance: {NATO}", "against").click()
    page.keyboard.press("Escape")
    browser.submit(page)
    pulled = pull(Corpus.open(corpus.root), connect())
    assert pulled.ok, (pulled.rejected, pulled.conflicts)
    sets = {s.origin.source: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert set(sets) == {"suggestion", "label-studio"} and sets["suggestion"] == suggested
    mine = sets["label-studio"]
    key = lambda s: (s.start, s.end, s.label, tuple(sorted(s.attrs.items())))  # noqa: E731
    assert sorted(map(key, mine.spans)) == sorted(map(key, suggested.spans))
    assert len(mine.relations) == len(suggested.relations)
    [quote] = [s for s in mine.spans if s.text.startswith("There are no")]
    assert quote.stance == {"nato-personnel-in-ukraine": "against"}
