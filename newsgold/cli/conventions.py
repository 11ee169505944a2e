"""The CLI's one spelling per concept: every option any command offers, with its one meaning, and the
spellings removed in 0.2 with the one that replaced each.

docs/commands.md renders these tables (scripts/cli_reference.py) and tests/test_cli_conventions.py
walks every command against them: an option that is not here, a flag with two parameter names or
two kinds (a switch here, a value there), or a removed spelling that still does something, fails.
"""

from __future__ import annotations

__all__ = ["EXPORT_FORMATS", "OPTIONS", "REMOVED", "WITHOUT_OUTPUT_FORMAT"]

OPTIONS: dict[str, str] = {
    # What a command works on.
    "--corpus": "the corpus folder, on every command that has one (default: `.` if it holds `newsgold.json`, "
                "else `./corpus`)",
    "--set": "the annotation sets a command sends, stores, makes or reads, by name (a set's name is its "
             "annotator id: `suggest`, `alice`)",
    "--set-from": "`import --format brat`: name each file's set after its folder or its file name, instead of "
                  "`--set`",
    "--doc": "only these documents (repeatable)",
    "--annotations": "the raw annotation sets instead of the gold",
    # What it writes, and how it prints.
    "--out": "where a command writes its files (a folder, or the report's file)",
    "--replace": "replace what exists (a document's text, a set, hand-made gold, a folder or file no newsgold "
                 "command wrote): reported, and what it replaced is kept (`.newsgold/replaced/`, or beside "
                 "the output as `OUT.replaced-TIME`)",
    "--output-format": "how a command prints its results: `text` (the default), `json` (one document for "
                       "machines), and where they fit `github` and `markdown`",
    "--format": "the interchange format a command reads or writes (`export`, `import`), nothing else",
    "--model": "a spaCy pipeline's folder: the one `train` writes and `suggest` reads",
    "--tagger": "the role tagger's folder: the one `train` writes and `suggest` reads",
    "--review": "the file `adjudicate` writes the undecided items to",
    "--rejected": "the file `import --skip-invalid` writes the rejected pieces to",
    "--jobs": "processes to work with (the result is the same for any number)",
    "--verbose": "list every document added",
    # Label Studio.
    "--url": "Label Studio's address",
    "--api-key": "Label Studio's access token (prefer `$LABEL_STUDIO_API_KEY`: command lines are visible)",
    "--project": "a Label Studio project, by id",
    "--title": "a Label Studio project, by title",
    "--keep-identities": "annotators' e-mail addresses instead of their pseudonyms",
    "--since-last": "only what changed since the last complete pull",
    "--batch-size": "tasks per import request",
    "--overlap": "how many annotators label each document",
    "--order": "the order annotators get new tasks in",
    "--pull": "`studio review`: store the adjudicator's decisions as gold",
    "--data-dir": "`studio serve`: where Label Studio keeps its data",
    "--host": "`studio serve`: the address to listen on",
    "--port": "`studio serve`: the port to listen on",
    "--database-url": "`studio serve`: a PostgreSQL database instead of SQLite",
    "--label-studio": "`studio serve`: an installed `label-studio` to run",
    "--stop": "`studio serve`: stop the server it started",
    # Each command's own choices.
    "--name": "`init`: the corpus's name",
    "--scheme": "`init`: the annotation scheme (a file or a preset)",
    "--claims": "`init`: the claims annotators take a stance toward",
    "--language": "`ingest`: the language tag of the articles",
    "--strict": "`validate`: fail on span boundary warnings too",
    "--top": "`agreement`: how many disputed documents to list",
    "--strategy": "`adjudicate`: how each item is decided",
    "--min-agree": "`adjudicate`: annotators who must agree",
    "--prefer": "`adjudicate --strategy prefer`: the trusted annotator",
    "--split": "`export`: assign documents to splits",
    "--skip-stale": "`export`: leave out sets made on a text that changed since",
    "--skip-invalid": "`import`: store what is valid and keep the rejected pieces in a file",
    "--accept-loss": "`import --format brat`: store files whose unmappable lines are left out",
    "--mapping": "`import --format brat`: rename labels, relations and attributes",
    "--texts": "`import --format brat`: where the texts are",
    "--rev": "`diff`: two git revisions of the corpus",
    "--report-link": "`diff --output-format markdown`: link the corpus report",
    "--no-entities": "`suggest`: leave out the string-matched entities",
    "--no-attribution": "`suggest`: leave out the rules' quotes, speakers and cues",
    "--evaluate": "`suggest`: score the suggestions against gold instead of writing them",
    "--train-epochs": "`suggest --evaluate`: also score a model trained for this many epochs",
    "--epochs": "`train --model`: passes over the gold",
    "--seed": "`train --model`: the random seed",
    "--leave-out": "`train`: documents to leave out of the training",
}
"""Every option of every command, with its one meaning."""

REMOVED: dict[str, str] = {
    "--force (adjudicate, export, report)": "--replace",
    "studio pull --take-studio DOC_ID": "--replace --doc DOC_ID",
    "studio pull --take-studio-all": "--replace",
    "import --format brat --annotator NAME": "--set NAME",
    "import --format brat --annotator-from": "--set-from",
    "train --out DIR": "--model DIR",
    "train --tagger --out DIR": "--tagger DIR",
    "--json (stats, agreement, suggest --evaluate)": "--output-format json",
    "validate --format, diff --format": "--output-format",
    "studio push --predictions NAME, import --predictions-as NAME, suggest --name NAME": "--set NAME",
    "show --annotator NAME, agreement --annotator NAME": "--set NAME",
    "the corpus as a positional DIR (validate, init, stats)": "--corpus DIR",
}
"""The spellings removed in 0.2 (each refused with a usage error naming its replacement)."""

WITHOUT_OUTPUT_FORMAT: dict[str, str] = {
    "studio config": "prints the labeling config itself (XML), not a report of what it did",
}
"""The commands without `--output-format`, and why."""

EXPORT_FORMATS = ("jsonl", "quotes", "stance", "ner-conll", "ner-hf", "attribution-hf", "attribution-conll", "spacy",
                  "brat", "label-studio")
"""The names of `newsgold.formats.FORMATS`, spelled out so that `export -h` loads no format (a test
holds the two equal)."""
