"""A scheme compiled into the lookup tables that the per-set checks consult for every span.

`check_set` runs once per set of a corpus; building these tables once per scheme object keeps its
loops tight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsgold.schemas.scheme import Scheme

__all__ = ["CompiledScheme", "LabelRule", "RelationRule", "compiled_scheme"]


@dataclass(frozen=True, slots=True)
class LabelRule:
    layer: int
    stance: bool
    attrs: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    attr_items: frozenset[tuple[str, str]]
    """Every allowed (attribute, value) pair, to check a span's attrs in one subset test."""


@dataclass(frozen=True, slots=True)
class RelationRule:
    pairs: frozenset[tuple[str, str]]
    allowed: str
    max: int | None
    min: int
    from_labels: frozenset[str]


class CompiledScheme:
    """Lookup tables of a scheme, built once per scheme object."""

    def __init__(self, scheme: Scheme) -> None:
        layer_numbers = {name: n for n, name in enumerate(dict.fromkeys(scheme.layer_of.values()))}
        self.layer_count = len(layer_numbers)
        self.labels = {
            label.name: LabelRule(
                layer=layer_numbers[scheme.layer_of[label.name]],
                stance=label.stance,
                attrs={a.name: tuple(a.values) for a in label.attrs},
                required=tuple(a.name for a in label.attrs if a.required),
                attr_items=frozenset((a.name, v) for a in label.attrs for v in a.values),
            )
            for label in scheme.labels.values()
        }
        self.label_list = ", ".join(scheme.labels)
        self.layer_of = scheme.layer_of
        self.relations = {
            r.name: RelationRule(
                pairs=frozenset((a, b) for a, b in r.pairs),
                allowed=", ".join(f"{a}->{b}" for a, b in r.pairs),
                max=r.cardinality.max,
                min=r.cardinality.min,
                from_labels=frozenset(a for a, _ in r.pairs),
            )
            for r in scheme.relations
        }
        self.relation_list = ", ".join(self.relations)
        self.relation_triples = frozenset((name, a, b) for name, rule in self.relations.items()
                                          for a, b in rule.pairs)
        """(type, from label, to label) of every allowed relation."""
        self.relation_max_zero = any(rule.max == 0 for rule in self.relations.values())
        self.min_gold = [(r.name, self.relations[r.name]) for r in scheme.relations if r.cardinality.min]
        self.min_all = [(r.name, self.relations[r.name]) for r in scheme.relations
                        if r.cardinality.min and r.cardinality.min_applies_to == "all"]
        self.targets = frozenset(scheme.target_ids)
        self.target_list = ", ".join(scheme.target_ids)
        self.values = frozenset(scheme.stance_values)
        self.value_list = ", ".join(scheme.stance_values)
        self.stance_items = frozenset((t, v) for t in scheme.target_ids for v in scheme.stance_values)
        """Every allowed (target, value) pair, to check a stance mapping in one subset test."""
        self.doc_stance = scheme.stance is not None and scheme.stance.document_level
        self.doc_attrs = {a.name: tuple(a.values) for a in scheme.doc_attrs}


_COMPILED: dict[int, tuple[Scheme, CompiledScheme]] = {}


def compiled_scheme(scheme: Scheme) -> CompiledScheme:
    """The lookup tables of `scheme`, built on its first use and cached by object identity."""
    entry = _COMPILED.get(id(scheme))
    if entry is None or entry[0] is not scheme:
        entry = (scheme, CompiledScheme(scheme))
        _COMPILED[id(scheme)] = entry
    return entry[1]
