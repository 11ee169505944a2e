"""`newsgold report`: the bundled corpus with three annotators' sets, suggestions and a review file,
written as one HTML page. Its figures equal `stats --json` and `agreement --json`; it opens in
Chromium with no request but its own file and no console error; each section is screenshotted
(`NEWSGOLD_SCREENSHOTS=docs/img` refreshes the docs' images); the same corpus gives the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus
from newsgold.errors import UsageError
from newsgold.report import write_report
from newsgold.schemas import AnnotationSet, Origin

from conftest import REPO

TEAM = ("ann-3f2a9c1b0d", "ann-7c41e0d2aa", "ann-b01c55e9f2")
SECTIONS = ("corpus", "team", "agreement", "disputes", "suggestions")


def team_sets(root: Path) -> None:
    """Three annotators' sets of every gold document: the gold, and two versions that each leave out
    some spans and relabel some entities, differently, so every pair disagrees somewhere."""
    lines = []
    for gold in Corpus.open(root).iter_gold():
        for n, annotator in enumerate(TEAM):
            spans, relations = list(gold.spans), list(gold.relations)
            if n:
                dropped = {s.id for k, s in enumerate(spans) if k % (4 + n) == n}
                spans = [s if k % 7 != n or s.label not in ("PERSON", "ORG", "GPE") else
                         s.model_copy(update={"label": "ORG" if s.label != "ORG" else "GPE"})
                         for k, s in enumerate(spans) if s.id not in dropped]
                relations = [r for r in relations if r.from_ not in dropped and r.to not in dropped]
            lines.append(AnnotationSet(
                doc_id=gold.doc_id, doc_sha256=gold.doc_sha256, annotator=annotator,
                origin=Origin(source="label-studio"), spans=spans, relations=relations, stance=gold.stance,
                attrs=gold.attrs).model_dump_json(by_alias=True, exclude_none=True))
    (root / "annotations.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _invoke(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus (gold, three annotators, suggestions, a review file) and its report."""
    folder = tmp_path_factory.mktemp("report")
    root = folder / "corpus"
    shutil.copytree(REPO / "corpus", root)
    team_sets(root)
    _invoke("suggest", "--corpus", str(root))
    _invoke("adjudicate", "--corpus", str(root), "--replace")  # majority gold, the undecided in review.jsonl
    printed = _invoke("report", "--corpus", str(root), "--out", str(folder / "report.html"))
    assert "2 documents, 3 annotators, 2 disputed documents shown, suggestions suggest" in printed
    return root, folder / "report.html"


def _embedded(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="newsgold-figures">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))  # type: ignore[no-any-return]


def test_the_figures_are_those_of_stats_and_agreement(written: tuple[Path, Path]) -> None:
    root, report = written
    page = report.read_text(encoding="utf-8")
    figures = _embedded(page)
    stats = json.loads(_invoke("stats", "--corpus", str(root), "--output-format", "json"))
    stats.pop("per_document")
    assert figures["stats"] == stats
    assert figures["agreement"] == json.loads(_invoke("agreement", "--corpus", str(root), "--output-format", "json"))
    # What the page shows is drawn from them: the counts, and every pair's F1 in both matrices.
    assert f"<b>{stats['documents']}</b><span>documents</span>" in page
    assert f"<b>{len(TEAM)}</b><span>annotators (pseudonyms)</span>" in page
    pairs = figures["agreement"]["pairs"]
    assert len(pairs) == 3 and all(p["spans"]["exact"]["ALL"]["f1"] < 1 for p in pairs)
    for pair in pairs:
        for mode in ("exact", "overlap"):
            shown = f"{pair['spans'][mode]['ALL']['f1']:.2f}"
            assert page.count(f">{shown}<") >= 2  # both cells of the symmetric matrix
    assert "Undecided in review.jsonl" in page and "k-not-reached" in page


def test_the_same_corpus_gives_the_same_report(written: tuple[Path, Path], tmp_path: Path) -> None:
    root, report = written
    again = write_report(Corpus.open(root), tmp_path / "again.html")
    assert again.path.read_bytes() == report.read_bytes()


def test_a_review_line_that_is_no_item_is_named_not_skipped(written: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = written
    shutil.copytree(root, tmp_path / "corpus")
    review = tmp_path / "corpus" / "review.jsonl"
    lines = review.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    number_vote = json.dumps({**first, "votes": {"GPE": 5}})  # a vote that is a number crashed the page
    review.write_text("\n".join([*lines, "{not json", '{"kind": "span"}', number_vote]) + "\n", encoding="utf-8")
    page = write_report(Corpus.open(tmp_path / "corpus"), tmp_path / "r.html").path.read_text(encoding="utf-8")
    assert (f"3 lines could not be read: review.jsonl:{len(lines) + 1}, review.jsonl:{len(lines) + 2}, "
            f"review.jsonl:{len(lines) + 3}.") in page
    assert f"leaves {len(lines)} items undecided" in page


def test_a_report_is_refused_inside_the_corpus_or_as_a_folder(written: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = written
    with pytest.raises(UsageError, match="inside the corpus"):
        write_report(Corpus.open(root), root / "report.html")
    with pytest.raises(UsageError, match="is a folder"):
        write_report(Corpus.open(root), tmp_path)


def test_the_report_opens_offline_with_no_request_and_no_error(written: tuple[Path, Path], chromium: Any) -> None:
    _, report = written
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert requests == [report.as_uri()] and problems == []  # nothing but the file itself
    assert page.locator("svg").count() >= 8  # the charts, drawn inline
    folder = os.environ.get("NEWSGOLD_SCREENSHOTS")
    for section in SECTIONS:
        located = page.locator(f"section#{section}")
        assert located.is_visible() and located.locator("h2").inner_text()
        if folder:  # (the disputes, up to the first document's versions: the section is long)
            box = located.bounding_box()
            clip = {**box, "height": min(box["height"], 1100)}
            page.screenshot(path=str(Path(folder) / f"report-{section}.png"), clip=clip, full_page=True)
    assert page.pdf(format="A4")[:4] == b"%PDF"  # it prints
    page.close()


def test_a_hostile_label_colour_is_refused_and_never_reaches_a_page(tmp_path: Path) -> None:
    """A label's colour is written into the page's style attributes: anything but a hex colour or a
    colour name is refused by validate, and the report is not written (issue 41, item 9)."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", root)
    manifest = json.loads((root / "newsgold.json").read_text())
    manifest["scheme"]["layers"][0]["labels"][0]["color"] = 'red" onmouseover="fetch(\'http://127.0.0.1:9/x\')'
    (root / "newsgold.json").write_text(json.dumps(manifest))
    validated = CliRunner().invoke(main, ["validate", "--corpus", str(root)])
    assert validated.exit_code != 0 and "color" in validated.output
    written = CliRunner().invoke(main, ["report", "--corpus", str(root), "--out", str(tmp_path / "r.html")])
    assert written.exit_code != 0 and "Traceback" not in written.output
    assert not (tmp_path / "r.html").exists()


def test_the_page_forbids_script_and_draws_names_as_text(tmp_path: Path) -> None:
    """The page's Content-Security-Policy allows no script and no request; a source named with
    dollar signs is drawn as text, not as TeX (which crashed on `$...$`)."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", root)
    lines = (root / "documents.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    records[0]["meta"]["source"] = "The $10 Store & $5 Daily"
    (root / "documents.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    result = CliRunner().invoke(main, ["report", "--corpus", str(root), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text()
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'\">") in page
    assert "The $10 Store &amp; $5 Daily" in page


def test_the_disputes_say_what_was_decided_and_name_every_kind_of_item(written: tuple[Path, Path]) -> None:
    """Issue 43, item 8: each disputed document says how its gold was made; relation, attribute and
    stance items are named in words (they were drawn as "……")."""
    root, report = written
    page = report.read_text(encoding="utf-8")
    kinds = {json.loads(line)["kind"] for line in (root / "review.jsonl").read_text().splitlines()}
    assert "relation" in kinds
    assert page.count('<p class="note decided">gold: decided by adjudicate (majority of the annotators)</p>') == 2
    assert "……" not in page and "attributed_to: “" in page


def test_an_empty_review_file_and_a_document_all_agree_on(tmp_path: Path) -> None:
    """An empty review.jsonl is the last adjudicate leaving nothing undecided, not "No review.jsonl";
    a document whose annotators agree is no dispute (it was listed with disagreement 0.000)."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", root)
    team_sets(root)
    first = Corpus.open(root).iter_gold().__next__().doc_id
    lines = (root / "annotations.jsonl").read_text().splitlines()
    agreed = [json.loads(line) for line in lines if json.loads(line)["doc_id"] == first]
    others = [line for line in lines if json.loads(line)["doc_id"] != first]
    same = [json.dumps({**a, "spans": agreed[0]["spans"], "relations": agreed[0].get("relations", [])}) for a in agreed]
    (root / "annotations.jsonl").write_text("\n".join([*same, *others]) + "\n")
    (root / "review.jsonl").write_text("")
    page = write_report(Corpus.open(root), tmp_path / "r.html").path.read_text(encoding="utf-8")
    assert "leaves nothing undecided" in page and "No review.jsonl" not in page
    assert f"<h3>{first}" not in page and "disagreement 0.000" not in page


ATTACK = '"><img src=x onerror="fetch(\'http://127.0.0.1:9/leak\')"><script>fetch(\'http://127.0.0.1:9/s\')</script>'
"""What a hostile pull request could put in any free-text field the report draws."""


def test_hostile_text_in_every_field_the_report_draws_runs_nothing_in_chromium(
        tmp_path: Path, chromium: Any) -> None:
    """Issue 41, item 9: the corpus name, every document's title, source and section, each stance
    claim, the review file's reasons and votes, hold markup that would run script and send a
    request: in Chromium the page runs none, sends nothing and shows it all as text."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", root)
    team_sets(root)
    manifest = json.loads((root / "newsgold.json").read_text())
    manifest["name"] = f"corpus {ATTACK}"
    for target in manifest["scheme"]["stance"]["targets"]:
        target["claim"] = f"claim {ATTACK}"
    (root / "newsgold.json").write_text(json.dumps(manifest))
    documents = [json.loads(line) for line in (root / "documents.jsonl").read_text().splitlines()]
    for document in documents:
        document["meta"].update({"title": f"title {ATTACK}", "source": f"source {ATTACK}", "section": ATTACK})
    (root / "documents.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    _invoke("adjudicate", "--corpus", str(root), "--replace")
    review = root / "review.jsonl"
    items = [json.loads(line) for line in review.read_text().splitlines()]
    items = [{**item, "reason": f"reason {ATTACK}", "code": ATTACK, "votes": {ATTACK: list(next(iter(item["votes"].values())))}}
             for item in items]
    review.write_text("".join(json.dumps(i) + "\n" for i in items))
    out = tmp_path / "report.html"
    _invoke("report", "--corpus", str(root), "--out", str(out))
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert requests == [out.as_uri()]  # no image, no fetch: nothing ran
    assert page.locator("img").count() == 0 and page.locator("script:not([type='application/json'])").count() == 0
    assert "onerror" in page.locator("body").inner_text()  # shown as text
    page.close()
