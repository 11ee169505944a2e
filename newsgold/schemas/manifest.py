"""The corpus manifest `newsgold.json`: name, format version and scheme of a corpus."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from newsgold.schemas.scheme import Scheme
from newsgold.schemas.version import FORMAT_VERSION, FormatVersion

__all__ = ["CorpusManifest"]


class CorpusManifest(BaseModel):
    """The file `newsgold.json` at the root of every corpus."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format_version: FormatVersion = Field(
        default=FORMAT_VERSION, description="Version of the newsgold corpus format."
    )
    name: str = Field(min_length=1, description="Corpus name.")
    description: str = Field(default="", description="What the corpus holds.")
    license: str | None = Field(
        default=None,
        description="Licence of the texts and annotations: an SPDX id (e.g. CC-BY-4.0) or `other`; "
        "the dataset cards of the Hugging Face exports carry it.",
    )
    scheme: Scheme | str = Field(
        description="The annotation scheme, inline or as a path relative to the corpus folder."
    )
