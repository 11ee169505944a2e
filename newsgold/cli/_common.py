"""What the commands share, by job: the error boundary (`_group`), the shared options (`_options`),
the flags of library parameters (`_flags`) and printing (`_output`). Commands import from here."""

from __future__ import annotations

from newsgold.cli._flags import as_flags, option_flags
from newsgold.cli._group import EXTRA_OF_COMMAND, UNEXPECTED, NewsgoldGroup
from newsgold.cli._options import (HELP_OPTIONS, MANIFEST_NAME, OUTPUT_FORMATS, corpus_argument, corpus_option,
                                   default_corpus_dir, jobs_option, open_corpus, output_format_option,
                                   removed_option, set_option)
from newsgold.cli._output import (REMEDIES, echo_draft_sets, echo_left_out, echo_stale_sets, figure, outcome_line,
                                  print_json, stdout_console)

__all__ = ["EXTRA_OF_COMMAND", "HELP_OPTIONS", "MANIFEST_NAME", "NewsgoldGroup", "OUTPUT_FORMATS", "REMEDIES",
           "UNEXPECTED", "as_flags", "corpus_argument", "corpus_option", "default_corpus_dir", "echo_draft_sets",
           "echo_left_out", "echo_stale_sets", "figure", "jobs_option", "open_corpus", "option_flags",
           "outcome_line", "output_format_option", "print_json", "removed_option", "set_option", "stdout_console"]
