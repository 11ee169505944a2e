"""The corpus format version that every record carries."""

from typing import Literal

FormatVersion = Literal["1.0"]
"""The format versions this release reads."""

FORMAT_VERSION: FormatVersion = "1.0"
"""Version of the corpus format written by this release of newsgold."""
