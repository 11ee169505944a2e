"""Every export format, loaded back by the tool it targets; manifests, splits, reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.corpus.splits import assign_split, parse_split
from newsgold.errors import UsageError
from newsgold.exchange import FORMATS, export, export_all
from newsgold.formats.brat import read_ann
from newsgold.formats.ner import tag_names
from newsgold.exchange.manifest import sha256_of

from conftest import REPO, snapshot
from helpers import bio_runs

REGENERATE = "make exports   (newsgold export --corpus corpus --format all --out exports)"


EXPORTED = list(FORMATS)
"""Every format: spaCy is a dependency, and the dev extra brings datasets; nothing here is skipped."""


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.open(REPO / "corpus")


@pytest.fixture(scope="module")
def exported(corpus: Corpus, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("exports")
    export_all(corpus, out, formats=EXPORTED)
    return out


@pytest.fixture(scope="module")
def gold(corpus: Corpus) -> dict:
    return {g.doc_id: g for g in corpus.iter_gold()}


@pytest.fixture(scope="module")
def texts(corpus: Corpus) -> dict[str, str]:
    return {d.id: d.text for d in corpus.iter_documents()}


def test_committed_exports_are_reproducible(exported: Path) -> None:
    committed = REPO / "exports"
    assert committed.is_dir(), f"exports/ is missing; regenerate with: {REGENERATE}"
    wanted = {path: digest for path, digest in snapshot(committed).items() if path.split("/")[0] in EXPORTED}
    assert snapshot(exported) == wanted, f"exports/ is stale; regenerate with: {REGENERATE}"


def test_exporting_twice_is_byte_identical(corpus: Corpus, exported: Path, tmp_path: Path) -> None:
    export_all(corpus, tmp_path / "again", formats=EXPORTED)
    assert snapshot(tmp_path / "again") == snapshot(exported)


@pytest.mark.parametrize("name", FORMATS)
def test_manifest_lists_every_file_with_its_hash(name: str, exported: Path) -> None:
    manifest = json.loads((exported / name / "manifest.json").read_text())
    assert manifest["format"] == name and manifest["source"] == "gold" and manifest["documents"] == 2
    files = {str(p.relative_to(exported / name)) for p in (exported / name).rglob("*") if p.is_file()}
    assert files - {"manifest.json"} == set(manifest["files"])
    for relative, entry in manifest["files"].items():
        assert sha256_of(exported / name / relative) == entry["sha256"]
    assert len(manifest["corpus_fingerprint"]) == 64


@pytest.mark.parametrize(("source", "read", "unread"), [("gold", "gold.jsonl", "annotations.jsonl"),
                                                      ("annotations", "annotations.jsonl", "gold.jsonl")])
def test_fingerprint_covers_exactly_the_files_read(seeds_corpus: Path, tmp_path: Path, source: str,
                                                   read: str, unread: str) -> None:
    def fingerprint() -> str:
        return export(Corpus.open(seeds_corpus), "jsonl", tmp_path / "out", source=source).corpus_fingerprint  # type: ignore[arg-type]

    first = fingerprint()
    with open(seeds_corpus / unread, "ab") as f:  # a blank line: the same sets, other bytes
        f.write(b"\n")
    assert fingerprint() == first
    for name in (read, "documents.jsonl", "newsgold.json"):
        before = fingerprint()
        with open(seeds_corpus / name, "ab") as f:
            f.write(b"\n")
        assert fingerprint() != before, name


def test_jsonl_is_the_canonical_gold(exported: Path, gold, texts) -> None:
    records = [json.loads(line) for line in (exported / "jsonl" / "gold.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == list(gold)
    for record in records:
        assert record["text"] == texts[record["id"]]
        assert len(record["spans"]) == len(gold[record["id"]].spans)
        assert all(record["text"][s["start"]:s["end"]] == s["text"] for s in record["spans"])


def test_quotes_have_speakers_entities_and_stance(exported: Path, texts) -> None:
    quotes = [json.loads(line) for line in (exported / "quotes" / "gold.jsonl").read_text().splitlines()]
    assert len(quotes) == 31
    for quote in quotes:
        assert texts[quote["doc_id"]][quote["start"]:quote["end"]] == quote["text"]
        assert quote["speaker"] is not None and quote["entity"] is not None
    [peskov] = [q for q in quotes if q["text"] == "This is not true."]
    assert peskov["speaker"]["text"] == "Dmitry Peskov" and peskov["cue"]["text"] == "telling"
    assert peskov["stance"] == {"russia-300k-troops": "against"} and peskov["form"] == "direct"
    # The sentence around each quote holds it, and the row names the article and who agreed.
    for quote in quotes:
        context = quote["context"]
        assert texts[quote["doc_id"]][context["start"]:context["end"]] == context["text"]
        assert context["start"] <= quote["start"] < quote["end"] <= context["end"]
        assert quote["document"]["title"] and quote["document"]["language"] == "en"
        assert quote["annotators"] == ["seed-gold"]
    assert peskov["context"]["text"] == ("Russian Presidential Spokesman Dmitry Peskov denied the claim, telling "
                                         "Russian state media outlet TASS, “This is not true.”")


def test_stance_pairs(exported: Path) -> None:
    pairs = [json.loads(line) for line in (exported / "stance" / "gold.jsonl").read_text().splitlines()]
    assert {p["level"] for p in pairs} == {"quote", "document"}
    assert all(p["claim"] and p["stance"] in ("favor", "against", "neutral") for p in pairs)
    assert len([p for p in pairs if p["level"] == "document"]) == 4
    quotes = {(q["doc_id"], q["quote_id"]): q for q in map(json.loads, (exported / "quotes" / "gold.jsonl").read_text().splitlines())}
    for pair in pairs:
        assert pair["annotators"] == ["seed-gold"] and pair["document"]["title"]
        if pair["level"] == "quote":  # the speaker and its entity without a join with the quotes file
            quote = quotes[(pair["doc_id"], pair["quote_id"])]
            assert pair["speaker"] == quote["speaker"] and pair["entity"] == quote["entity"]
            assert pair["context"] == quote["context"]


def _read_conll(path: Path) -> list[list[tuple[str, int, int, str]]]:
    """An exact reader of the documented columns: token start end tag; blank lines end sentences."""
    sentences, current = [], []
    for line in path.read_text().splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line:
            if current:
                sentences.append(current)
            current = []
            continue
        token, start, end, tag = line.split(" ")
        current.append((token, int(start), int(end), tag))
    return sentences


def test_conll_is_aligned_bio(exported: Path, gold, texts) -> None:
    sentences = _read_conll(exported / "ner-conll" / "gold.conll")
    entity_count = 0
    for sentence in sentences:
        previous = "O"
        for token, start, end, tag in sentence:
            assert tag in tag_names(Corpus.open(REPO / "corpus").scheme)
            if tag.startswith("I-"):
                assert previous[2:] == tag[2:], "I- must continue an entity of the same label"
            entity_count += tag.startswith("B-")
            previous = tag
    entities = sum(1 for g in gold.values() for s in g.spans if s.label in ("PERSON", "ORG", "GPE", "NORP"))
    assert entity_count == entities  # the seeds have no nested entities
    first_doc = texts["000_8dd4fb761523bda0"]
    assert all(first_doc[s:e] == tok for tok, s, e, _ in sentences[0])
    text = (exported / "ner-conll" / "gold.conll").read_text()
    assert text.startswith("-DOCSTART- -X- O O\n\n") and {len(line.split(" ")) for line in text.splitlines() if line} == {4}


def test_conll_reads_with_spacy_converter(exported: Path, gold) -> None:
    from spacy.training.converters import conll_ner_to_docs

    docs = list(conll_ner_to_docs((exported / "ner-conll" / "gold.conll").read_text(), n_sents=0, no_print=True))
    assert len(docs) == len(gold)
    for doc, (doc_id, gold_set) in zip(docs, gold.items()):
        wanted = [(s.label, s.text) for s in sorted(gold_set.spans, key=lambda s: s.start) if s.label in ENTITY_LABELS]
        # The converter joins tokens with spaces; compare the characters.
        assert [(e.label_, e.text.replace(" ", "")) for e in doc.ents] == [(label, "".join(t.split())) for label, t in wanted]


ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def test_ner_hf_folder_loads_with_named_labels(exported: Path, gold, tmp_path: Path) -> None:
    import datasets

    # The card types every column. A cache of this test's own: datasets keys its cache on the folder's
    # name and files, so another export to a folder of that name could be served from an old cache.
    dataset = datasets.load_dataset(str(exported / "ner-hf"), split="train", cache_dir=str(tmp_path / "cache"))
    assert set(dataset.column_names) == {"id", "doc_id", "tokens", "ner_tags", "token_offsets"}
    names = dataset.features["ner_tags"].feature.names
    assert names == json.loads((exported / "ner-hf" / "manifest.json").read_text())["details"]["ner_tag_names"]
    assert all(len(r["tokens"]) == len(r["ner_tags"]) == len(r["token_offsets"]) for r in dataset)
    # The tags rebuild exactly the gold entities of each document: label, start and end.
    rebuilt = {(row["doc_id"], *run) for row in dataset
               for run in bio_runs([names[t] for t in row["ner_tags"]], row["token_offsets"])}
    wanted = {(doc_id, s.label, s.start, s.end) for doc_id, g in gold.items() for s in g.spans
              if s.label in ENTITY_LABELS}
    assert rebuilt == wanted and len(wanted) > 50
    # seqeval, what token-classification training scripts score with, finds the same entities.
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    sequences = [[names[t] for t in row["ner_tags"]] for row in dataset]
    assert len(get_entities(sequences)) == len(wanted)
    assert len(Entities(sequences, IOB2, suffix=False).entities[0]) + sum(
        len(e) for e in Entities(sequences, IOB2, suffix=False).entities[1:]) == len(wanted)
    card = (exported / "ner-hf" / "README.md").read_text()
    assert card.startswith("---\n") and "## How it was made" in card and "token_offsets" in card


def test_attribution_hf_rebuilds_every_quote_speaker_and_cue(exported: Path, gold, tmp_path: Path) -> None:
    import datasets

    dataset = datasets.load_dataset(str(exported / "attribution-hf"), split="train", cache_dir=str(tmp_path / "cache"))
    assert dataset.features["quote_tags"].feature.names == ["O", "B-QUOTE", "I-QUOTE"]
    rebuilt = set()
    for row in dataset:
        for column in ("ner_tags", "quote_tags", "nested_quote_tags", "speaker_tags", "cue_tags"):
            names = dataset.features[column].feature.names
            rebuilt |= {(row["doc_id"], *run) for run in bio_runs([names[t] for t in row[column]], row["token_offsets"])}
        for quote in row["quotes"]:
            g = {s.id: s for s in gold[row["doc_id"]].spans}
            speaker = g[quote["speaker"]["id"]]
            assert (quote["speaker"]["start"], quote["speaker"]["end"]) == (speaker.start, speaker.end)
            [[first, last]] = quote["speaker"]["token_ranges"]
            assert row["token_offsets"][first][0] == speaker.start and row["token_offsets"][last - 1][1] == speaker.end
            assert quote["entity"]["label"] in ENTITY_LABELS and quote["form"] in ("direct", "indirect", "mixed")
    wanted = {(doc_id, s.label, s.start, s.end) for doc_id, g in gold.items() for s in g.spans
              if s.label in (*ENTITY_LABELS, "QUOTE", "SPEAKER", "CUE")}
    assert rebuilt == wanted
    assert sum(len(row["quotes"]) for row in dataset) == 31


def test_attribution_conll_ties_speakers_and_cues_to_their_quotes(exported: Path, gold) -> None:
    lines = (exported / "attribution-conll" / "gold.conll").read_text().splitlines()
    assert lines[0] == "-DOCSTART- -X- -X- O O O O O"
    assert {len(line.split(" ")) for line in lines if line} == {8}
    documents = [block for block in "\n".join(lines).split("-DOCSTART- -X- -X- O O O O O") if block.strip()]
    assert len(documents) == len(gold)
    for block, gold_set in zip(documents, gold.values()):
        rows = [line.split(" ") for line in block.splitlines() if line]
        offsets = [[int(r[1]), int(r[2])] for r in rows]
        found = set()  # (role, quote id, start, end), from the tags alone
        for column in (4, 5, 6, 7):
            for label, start, end in bio_runs([r[column] for r in rows], offsets):
                role, ids = label.split("-", 1)
                found |= {(role, quote_id, start, end) for quote_id in ids.split("|")}
        spans = {s.id: s for s in gold_set.spans}
        wanted = set()
        for relation in gold_set.relations:
            if relation.type in ("attributed_to", "cued_by"):
                linked = spans[relation.to]
                wanted.add((linked.label, relation.from_, linked.start, linked.end))
        for quote in (s for s in gold_set.spans if s.label == "QUOTE"):
            wanted.add(("QUOTE", quote.id, quote.start, quote.end))
        assert found == wanted


def test_spacy_docbin_loads(exported: Path, gold, texts) -> None:
    import spacy

    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(exported / "spacy" / "gold.spacy").get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 2
    for doc in docs:
        doc_id = doc.user_data["newsgold"]["doc_id"]
        assert doc.text == texts[doc_id]
        wanted = {(s.start, s.end, s.label) for s in gold[doc_id].spans if s.label == "QUOTE"}
        assert {(s.start_char, s.end_char, s.label_) for s in doc.spans["attribution"] if s.label_ == "QUOTE"} == wanted
        assert all(ent.text == texts[doc_id][ent.start_char:ent.end_char] for ent in doc.ents)
        assert len(doc.user_data["newsgold"]["relations"]) == len(gold[doc_id].relations)


def test_brat_reads_back_the_same_spans_and_relations(exported: Path, gold) -> None:
    conf = (exported / "brat" / "annotation.conf").read_text()
    assert "attributed_to\tArg1:QUOTE, Arg2:SPEAKER" in conf and "form\tArg:QUOTE" in conf
    for doc_id, gold_set in gold.items():
        text = (exported / "brat" / "gold" / f"{doc_id}.txt").read_text(encoding="utf-8")
        parsed = read_ann((exported / "brat" / "gold" / f"{doc_id}.ann").read_text(encoding="utf-8"), text)
        def key(s):  # type: ignore[no-untyped-def]
            return (s.start, s.end, s.label, tuple(sorted(s.attrs.items())), tuple(sorted(s.stance.items())))
        assert sorted(map(key, parsed.spans)) == sorted(map(key, gold_set.spans))
        by_brat = {s.id: (s.start, s.end, s.label) for s in parsed.spans}
        by_gold = {s.id: (s.start, s.end, s.label) for s in gold_set.spans}
        assert sorted((r.type, by_brat[r.from_], by_brat[r.to]) for r in parsed.relations) == sorted(
            (r.type, by_gold[r.from_], by_gold[r.to]) for r in gold_set.relations)


def test_label_studio_tasks(exported: Path) -> None:
    tasks = json.loads((exported / "label-studio" / "gold.json").read_text())
    assert len(tasks) == 2 and all(t["annotations"][0]["ground_truth"] for t in tasks)
    from label_studio_sdk.label_interface import LabelInterface

    from newsgold.formats.labelstudio import label_config

    interface = LabelInterface(label_config(Corpus.open(REPO / "corpus").scheme))
    for task in tasks:
        assert interface.validate_prediction({"result": task["annotations"][0]["result"]}, return_errors=True) == []


def test_splits_are_stable_as_the_corpus_grows() -> None:
    shares = parse_split("train=0.8,dev=0.1,test=0.1")
    ids = [f"doc-{n}" for n in range(2000)]
    before = {i: assign_split(i, shares) for i in ids[:1000]}
    after = {i: assign_split(i, shares) for i in ids}
    assert all(after[i] == split for i, split in before.items())
    counts = {name: list(after.values()).count(name) for name in shares}
    assert 1500 < counts["train"] < 1700 and 120 < counts["dev"] < 280
    with pytest.raises(UsageError):
        parse_split("train=0.8,dev=0.3")


def test_split_export_and_manifest(corpus: Corpus, tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["export", "--corpus", str(corpus.root), "--format", "jsonl", "--out",
                                  str(tmp_path / "x"), "--split", "train=0.5,dev=0.25,test=0.25"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "x" / "manifest.json").read_text())
    shares = parse_split("train=0.5,dev=0.25,test=0.25")
    expected = {}
    for doc_id in ("000_8dd4fb761523bda0", "004_2da5e68ab82a8b3d"):
        expected[assign_split(doc_id, shares)] = expected.get(assign_split(doc_id, shares), 0) + 1
    assert manifest["split_documents"] == dict(sorted(expected.items()))
    # every split has its file, an empty one with 0 records (two documents cannot fill three splits)
    assert set(manifest["files"]) == {"train.jsonl", "dev.jsonl", "test.jsonl"}
    for name in ("train", "dev", "test"):
        assert manifest["files"][f"{name}.jsonl"]["records"] == expected.get(name, 0)
        assert (tmp_path / "x" / f"{name}.jsonl").is_file()


def test_raw_annotation_sets_export(tiny: Path, tmp_path: Path) -> None:
    manifest = export(Corpus.open(tiny), "quotes", tmp_path / "q", source="annotations")
    lines = [json.loads(line) for line in (tmp_path / "q" / "annotations.jsonl").read_text().splitlines()]
    assert {line["annotator"] for line in lines} == {"alice", "bob"}
    assert manifest.source == "annotations" and manifest.files["annotations.jsonl"].records == 3


def test_failed_export_leaves_the_folder_as_it_was(corpus: Corpus, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    export(corpus, "jsonl", out)
    before = snapshot(out)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(FORMATS["jsonl"], "encode", broken)
    with pytest.raises(RuntimeError):
        export(corpus, "jsonl", out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_format_is_a_usage_error(corpus: Corpus, tmp_path: Path, runner) -> None:
    with pytest.raises(UsageError, match="unknown export format"):
        export(corpus, "xml", tmp_path / "x")
    result = runner.invoke(main, ["export", "--format", "xml", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2


def test_every_format_is_documented() -> None:
    formats_doc = (REPO / "docs" / "formats.md").read_text()
    for name in FORMATS:
        assert f"## `{name}`" in formats_doc, f"docs/formats.md lacks a section for {name}"




def test_brat_declares_a_shared_attribute_once_and_binary_attributes_without_values(tmp_path: Path) -> None:
    from newsgold.formats.brat import annotation_conf, read_ann, write_ann
    from newsgold.schemas import Scheme, Span

    scheme = Scheme.model_validate({"name": "s", "layers": [{"name": "x", "labels": [
        {"name": "Claim", "attrs": [{"name": "certainty", "values": ["high", "low"]},
                                    {"name": "negated", "values": ["true"]}]},
        {"name": "Report", "attrs": [{"name": "certainty", "values": ["low", "none"]}]}]}]})
    conf = annotation_conf(scheme)
    assert "certainty\tArg:Claim|Report, Value:high|low|none" in conf and conf.count("certainty\t") == 1
    assert "negated\tArg:Claim\n" in conf
    text = "It may rain."
    span = Span(id="s1", start=0, end=11, label="Claim", text="It may rain",
                attrs={"certainty": "low", "negated": "true"})
    ann = write_ann(text, [span], [], frozenset({"negated"}))
    assert "A2\tnegated T1\n" in ann and "A1\tcertainty T1 low\n" in ann
    [back] = read_ann(ann, text).spans
    assert back.attrs == {"certainty": "low", "negated": "true"}


def test_spacy_debug_data_finds_no_misaligned_tokens(exported: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "en", "--pipeline", "ner"],
                   check=True, capture_output=True)
    docbin = str(exported / "spacy" / "gold.spacy")
    run = subprocess.run([sys.executable, "-m", "spacy", "debug", "data", str(config), "--paths.train", docbin,
                          "--paths.dev", docbin], capture_output=True, text=True)
    assert "Corpus is loadable" in run.stdout, run.stdout + run.stderr
    assert "misaligned" not in run.stdout and "No entities crossing sentence boundaries" in run.stdout


def test_spacy_export_writes_bounded_shards_that_spacy_reads_as_one_corpus(corpus: Corpus, tmp_path: Path,
                                                                          monkeypatch, gold) -> None:
    import spacy
    from spacy.training import Corpus as SpacyCorpus

    from newsgold.formats import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCUMENTS", 1)
    manifest = export(corpus, "spacy", tmp_path / "sharded")
    assert set(manifest.files) == {"gold/00000.spacy", "gold/00001.spacy"}
    assert all(entry.records == 1 for entry in manifest.files.values())
    examples = list(SpacyCorpus(tmp_path / "sharded" / "gold")(spacy.blank("en")))  # what `spacy train` reads
    assert sorted(e.reference.user_data["newsgold"]["doc_id"] for e in examples) == sorted(gold)


def test_export_checks_its_arguments_and_names_the_allowed_values(tmp_path: Path) -> None:
    corpus = Corpus.open(REPO / "corpus")
    with pytest.raises(UsageError, match=r"corpus= takes an open corpus, not PosixPath: pass Corpus.open\('corpus'\)"):
        export(Path("corpus"), "jsonl", tmp_path / "a")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"source='annotation' is not a source of sets: use 'gold' or 'annotations'"):
        export(corpus, "jsonl", tmp_path / "b", source="annotation")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"source='annotation'"):
        export_all(corpus, tmp_path / "c", source="annotation")  # type: ignore[arg-type]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
    assert validate(corpus).ok and validate(corpus.root).ok  # validate takes either


def test_a_quotes_context_starts_with_the_mark_that_opens_its_sentence() -> None:
    """The committed quotes export (a test keeps it the export of corpus/): where a quotation mark
    opens the quote's sentence, the context holds it (spaCy's sentencizer alone left it behind)."""
    texts = {d.id: d.text for d in Corpus.open(REPO / "corpus").iter_documents()}
    opened = 0
    for line in (REPO / "exports" / "quotes" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text, start = texts[record["doc_id"]], record["start"]
        if start and text[start - 1] in "“\"‘'«„" and (start == 1 or text[start - 2].isspace()):
            opened += 1
            assert record["context"]["start"] <= start - 1, (record["quote_id"], record["context"]["text"][:40])
        assert text[record["context"]["start"]:record["context"]["end"]] == record["context"]["text"]
    assert opened >= 5


def test_a_discontinuous_quote_and_a_quote_in_its_gap_in_every_token_export(tmp_path: Path) -> None:
    """`“We will win,” Trump said, adding that the polls were wrong. “The state is ours.”`: the first
    quote is two fragments; the second lies in its gap, in no quote's text. spaCy gets one span per
    fragment, tied by the span id (read back here); attribution-hf's quote text leaves the gap out;
    the quote in the gap is in the quote layer, not the nested one."""
    from spacy.tokens import DocBin
    import spacy

    from newsgold.schemas.annotation import GoldSet, Provenance, Relation, Span
    from newsgold.schemas.document import Document

    from helpers import write_corpus

    text = "“We will win,” Trump said, adding that the polls were wrong. “The state is ours.”\n"

    def at(piece: str) -> tuple[int, int]:
        start = text.index(piece)
        return start, start + len(piece)

    f1, f2, inner = at("We will win,"), at("The state is ours."), at("the polls were wrong")
    speaker, cue, adding = at("Trump"), at("said"), at("adding")
    spans = [Span(id="q1", start=f1[0], end=f2[1], label="QUOTE", text=text[f1[0]:f2[1]], fragments=[f1, f2],
                  attrs={"form": "direct"}),
             Span(id="q2", start=inner[0], end=inner[1], label="QUOTE", text=text[inner[0]:inner[1]],
                  attrs={"form": "indirect"}),
             Span(id="sp", start=speaker[0], end=speaker[1], label="SPEAKER", text="Trump"),
             Span(id="p", start=speaker[0], end=speaker[1], label="PERSON", text="Trump"),
             Span(id="c1", start=cue[0], end=cue[1], label="CUE", text="said"),
             Span(id="c2", start=adding[0], end=adding[1], label="CUE", text="adding")]
    relations = [Relation(type="attributed_to", **{"from": "q1"}, to="sp"), Relation(type="cued_by", **{"from": "q1"}, to="c1"),
                 Relation(type="attributed_to", **{"from": "q2"}, to="sp"), Relation(type="cued_by", **{"from": "q2"}, to="c2"),
                 Relation(type="refers_to", **{"from": "sp"}, to="p")]
    document = Document.from_text("gap", text)
    gold = GoldSet(doc_id="gap", doc_sha256=document.sha256, spans=spans, relations=relations,
                   provenance=Provenance(method="manual", annotators=["test"]))
    corpus = Corpus.open(write_corpus(tmp_path / "c", [document], [gold]))
    assert validate(corpus.root).ok

    export(corpus, "spacy", tmp_path / "spacy")
    [doc] = DocBin().from_disk(tmp_path / "spacy" / "gold.spacy").get_docs(spacy.blank("en").vocab)
    quotes = [(s.text, doc.vocab.strings[s.id]) for s in doc.spans["attribution"] if s.label_ == "QUOTE"]
    assert sorted(quotes) == sorted([("We will win,", "q1"), ("The state is ours.", "q1"),
                                     ("the polls were wrong", "q2")])

    export(corpus, "attribution-hf", tmp_path / "hf")
    [row] = [json.loads(line) for line in (tmp_path / "hf" / "gold.jsonl").read_text().splitlines()]
    texts = {q["quote_id"]: q["text"] for q in row["quotes"]}
    assert texts == {"q1": "We will win, The state is ours.", "q2": "the polls were wrong"}
    begins = [row["tokens"][i] for i, tag in enumerate(row["quote_tags"]) if tag == 1]  # B-QUOTE
    assert begins == ["We", "the", "The"] and not any(row["nested_quote_tags"])

    export(corpus, "attribution-conll", tmp_path / "conll")
    columns = [line.split(" ") for line in (tmp_path / "conll" / "gold.conll").read_text().splitlines()
               if line and not line.startswith("-DOCSTART-")]
    assert [c[0] for c in columns if c[4].startswith("B-QUOTE")] == ["We", "the", "The"]
    assert all(c[5] == "O" for c in columns)
