"""YAML dossiers read narrowly and within :class:`~evalgraph.dossiers.limits.Limits`: JSON's scalar types only,
each event checked before its node is built, no anchors, aliases or tags; and the places of a JSON dossier's keys
and values, found with the same composer (JSON is YAML's flow syntax)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

from evalgraph.dossiers.limits import DEFAULT_LIMITS, DossierLimitError, Limits, Pointer, where
from evalgraph.errors import DataFileError


class _NarrowLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader whose only implicit scalar types are JSON's: null, true/false, integers and decimals."""


_NarrowLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:null", r"^(?:null|~|)$", ["n", "~", ""]),
    ("tag:yaml.org,2002:int", r"^-?(?:0|[1-9][0-9]*)$", "-0123456789"),
    ("tag:yaml.org,2002:float", r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$", "-0123456789"),
):
    _NarrowLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _LimitedLoader(_NarrowLoader):
    """The narrow loader, composing within :class:`Limits`: each event is checked before its node is built, so
    a file nested too deeply, holding a text too long or too many values is refused as soon as the reader
    reaches the place (with its line), and an alias is refused where it appears (no alias bomb expands)."""

    def __init__(self, stream: str, name: str, limits: Limits) -> None:
        super().__init__(stream)
        self.name, self.limits, self.depth, self.nodes = name, limits, 0, 0

    def refuse(self, event: yaml.Event, key: str, limit_name: str, **params: object) -> DataFileError:
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        place = where(self.name, line, column)
        if key == "yaml_error":
            return DataFileError(key, file=self.name, line=line, column=column, where=place, **params)
        return DossierLimitError(
            key,
            file=self.name,
            line=line,
            column=column,
            where=place,
            limit_name=limit_name,
            limit=getattr(self.limits, limit_name),
            **params,
        )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        limits = self.limits
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, "yaml_error", "", detail="anchors and aliases are not allowed in a dossier")
        if not (isinstance(parent, yaml.MappingNode) and index is None):  # a key is not a value
            self.nodes += 1
            if self.nodes > limits.max_nodes:
                raise self.refuse(event, "dossier_too_many_nodes", "max_nodes")
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > limits.max_text:
                raise self.refuse(event, "dossier_text_too_long", "max_text", length=len(event.value))
            return super().compose_node(parent, index)
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.depth += 1
            if self.depth > limits.max_depth:
                raise self.refuse(event, "dossier_too_deep", "max_depth")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


def compose(name: str, text: str, limits: Limits) -> yaml.Node | None:
    loader = _LimitedLoader(text, name, limits)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


def construct(
    name: str,
    node: yaml.Node,
    pointer: Pointer,
    locations: dict[Pointer, tuple[int, int]],
    seen: set[int] | None = None,
) -> Any:
    """Build plain values from the YAML node tree (composed within the limits), refusing what a dossier never
    needs and a file could abuse: anchors and aliases (an alias bomb expands exponentially), explicit tags,
    duplicate keys."""
    seen = set() if seen is None else seen
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    locations[pointer] = (line, column)

    def refuse(detail: str) -> DataFileError:
        return DataFileError(
            "yaml_error", file=name, line=line, column=column, where=where(name, line, column), detail=detail
        )

    if id(node) in seen:
        raise refuse("anchors and aliases are not allowed in a dossier")
    if node.tag not in _STANDARD_TAGS:
        raise refuse(f"the tag {node.tag} is not allowed in a dossier")
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise refuse("keys must be plain text")
            key = str(key_node.value)
            key_location = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                line, column = key_location
                raise refuse(f"the key '{key}' appears twice")
            locations[(*pointer, key)] = key_location
            result[key] = construct(name, value_node, (*pointer, key), locations, seen)
            locations[(*pointer, key)] = key_location
        return result
    if isinstance(node, yaml.SequenceNode):
        return [construct(name, item, (*pointer, i), locations, seen) for i, item in enumerate(node.value)]
    value = node.value
    try:
        if node.tag.endswith(":bool"):
            if value not in ("true", "false"):
                raise ValueError(value)
            return value == "true"
        if node.tag.endswith(":null"):
            return None
        if node.tag.endswith(":int"):
            return int(value)
        if node.tag.endswith(":float"):
            return float(value) if re.search(r"[eE]", value) else Decimal(value)
    except (ValueError, ArithmeticError) as exc:
        raise refuse(f"'{value}' is not a valid {node.tag.rsplit(':', 1)[-1]}") from exc
    return value


def index_json(text: str, locations: dict[Pointer, tuple[int, int]], limits: Limits = DEFAULT_LIMITS) -> None:
    """Record where each key and value starts, reusing the YAML composer (JSON is YAML's flow syntax)."""
    try:
        node = compose("", text, limits)
        if node is not None:
            construct("", node, (), locations)
    except (yaml.YAMLError, DataFileError, RecursionError):
        return  # locations are a courtesy; JSON that YAML cannot read still gets errors, without line numbers
