"""The annotation scheme: labels, attributes, relations and stance targets, as data.

Validation, the Label Studio labeling config and every export derive from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from functools import cached_property
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from newsgold.schemas.version import FORMAT_VERSION, FormatVersion

__all__ = [
    "AttributeDef",
    "LabelDef",
    "Layer",
    "Cardinality",
    "RelationDef",
    "StanceTarget",
    "StanceDef",
    "Roles",
    "Scheme",
    "default_scheme",
]

NAME_PATTERN = r"^(?!.*__)[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$"
"""Names of labels, layers and relations: what brat accepts (letters, digits, `_`, `-`; brat writes
`>` as `_gt_` and `?` as `_question_`), without `__`, which separates the parts of Label Studio
control names (`attr__LABEL__ATTR`)."""

ATTRIBUTE_NAME_PATTERN = r"^(?!.*__)[A-Za-z][A-Za-z0-9_-]{0,63}$"
"""Attribute names start with a letter: the last part of `attr__LABEL__ATTR` is then unambiguous."""


COLOUR_PATTERN = r"^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,30})$"
"""A label's colour: a hex colour or a CSS colour name, nothing else (it is written into pages:
a quote, a semicolon or a bracket could end the attribute or the rule it stands in)."""

class AttributeDef(BaseModel):
    """An attribute with a closed set of values (e.g. QUOTE form: direct | indirect | mixed)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")

    name: str = Field(pattern=ATTRIBUTE_NAME_PATTERN, description="Attribute name (e.g. form).")
    values: list[str] = Field(min_length=1, description="The allowed values.")
    required: bool = Field(
        default=False, description="Whether every gold span of the label must have it."
    )
    description: str = Field(default="", description="What the attribute means.")


class LabelDef(BaseModel):
    """A span label."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")

    name: str = Field(pattern=NAME_PATTERN, description="Label name (e.g. PERSON).")
    description: str = Field(default="", description="Definition of the label.")
    attrs: list[AttributeDef] = Field(default_factory=list, description="Its attributes.")
    stance: bool = Field(
        default=False, description="Whether spans of this label carry stance toward targets."
    )
    color: str | None = Field(
        default=None, pattern=COLOUR_PATTERN,
        description="Display colour in Label Studio and the report: #rgb, #rrggbb (with or without alpha) "
                    "or a CSS colour name.")


class Layer(BaseModel):
    """A group of labels. Within a layer spans may nest but not cross; layers may overlap."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")

    name: str = Field(pattern=NAME_PATTERN, description="Layer name (e.g. entity).")
    description: str = Field(default="", description="What the layer is for.")
    labels: list[LabelDef] = Field(min_length=1, description="The labels of the layer.")


class Cardinality(BaseModel):
    """How many relations of a type each span of its `from` label may have."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    min: int = Field(default=0, ge=0, description="Least number per from-span.")
    max: int | None = Field(default=None, ge=1, description="Most per from-span; null: no limit.")
    min_applies_to: Literal["gold", "all"] = Field(
        default="gold",
        description="Where `min` is enforced: gold only (annotators' work may be unfinished) or all.",
    )


class RelationDef(BaseModel):
    """A relation type with the (from-label, to-label) pairs it may join."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")

    name: str = Field(pattern=NAME_PATTERN, description="Relation type (e.g. attributed_to).")
    description: str = Field(default="", description="What the relation means.")
    # A JSON array is the tuple's form, also when a scheme is validated from parsed JSON.
    pairs: list[Annotated[tuple[str, str], Strict(False)]] = Field(
        min_length=1, description="Allowed (from label, to label) pairs."
    )
    cardinality: Cardinality = Field(
        default_factory=Cardinality, description="Relations of this type per from-span."
    )


class StanceTarget(BaseModel):
    """A claim toward which stance is annotated."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="Target id.")
    claim: str = Field(min_length=1, description="The claim, as a sentence.")


class StanceDef(BaseModel):
    """Stance targets and values, annotated per span (labels with `stance`) and per document."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    values: list[str] = Field(min_length=1, description="Allowed stance values.")
    targets: list[StanceTarget] = Field(default_factory=list, description="The claims.")
    document_level: bool = Field(default=True, description="Whether documents carry stance too.")


def nearest(name: str, known: Iterable[str]) -> str:
    """`; did you mean X?` for the known name closest to a mistyped `name` (case aside), else the
    known names (`; known: A, B`), for an error message."""
    import difflib

    choices = sorted(known)
    by_case = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(name.casefold(), list(by_case), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {by_case[close[0]]!r}?"
    return f"; known: {', '.join(choices)}" if choices else ""


class Roles(BaseModel):
    """Which labels, relations, layer and attribute play the parts newsgold's attribution features
    read: the quotes export, attribution agreement, stats, `show`, the NER exports. A role set to
    null is absent: the features that need it say so instead of producing empty results."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    quote: str | None = Field(default="QUOTE", description="Label of quotations.")
    speaker: str | None = Field(default="SPEAKER", description="Label of the mention a quote is attributed to.")
    cue: str | None = Field(default="CUE", description="Label of reporting cues (said, according to).")
    attribution: str | None = Field(default="attributed_to", description="Relation quote -> speaker.")
    cue_link: str | None = Field(default="cued_by", description="Relation quote -> cue.")
    reference: str | None = Field(default="refers_to", description="Relation speaker -> entity mention.")
    entity_layer: str | None = Field(default="entity", description="Layer whose labels the NER exports tag.")
    form: str | None = Field(default="form", description="Attribute of quotes: direct, indirect, ...")

    def missing(self, scheme: Scheme) -> dict[str, str]:
        """Role -> what it names that `scheme` does not have, in words (empty: every role fits)."""
        labels, relations = scheme.labels, scheme.relation_types
        problems: dict[str, str] = {}
        for role in ("quote", "speaker", "cue"):
            name = getattr(self, role)
            if name is not None and name not in labels:
                problems[role] = f"roles.{role} is {name!r}, which is no label of the scheme{nearest(name, labels)}"
        for role, source, target in (("attribution", self.quote, self.speaker), ("cue_link", self.quote, self.cue),
                                     ("reference", self.speaker, None)):
            name = getattr(self, role)
            if name is None:
                continue
            if name not in relations:
                problems[role] = (f"roles.{role} is {name!r}, which is no relation of the scheme"
                                  f"{nearest(name, relations)}")
            elif source is not None and not any(a == source and target in (None, b)
                                                for a, b in relations[name].pairs):
                problems[role] = f"roles.{role} {name!r} does not join {source} -> {target or 'an entity'}"
        if self.entity_layer is not None and self.entity_layer not in {layer.name for layer in scheme.layers}:
            problems["entity_layer"] = (f"roles.entity_layer is {self.entity_layer!r}, which is no layer of the "
                                        f"scheme{nearest(self.entity_layer, [layer.name for layer in scheme.layers])}")
        if self.form is not None and self.quote in labels and self.form not in {
                a.name for a in labels[self.quote].attrs}:
            problems["form"] = (f"roles.form is {self.form!r}, which is no attribute of {self.quote}"
                                f"{nearest(self.form, [a.name for a in labels[self.quote].attrs])}")
        return problems

    @classmethod
    def found_in(cls, scheme: Scheme) -> Roles:
        """The default (news) names where `scheme` has them, null where it has not."""
        roles = cls()
        while problems := roles.missing(scheme):
            roles = roles.model_copy(update=dict.fromkeys(problems))
        if roles.quote is None:  # the form and the links of quotes mean nothing without quotes
            roles = roles.model_copy(update={"form": None, "attribution": None, "cue_link": None})
        return roles


class Scheme(BaseModel):
    """A complete annotation scheme."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format_version: FormatVersion = Field(
        default=FORMAT_VERSION, description="Version of the newsgold corpus format."
    )
    name: str = Field(description="Scheme name.")
    description: str = Field(default="", description="What the scheme annotates.")
    layers: list[Layer] = Field(min_length=1, description="Span layers.")
    relations: list[RelationDef] = Field(default_factory=list, description="Relation types.")
    stance: StanceDef | None = Field(default=None, description="Stance annotation, if any.")
    doc_attrs: list[AttributeDef] = Field(
        default_factory=list, description="Document-level attributes."
    )
    roles: Roles | None = Field(
        default=None,
        description="Which labels and relations are quote, speaker, cue, attribution, ...; "
        "null: the news names (QUOTE, SPEAKER, attributed_to, ...) where the scheme has them.",
    )

    @model_validator(mode="after")
    def _names_are_consistent(self) -> Scheme:
        labels = [label.name for layer in self.layers for label in layer.labels]
        duplicates = sorted({n for n in labels if labels.count(n) > 1})
        if duplicates:
            raise ValueError(f"label names must be unique across layers: {duplicates}")
        layer_names = [layer.name for layer in self.layers]
        if len(set(layer_names)) != len(layer_names):
            raise ValueError("layer names must be unique")
        known = set(labels)
        unknown = [f"relations[{r}].pairs[{p}][{e}] (relation {relation.name}): no label {end!r}{nearest(end, known)}"
                   for r, relation in enumerate(self.relations) for p, pair in enumerate(relation.pairs)
                   for e, end in enumerate(pair) if end not in known]
        if unknown:
            raise ValueError("; ".join(unknown))
        if self.stance is not None:
            target_ids = [t.id for t in self.stance.targets]
            if len(set(target_ids)) != len(target_ids):
                raise ValueError("stance target ids must be unique")
        if self.roles is not None:
            unfit = self.roles.missing(self)
            if unfit:
                raise ValueError(f"{'; '.join(unfit.values())}: name the scheme's own label, relation, "
                                 "layer or attribute there, or null if the scheme has none")
        return self

    @cached_property
    def resolved_roles(self) -> Roles:
        """The roles in use: `roles` as given, else the news names the scheme has."""
        return self.roles if self.roles is not None else Roles.found_in(self)

    @cached_property
    def labels(self) -> dict[str, LabelDef]:
        """Label name -> definition."""
        return {label.name: label for layer in self.layers for label in layer.labels}

    @cached_property
    def hotkeys(self) -> dict[str, str]:
        """Label name -> the key that picks it on the labeling page: 1 to 9, then 0, in scheme order
        (layer by layer); labels after the tenth have none. The labeling config sets exactly these,
        and the guidelines' label table is generated from them."""
        keys = "1234567890"
        return {name: key for name, key in zip((label.name for layer in self.layers for label in layer.labels), keys)}

    @cached_property
    def layer_of(self) -> dict[str, str]:
        """Label name -> layer name."""
        return {label.name: layer.name for layer in self.layers for label in layer.labels}

    @cached_property
    def relation_types(self) -> dict[str, RelationDef]:
        """Relation name -> definition."""
        return {relation.name: relation for relation in self.relations}

    @cached_property
    def target_ids(self) -> tuple[str, ...]:
        """Stance target ids, in scheme order."""
        return tuple(t.id for t in self.stance.targets) if self.stance else ()

    @cached_property
    def stance_values(self) -> tuple[str, ...]:
        """Allowed stance values."""
        return tuple(self.stance.values) if self.stance else ()


def default_scheme() -> Scheme:
    """Return the scheme newsgold ships for news attribution and stance (`default_scheme.json`)."""
    raw = resources.files("newsgold.schemas").joinpath("default_scheme.json").read_bytes()
    return Scheme.model_validate_json(raw)
