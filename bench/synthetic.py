"""What the benchmarks share: a synthetic corpus generator and an interleaved timer (not test fixtures).

Documents of about `chars` characters with `spans` spans each, in every layer of the default
scheme, with attributed and cued quotes and stance, written straight to the corpus files.
"""

from __future__ import annotations

import gc
import hashlib
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsgold.corpus.store import Corpus, init_corpus

BUNDLED = Path(__file__).resolve().parents[1] / "corpus"
"""The bundled corpus, whose scheme (the news scheme with its three stance claims) the synthetic
corpus takes: its sets take a stance toward one of those claims."""

WORDS = ("minister said that the alliance has personnel in the country according to officials "
         "while troops were not deployed and Russia denied every claim about the war 😀 Ünïcode").split()
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def make_corpus(root: Path, documents: int, *, chars: int = 3000, spans: int = 30,
                seed: int = 7) -> Path:
    """Write a valid corpus of `documents` documents (one annotation set and one gold each)."""
    rng = random.Random(seed)
    init_corpus(root, name=f"synthetic-{documents}", scheme=Corpus.open(BUNDLED).scheme)
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


@dataclass(frozen=True)
class Timings:
    """Seconds of each timed call, per function, in the order of the rounds."""

    seconds: dict[str, list[float]]

    def best(self, name: str) -> float:
        """The fastest call of `name`."""
        return min(self.seconds[name])

    def best_ratio(self, name: str, base: str) -> float:
        """Fastest `name` over fastest `base`."""
        return self.best(name) / self.best(base)

    def median_ratio(self, name: str, base: str) -> float:
        """The median over rounds of `name` / `base` timed in the same round: a round's ratio is
        untouched by drift slower than one round, which best-of ratios are not."""
        return statistics.median(a / b for a, b in zip(self.seconds[name], self.seconds[base],
                                                       strict=True))

    def ratio_range(self, name: str, base: str) -> tuple[float, float]:
        """Lowest and highest per-round ratio of `name` to `base`."""
        ratios = [a / b for a, b in zip(self.seconds[name], self.seconds[base], strict=True)]
        return min(ratios), max(ratios)


def interleaved(runs: int, functions: dict[str, Callable[[], object]]) -> Timings:
    """Time `runs` rounds of calls, each round calling every function once in turn, so that the
    machine's drift in speed (seen here: up to 40 % within minutes) weighs on every function alike."""
    seconds: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            function()
            seconds[name].append(time.perf_counter() - start)
    return Timings(seconds)
