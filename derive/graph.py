"""The step graph exported as Graphviz DOT or JSON (networkx node-link form)."""

from __future__ import annotations


import networkx as nx

from .rules import rule_for



def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(derivation):
    """DOT text with one node per step (labelled with its kind) and an edge per premise."""
    lines = [f"digraph {_quote(derivation.name)} {{", "  rankdir=TB;", "  node [shape=box];"]
    for step in derivation.ordered():
        shape = rule_for(step.kind).shape
        # DOT's own escape \n breaks the label line; it must not be quoted away.
        label = _quote(step.label)[:-1] + "\\n" + step.kind + _mode(step) + '"'
        lines.append(f"  {_quote(step.label)} [label={label}, shape={shape}];")
    for premise, label in derivation.graph.edges:
        lines.append(f"  {_quote(premise)} -> {_quote(label)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mode(step):
    """`` (in probability)`` for a fact claimed in another mode than the mean, else ''."""
    mode = step.rule.get("mode") if step.kind == "fact" and isinstance(step.rule, dict) else None
    return "" if mode is None else f" ({'in ' if mode == 'probability' else ''}{mode})"


def to_json(derivation):
    """JSON with a node per step (label, kind, statement, uses, ref) and its edges."""
    graph = nx.DiGraph()
    for step in derivation.ordered():
        graph.add_node(step.label, kind=step.kind, statement=str(step.statement),
                       uses=list(step.uses), ref=step.ref, **({"mode": step.rule["mode"]} if _mode(step) else {}))
    graph.add_edges_from(derivation.graph.edges)
    data = nx.node_link_data(graph, edges="edges")
    data["name"] = derivation.name
    from .output import json_text

    return json_text(data)
