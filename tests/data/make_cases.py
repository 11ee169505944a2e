"""Regenerate tests/data/base (a tiny valid corpus) and tests/data/invalid (one broken file per rule).

Run from the repository root: `python tests/data/make_cases.py`. Each invalid case is named
`FILE.CODE.lineN.slug.EXT`: it replaces FILE of the base corpus, and validation must report rule
CODE at line N (line 0: no line, e.g. the manifest).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from newsgold.schemas import AnnotationSet, Document, GoldSet, default_scheme
from newsgold.schemas.manifest import CorpusManifest

HERE = Path(__file__).parent
BASE = HERE / "base"
INVALID = HERE / "invalid"

D1 = "Hanno Pevkur said: “Every NATO country has personnel in Ukraine.”\n"
D2 = "Peskov denied it. “This is not true,” he said. 😀 Russians and Ukraine.\n"


def span(text: str, sid: str, label: str, needle: str, nth: int = 0, **extra: object) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label,
            "text": needle, **extra}


def documents() -> list[dict]:
    return [Document.from_text(i, t).model_dump(mode="json", exclude_none=True)
            for i, t in (("d1", D1), ("d2", D2))]


def d1_content() -> dict:
    docs = documents()
    return {
        "doc_id": "d1",
        "doc_sha256": docs[0]["sha256"],
        "spans": [
            span(D1, "s1", "PERSON", "Hanno Pevkur"),
            span(D1, "s2", "SPEAKER", "Hanno Pevkur"),
            span(D1, "s3", "CUE", "said"),
            span(D1, "s4", "QUOTE", "Every NATO country has personnel in Ukraine.",
                 attrs={"form": "direct"}, stance={"nato-personnel-in-ukraine": "favor"}),
            span(D1, "s5", "ORG", "NATO"),
            span(D1, "s6", "GPE", "Ukraine"),
        ],
        "relations": [
            {"type": "attributed_to", "from": "s4", "to": "s2"},
            {"type": "cued_by", "from": "s4", "to": "s3"},
            {"type": "refers_to", "from": "s2", "to": "s1"},
        ],
        "stance": {"nato-personnel-in-ukraine": "favor"},
    }


def d2_content() -> dict:
    docs = documents()
    return {
        "doc_id": "d2",
        "doc_sha256": docs[1]["sha256"],
        "spans": [
            span(D2, "s1", "PERSON", "Peskov"),
            span(D2, "s2", "QUOTE", "This is not true,", attrs={"form": "direct"},
                 stance={"russia-300k-troops": "against"}),
            span(D2, "s3", "SPEAKER", "he"),
            span(D2, "s4", "CUE", "said", nth=0),
            span(D2, "s5", "NORP", "Russians"),
            span(D2, "s6", "GPE", "Ukraine"),
        ],
        "relations": [
            {"type": "attributed_to", "from": "s2", "to": "s3"},
            {"type": "cued_by", "from": "s2", "to": "s4"},
            {"type": "refers_to", "from": "s3", "to": "s1"},
        ],
        "stance": {"russia-300k-troops": "against"},
    }


def annotation(content: dict, annotator: str) -> dict:
    record = {**copy.deepcopy(content), "annotator": annotator,
              "origin": {"source": "manual"}, "status": "submitted"}
    return AnnotationSet.model_validate(record).model_dump(mode="json", by_alias=True, exclude_none=True)


def gold(content: dict) -> dict:
    record = {**copy.deepcopy(content), "provenance": {"method": "manual", "annotators": ["alice"]}}
    return GoldSet.model_validate(record).model_dump(mode="json", by_alias=True, exclude_none=True)


def jsonl(records: list) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                   for r in records)


def base_files() -> dict[str, str]:
    manifest = CorpusManifest(name="tiny", scheme=default_scheme())
    return {
        "newsgold.json": json.dumps(manifest.model_dump(mode="json", exclude_none=True), indent=2) + "\n",
        "documents.jsonl": jsonl(documents()),
        "annotations.jsonl": jsonl([annotation(d1_content(), "alice"), annotation(d2_content(), "alice"),
                                    annotation(d1_content(), "bob")]),
        "gold.jsonl": jsonl([gold(d1_content()), gold(d2_content())]),
    }


def cases() -> dict[str, str]:
    out: dict[str, str] = {}
    docs = documents()

    def docs_case(name: str, second: object) -> None:
        out[f"documents.{name}.jsonl"] = jsonl([docs[0], second])

    docs_case("NG101.line2.bad-json", '{"id": "d2", "text": ')
    docs_case("NG102.line2.text-not-string", {**docs[1], "text": 5})
    docs_case("NG103.line2.unknown-field", {**docs[1], "author": "x"})
    docs_case("NG104.line2.missing-sha256", {k: v for k, v in docs[1].items() if k != "sha256"})
    docs_case("NG105.line2.bad-id", {**docs[1], "id": "../d2"})
    docs_case("NG106.line2.format-version", {**docs[1], "format_version": "2.0"})
    docs_case("NG201.line2.duplicate-id", {**docs[1], "id": "d1", "text": D1, "sha256": docs[0]["sha256"]})
    docs_case("NG202.line2.sha-mismatch", {**docs[1], "text": D2.replace("true", "false")})

    def ann_case(name: str, mutate) -> None:  # type: ignore[no-untyped-def]
        record = annotation(d1_content(), "alice")
        mutate(record)
        out[f"annotations.{name}.jsonl"] = jsonl([annotation(d2_content(), "alice"), record])

    ann_case("NG203.line2.end-before-start", lambda r: r["spans"][0].update(end=0))
    ann_case("NG203.line2.end-past-text", lambda r: r["spans"][5].update(end=999))
    ann_case("NG204.line2.span-text", lambda r: r["spans"][0].update(text="Hanno Pevkur "))
    ann_case("NG205.line2.duplicate-span-id", lambda r: r["spans"][5].update(id="s5"))
    ann_case("NG206.line2.unknown-document", lambda r: r.update(doc_id="d9"))
    ann_case("NG209.line2.duplicate-span", lambda r: r["spans"].append({**r["spans"][4], "id": "s9"}))
    ann_case("NG210.line2.fragments-out-of-span", lambda r: r["spans"][0].update(fragments=[[0, 5], [3, 12]]))
    ann_case("NG601.line2.cue-with-space", lambda r: r["spans"][2].update(span(D1, "s3", "CUE", " said")))
    ann_case("NG602.line2.quote-with-marks", lambda r: r["spans"][3].update(
        span(D1, "s4", "QUOTE", "“Every NATO country has personnel in Ukraine.”", attrs={"form": "direct"})))
    ann_case("NG604.line2.gpe-with-period", lambda r: r["spans"][5].update(span(D1, "s6", "GPE", "Ukraine.")))
    ann_case("NG207.line2.other-text", lambda r: r.update(doc_sha256="0" * 64))
    out["annotations.NG208.line3.duplicate-set.jsonl"] = jsonl(
        [annotation(d2_content(), "alice"), annotation(d1_content(), "alice"), annotation(d1_content(), "alice")])
    ann_case("NG301.line2.unknown-label", lambda r: r["spans"][5].update(label="LOC"))
    ann_case("NG302.line2.unknown-attribute", lambda r: r["spans"][3]["attrs"].update(tone="angry"))
    ann_case("NG303.line2.attribute-value", lambda r: r["spans"][3]["attrs"].update(form="verbatim"))
    ann_case("NG305.line2.stance-on-person", lambda r: r["spans"][0].update(stance={"russia-300k-troops": "favor"}))
    ann_case("NG306.line2.unknown-target", lambda r: r.update(stance={"moon-landing": "favor"}))
    ann_case("NG307.line2.stance-value", lambda r: r["spans"][3].update(stance={"nato-personnel-in-ukraine": "yes"}))
    ann_case("NG401.line2.unknown-relation", lambda r: r["relations"].append({"type": "quotes", "from": "s4", "to": "s2"}))
    ann_case("NG402.line2.missing-end", lambda r: r["relations"][1].update(to="s99"))
    ann_case("NG403.line2.wrong-labels", lambda r: r["relations"][1].update(to="s1"))
    ann_case("NG404.line2.two-speakers", lambda r: (
        r["spans"].append({**r["spans"][1], "id": "s7"}),
        r["relations"].append({"type": "attributed_to", "from": "s4", "to": "s7"})))
    ann_case("NG405.line2.duplicate-relation", lambda r: r["relations"].append(dict(r["relations"][0])))
    ann_case("NG501.line2.crossing-quotes", lambda r: r["spans"].append(
        span(D1, "s8", "QUOTE", "said: “Every", attrs={"form": "mixed"})))

    def gold_case(name: str, mutate) -> None:  # type: ignore[no-untyped-def]
        record = gold(d1_content())
        mutate(record)
        out[f"gold.{name}.jsonl"] = jsonl([gold(d2_content()), record])

    gold_case("NG304.line2.form-missing", lambda r: r["spans"][3].update(attrs={}))
    gold_case("NG404.line2.no-speaker", lambda r: r["relations"].pop(0))
    out["gold.NG208.line3.two-gold-sets.jsonl"] = jsonl([gold(d2_content()), gold(d1_content()), gold(d1_content())])

    manifest = json.loads(base_files()["newsgold.json"])
    out["newsgold.NG001.line0.unknown-field.json"] = json.dumps({**manifest, "owner": "x"}, indent=2) + "\n"
    broken = copy.deepcopy(manifest)
    broken["scheme"]["relations"][0]["pairs"] = [["QUOTE", "SPOKESPERSON"]]
    out["newsgold.NG002.line0.scheme-unknown-label.json"] = json.dumps(broken, indent=2) + "\n"
    return out


def main() -> None:
    shutil.rmtree(BASE, ignore_errors=True)
    shutil.rmtree(INVALID, ignore_errors=True)
    BASE.mkdir(parents=True)
    INVALID.mkdir(parents=True)
    for name, content in base_files().items():
        (BASE / name).write_text(content, encoding="utf-8")
    for name, content in cases().items():
        (INVALID / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
