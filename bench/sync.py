"""Benchmark the Label Studio sync against a local server with a few thousand tasks.

Prints:
- push time as a ratio to one raw `import_tasks` call with the same payload (goal <= 1.15);
- a full pull as a ratio to Label Studio's own JSON export of the same project (goal <= 1.2);
- `pull --since-last` after one changed task as a ratio to a full pull (goal <= 0.1).

Uses LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY if set, else starts a throwaway server from
.venv-labelstudio (make test installs it). Usage: python bench/sync.py [--documents 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from synthetic import make_corpus  # noqa: E402

from newsgold.corpus import Corpus  # noqa: E402
from newsgold.formats.labelstudio import document_task, label_config, set_to_results  # noqa: E402
from newsgold.studio import connect, pull, push  # noqa: E402


def timed(function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run(url: str, token: str, documents: int) -> dict[str, float]:
    studio = connect(url=url, api_key=token)
    sdk = studio.sdk
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(make_corpus(Path(tmp) / "c", documents, chars=1500, spans=12))
        config = label_config(corpus.scheme)
        payload = [{"data": document_task(d)} for d in corpus.iter_documents()]

        raw_times, push_times, first_push_times = [], [], []
        for _ in range(3):  # best of three: the server's own timings vary by 10-20 %
            raw_project = sdk.projects.create(title=f"bench-raw-{uuid.uuid4().hex[:6]}", label_config=config)
            raw_times.append(timed(lambda: sdk.projects.import_tasks(id=raw_project.id, request=payload))[0])
            # Like the raw call: into an existing, empty project with the same config.
            empty = sdk.projects.create(title=f"bench-push-{uuid.uuid4().hex[:6]}", label_config=config)
            seconds, report = timed(lambda: push(corpus, studio, project_id=empty.id))
            assert len(report.imported) == documents
            push_times.append(seconds)
            # A first push: finds no project, creates it, imports.
            seconds, report = timed(lambda: push(corpus, studio, title=f"bench-first-{uuid.uuid4().hex[:6]}"))
            first_push_times.append(seconds)
        raw_s, push_s, first_push_s = min(raw_times), min(push_times), min(first_push_times)

        # A project whose every task carries an annotation, imported in one go.
        annotated = sdk.projects.create(title=f"bench-pull-{uuid.uuid4().hex[:6]}", label_config=config)
        gold = {g.doc_id: g for g in corpus.iter_gold()}
        sdk.projects.import_tasks(id=annotated.id, request=[
            {**task, "annotations": [{"result": set_to_results(gold[task["data"]["doc_id"]], corpus.scheme)}]}
            for task in payload])
        full_s, full = timed(lambda: pull(corpus, studio, project_id=annotated.id))
        assert len(full.added) == documents, (len(full.added), full.rejected[:3], full.conflicts[:3])
        # Label Studio's own JSON export of the same project, read whole: the floor of a full pull.
        export_times, pull_times = [], [full_s]
        for _ in range(3):
            export_times.append(timed(lambda: b"".join(sdk.projects.exports.download_sync(
                annotated.id, export_type="JSON", download_all_tasks=True)))[0])
            pull_times.append(timed(lambda: pull(corpus, studio, project_id=annotated.id))[0])  # unchanged: a no-op
        export_s = min(export_times)
        task = next(iter(sdk.tasks.list(project=annotated.id, fields="all", page_size=1)))
        annotation = task.annotations[0]
        annotation_id = annotation["id"] if isinstance(annotation, dict) else annotation.id
        sdk.annotations.update(id=annotation_id, result=[])
        since_s, since = timed(lambda: pull(corpus, studio, project_id=annotated.id, since_last=True))
        assert since.tasks_seen == 1 and len(since.updated) == 1
    return {"documents": documents, "raw_import_s": round(raw_s, 2), "push_s": round(push_s, 2),
            "push_ratio": round(push_s / raw_s, 2), "first_push_s": round(first_push_s, 2),
            "first_push_ratio": round(first_push_s / raw_s, 2), "full_pull_s": round(full_s, 2),
            "since_last_pull_s": round(since_s, 3), "since_last_ratio": round(since_s / full_s, 3),
            "label_studio_export_s": round(export_s, 2), "full_pull_over_export": round(full_s / export_s, 2),
            "repeat_pull_over_export": round(min(pull_times[1:]) / export_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=3000)
    args = parser.parse_args()
    url, token = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    server = None
    if not (url and token):
        import label_studio_server

        binary = label_studio_server.label_studio_binary()
        if binary is None:
            sys.exit("no label-studio: run `make test` once (it installs .venv-labelstudio) or set LABEL_STUDIO_URL")
        server = label_studio_server.start(binary, Path(tempfile.mkdtemp(prefix="ls-bench-")))
        url, token = server.url, server.token
    try:
        results = run(url, token, args.documents)
    finally:
        if server is not None:
            label_studio_server.stop(server)
    print(f"{results['documents']} tasks: push {results['push_s']}s vs one raw import_tasks "
          f"{results['raw_import_s']}s: {results['push_ratio']}x (goal <= 1.15); a first push that also "
          f"creates the project {results['first_push_s']}s: {results['first_push_ratio']}x")
    print(f"full pull {results['full_pull_s']}s vs Label Studio's own JSON export of the project "
          f"{results['label_studio_export_s']}s: {results['full_pull_over_export']}x (goal <= 1.2); a repeated "
          f"full pull (nothing new) {results['repeat_pull_over_export']}x")
    print(f"pull --since-last after one change {results['since_last_pull_s']}s vs full pull "
          f"{results['full_pull_s']}s: {results['since_last_ratio']}x (goal <= 0.1)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
