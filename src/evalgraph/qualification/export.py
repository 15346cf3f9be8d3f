"""Export of the decision logic: GraphML for graph tools, and a drawing (SVG, PNG) for reviewers."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from evalgraph.qualification.engine import DecisionModel


def labelled_graph(model: DecisionModel, lang: str) -> nx.MultiDiGraph:
    """The decision graph with plain attributes only (labels in ``lang``, procedures, sources as text)."""
    graph = nx.MultiDiGraph()
    for node, data in model.graph.nodes(data=True):
        graph.add_node(
            node,
            label=model.label(node, lang),
            kind=data["kind"],
            procedure=model.label(data["procedure"] or "", lang),
            fact=data["fact"] or "",
            concludes=data["concludes"] or "",
            at_least=data["at_least"] or "",
            sources=" ".join(url for r in data["references"] for url in r.urls),
        )
    for source, target, data in model.graph.edges(data=True):
        answer = data["answer"]
        text = ("yes" if answer else "no") if isinstance(answer, bool) else model.label(str(answer), lang)
        if isinstance(answer, bool) and lang == "fr":
            text = "oui" if answer else "non"
        graph.add_edge(
            source,
            target,
            label=text,
            branch=data["branch"],
            sources=" ".join(url for r in data["references"] for url in r.urls),
        )
    return graph


def write_graphml(model: DecisionModel, output: Path, lang: str) -> None:
    nx.write_graphml(labelled_graph(model, lang), output)


def write_drawing(model: DecisionModel, output: Path, lang: str) -> None:
    """A layered drawing, one column per procedure, questions as boxes and outcomes as rounded boxes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graph = labelled_graph(model, lang)
    positions: dict[str, tuple[float, float]] = {}
    offsets: list[float] = []
    offset = 0.0
    for procedure in model.procedures:
        start = model.procedure_info[procedure]["start"]
        depths = nx.single_source_shortest_path_length(model.graph, start) if start in model.graph else {}
        rows: dict[int, int] = {}
        for node, depth in sorted(depths.items(), key=lambda item: (item[1], item[0])):
            index = rows.get(depth, 0)
            rows[depth] = index + 1
            positions[node] = (offset + index * 1.6, -depth * 1.6)
        offsets.append(offset)
        offset += max(rows.values(), default=1) * 1.6 + 1.2
    figure, axes = plt.subplots(figsize=(26, 14))
    axes.set_axis_off()
    for source, target, data in graph.edges(data=True):
        if source in positions and target in positions:
            (x1, y1), (x2, y2) = positions[source], positions[target]
            axes.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "color": "#888"})
            axes.text((x1 + x2) / 2, (y1 + y2) / 2, data["label"][:18], fontsize=6, color="#555")
    for node, (x, y) in positions.items():
        data = graph.nodes[node]
        outcome = data["kind"] == "outcome"
        axes.text(
            x,
            y,
            _wrap(data["label"], 26),
            fontsize=6,
            ha="center",
            va="center",
            bbox={
                "boxstyle": "round" if outcome else "square",
                "fc": "#e6f4ea" if outcome else "#e8f0fe",
                "ec": "#1e7d32" if outcome else "#1a73e8",
            },
        )
    for column, procedure in enumerate(model.procedures):
        axes.text(offsets[column], 1.2, _wrap(model.label(procedure, lang), 40), fontsize=9, weight="bold")
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    axes.set_xlim(min(xs) - 1, max(xs) + 1.5)
    axes.set_ylim(min(ys) - 1, 2)
    figure.savefig(output, bbox_inches="tight", dpi=120)
    plt.close(figure)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
