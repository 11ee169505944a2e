"""`newsgold studio config|push|pull|status|serve|annotators|review`: sync a corpus with Label Studio; run one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from newsgold.cli._common import (HELP_OPTIONS, as_flags, corpus_option, open_corpus, outcome_line, output_format_option,
                                  print_json, removed_option, set_option, stdout_console)

# newsgold.studio (and with it label-studio-sdk, pandas, ...) is imported by the commands that talk
# to the server, not when the CLI starts.

F = TypeVar("F", bound=Callable[..., Any])


def _server_options(function: F) -> F:
    """--url and --api-key, the same on every command that talks to the server."""
    function = click.option("--api-key", envvar=None, default=None,
                            help="Access token [default: $LABEL_STUDIO_API_KEY, else the token `newsgold studio "
                                 "serve` stored]. Prefer the variable: command lines are visible to other users.")(function)
    return click.option("--url", default=None,
                        help="Label Studio URL [default: $LABEL_STUDIO_URL, else the server `newsgold studio "
                             "serve` started].")(function)


def _connection_options(function: F) -> F:
    function = _server_options(function)
    function = click.option("--title", default=None,
                            help="Project title [default: the project last used, else the corpus name].")(function)
    function = click.option("--project", "project_id", type=int, default=None,
                            help="Project id [default: the project last used by this corpus].")(function)
    return corpus_option(function)


@click.group("studio", context_settings=HELP_OPTIONS)
def studio_cli() -> None:
    """Sync the corpus with Label Studio: config, push tasks, pull annotations, status; serve one.

    Connection settings come from LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (or --url/--api-key),
    else from the server `newsgold studio serve` started.
    """


@studio_cli.command("config", context_settings=HELP_OPTIONS)
@corpus_option
def config_cli(corpus_dir: Path | None) -> None:
    """Print the Label Studio labeling config generated from the corpus scheme."""
    from newsgold.formats.labelstudio.config import label_config

    click.echo(label_config(open_corpus(corpus_dir).scheme), nl=False)


@studio_cli.command("push", context_settings=HELP_OPTIONS)
@_connection_options
@set_option("Send these sets as pre-annotations (predictions): gold, or the name of annotation sets (an "
            "annotator id, such as suggest) [default: none sent].")
@removed_option("--predictions", "--set NAME", takes_value=True)
@click.option("--batch-size", type=click.IntRange(1, 50_000), default=5000, show_default=True,
              help="Tasks per import request.")
@click.option("--overlap", type=click.IntRange(1, 100), default=None,
              help="Give every document to this many annotators (Label Studio serves a task to no one "
                   "once that many have submitted it) [default: leave the project's setting; 1 for a new one].")
@click.option("--order", type=click.Choice(["corpus", "uncertain"]), default="corpus", show_default=True,
              help="The order of the new tasks, which annotators get them in: the corpus's, or uncertain: the "
                   "documents whose --set suggestions are least confident first.")
@output_format_option("json")
def push_cli(corpus_dir: Path | None, project_id: int | None, title: str | None, url: str | None,
             api_key: str | None, set_name: str | None, batch_size: int, overlap: int | None, order: str,
             output_format: str) -> None:
    """Create or update the project and import one task per document not yet in it.

    Pushing twice creates no duplicates; a document whose text changed since it was pushed is
    reported, not re-imported; a config change that would orphan annotations is refused.
    """
    corpus = open_corpus(corpus_dir)
    from newsgold.studio import connect, push

    studio = connect(url, api_key)
    report = push(corpus, studio, project_id=project_id, title=title, set_name=set_name,
                  batch_size=batch_size, overlap=overlap, order=order)
    if output_format == "json":
        print_json(report)
        return
    verb = "created" if report.created_project else "updated" if report.config_updated else "using"
    click.echo(f"{verb} project {report.project_id} ({report.project_title!r}): imported "
               f"{len(report.imported)} tasks, {report.already_present} already present, "
               f"{report.predictions} predictions sent"
               + (f", {report.predictions_updated} replaced" if report.predictions_updated else "")
               + (f", {report.predictions_unchanged} unchanged" if report.predictions_unchanged else "")
               + f"; each document goes to {report.overlap} annotator{'s' if report.overlap > 1 else ''}"
               + (" (changed)" if report.overlap_changed else "")
               + ("; new tasks in uncertain order, least confident first" if report.order == "uncertain" else "")
               + ("; the labeling page changed (the scheme's labels, attributes or claims): annotators see the new "
                  "one when they next open a task" if report.config_updated and not report.created_project else "")
               + ("; the project's sampling set back to sequential" if report.sampling_changed else ""))
    for doc_id in report.text_changed:
        click.echo(f"Warning: {doc_id}: its text changed since it was pushed; the task was not "
                   "re-imported (annotations in Label Studio refer to the old text)", err=True)
    for warning in report.warnings:
        click.echo(f"Warning: {as_flags(warning.as_text())}", err=True)
    for error in report.prediction_errors:
        click.echo(f"Warning: prediction not sent: {error.as_text()}", err=True)


@studio_cli.command("pull", context_settings=HELP_OPTIONS)
@_connection_options
@click.option("--since-last", is_flag=True, help="Fetch only tasks changed since the last complete pull.")
@click.option("--keep-identities", is_flag=True,
              help="Store annotators' e-mail addresses instead of stable pseudonyms.")
@click.option("--replace", is_flag=True, help="Label Studio's version replaces local edits (of every "
              "document, or of those --doc names); the replaced sets are kept in .newsgold/replaced/.")
@click.option("--doc", "doc_ids", multiple=True, metavar="DOC_ID",
              help="With --replace: only this document's local edits (repeatable).")
@removed_option("--take-studio", "--replace --doc DOC_ID", takes_value=True)
@removed_option("--take-studio-all", "--replace")
@output_format_option("json")
def pull_cli(corpus_dir: Path | None, project_id: int | None, title: str | None, url: str | None,
             api_key: str | None, since_last: bool, keep_identities: bool, replace: bool,
             doc_ids: tuple[str, ...], output_format: str) -> None:
    """Fetch submitted annotations into annotations.jsonl, one set per annotator and document.

    Idempotent. Edits and deletions in Label Studio propagate; a local set edited since its last
    pull is never overwritten: kept while its annotation is unchanged in Label Studio, a conflict
    (exit status 1) once both changed, unless --replace (--doc DOC_ID for one document). Skipped
    annotations and drafts are reported, not pulled.
    """
    corpus = open_corpus(corpus_dir)
    from newsgold.studio import connect, pull

    studio = connect(url, api_key)
    report = pull(corpus, studio, project_id=project_id, title=title, since_last=since_last,
                  keep_identities=keep_identities, replace=replace, doc_ids=doc_ids)
    if output_format == "json":
        print_json(report, failed=not report.ok)
        return
    click.echo(f"project {report.project_id}: {report.tasks_seen} tasks read; added {len(report.added)}, "
               f"updated {len(report.updated)}, removed {len(report.removed)}, unchanged {report.unchanged}, "
               f"kept {len(report.of('kept'))} (edited here, not in Label Studio), "
               f"conflicts {len(report.conflicts)}, rejected {len(report.rejected)}")
    if report.backup_path is not None:
        click.echo(f"the local sets Label Studio's version replaced are kept in {report.backup_path}")
    for outcome in report.skipped:
        click.echo(f"not pulled: {outcome.as_text()}", err=True)
    for notice in report.warnings:
        click.echo(f"Warning: {as_flags(notice.as_text())}", err=True)
    for outcome in report.conflicts:
        click.echo(f"Conflict: {outcome_line(outcome)}", err=True)
    for outcome in report.rejected:
        click.echo(f"Rejected: {outcome_line(outcome)}", err=True)
    if not report.ok:
        click.echo("Some annotations were not stored (see above); everything else was. Resolve them and "
                   "pull again.", err=True)
        sys.exit(1)


@studio_cli.command("status", context_settings=HELP_OPTIONS)
@_connection_options
@click.option("--keep-identities", is_flag=True, help="Show e-mail addresses instead of pseudonyms.")
@output_format_option("json")
def status_cli(corpus_dir: Path | None, project_id: int | None, title: str | None, url: str | None,
               api_key: str | None, keep_identities: bool, output_format: str) -> None:
    """Tasks, annotated and skipped counts per annotator, and documents with disagreements."""
    from rich.table import Table

    from newsgold.studio import connect, status

    report = status(open_corpus(corpus_dir), connect(url, api_key), project_id=project_id,
                    title=title, keep_identities=keep_identities)
    if output_format == "json":
        print_json(report)
        return
    console = stdout_console()
    console.print(f"project {report.project_id} ({report.project_title}): {report.tasks} tasks, "
                  f"{report.annotated_tasks} annotated")
    short = report.overlap_short
    console.print(f"overlap {report.overlap}: {len(report.overlap_done)} documents done, "
                  f"{sum(1 for n in short.values() if n)} under way, {sum(1 for n in short.values() if not n)} "
                  "not started")
    under_way = [f"{doc} ({count} of {report.overlap})" for doc, count in sorted(short.items()) if count]
    if report.overlap > 1 and under_way:  # nothing to list when no document is under way
        console.print("under way: " + ", ".join(under_way))
    table = Table(title="Per annotator")
    table.add_column("annotator")
    table.add_column("annotated", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("drafts", justify="right")
    for who in sorted(set(report.annotated) | set(report.skipped) | set(report.drafts)):
        table.add_row(who, str(report.annotated.get(who, 0)), str(report.skipped.get(who, 0)),
                      str(report.drafts.get(who, 0)))
    console.print(table)
    if report.disagreements:
        console.print("documents with disagreements: " + ", ".join(report.disagreements))
    for notice in report.repeated:
        console.print(f"two annotations of one annotator: {notice.as_text()}; delete one in Label Studio")
    if report.conflicts:
        console.print(f"the last pull left {len(report.conflicts)} conflicts (resolve them, or pull with "
                      "--replace --doc DOC_ID):")
        for outcome in report.conflicts:
            console.print(f"  {outcome_line(outcome)}")


@studio_cli.command("serve", context_settings=HELP_OPTIONS)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where Label Studio keeps its database, uploads and log [default: label-studio-data in "
                   "newsgold's home folder, $NEWSGOLD_HOME or ~/.local/share/newsgold].")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on: this machine only, unless the team reaches it over a network you trust.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              envvar="NEWSGOLD_LABEL_STUDIO_PORT", help="Port to listen on [$NEWSGOLD_LABEL_STUDIO_PORT].")
@click.option("--database-url", default=None, envvar="NEWSGOLD_LABEL_STUDIO_DATABASE_URL",
              help="postgresql://USER:PASSWORD@HOST:5432/NAME to keep the database in PostgreSQL "
                   "[default: SQLite in --data-dir; $NEWSGOLD_LABEL_STUDIO_DATABASE_URL].")
@click.option("--label-studio", "label_studio", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="NEWSGOLD_LABEL_STUDIO_BIN", metavar="PATH",
              help="An installed `label-studio` command to run instead of the tested version newsgold installs "
                   "[$NEWSGOLD_LABEL_STUDIO_BIN].")
@click.option("--stop", is_flag=True, help="Stop the server this command started.")
@output_format_option("json")
def serve_cli(data_dir: Path | None, host: str, port: int, database_url: str | None, label_studio: Path | None,
              stop: bool, output_format: str) -> None:
    """Start Label Studio for the team (installing the tested version the first time), or --stop it.

    The admin account and its access token are made on the first start and kept, readable by you
    only, in label-studio.json in newsgold's home folder; the other studio commands find the server
    and the token there, so LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY need not be set.
    """
    from newsgold.studio import serve, stop_server

    if stop:
        stopped = stop_server()
        if output_format == "json":
            print_json(stopped)
            return
        click.echo(f"stopped Label Studio at {stopped.url}" if stopped.stopped
                   else "no Label Studio started by newsgold is running")
        return
    from newsgold.studio.server import LABEL_STUDIO_VERSION, label_studio_installed

    if label_studio is None and not label_studio_installed():
        click.echo(f"Installing Label Studio {LABEL_STUDIO_VERSION} from newsgold's lock, once: a few minutes "
                   "(about 160 packages); --label-studio PATH uses one you have instead.", err=True)
    report = serve(data_dir=data_dir, host=host, port=port, database_url=database_url, label_studio=label_studio)
    if output_format == "json":  # the token's first characters only, as in the text
        print_json(report)
        return
    state = "is already running" if report.already_running else "is running"
    click.echo(f"Label Studio {state} at {report.url} (data: {report.data_dir}, database: {report.database}, "
               f"log: {report.log})")
    click.echo(f"Sign in as {report.email}; the password and the access token ({report.token_shown}) are in "
               f"{report.record}, readable by you only.")
    click.echo("The other `newsgold studio` commands find this server and its token by themselves.")


@studio_cli.command("annotators", context_settings=HELP_OPTIONS)
@_server_options
@output_format_option("json")
def annotators_cli(url: str | None, api_key: str | None, output_format: str) -> None:
    """The server's accounts, and the invite link with which a new annotator makes one.

    Send the link to your annotators only: anyone who has it can join.
    """
    from rich.table import Table

    from newsgold.studio import annotators, connect
    from newsgold.studio.server import SIGN_UP_STEPS

    report = annotators(connect(url, api_key))
    if output_format == "json":
        print_json(report)
        return
    console = stdout_console()
    table = Table(title=f"Accounts at {report.url}")
    table.add_column("e-mail")
    table.add_column("name")
    table.add_column("last active")
    for member in report.members:
        table.add_row(member.email, member.name, member.last_activity or "")
    console.print(table)
    console.print(f"Invite link: {report.invite_url}", soft_wrap=True)
    console.print(f"A new annotator: {SIGN_UP_STEPS}.", soft_wrap=True)


@studio_cli.command("review", context_settings=HELP_OPTIONS)
@corpus_option
@_server_options
@click.option("--pull", "pull_back", is_flag=True, help="Store the adjudicator's submissions as gold.")
@click.option("--replace", is_flag=True, help="With --pull: replace gold made by hand since (reported).")
@output_format_option("json")
def review_cli(corpus_dir: Path | None, url: str | None, api_key: str | None, pull_back: bool, replace: bool,
               output_format: str) -> None:
    """Adjudicate in Label Studio: a review project of the documents the last `adjudicate` left
    items undecided in, each annotator's version beside the agreed gold; --pull stores the
    adjudicator's decisions as gold, which the next `adjudicate` keeps.
    """
    from newsgold.studio import connect, pull_review, push_review

    if replace and not pull_back:
        raise click.UsageError("--replace goes with --pull (it lets the pulled decisions replace gold made by hand)")
    corpus = open_corpus(corpus_dir)
    studio = connect(url, api_key)
    if not pull_back:
        pushed = push_review(corpus, studio)
        if output_format == "json":
            print_json(pushed)
            return
        click.echo(f"review project {pushed.project_id} ({pushed.project_title!r}): {len(pushed.documents)} documents "
                   f"added with {pushed.versions} annotators' versions, {len(pushed.already_present)} already there")
        return
    pulled = pull_review(corpus, studio, replace=replace)
    if output_format == "json":
        print_json(pulled, failed=not pulled.ok)
        return
    for outcome in pulled.gold:
        click.echo(f"gold of {outcome.doc_id}: {outcome.status}" + (f" ({outcome.message})" if outcome.message else ""))
    for notice in pulled.rejected:
        click.echo(f"Rejected: {notice.as_text()}", err=True)
    if not pulled.gold and not pulled.rejected:
        click.echo("no decisions submitted yet")
    if not pulled.ok:
        sys.exit(1)
