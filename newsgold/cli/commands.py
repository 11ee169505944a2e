"""The list of top-level commands, in the order `--help` shows them."""

from newsgold.cli.init import init_cli
from newsgold.cli.ingest import ingest_cli
from newsgold.cli.validate import validate_cli
from newsgold.cli.stats import stats_cli
from newsgold.cli.show import show_cli
from newsgold.cli.schema import schema_cli
from newsgold.cli.studio import studio_cli
from newsgold.cli.agreement import agreement_cli
from newsgold.cli.adjudicate import adjudicate_cli
from newsgold.cli.export import export_cli
from newsgold.cli.import_ import import_cli
from newsgold.cli.diff import diff_cli
from newsgold.cli.suggest import suggest_cli
from newsgold.cli.train import train_cli

ALL = [
    init_cli, ingest_cli, validate_cli, stats_cli, show_cli, schema_cli, studio_cli,
    agreement_cli, adjudicate_cli, export_cli, import_cli, diff_cli, suggest_cli, train_cli,
]
