"""Co-authorship and keyword co-occurrence networks, association-strength normalization and communities.

Raw co-occurrence counts favour frequent nodes; the association strength ``s_ij = c_ij / (w_i · w_j)`` (``c_ij``
works shared by i and j, ``w_i`` works of i) corrects for that, as VOSviewer does. Communities come from
networkx's Louvain method with a fixed seed, relabelled by size so that the output is deterministic.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from analysis.vigie.sources_authors import author_key_series, most_frequent


def cooccurrence_edges(items: pd.DataFrame, group_col: str = "work_id", item_col: str = "item") -> pd.DataFrame:
    """Edges (source < target) with ``count`` = number of groups (works) holding both items, sorted."""
    d = items[[group_col, item_col]].dropna().drop_duplicates()
    pairs: dict[tuple[str, str], int] = {}
    groups: dict[object, list[str]] = {}
    for grp, item in zip(d[group_col].tolist(), d[item_col].astype(str).tolist()):
        groups.setdefault(grp, []).append(item)
    for members in groups.values():
        for a, b in combinations(sorted(set(members)), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    if not pairs:
        return pd.DataFrame(columns=["source", "target", "count"])
    out = pd.DataFrame([(a, b, c) for (a, b), c in pairs.items()], columns=["source", "target", "count"])
    return out.sort_values(["source", "target"]).reset_index(drop=True)


def node_occurrences(items: pd.DataFrame, group_col: str = "work_id", item_col: str = "item") -> pd.Series:
    """``w_i``: number of distinct groups (works) of each item."""
    d = items[[group_col, item_col]].dropna().drop_duplicates()
    return d.groupby(d[item_col].astype(str))[group_col].nunique().sort_index()


def association_strength(edges: pd.DataFrame, occurrences: pd.Series) -> pd.DataFrame:
    """Add ``strength`` = c_ij / (w_i · w_j) to an edge table."""
    e = edges.copy()
    wi = e["source"].map(occurrences).astype(float)
    wj = e["target"].map(occurrences).astype(float)
    e["strength"] = e["count"].astype(float) / (wi * wj)
    return e


def coauthor_items(authorships: pd.DataFrame) -> pd.DataFrame:
    """(work_id, item, label) for the co-authorship network: item = author key, label = short display name."""
    a = authorships.dropna(subset=["author"]).copy()
    a["item"] = author_key_series(a)
    a = a.dropna(subset=["item"]).drop_duplicates(["work_id", "item"])
    a["label"] = a["author"].astype(str)
    return a[["work_id", "item", "label"]]


def keyword_items(keywords: pd.DataFrame, kind: str | None = "author") -> pd.DataFrame:
    """(work_id, item, label) for the keyword network: item = folded keyword key, label = its most common spelling."""
    k = keywords if kind is None else keywords[keywords["kind"] == kind]
    k = k.dropna(subset=["keyword_key"]).copy()
    k["item"] = k["keyword_key"].astype(str)
    spell = most_frequent(k.assign(low=k["keyword"].astype("string").str.lower()), "item", "low")
    k["label"] = k["item"].map(spell)
    return k[["work_id", "item", "label"]].drop_duplicates(["work_id", "item"])


def build_network(items: pd.DataFrame, top_n: int | None = None, min_count: int = 1,
                  linked_only: bool = False) -> nx.Graph:
    """Graph of the ``top_n`` most frequent items (ties by key) with edge attributes count and strength.

    Nodes carry ``occurrences`` and ``label``. Only edges with count ≥ ``min_count`` are kept. With
    ``linked_only``, items that never share a group with another item (single-authored only) are not candidates.
    """
    occ = node_occurrences(items)
    candidates = list(occ.index)
    if linked_only:
        d = items[["work_id", "item"]].dropna().drop_duplicates()
        size = d.groupby("work_id")["item"].transform("size")
        linked = set(d.loc[size > 1, "item"].astype(str))
        candidates = [k for k in candidates if k in linked]
    order = sorted(candidates, key=lambda k: (-int(occ[k]), k))
    keep = set(order[:top_n]) if top_n else set(order)
    sub = items[items["item"].astype(str).isin(keep)]
    edges = association_strength(cooccurrence_edges(sub), occ)
    edges = edges[edges["count"] >= min_count]
    labels = items.drop_duplicates("item").set_index("item")["label"] if "label" in items else pd.Series(dtype=object)
    g = nx.Graph()
    for k in sorted(keep):
        g.add_node(k, occurrences=int(occ[k]), label=str(labels.get(k, k)))
    for s, t, c, st in edges[["source", "target", "count", "strength"]].itertuples(index=False, name=None):
        g.add_edge(s, t, count=int(c), strength=float(st))
    return g


def compute_communities(g: nx.Graph, seed: int = 42, weight: str = "count", method: str = "louvain") -> pd.DataFrame:
    """(node, community) with communities numbered 1… by size (desc.), ties by their smallest node.

    ``weight="count"`` uses raw co-occurrences; ``"strength"`` the association strength. Isolated nodes form their
    own singleton communities.
    """
    if g.number_of_nodes() == 0:
        return pd.DataFrame(columns=["node", "community"])
    if method == "louvain":
        comms = nx.community.louvain_communities(g, weight=weight, seed=seed)
    else:
        comms = nx.community.greedy_modularity_communities(g, weight=weight)
    comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
    rows = [(n, i + 1) for i, c in enumerate(comms) for n in c]
    return pd.DataFrame(rows, columns=["node", "community"]).sort_values(["community", "node"]).reset_index(drop=True)


def compute_network_summary(g: nx.Graph, communities: pd.DataFrame, weight: str = "count") -> dict:
    """Nodes, edges, density, connected components, communities and modularity of the partition."""
    out = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
           "density": nx.density(g) if g.number_of_nodes() > 1 else float("nan"),
           "components": nx.number_connected_components(g) if g.number_of_nodes() else 0,
           "communities": int(communities["community"].nunique()) if len(communities) else 0,
           "modularity": float("nan")}
    if g.number_of_edges() and len(communities):
        parts = [set(c["node"]) for _, c in communities.groupby("community")]
        out["modularity"] = float(nx.community.modularity(g, parts, weight=weight))
    return out


def compute_node_table(g: nx.Graph, communities: pd.DataFrame) -> pd.DataFrame:
    """Nodes with label, occurrences, degree, weighted degree (sum of counts) and community; most frequent first."""
    comm = dict(zip(communities["node"], communities["community"]))
    rows = [{"node": n, "label": d.get("label", n), "occurrences": d.get("occurrences", 0),
             "degree": g.degree(n), "links": int(g.degree(n, weight="count")), "community": comm.get(n)}
            for n, d in g.nodes(data=True)]
    df = pd.DataFrame(rows, columns=["node", "label", "occurrences", "degree", "links", "community"])
    return df.sort_values(["occurrences", "links", "node"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)


def plot_network(g: nx.Graph, communities: pd.DataFrame, title: str, seed: int = 42, lang: str = "fr",
                 max_labels: int = 25, edges_per_node: float = 3.0):
    """Seeded spring layout; node size ∝ occurrences, colour = community (communities of one node in grey), edge
    width ∝ association strength. Only the strongest ``edges_per_node × nodes`` links are drawn (all are laid out)."""
    import seaborn as sns

    from analysis.report.figures import style as plots

    fr = lang == "fr"
    fig, ax = plots.new_figure(title, "Position relative (disposition par ressorts)" if fr else "Relative position (spring layout)",
                               "Position relative" if fr else "Relative position", size=(9, 7))
    nodes = sorted(g.nodes())
    h = g.subgraph(nodes).copy()
    top_strength = max((d.get("strength", 0.0) for _, _, d in h.edges(data=True)), default=0.0)
    for _, _, d in h.edges(data=True):  # association strengths are tiny numbers: rescale to (0, 1] for the springs
        d["layout"] = d.get("strength", 0.0) / top_strength if top_strength > 0 else 1.0
    pos = nx.spring_layout(h, seed=seed, weight="layout", k=1.5 / np.sqrt(max(len(nodes), 1)), iterations=100)
    comm = dict(zip(communities["node"], communities["community"]))
    sizes_c = communities["community"].value_counts()
    palette = sns.color_palette("colorblind", 10)
    grey = plots.GREY

    def colour(n):
        c = comm.get(n)
        if c is None or sizes_c.get(c, 0) < 2:
            return grey
        return palette[(int(c) - 1) % 10]

    colors = [colour(n) for n in nodes]
    occ = np.array([h.nodes[n].get("occurrences", 1) for n in nodes], dtype=float)
    sizes = 40 + 400 * occ / occ.max() if len(occ) else []
    edges = sorted(h.edges(data=True), key=lambda e: (-e[2].get("strength", 0.0), -e[2].get("count", 0), e[0], e[1]))
    edges = edges[: max(1, int(edges_per_node * len(nodes)))]
    if edges:
        st = np.array([d.get("strength", 0.0) for _, _, d in edges])
        widths = 0.3 + 2.5 * st / st.max() if st.max() > 0 else np.full(len(st), 0.5)
        nx.draw_networkx_edges(h, pos, edgelist=[(a, b) for a, b, _ in edges], width=widths, alpha=0.35,
                               edge_color=plots.GREY, ax=ax)
    nx.draw_networkx_nodes(h, pos, nodelist=nodes, node_size=sizes, node_color=colors, ax=ax, linewidths=0.5,
                           edgecolors="white")
    top = sorted(nodes, key=lambda n: (-h.nodes[n].get("occurrences", 0), n))[:max_labels]
    nx.draw_networkx_labels(h, pos, labels={n: h.nodes[n].get("label", n) for n in top}, font_size=7, ax=ax)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title)  # networkx drawing may reset it
    return fig
