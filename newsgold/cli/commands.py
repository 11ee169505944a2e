"""The list of top-level commands, in the order `--help` shows them."""

from newsgold.cli.init import init_cli
from newsgold.cli.ingest import ingest_cli
from newsgold.cli.validate import validate_cli
from newsgold.cli.stats import stats_cli
from newsgold.cli.show import show_cli
from newsgold.cli.schema import schema_cli
from newsgold.cli.studio import studio_cli

ALL = [init_cli, ingest_cli, validate_cli, stats_cli, show_cli, schema_cli, studio_cli]
