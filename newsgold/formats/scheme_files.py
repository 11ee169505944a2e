"""A scheme from a file: newsgold's own JSON, or a brat `annotation.conf` (for `init --scheme`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from newsgold.errors import UnreadableInputError, UsageError
from newsgold.schemas.scheme import Scheme, StanceTarget

__all__ = ["SCHEME_PRESETS", "load_claims", "load_scheme", "scheme_from_brat_conf", "scheme_preset", "with_claims"]

SCHEME_PRESETS = ("news", "polnear")
"""Schemes by name: `news`, newsgold's default; `polnear`, the same labels with no attribute
required, since PolNeAR (imported with `mapping="polnear"`) marks no quote form."""


def scheme_preset(name: str) -> Scheme:
    """The scheme a preset names (see `SCHEME_PRESETS`)."""
    from newsgold.schemas.scheme import default_scheme

    scheme = default_scheme()
    if name == "news":
        return scheme
    if name == "polnear":
        data = scheme.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["name"] = "polnear"
        data["description"] = ("newsgold's news attribution scheme for PolNeAR (mapping polnear): its labels, "
                               "with no attribute required, since PolNeAR marks no quote form.")
        for layer in data["layers"]:
            for label in layer["labels"]:
                for attribute in label.get("attrs", []):
                    attribute["required"] = False
        return Scheme.model_validate(data)
    raise UsageError(f"no scheme preset {name!r}: use a scheme file or one of {', '.join(SCHEME_PRESETS)}")



def _arguments(spec: str) -> dict[str, list[str]]:
    """`Arg1:A|B, Arg2:C` -> {"Arg1": ["A", "B"], "Arg2": ["C"]} (roles may end in ? * +)."""
    found: dict[str, list[str]] = {}
    for part in spec.split(","):
        role, colon, labels = part.strip().partition(":")
        if colon:
            role = re.sub(r"(\?|\*|\+|\{\d*,?\d*\})$", "", role)  # Source? Theme+ Arg{1,2}
            found[role] = [label.strip() for label in labels.split("|") if label.strip()]
    return found


def scheme_from_brat_conf(conf: str, name: str) -> Scheme:
    """The scheme a brat `annotation.conf` declares.

    Every entity and event type becomes a label in a layer of its own (brat lets any spans
    overlap, so no two labels share a layer); relations keep their argument labels (`<ENTITY>`
    stands for every entity type, `<EVENT>` for every event type, `<ANY>` for both) and their
    `<REL-TYPE>` properties in their description (`symmetric-transitive`: newsgold's relations are
    directed; an equivalence is stored as one relation between each member and the next);
    attributes go on the labels their `Arg:` names (an attribute of `<EVENT>` on the event labels
    only; of `<RELATION>` on none: newsgold's relations carry no attributes), keeping their values,
    and a binary attribute (no `Value:`) takes the one value `true`. Raises UsageError, naming the line, for what it cannot
    read, or when the declared names do not make a valid scheme.
    """
    section = ""
    macros: dict[str, list[str]] = {}
    entities: list[str] = []
    events: list[str] = []
    relations: dict[str, list[tuple[list[str], list[str]]]] = {}
    attributes: list[tuple[str, list[str], list[str]]] = []
    properties: dict[str, str] = {}
    for number, raw in enumerate(conf.splitlines(), 1):
        line = "" if raw.lstrip().startswith("#") else raw.strip()
        if not line or re.fullmatch(r"-+", line):  # blank, a comment, or a separator of the type hierarchy
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = {"spans": "entities"}.get(header.group(1), header.group(1))
            continue
        macro = re.fullmatch(r"(<[^>]+>)\s*=\s*(.+)", line)
        if macro:  # <POG>=Person|Organization|GPE
            macros[macro.group(1)] = [name.strip() for name in macro.group(2).split("|")]
            continue
        type_name, *rest = line.split(None, 1)
        spec = rest[0] if rest else ""
        type_name = type_name.split("|")[0]  # TYPE|DB:ID links a type to an ontology
        if type_name.startswith("!"):
            continue  # an abstract type of the hierarchy: nothing is annotated with it
        if section == "entities":
            entities.append(type_name)
        elif section == "events":
            events.append(type_name)
        elif section == "relations":
            if type_name.startswith("<"):
                continue  # <OVERLAP> and other directives
            args = _arguments(spec)
            if "Arg1" not in args or "Arg2" not in args:
                raise UsageError(f"annotation.conf:{number}: relation {type_name} needs Arg1:... and Arg2:...")
            relations.setdefault(type_name, []).append((args["Arg1"], args["Arg2"]))  # each line its own pairs
            if args.get("<REL-TYPE>"):  # symmetric, transitive: kept in words (newsgold relations are directed)
                properties[type_name] = "-".join(args["<REL-TYPE>"])
        elif section == "attributes":
            args = _arguments(spec)
            values = [v.strip() for v in spec.partition("Value:")[2].split("|") if v.strip()] or ["true"]
            attributes.append((type_name, args.get("Arg", []), values))
        else:
            raise UsageError(f"annotation.conf:{number}: {line!r} is outside [entities], [relations], "
                             "[events] and [attributes]")
    labels = [n for n in entities + events if n]
    if not labels:
        raise UsageError("annotation.conf declares no [entities]")

    standing_for = {"<ENTITY>": entities, "Span": entities, "<EVENT>": events, "<ANY>": labels, "<RELATION>": []}

    def expand(names: list[str]) -> list[str]:
        found = [label for n in names for label in standing_for.get(n, macros.get(n, [n]))]
        return [label for label in dict.fromkeys(found) if label in labels]

    attrs_of: dict[str, list[dict[str, Any]]] = {}
    for attr_name, carriers, values in attributes:  # Arg:<EVENT> is on events only; no Arg: on every label
        for label in expand(carriers) if carriers else labels:
            attrs_of.setdefault(label, []).append({"name": attr_name, "values": values})
    raw_scheme = {
        "name": name,
        "layers": [{"name": label, "labels": [{"name": label, "attrs": attrs_of.get(label, [])}]} for label in labels],
        "relations": [{"name": rel, "pairs": pairs,
                       "description": f"brat <REL-TYPE>:{properties[rel]} (stored as directed relations, one "
                                      "between each member of an equivalence and the next)" if rel in properties else ""}
                      for rel, pairs in
                      ((rel, [list(p) for p in dict.fromkeys((a, b) for sources, targets in lines
                                                             for a in expand(sources) for b in expand(targets))])
                       for rel, lines in relations.items()) if pairs],
    }
    try:
        return Scheme.model_validate(raw_scheme)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise UsageError(f"annotation.conf: {'.'.join(map(str, error['loc']))}: {error['msg']}") from None


def load_scheme(path: Path | str) -> Scheme:
    """The scheme in `path`: a brat `annotation.conf` (by its `.conf` suffix), a scheme JSON file, or
    the name of a preset (`SCHEME_PRESETS`) when no such file exists."""
    path = Path(path)
    if str(path) in SCHEME_PRESETS and not path.exists():
        return scheme_preset(str(path))
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror} (give a scheme file, a brat "
                                   f"annotation.conf, or a preset: {', '.join(SCHEME_PRESETS)})") from None
    if path.suffix == ".conf":
        try:
            return scheme_from_brat_conf(content.decode("utf-8"), path.parent.name or "brat")
        except UnicodeDecodeError:
            raise UnreadableInputError(f"{path}: not UTF-8") from None
    try:
        return Scheme.model_validate_json(content)
    except ValidationError as exc:
        raise UsageError(f"{path}: not a valid scheme: {exc.errors()[0]['msg']}") from None


_CLAIM_LINE = re.compile(r"^\s*([a-z0-9][a-z0-9-]{0,63})\s*:\s*(\S.*?)\s*$")


def load_claims(path: Path | str) -> list[StanceTarget]:
    """The stance claims of `path`: a JSON list of `{"id": ..., "claim": ...}`, or a text file of
    `ID: the claim, as a sentence` lines (blank lines and `#` comments aside). UsageError naming the
    line or item that is not a claim, and for a file with none or an id given twice."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInputError(f"{path}: cannot read the claims ({exc})") from None
    claims: list[StanceTarget] = []
    if path.suffix == ".json":
        try:
            raw = orjson.loads(text)
            if not isinstance(raw, list):
                raise UsageError(f"{path}: a JSON claims file is a list of {{\"id\": ..., \"claim\": ...}}")
            claims = [StanceTarget.model_validate(item) for item in raw]
        except orjson.JSONDecodeError as exc:
            raise UsageError(f"{path}: not JSON ({exc})") from None
        except ValidationError as exc:
            error = exc.errors()[0]
            raise UsageError(f"{path}: item {error['loc']}: {error['msg']}; each claim is "
                             "{\"id\": \"lower-case-id\", \"claim\": \"The claim, as a sentence.\"}") from None
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            found = _CLAIM_LINE.match(line)
            if found is None:
                raise UsageError(f"{path}:{number}: write each claim as `id: the claim` (an id of lower-case "
                                 "letters, digits and -)")
            claims.append(StanceTarget(id=found.group(1), claim=found.group(2)))
    ids = [claim.id for claim in claims]
    if not claims:
        raise UsageError(f"{path}: no claim in it")
    if len(set(ids)) < len(ids):
        raise UsageError(f"{path}: the claim id {next(i for i in ids if ids.count(i) > 1)!r} is given twice")
    return claims


def with_claims(scheme: Scheme, claims: list[StanceTarget]) -> Scheme:
    """`scheme` with `claims` as its stance targets (those it had are replaced); UsageError for a
    scheme that annotates no stance."""
    if scheme.stance is None:
        raise UsageError(f"the scheme {scheme.name!r} annotates no stance, so it takes no claims: add a `stance` "
                         "block with its values to the scheme (docs/scheme.md), or leave the claims out")
    stance = scheme.stance.model_copy(update={"targets": claims})
    return Scheme.model_validate({**scheme.model_dump(by_alias=True), "stance": stance.model_dump(by_alias=True)})
