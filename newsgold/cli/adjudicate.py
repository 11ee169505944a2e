"""`newsgold adjudicate`."""

from __future__ import annotations

import sys

from collections import Counter
from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, echo_draft_sets, echo_stale_sets, open_corpus, output_format_option, print_json, removed_option


@click.command("adjudicate", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--strategy", type=click.Choice(["majority", "prefer", "ground-truth"]), default="majority",
              show_default=True, help="How to decide each item.")
@click.option("--min-agree", type=int, default=None,
              help="majority: annotators who must agree [default: a strict majority of the document's].")
@click.option("--prefer", "prefer", default=None, help="prefer: the trusted annotator.")
@click.option("--replace", is_flag=True, help="Also replace gold made or corrected by hand (reported, and kept "
              "in .newsgold/replaced/), and remove earlier gold this run does not rebuild.")
@removed_option("--force", "--replace")
@click.option("--review", "review_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write unresolved items [default: CORPUS/review.jsonl].")
@output_format_option("json")
def adjudicate_cli(corpus_dir: Path | None, strategy: str, min_agree: int | None, prefer: str | None,
                   replace: bool, review_path: Path | None, output_format: str) -> None:
    """Build gold.jsonl from the annotation sets: majority vote, one preferred annotator, or the
    ground truth marked in Label Studio. Unresolved items go to a review file."""
    from newsgold.curation.adjudicate import adjudicate

    report = adjudicate(open_corpus(corpus_dir), strategy, min_agree=min_agree, prefer=prefer,  # type: ignore[arg-type]
                        replace=replace, review_path=review_path)
    if output_format == "json":
        print_json(report, failed=not report.ok)
        return
    click.echo(f"{strategy}: wrote gold for {len(report.written)} documents; "
               f"{len(report.unresolved)} unresolved items in {report.review_path}")
    for reason, count in sorted(Counter(u.category for u in report.unresolved).items()):
        click.echo(f"  {count} unresolved: {reason}")
    echo_stale_sets(report.stale_sets)
    echo_draft_sets(report.draft_sets)
    for doc_id in report.nothing_decided:
        click.echo(f"no gold for {doc_id}: nothing reached agreement (see the review file)", err=True)
    for doc_id in report.not_rebuilt:
        if doc_id in report.removed:
            click.echo(f"removed earlier gold of {doc_id}: the {strategy} strategy does not rebuild it", err=True)
        else:
            click.echo(f"kept earlier gold of {doc_id}: the {strategy} strategy does not rebuild it "
                       "(use --replace to remove it)", err=True)
    for doc_id in report.kept_hand_made:
        click.echo(f"kept hand-made gold of {doc_id}: made or corrected by hand since adjudication wrote it "
                   "(use --replace to replace it)", err=True)
    for doc_id in report.replaced_hand_made:
        click.echo(f"replaced hand-made gold of {doc_id} (--replace)", err=True)
    if report.backup_path is not None:
        click.echo(f"the hand-made gold --replace replaced is kept in {report.backup_path}", err=True)
    for label, count in report.roles_lost.items():
        reasons = Counter(u.category for u in report.unresolved if u.kind == "span" and u.item.get("label") == label)
        why = ", ".join(f"{reason} ({n})" for reason, n in reasons.most_common()) or "see the review file"
        click.echo(f"Error: the gold has no {label}, although the annotation sets have {count}: every one was "
                   f"left undecided: {why}", err=True)
    if not report.ok:
        sys.exit(1)
