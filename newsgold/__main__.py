"""`python -m newsgold`: the `newsgold` command."""

from newsgold.cli import main

main()
