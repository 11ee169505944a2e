"""Import mappings: how the labels, relations, attributes and events of another corpus become newsgold's.

A mapping is a JSON file (or a bundled preset, e.g. `polnear`):

```json
{
  "labels": {"Content": "QUOTE", "Source": "SPEAKER", "Cue": "CUE", "Attribution": null},
  "relations": {"SAYS": "attributed_to"},
  "attributes": {"Form": "form"},
  "values": {"form": {"Direct": "direct"}},
  "events": {"Attribution": [{"type": "attributed_to", "from": "Content", "to": "Source"},
                             {"type": "cued_by", "from": "Content", "to": "Cue"}]}
}
```

A label mapped to `null` is not stored, on purpose (an event trigger, say); every other name not
in the mapping is kept as it is. An event becomes one relation per entry of its type, between its
arguments in those roles (a role missing from an event gives no relation); an event type the
mapping does not name cannot be stored, and the import says so.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsgold._io import regular_file
from newsgold.errors import UnreadableInputError, UsageError
from newsgold.schemas.scheme import Scheme

__all__ = ["EventRelation", "ImportMapping", "PRESETS", "load_mapping", "unmet_requirements"]

PRESETS = ("polnear",)
"""Mappings bundled with newsgold (`--mapping polnear`)."""


class EventRelation(BaseModel):
    """One relation an event becomes: its type, and the roles of its two ends."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    type: str = Field(description="The relation type of the scheme.")
    from_: str = Field(alias="from", description="The event role of the relation's source.")
    to: str = Field(description="The event role of the relation's target.")


class ImportMapping(BaseModel):
    """Names of another corpus -> names of the scheme."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    labels: dict[str, str | None] = Field(default_factory=dict, description="Span label -> label, or null.")
    relations: dict[str, str] = Field(default_factory=dict, description="Relation type -> relation type.")
    attributes: dict[str, str] = Field(default_factory=dict, description="Attribute name -> attribute name.")
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Attribute (scheme name) -> its value -> the scheme's value.")
    events: dict[str, list[EventRelation]] = Field(
        default_factory=dict, description="Event type -> the relations each event of it becomes.")

    def label(self, name: str) -> str | None:
        """The scheme label of `name` (None: not stored)."""
        return self.labels[name] if name in self.labels else name

    def attribute(self, name: str, value: str) -> tuple[str, str]:
        """The scheme's (attribute, value) of a brat attribute."""
        mapped = self.attributes.get(name, name)
        return mapped, self.values.get(mapped, {}).get(value, value)


def load_mapping(name_or_path: str | Path) -> ImportMapping:
    """A bundled preset by name, or a mapping file. Raises UsageError (naming the field) for a
    mapping that is not valid, UnreadableInputError for a file that cannot be read."""
    if str(name_or_path) in PRESETS:
        raw = resources.files("newsgold.formats.presets").joinpath(f"{name_or_path}.json").read_bytes()
        where = f"preset {name_or_path}"
    else:
        path = Path(name_or_path)
        if not regular_file(path):
            raise UnreadableInputError(f"mapping={path}: no such file (or use a preset: {', '.join(PRESETS)})")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
        where = str(path)
    try:
        return ImportMapping.model_validate_json(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(map(str, error["loc"])) or "(file)"
        raise UsageError(f"{where}: {field}: {error['msg']}; see newsgold.formats.mapping for the form") from None


def unmet_requirements(mapping: ImportMapping, scheme: Scheme, name: str) -> list[str]:
    """What the scheme requires of gold that the mapping can never give: for each label the
    mapping stores, the required attributes no attribute of the mapping becomes. Empty when every
    requirement can be met (the attribute may still be missing from a file's spans: adjudication
    names those). `name` is how the mapping is called in the message."""
    given = set(mapping.attributes.values())
    unmet = []
    for source, label in mapping.labels.items():
        definition = scheme.labels.get(label) if label is not None else None
        if definition is None:
            continue
        for attribute in definition.attrs:
            if attribute.required and attribute.name not in given:
                unmet.append(f"mapping {name} stores {source} as {label} without its attribute "
                             f"{attribute.name!r}, which the corpus's scheme requires of gold {label} spans: "
                             f"adjudication would leave every {label} out of gold (NG304)")
    return unmet
