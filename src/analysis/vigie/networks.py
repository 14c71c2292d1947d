"""Co-authorship and keyword co-occurrence networks, association-strength normalization and communities.

Raw co-occurrence counts favour frequent nodes; the association strength ``s_ij = c_ij / (w_i · w_j)`` (``c_ij``
works shared by i and j, ``w_i`` works of i) corrects for that, as VOSviewer does. Communities come from
networkx's Louvain method with a fixed seed, relabelled by size so that the output is deterministic.

References: van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some
well-known similarity measures. *JASIST*, 60(8), 1635–1651. Blondel, V. D., Guillaume, J.-L., Lambiotte, R., &
Lefebvre, E. (2008). Fast unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pandas as pd

from analysis.core.checks import require_type
from analysis.vigie.arguments import require_choice, require_count, require_table
from analysis.vigie.sources_authors import author_key_series, most_frequent


def cooccurrence_edges(items: pd.DataFrame, group_col: str = "work_id", item_col: str = "item") -> pd.DataFrame:
    """Edges (source < target) with ``count`` = number of groups (works) holding both items, sorted.

    Parameters
    ----------
    items : DataFrame
        One row per group and item (e.g. :func:`coauthor_items`).
    group_col, item_col : str
        The group (work) and item columns.

    Returns
    -------
    DataFrame
        ``source``, ``target``, ``count``.
    """
    require_table(items, "items", (group_col, item_col))
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
    """``w_i``: number of distinct groups (works) of each item.

    Parameters
    ----------
    items : DataFrame
        One row per group and item.
    group_col, item_col : str

    Returns
    -------
    Series
        Works per item, indexed by item (sorted).
    """
    require_table(items, "items", (group_col, item_col))
    d = items[[group_col, item_col]].dropna().drop_duplicates()
    return d.groupby(d[item_col].astype(str))[group_col].nunique().sort_index()


def association_strength(edges: pd.DataFrame, occurrences: pd.Series) -> pd.DataFrame:
    """Add the association strength ``strength = c_ij / (w_i · w_j)`` to an edge table.

    Parameters
    ----------
    edges : DataFrame
        From :func:`cooccurrence_edges`.
    occurrences : Series
        From :func:`node_occurrences`.

    Returns
    -------
    DataFrame
        The edges with ``strength``.

    References
    ----------
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some well-known
    similarity measures. *Journal of the American Society for Information Science and Technology*, 60(8),
    1635–1651.
    """
    require_table(edges, "edges", ("source", "target", "count"))
    e = edges.copy()
    wi = e["source"].map(occurrences).astype(float)
    wj = e["target"].map(occurrences).astype(float)
    e["strength"] = e["count"].astype(float) / (wi * wj)
    return e


def coauthor_items(authorships: pd.DataFrame) -> pd.DataFrame:
    """(work_id, item, label) for the co-authorship network: item = author key, label = short display name.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).

    Returns
    -------
    DataFrame
    """
    require_table(authorships, "authorships", ("work_id", "author"))
    a = authorships.dropna(subset=["author"]).copy()
    a["item"] = author_key_series(a)
    a = a.dropna(subset=["item"]).drop_duplicates(["work_id", "item"])
    a["label"] = a["author"].astype(str)
    return a[["work_id", "item", "label"]]


def keyword_items(work_keywords: pd.DataFrame, kind: str | None = "author") -> pd.DataFrame:
    """(work_id, item, label) for the keyword network: item = folded keyword key, label = its most common spelling.

    Parameters
    ----------
    work_keywords : DataFrame
        The bank's long keyword table (``bank.work_keywords``).
    kind : {"author", "index", None}
        Author keywords, index keywords, or both.

    Returns
    -------
    DataFrame
    """
    require_table(work_keywords, "work_keywords", ("work_id", "keyword", "keyword_key", "kind"))
    require_choice(kind, "kind", ("author", "index", None))
    keywords = work_keywords
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

    Parameters
    ----------
    items : DataFrame
        ``work_id``, ``item`` and optionally ``label`` (:func:`coauthor_items`, :func:`keyword_items`).
    top_n : int or None
        Nodes kept (None: all).
    min_count : int
        Smallest co-occurrence count of an edge.
    linked_only : bool
        Only items sharing a work with another item are candidates.

    Returns
    -------
    networkx.Graph
    """
    require_table(items, "items", ("work_id", "item"))
    require_count(top_n, "top_n", allow_none=True)
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

    Parameters
    ----------
    g : networkx.Graph
        From :func:`build_network`.
    seed : int
        Seed of the Louvain method.
    weight : {"count", "strength"}
    method : {"louvain", "greedy"}

    Returns
    -------
    DataFrame
        ``node``, ``community``.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of communities in
    large networks. *Journal of Statistical Mechanics*, P10008.
    """
    require_type(g, nx.Graph, "g", hint="build it with vigie.build_network()")
    require_choice(weight, "weight", ("count", "strength"))
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
    """Nodes, edges, density, connected components, communities and modularity of the partition.

    Parameters
    ----------
    g : networkx.Graph
    communities : DataFrame
        From :func:`compute_communities`.
    weight : {"count", "strength"}
        Edge weight of the modularity.

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``density``, ``components``, ``communities``, ``modularity``.
    """
    require_type(g, nx.Graph, "g", hint="build it with vigie.build_network()")
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
    """Nodes with label, occurrences, degree, weighted degree (sum of counts) and community; most frequent first.

    Parameters
    ----------
    g : networkx.Graph
    communities : DataFrame
        From :func:`compute_communities`.

    Returns
    -------
    DataFrame
        ``node``, ``label``, ``occurrences``, ``degree``, ``links``, ``community``.
    """
    require_type(g, nx.Graph, "g", hint="build it with vigie.build_network()")
    comm = dict(zip(communities["node"], communities["community"]))
    rows = [{"node": n, "label": d.get("label", n), "occurrences": d.get("occurrences", 0),
             "degree": g.degree(n), "links": int(g.degree(n, weight="count")), "community": comm.get(n)}
            for n, d in g.nodes(data=True)]
    df = pd.DataFrame(rows, columns=["node", "label", "occurrences", "degree", "links", "community"])
    df = df.sort_values(["occurrences", "links", "node"], ascending=[False, False, True], kind="mergesort")
    return df.reset_index(drop=True)


@dataclass(frozen=True)
class Network:
    """A network with its Louvain communities, summary and node table (:func:`analyse_network`).

    Attributes
    ----------
    graph : networkx.Graph
    communities : DataFrame
        ``node``, ``community``.
    summary : dict
        From :func:`compute_network_summary`.
    nodes : DataFrame
        From :func:`compute_node_table`.
    items : str or None
        What the nodes are: ``"authors"``, ``"author_keywords"``, ``"index_keywords"``; None when the bank has
        nothing to link (no keyword at all).
    seed : int
        The seed of the communities (a drawing reuses it for its layout).
    """

    graph: nx.Graph
    communities: pd.DataFrame
    summary: dict
    nodes: pd.DataFrame
    items: str | None = None
    seed: int = 42


def analyse_network(g: nx.Graph, seed: int = 42, weight: str = "strength", items: str | None = None) -> Network:
    """Communities (Louvain, seeded), summary and node table of a graph.

    Parameters
    ----------
    g : networkx.Graph
        From :func:`build_network`.
    seed : int
    weight : {"strength", "count"}
        Edge weight of the communities and the modularity.
    items : str, optional
        What the nodes are (kept in the result).

    Returns
    -------
    Network

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of communities in
    large networks. *Journal of Statistical Mechanics*, P10008.
    """
    communities = compute_communities(g, seed=seed, weight=weight)
    return Network(g, communities, compute_network_summary(g, communities, weight=weight),
                   compute_node_table(g, communities), items, seed)


def coauthor_network(authorships: pd.DataFrame, top_n: int | None = 45, seed: int = 42) -> Network:
    """Co-authorship network of the ``top_n`` most productive authors who have at least one co-author.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    top_n : int or None
        Nodes kept (None: all).
    seed : int
        Seed of the Louvain communities (association-strength weights).

    Returns
    -------
    Network

    References
    ----------
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? *JASIST*, 60(8), 1635–1651.
    Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
    """
    g = build_network(coauthor_items(authorships), top_n=top_n, linked_only=True)
    return analyse_network(g, seed=seed, items="authors")


def keyword_kind(work_keywords: pd.DataFrame) -> str | None:
    """The keywords a co-occurrence network uses: ``"author"`` when the bank has author keywords, else
    ``"index"`` when it has index keywords, else None.

    Parameters
    ----------
    work_keywords : DataFrame
        The bank's long keyword table (``bank.work_keywords``).

    Returns
    -------
    str or None
    """
    require_table(work_keywords, "work_keywords", ("kind",))
    if (work_keywords["kind"] == "author").any():
        return "author"
    return "index" if len(work_keywords) else None


def keyword_network(work_keywords: pd.DataFrame, top_n: int | None = 45, kind: str | None = None,
                    seed: int = 42) -> Network:
    """Keyword co-occurrence network of the ``top_n`` most frequent keywords.

    Parameters
    ----------
    work_keywords : DataFrame
        The bank's long keyword table (``bank.work_keywords``).
    top_n : int or None
        Nodes kept (None: all).
    kind : {"author", "index", None}
        Which keywords; None: :func:`keyword_kind` (author keywords when there are any).
    seed : int
        Seed of the Louvain communities (association-strength weights).

    Returns
    -------
    Network
        ``items`` is ``"author_keywords"`` or ``"index_keywords"``, or None (and an empty graph) when the bank has
        no keyword.

    References
    ----------
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? *JASIST*, 60(8), 1635–1651.
    Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
    """
    require_choice(kind, "kind", ("author", "index", None))
    kind = kind or keyword_kind(work_keywords)
    if kind is None:
        return analyse_network(nx.Graph(), seed=seed, items=None)
    g = build_network(keyword_items(work_keywords, kind), top_n=top_n)
    return analyse_network(g, seed=seed, items=f"{kind}_keywords")
