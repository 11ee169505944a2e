"""Finding a corpus's Label Studio project, keeping its config current, and paging through its tasks."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import ijson
from label_studio_sdk.label_interface import LabelInterface

from newsgold.corpus.outcomes import Notice
from newsgold.corpus.store import Corpus
from newsgold.errors import ConfigChangeError, StudioError, StudioUnreachableError, UsageError
from newsgold.corpus.pseudonyms import Pseudonyms
from newsgold.formats.labelstudio.state import StudioState
from newsgold.studio.client import Studio

__all__ = ["PAGE_SIZE", "attribute", "ensure_config", "find_project", "project_description", "iso_time", "iter_tasks", "iter_exported_tasks", "ExportedTask",
           "task_map", "user_emails"]

PAGE_SIZE = 100
NOT_FOUND = 404


def iso_time(value: Any) -> str | None:
    """An SDK timestamp (datetime or string) as an ISO 8601 string ending in Z; None otherwise."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value if isinstance(value, str) else None


def attribute(record: Any, name: str, default: Any = None) -> Any:
    """`name` of an SDK object or of the plain dict the SDK sometimes returns instead."""
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


def find_project(studio: Studio, state: StudioState, pseudonyms: Pseudonyms, project_id: int | None,
                 title: str | None, corpus: Corpus, warnings: list[Notice] | None = None) -> Any | None:
    """The project named by id, else by `title`, else the corpus's default, else titled as the corpus.

    None if no project has that title; UsageError if several have it, or if the one found by title
    was made by another corpus (its description names another corpus key: see `project_description`)
    while this corpus has a stored salt; without one (no sync finished yet) the project is used and
    `warnings` says so;
    StudioError if a named id cannot be read (a vanished default project is looked up by title instead).
    """
    sdk = studio.sdk
    if project_id is not None:
        return studio.call(f"read project {project_id}", sdk.projects.get, id=project_id)
    if title is None and state.default_project is not None:
        try:
            return studio.call(f"read project {state.default_project}", sdk.projects.get,
                               id=state.default_project)
        except StudioError as exc:
            if exc.status != NOT_FOUND:
                raise
    wanted = title or corpus.name
    projects: list[Any] = studio.call("list projects", lambda: list(sdk.projects.list(title=wanted)))
    found = [p for p in projects if p.title == wanted]
    if len(found) > 1:
        ids = ", ".join(str(p.id) for p in found)
        raise UsageError(f"several Label Studio projects are titled {wanted!r} ({ids}); name one with project_id=ID")
    if found:
        theirs = _KEY.search(getattr(found[0], "description", None) or "")
        if theirs is not None and theirs.group(1) != pseudonyms.corpus_key:
            project = found[0]
            if not pseudonyms.stored:
                # This corpus has never finished a sync (its salt is not stored yet): the project may
                # be its own, from a first push that failed, or another copy's. Use it, and say so.
                if warnings is not None:
                    warnings.append(Notice("project-of-another-salt", params={
                        "project_id": project.id, "title": wanted, "project_key": theirs.group(1)}))
                return project
            raise UsageError(
                f"Label Studio project {project.id} titled {wanted!r} was made by another corpus, or by a copy "
                f"of this one with another {corpus.state_dir / 'pseudonyms.json'} (project key "
                f"{theirs.group(1)}, this corpus {pseudonyms.corpus_key}). To share that project, copy its corpus's "
                f".newsgold/pseudonyms.json and .newsgold/labelstudio.json here (annotator pseudonyms then "
                f"match too); to use it anyway, name it with project_id={project.id}; for a project of this "
                f"copy, give title=NEW-TITLE")
    return found[0] if found else None


_KEY = re.compile(r"\[(ng-[0-9a-f]{12})\]")


def project_description(corpus_name: str, corpus_key: str) -> str:
    """The description of a project newsgold makes: the corpus it serves, and that corpus's key,
    by which a later push or pull from another corpus (or an unshared copy) is told apart."""
    return f"newsgold corpus {corpus_name} [{corpus_key}]"


def _control_labels(config: str) -> set[tuple[str, str]]:
    """(control name, label or choice) of every control of a labeling config."""
    return {(control.name, label) for control in LabelInterface(config).controls or []
            for label in (control.labels or [])}


def ensure_config(studio: Studio, project: Any, config: str) -> bool:
    """Update the project's config if it differs (True if it did); ConfigChangeError if existing
    annotations or predictions use a label or choice the new config removes."""
    current = project.label_config or ""
    if current.strip() == config.strip():
        return False
    removed = _control_labels(current) - _control_labels(config) if current else set()
    if removed:
        used = _used_labels(studio, project.id) & removed
        if used:
            names = ", ".join(f"{label} ({control})" for control, label in sorted(used))
            raise ConfigChangeError(
                f"project {project.id} has annotations or predictions that use {names}, which the "
                "corpus scheme no longer has: updating its labeling config would orphan them. Restore "
                "them in the scheme, or push to a new project with title=NEW-TITLE")
    studio.call(f"update the labeling config of project {project.id}", studio.sdk.projects.update,
                id=project.id, label_config=config)
    return True


def _used_labels(studio: Studio, project_id: int) -> set[tuple[str, str]]:
    """(control, label or choice) pairs used by any annotation or prediction of the project."""
    used = set()
    for task in iter_tasks(studio, project_id, fields="all"):
        for item in list(task.annotations or []) + list(task.predictions or []):
            for result in attribute(item, "result") or []:
                value = result.get("value") or {}
                for key in ("labels", "choices"):
                    for label in value.get(key) or []:
                        used.add((result.get("from_name"), label))
    return used


def iter_tasks(studio: Studio, project_id: int, *, fields: str, since: str | None = None,
               on_total: Callable[[int], None] | None = None) -> Iterator[Any]:
    """Stream the tasks of a project page by page (`since`: only those updated after it);
    `on_total` is called once with the number of tasks the server reports."""
    query = None
    if since is not None:
        query = json.dumps({"filters": {"conjunction": "and", "items": [{
            "filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime",
            "value": since}]}})
    page_size = PAGE_SIZE if fields == "all" else 10 * PAGE_SIZE
    page = 1
    while True:
        response: Any = studio.call(
            f"list tasks of project {project_id}",
            lambda page=page: studio.sdk.tasks.list(project=project_id, fields=fields, page=page,
                                                    page_size=page_size, query=query))
        items = list(response.items or [])
        total = getattr(getattr(response, "response", None), "total", None)
        if page == 1 and on_total is not None:
            on_total(total if total is not None else len(items))
        yield from items
        if len(items) < page_size or (total is not None and page * page_size >= total):
            return
        page += 1


class _ChunkReader(io.RawIOBase):
    """A binary file over an iterator of byte chunks (an HTTP body as it arrives), for ijson."""

    def __init__(self, first: bytes, rest: Iterator[bytes]) -> None:
        self.pending, self.rest = first, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.rest, None)
            if chunk is None:
                return 0
            self.pending = chunk
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


@dataclass(frozen=True)
class ExportedTask:
    """A task of Label Studio's JSON export, with the attributes pull reads of the SDK's tasks."""

    id: Any
    data: Any
    annotations: Any
    drafts: Any
    updated_at: Any

    @classmethod
    def of(cls, record: Any) -> ExportedTask:
        record = record if isinstance(record, dict) else {}
        return cls(record.get("id"), record.get("data"), record.get("annotations"), record.get("drafts"),
                   record.get("updated_at"))


def iter_exported_tasks(studio: Studio, project_id: int) -> Iterator[ExportedTask]:
    """Every task of a project with its annotations and drafts, read from Label Studio's own JSON
    export (`/api/projects/ID/export?exportType=JSON`) and parsed as it streams (ijson): one request
    instead of a page of 100 tasks at a time, at the speed Label Studio writes its export.

    Raises StudioError when the export cannot be read whole (the caller has stored nothing yet).
    """
    chunks = studio.sdk.projects.exports.download_sync(project_id, export_type="JSON", download_all_tasks=True)
    first = studio.call(f"export the tasks of project {project_id}", lambda: next(chunks, b""))
    try:
        for record in ijson.items(io.BufferedReader(_ChunkReader(first, chunks), 1 << 20), "item", use_float=True):
            yield ExportedTask.of(record)
    except httpx.HTTPError as exc:  # the server went away mid-body: unreachable, as documented (exit 2)
        raise StudioUnreachableError(f"Label Studio's export of project {project_id} broke off ({exc}); nothing "
                                     "was pulled: check that the server is running, then run the pull again") from None
    except ijson.JSONError as exc:  # what arrived whole is not JSON: the server's answer itself is wrong
        raise StudioError(f"Label Studio's export of project {project_id} is not JSON ({exc}); nothing was "
                          "pulled: run the pull again") from None


def task_map(studio: Studio, project_id: int) -> dict[str, tuple[int, str]]:
    """doc_id -> (task id, doc_sha256) of every task of the project that newsgold pushed."""
    mapping = {}
    for task in iter_tasks(studio, project_id, fields="task_only"):
        data = task.data or {}
        if isinstance(data.get("doc_id"), str):
            mapping[data["doc_id"]] = (task.id, str(data.get("doc_sha256")))
    return mapping


def user_emails(studio: Studio) -> dict[int, str]:
    """Label Studio user id -> e-mail address, for every user the key may list."""
    return {u.id: u.email for u in studio.call("list users", lambda: list(studio.sdk.users.list()))}
