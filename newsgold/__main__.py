"""`python -m newsgold`: the `newsgold` command."""

from newsgold._entry import run

run()
