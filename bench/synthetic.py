"""What the benchmarks share: a synthetic corpus generator and a best-of timer (not test fixtures).

Documents of about `chars` characters with `spans` spans each, in every layer of the default
scheme, with attributed and cued quotes and stance, written straight to the corpus files.
"""

from __future__ import annotations

import gc
import hashlib
import random
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from newsgold.corpus.store import init_corpus

WORDS = ("minister said that the alliance has personnel in the country according to officials "
         "while troops were not deployed and Russia denied every claim about the war 😀 Ünïcode").split()
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def make_corpus(root: Path, documents: int, *, chars: int = 3000, spans: int = 30,
                seed: int = 7) -> Path:
    """Write a valid corpus of `documents` documents (one annotation set and one gold each)."""
    rng = random.Random(seed)
    init_corpus(root, name=f"synthetic-{documents}")
    with open(root / "documents.jsonl", "wb") as docs, \
            open(root / "annotations.jsonl", "wb") as anns, open(root / "gold.jsonl", "wb") as gold:
        for n in range(documents):
            words = []
            length = 0
            while length < chars:
                word = rng.choice(WORDS)
                words.append(word)
                length += len(word) + 1
            text = " ".join(words)
            sha = hashlib.sha256(text.encode()).hexdigest()
            doc_id = f"doc-{n:07d}"
            docs.write(orjson.dumps({"format_version": "1.0", "id": doc_id, "text": text, "sha256": sha,
                                     "meta": {"title": f"Article {n}", "language": "en"}}) + b"\n")
            content = _content(text, spans, rng)
            record = {"format_version": "1.0", "doc_id": doc_id, "doc_sha256": sha, **content}
            anns.write(orjson.dumps({**record, "annotator": "annotator-1",
                                     "origin": {"source": "script"}, "status": "submitted"}) + b"\n")
            gold.write(orjson.dumps({**record, "provenance": {"method": "manual"}}) + b"\n")
    return root


def _content(text: str, count: int, rng: random.Random) -> dict:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == " ":
            starts.append(i + 1)
    step = max(1, len(starts) // count)
    spans, relations = [], []
    i = 0
    while len(spans) + 3 <= count and i + 3 < len(starts):
        kind = len(spans) % 6
        s, e = starts[i], starts[i + 1] - 1
        if kind == 0:
            qs, qe = starts[i], starts[min(i + step - 1, len(starts) - 1)] - 1
            q, sp, cu = f"s{len(spans)}", f"s{len(spans) + 1}", f"s{len(spans) + 2}"
            spans.append({"id": q, "start": qs, "end": qe, "label": "QUOTE", "text": text[qs:qe],
                          "attrs": {"form": "direct"}, "stance": {"nato-personnel-in-ukraine": "favor"}})
            spans.append({"id": sp, "start": s, "end": e, "label": "SPEAKER", "text": text[s:e]})
            spans.append({"id": cu, "start": qe + 1, "end": starts[i + step] - 1 if i + step < len(starts) else len(text),
                          "label": "CUE", "text": ""})
            spans[-1]["text"] = text[spans[-1]["start"]:spans[-1]["end"]]
            relations += [{"type": "attributed_to", "from": q, "to": sp},
                          {"type": "cued_by", "from": q, "to": cu}]
        else:
            spans.append({"id": f"s{len(spans)}", "start": s, "end": e, "label": LABELS[kind % 4],
                          "text": text[s:e]})
        i += step
    return {"spans": spans, "relations": relations, "stance": {"nato-personnel-in-ukraine": "favor"}}


def interleaved_best(runs: int, functions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of `runs` timed calls of each function, taking turns so that the machine's
    drift in speed (seen here: up to 40 % within minutes) weighs on every function alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def best_of(runs: int, function: Callable[[], object]) -> float:
    """The fastest of `runs` timed calls, in seconds, each after a garbage collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)
