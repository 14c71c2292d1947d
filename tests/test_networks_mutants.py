"""Network rules the mutants of issue 21 could break unnoticed: edge counts and association strengths computed by
hand on a four-paper fixture, the ``min_count``, ``top_n`` and ``linked_only`` thresholds at their edges, the
numbering of communities by size, density and modularity by hand with both edge weights, node-table order and
defaults, keyword kinds, and the defaults of the two network builders (45 nodes, seed 42).

Synthetic authorships and keywords written inline or built by plain loops (invented people and keywords).
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.networks import (
    Network,
    analyse_network,
    association_strength,
    build_network,
    coauthor_items,
    coauthor_network,
    compute_communities,
    compute_network_summary,
    compute_node_table,
    cooccurrence_edges,
    keyword_items,
    keyword_kind,
    keyword_network,
    node_occurrences,
)

# P1: Alpha, Beta, Gamma; P2: Alpha, Beta; P3: Gamma, Delta; P4: Epsilon alone.
# Counts: Alpha–Beta 2 (P1, P2), Alpha–Gamma 1, Beta–Gamma 1, Gamma–Delta 1. Works: Alpha 2, Beta 2, Gamma 2,
# Delta 1, Epsilon 1. Association strength c/(w_i·w_j): AB 2/4, AG 1/4, BG 1/4, GD 1/2.
PAPERS = {"P1": ["Alpha", "Beta", "Gamma"], "P2": ["Alpha", "Beta"], "P3": ["Gamma", "Delta"], "P4": ["Epsilon"]}


def _authorships() -> pd.DataFrame:
    rows = [(w, i + 1, f"{name}, X.", f"{name}, Xavier", None) for w, names in PAPERS.items()
            for i, name in enumerate(names)]
    return pd.DataFrame(rows, columns=["work_id", "position", "author", "author_full", "author_id"])


def _items() -> pd.DataFrame:
    return pd.DataFrame([(w, n[0], f"{n}, X.") for w, names in PAPERS.items() for n in names],
                        columns=["work_id", "item", "label"])


def test_edges_occurrences_and_strength_by_hand():
    items = _items()
    e = association_strength(cooccurrence_edges(items), node_occurrences(items))
    assert e.values.tolist() == [["A", "B", 2, 0.5], ["A", "G", 1, 0.25], ["B", "G", 1, 0.25], ["D", "G", 1, 0.5]]
    assert node_occurrences(items).to_dict() == {"A": 2, "B": 2, "D": 1, "E": 1, "G": 2}


def test_edges_ignore_missing_and_repeated_items_and_name_columns():
    items = pd.DataFrame({"doc": ["1", "1", "1", "1", "2", "2"], "kw": [3, 1, 1, None, 3, 1]})
    e = cooccurrence_edges(items, group_col="doc", item_col="kw")
    assert e.values.tolist() == [["1.0", "3.0", 2]]
    assert node_occurrences(items, group_col="doc", item_col="kw").to_dict() == {"1.0": 2, "3.0": 2}
    alone = cooccurrence_edges(pd.DataFrame({"work_id": ["1", "2"], "item": ["a", "b"]}))
    assert alone.empty and list(alone.columns) == ["source", "target", "count"]
    with pytest.raises(ParameterError) as err:
        cooccurrence_edges(items)
    assert err.value.field == "items"


def test_build_network_min_count_edge_and_attributes():
    g = build_network(_items(), min_count=2)
    assert sorted(g.nodes()) == ["A", "B", "D", "E", "G"]
    assert list(g.edges(data=True)) == [("A", "B", {"count": 2, "strength": 0.5})]
    assert g.nodes["A"] == {"occurrences": 2, "label": "Alpha, X."}
    assert g.nodes["E"] == {"occurrences": 1, "label": "Epsilon, X."}
    assert build_network(_items(), min_count=1).number_of_edges() == 4
    assert build_network(_items(), min_count=3).number_of_edges() == 0


def test_build_network_top_n_ties_linked_only_and_labels():
    items = _items()
    assert sorted(build_network(items, top_n=3).nodes()) == ["A", "B", "G"]  # 2 works each
    assert sorted(build_network(items, top_n=4).nodes()) == ["A", "B", "D", "G"]  # D before E by key
    # Delta is linked only through P3, a two-author paper; Epsilon never
    assert sorted(build_network(items, linked_only=True).nodes()) == ["A", "B", "D", "G"]
    g = build_network(items.drop(columns=["label"]), top_n=2)
    assert dict(g.nodes(data="label")) == {"A": "A", "B": "B"}
    assert g["A"]["B"] == {"count": 2, "strength": 0.5}
    with pytest.raises(ParameterError) as err:
        build_network(items, top_n=0)
    assert err.value.field == "top_n"


def test_coauthor_items_labels_and_keys():
    a = _authorships()
    a.loc[len(a)] = ["P4", 2, None, None, None]
    ci = coauthor_items(a)
    assert ci.values.tolist()[:3] == [["P1", "alpha xavier", "Alpha, X."], ["P1", "beta xavier", "Beta, X."],
                                      ["P1", "gamma xavier", "Gamma, X."]]
    assert len(ci) == 8 and list(ci.columns) == ["work_id", "item", "label"]
    with pytest.raises(ParameterError) as err:
        coauthor_items(a.drop(columns=["author"]))
    assert err.value.field == "authorships"


# --- communities, summary, node table --------------------------------------------------------------------------------

def _two_cliques() -> nx.Graph:
    """A 4-clique {p, q, r, s}, a triangle {a, b, c} and an isolated node z (counts 1)."""
    g = nx.Graph()
    g.add_nodes_from("abcpqrsz")
    g.add_edges_from([(u, v, {"count": 1, "strength": 1.0}) for u, v in
                      [("p", "q"), ("p", "r"), ("p", "s"), ("q", "r"), ("q", "s"), ("r", "s"),
                       ("a", "b"), ("a", "c"), ("b", "c")]])
    return g


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_communities_numbered_by_size_then_smallest_node(method):
    com = compute_communities(_two_cliques(), method=method)
    assert com.values.tolist() == [["p", 1], ["q", 1], ["r", 1], ["s", 1], ["a", 2], ["b", 2], ["c", 2], ["z", 3]]


def test_communities_refuse_bad_arguments_and_empty_graph():
    empty = compute_communities(nx.Graph())
    assert empty.empty and list(empty.columns) == ["node", "community"]
    with pytest.raises(ParameterError) as err:
        compute_communities(nx.Graph(), weight="weight")
    assert err.value.field == "weight"
    with pytest.raises(ParameterError) as err:
        compute_communities(pd.DataFrame())
    assert err.value.field == "g" and err.value.message.endswith(" (build it with vigie.build_network())")


def test_summary_density_and_modularity_by_hand():
    """Linked authors A, B, G, D (edges AB 2, AG 1, BG 1, GD 1), partition {A, B} | {G, D}.
    Modularity Q = Σ_c [L_c/m − (d_c/2m)²]. Counts: m = 5, L = 2 and 1, d = 6 and 4 → 2/5 − 0.36 + 1/5 − 0.16
    = 0.08. Strengths (0.5, 0.25, 0.25, 0.5): m = 1.5, L = 0.5 and 0.5, d = 1.5 and 1.5 → 2·(1/3 − 1/4) = 1/6.
    Density 4 edges / 6 pairs."""
    g = build_network(_items(), linked_only=True)
    parts = pd.DataFrame({"node": ["A", "B", "D", "G"], "community": [1, 1, 2, 2]})
    s = compute_network_summary(g, parts)
    assert s["modularity"] == pytest.approx(0.08)
    assert compute_network_summary(g, parts, weight="strength")["modularity"] == pytest.approx(1 / 6)
    assert (s["nodes"], s["edges"], s["components"], s["communities"]) == (4, 4, 1, 2)
    assert s["density"] == pytest.approx(4 / 6)
    with pytest.raises(ParameterError) as err:
        compute_network_summary(None, parts)
    assert err.value.field == "g"


def test_summary_of_tiny_graphs():
    one = nx.Graph()
    one.add_node("a")
    s = compute_network_summary(one, pd.DataFrame({"node": ["a"], "community": [1]}))
    assert math.isnan(s["density"]) and math.isnan(s["modularity"])
    assert (s["nodes"], s["edges"], s["components"], s["communities"]) == (1, 0, 1, 1)
    two = nx.Graph()
    two.add_nodes_from("ab")
    s2 = compute_network_summary(two, pd.DataFrame(columns=["node", "community"]))
    assert s2["density"] == 0.0 and s2["components"] == 2 and s2["communities"] == 0
    pair = nx.Graph()
    pair.add_edge("a", "b", count=1)
    assert math.isnan(compute_network_summary(pair, pd.DataFrame(columns=["node", "community"]))["modularity"])
    s0 = compute_network_summary(nx.Graph(), pd.DataFrame(columns=["node", "community"]))
    assert (s0["nodes"], s0["components"], s0["communities"]) == (0, 0, 0) and math.isnan(s0["density"])


def test_node_table_order_and_defaults():
    """x, y, z occur twice, w has no attributes. Links (sum of counts): x 1, y 1 + 3 = 4, z 3, w 0."""
    g = nx.Graph()
    for n in "xyz":
        g.add_node(n, occurrences=2, label=n.upper())
    g.add_node("w")
    g.add_edge("x", "y", count=1)
    g.add_edge("y", "z", count=3)
    com = pd.DataFrame({"node": ["x", "y", "z"], "community": [1, 1, 2]})
    t = compute_node_table(g, com)
    assert t.iloc[:3].values.tolist() == [["y", "Y", 2, 2, 4, 1], ["z", "Z", 2, 1, 3, 2], ["x", "X", 2, 1, 1, 1]]
    assert t.iloc[3, :5].tolist() == ["w", "w", 0, 0, 0] and pd.isna(t.iloc[3, 5])  # no community
    with pytest.raises(ParameterError) as err:
        compute_node_table("g", com)
    assert err.value.field == "g" and err.value.message.endswith(" (build it with vigie.build_network())")


# --- the whole chain ------------------------------------------------------------------------------------------------

def test_analyse_network_keeps_seed_items_and_weight():
    g = build_network(_items(), linked_only=True)
    net = analyse_network(g, seed=7, weight="count", items="authors")
    assert isinstance(net, Network) and net.seed == 7 and net.items == "authors"
    parts = [set(c["node"]) for _, c in net.communities.groupby("community")]
    assert net.summary["modularity"] == pytest.approx(nx.community.modularity(g, parts, weight="count"))
    assert net.nodes["node"].tolist()[:1] == ["A"] and len(net.nodes) == 4
    default = analyse_network(g)
    assert default.seed == 42 and default.items is None


def test_coauthor_network_linked_authors_and_defaults():
    net = coauthor_network(_authorships())
    assert net.items == "authors" and net.seed == 42
    assert sorted(net.graph.nodes()) == ["alpha xavier", "beta xavier", "delta xavier", "gamma xavier"]
    assert net.graph["alpha xavier"]["beta xavier"] == {"count": 2, "strength": 0.5}
    assert net.graph.nodes["delta xavier"]["label"] == "Delta, X."
    assert coauthor_network(_authorships(), seed=3).seed == 3
    assert list(coauthor_network(_authorships(), top_n=1).graph.nodes()) == ["alpha xavier"]


def _many_pairs(n_pairs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n_pairs two-author papers (authors and keywords numbered 00, 01, …): every node occurs once."""
    au = pd.DataFrame([(f"w{i:02d}", j + 1, f"Person{2 * i + j:02d}, P.", None, None)
                       for i in range(n_pairs) for j in range(2)],
                      columns=["work_id", "position", "author", "author_full", "author_id"])
    kw = pd.DataFrame([(f"w{i:02d}", f"Keyword {2 * i + j:02d}", f"keyword {2 * i + j:02d}", "author")
                       for i in range(n_pairs) for j in range(2)],
                      columns=["work_id", "keyword", "keyword_key", "kind"])
    return au, kw


def test_default_network_size_is_45_nodes():
    au, kw = _many_pairs(25)  # 50 candidates each, ties broken by key
    co = coauthor_network(au)
    assert co.graph.number_of_nodes() == 45 and max(co.graph.nodes()) == "person44 p"
    kn = keyword_network(kw)
    assert kn.graph.number_of_nodes() == 45 and max(kn.graph.nodes()) == "keyword 44"
    assert kn.seed == 42 and kn.items == "author_keywords"
    assert coauthor_network(au, top_n=None).graph.number_of_nodes() == 50


# --- keywords ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def keywords() -> pd.DataFrame:
    return pd.DataFrame({"work_id": ["1", "1", "2", "2", "3", "3", "3"],
                         "keyword": ["Co-operative", "Food", "cooperative", "FOOD", "Cooperative", "Farms", None],
                         "keyword_key": ["cooperative", "food", "cooperative", "food", "cooperative", "farm", None],
                         "kind": ["author", "author", "author", "index", "index", "index", "index"]})


def test_keyword_items_by_kind_and_spelling(keywords):
    ki = keyword_items(keywords)  # author keywords by default
    # "co-operative" and "cooperative" once each among the author keywords: the first in sort order
    assert ki.values.tolist() == [["1", "cooperative", "co-operative"], ["1", "food", "food"],
                                  ["2", "cooperative", "co-operative"]]
    idx = keyword_items(keywords, kind="index")
    assert idx.values.tolist() == [["2", "food", "food"], ["3", "cooperative", "cooperative"], ["3", "farm", "farms"]]
    both = keyword_items(keywords, kind=None)
    # among all keywords "cooperative" is spelled "co-operative" once and "cooperative" twice (case folded)
    assert both["item"].tolist() == ["cooperative", "food", "cooperative", "food", "cooperative", "farm"]
    assert set(both["label"]) == {"cooperative", "food", "farms"}
    with pytest.raises(ParameterError) as err:
        keyword_items(keywords, kind="both")
    assert err.value.field == "kind" and err.value.message == "expected one of 'author', 'index', None, got 'both'"


def test_keyword_kind_and_network_items(keywords):
    assert keyword_kind(keywords) == "author"
    only_index = keywords[keywords["kind"] == "index"]
    assert keyword_kind(only_index) == "index"
    assert keyword_kind(keywords.iloc[0:0]) is None
    net = keyword_network(only_index)
    assert net.items == "index_keywords"
    assert sorted(net.graph.nodes()) == ["cooperative", "farm", "food"]
    assert list(net.graph.edges(data="count")) == [("cooperative", "farm", 1)]
    assert net.graph.nodes["farm"]["label"] == "farms"
    explicit = keyword_network(keywords, kind="index", seed=5)
    assert explicit.items == "index_keywords" and explicit.seed == 5
    authors = keyword_network(keywords, kind="author")
    assert authors.graph["cooperative"]["food"] == {"count": 1, "strength": 0.5}
    none = keyword_network(keywords.iloc[0:0], seed=9)
    assert none.items is None and none.graph.number_of_nodes() == 0 and none.seed == 9
    assert none.summary["nodes"] == 0 and none.communities.empty
    with pytest.raises(ParameterError) as err:
        keyword_network(keywords, kind="all")
    assert err.value.field == "kind"
    with pytest.raises(ParameterError) as err:
        keyword_kind(keywords.drop(columns=["kind"]))
    assert err.value.field == "work_keywords"


# Synthetic weighted graph (drawn once with random.Random(1), kept as data) on which seeded Louvain on counts,
# Louvain on strengths, unweighted Louvain and greedy modularity give four different partitions, and Louvain's
# partition depends on its seed: the method, the weight and the seed must each reach networkx.
WEIGHTED = [(0, 2, 4, 0.25), (0, 3, 2, 1.0), (0, 4, 3, 0.25), (0, 7, 2, 1.0), (1, 4, 4, 0.5), (1, 6, 3, 0.1),
            (1, 7, 2, 0.1), (2, 4, 3, 0.25), (2, 5, 4, 0.5), (3, 6, 3, 0.1), (4, 5, 1, 0.5), (4, 6, 3, 0.1),
            (4, 7, 4, 0.5), (5, 7, 4, 0.1), (6, 7, 4, 0.5)]


def _weighted() -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(8))
    g.add_edges_from((f"n{u}", f"n{v}", {"count": c, "strength": s}) for u, v, c, s in WEIGHTED)
    return g


def _groups(com: pd.DataFrame) -> list[list[str]]:
    return [sorted(c["node"]) for _, c in com.groupby("community")]


def test_communities_follow_method_weight_and_seed():
    g = _weighted()
    assert _groups(compute_communities(g)) == [["n0", "n2", "n5", "n7"], ["n1", "n3", "n4", "n6"]]
    assert _groups(compute_communities(g, weight="strength")) == [["n0", "n3", "n6", "n7"], ["n1", "n2", "n4", "n5"]]
    assert _groups(compute_communities(g, method="greedy")) == [["n1", "n3", "n4", "n6", "n7"], ["n0", "n2", "n5"]]
    assert _groups(compute_communities(g, weight="strength", method="greedy")) == [["n0", "n3", "n6", "n7"],
                                                                                   ["n1", "n2", "n4", "n5"]]
    seeds = {str(_groups(compute_communities(g, seed=s))) for s in range(8)}
    assert len(seeds) == 2  # the seed is passed on: another seed can give another partition
    for seed in range(8):
        expected = sorted(sorted(c) for c in nx.community.louvain_communities(g, weight="count", seed=seed))
        assert sorted(_groups(compute_communities(g, seed=seed))) == expected


def test_analyse_network_scores_modularity_on_strengths_by_default():
    """Partition {A, B} | {G, D} scored with strengths gives 1/6, with counts 0.08 (see the summary test): the
    default weight of analyse_network is the strength, for the communities and the modularity alike."""
    g = build_network(_items(), linked_only=True)
    net = analyse_network(g)
    parts = [set(c["node"]) for _, c in net.communities.groupby("community")]
    assert net.summary["modularity"] == pytest.approx(nx.community.modularity(g, parts, weight="strength"))
    assert net.summary["modularity"] != pytest.approx(nx.community.modularity(g, parts, weight="count"))


def test_summary_without_community_table():
    g = build_network(_items(), linked_only=True)
    s = compute_network_summary(g, pd.DataFrame())
    assert s["communities"] == 0 and math.isnan(s["modularity"]) and s["components"] == 1


def test_an_author_listed_twice_on_a_work_is_one_item():
    a = pd.DataFrame({"work_id": ["1", "1", "1"], "position": [1, 2, 3], "author": ["Roy, M.", "Kim, K.", "Roy, M."],
                      "author_full": ["Roy, Marie", "Kim, Kyu", "Roy, Marie"]})
    assert coauthor_items(a)["item"].tolist() == ["roy marie", "kim kyu"]


def test_keyword_without_spelling_still_counts(keywords):
    """A keyword row whose original spelling is missing but whose key is known is still an occurrence."""
    kw = pd.concat([keywords, pd.DataFrame({"work_id": ["4"], "keyword": [None], "keyword_key": ["food"],
                                            "kind": ["author"]})], ignore_index=True)
    ki = keyword_items(kw)
    assert ki["work_id"].tolist() == ["1", "1", "2", "4"] and ki["label"].tolist()[-1] == "food"


def test_argument_errors_name_the_argument_checked_first():
    with pytest.raises(ParameterError) as err:
        keyword_network(pd.DataFrame({"kind": []}), kind="all")
    assert err.value.field == "kind"
    with pytest.raises(ParameterError) as err:
        node_occurrences(pd.DataFrame({"work_id": ["1"]}))
    assert err.value.field == "items" and "missing item" in err.value.message


# --- found by a run over every mutant (not only the sample of 300) ----------------------------------------------------

def test_analyse_network_passes_seed_and_weight_to_the_communities():
    g = _weighted()
    assert _groups(analyse_network(g).communities) == [["n0", "n3", "n6", "n7"], ["n1", "n2", "n4", "n5"]]  # strength
    for seed in range(8):
        assert analyse_network(g, seed=seed, weight="count").communities.equals(
            compute_communities(g, seed=seed, weight="count"))


def test_a_single_node_is_its_own_community():
    g = nx.Graph()
    g.add_node("a")
    assert compute_communities(g).values.tolist() == [["a", 1]]


def test_more_arguments_are_named():
    with pytest.raises(ParameterError) as err:
        association_strength(pd.DataFrame({"source": ["a"], "target": ["b"]}), pd.Series({"a": 1, "b": 1}))
    assert err.value.field == "edges" and "missing count" in err.value.message
    with pytest.raises(ParameterError) as err:
        build_network(pd.DataFrame({"work_id": ["1"]}))
    assert err.value.field == "items" and "missing item" in err.value.message
    with pytest.raises(ParameterError) as err:
        compute_network_summary(nx.to_pandas_edgelist(nx.Graph()), pd.DataFrame())
    assert err.value.field == "g" and err.value.message.endswith(" (build it with vigie.build_network())")
