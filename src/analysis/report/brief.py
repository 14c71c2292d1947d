"""« En bref »: the first section of a report, the answers a member of the Table de vigie reads on one page.

A brief is data, then display. Each report builds its :class:`Brief` with a report-specific function from the
**same computed objects** its sections display (so a number in the brief cannot drift from the section that holds
its evidence), then shows it with :func:`show_brief`::

    from analysis.report.brief import Brief, Finding, section_link, show_brief

    anchor, title = section_link("ecosysteme.sub_reach", lang)     # the heading that holds the evidence
    brief = Brief(
        findings=(Finding(question="…?", answer="…", certainty="…", caveat="…", section_anchor=anchor,
                          section_title=title, confidence="moderate"),),
        decision="Décision demandée à la Table de vigie : …",
        decision_points=("…", "…"),
    )
    show_brief(brief, lang)

The notebook puts a labelled Markdown heading ``## En bref`` (label ``common.brief_title``) right after its setup
cell, then one short code cell building and showing the brief. Every value is escaped; the words around the values
come from ``labels/common.yaml`` (``brief_*``); the page style is ``templates/vigie/brief.css`` (one block per
finding, ``break-after: page`` when printed, one column at 390 px).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from analysis.core.errors import ParameterError
from analysis.report import display
from analysis.report.labels import check_lang, t

CONFIDENCE = ("high", "moderate", "low", "none")
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"expected a non-empty text, got {value!r}", field=field)
    return value


@dataclass(frozen=True)
class Finding:
    """One question the report answers, with its answer and how far to trust it.

    Parameters
    ----------
    question : str
        The question as a member of the Table would ask it.
    answer : str
        The answer in plain language, with its numbers (formatted as in the section that shows them).
    certainty : str
        How sure the answer is and why: the interval, the sample, or the caveat behind the confidence level.
    caveat : str
        The main reason not to over-read the answer (what the figure is not).
    section_anchor : str
        The id of the heading of the section holding the evidence (see :func:`section_link`), without ``#``.
    section_title : str
        The visible text of the link to that section (the heading's text).
    confidence : {"high", "moderate", "low", "none"}, default "moderate"
        The level shown as a badge: ``none`` when the data to answer are missing.
    secondary_source : bool, default False
        The answer rests on a secondary web page: the brief says so next to the certainty.

    Raises
    ------
    ParameterError
        An empty text, an anchor that is not an id (lower-case letters, digits, hyphens) or an unknown confidence.
    """

    question: str
    answer: str
    certainty: str
    caveat: str
    section_anchor: str
    section_title: str
    confidence: str = "moderate"
    secondary_source: bool = False

    def __post_init__(self) -> None:
        for field in ("question", "answer", "certainty", "caveat", "section_title"):
            _text(getattr(self, field), field)
        if not isinstance(self.section_anchor, str) or not _ANCHOR.match(self.section_anchor):
            raise ParameterError(f"expected a heading id (a-z, 0-9, -), got {self.section_anchor!r}",
                                 field="section_anchor")
        if self.confidence not in CONFIDENCE:
            raise ParameterError(f"expected one of {', '.join(CONFIDENCE)}, got {self.confidence!r}",
                                 field="confidence")
        if not isinstance(self.secondary_source, bool):
            raise ParameterError(f"expected true or false, got {self.secondary_source!r}", field="secondary_source")


@dataclass(frozen=True)
class Brief:
    """The « En bref » section of a report: its findings and the decision asked of the Table de vigie.

    Parameters
    ----------
    findings : tuple of Finding
        One per question, in reading order (at least one; four or five keep the brief on one printed page).
    decision : str
        The decision asked of the Table, as one sentence (it may introduce ``decision_points``).
    decision_points : tuple of str, default ()
        The options or actions to decide on, shown as a list under ``decision``.

    Raises
    ------
    ParameterError
        No finding, a finding that is not a :class:`Finding`, or an empty text.
    """

    findings: tuple[Finding, ...]
    decision: str
    decision_points: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.findings, tuple) or not self.findings:
            raise ParameterError("expected a non-empty tuple of findings", field="findings")
        for i, finding in enumerate(self.findings):
            if not isinstance(finding, Finding):
                raise ParameterError(f"expected a Finding, got {type(finding).__name__}", field=f"findings[{i}]")
        _text(self.decision, "decision")
        if not isinstance(self.decision_points, tuple):
            raise ParameterError("expected a tuple of texts", field="decision_points")
        for i, point in enumerate(self.decision_points):
            _text(point, f"decision_points[{i}]")


def section_link(label: str, lang: str = "fr") -> tuple[str, str]:
    """The anchor and text of a section heading written as a labelled Markdown cell.

    The renderer gives each heading the id :func:`analysis.report.display.slug` of its text, and a labelled cell
    takes its catalogue entry's text in the report's language, so the link is computed from the same entry.

    Parameters
    ----------
    label : str
        The heading's catalogue key, ``"<catalogue>.<key>"`` (``"ecosysteme.sub_reach"``).
    lang : {"fr", "en"}
        Language of the report.

    Returns
    -------
    (str, str)
        The heading's id and its text: ``("portee-visee-du-programme", "Portée visée du programme")``.

    Raises
    ------
    KeyError
        ``label`` is not in its catalogue.
    ParameterError
        ``lang`` is not fr or en.
    """
    title = t(label, check_lang(lang))
    return display.slug(title), title


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def brief_html(brief: Brief, lang: str = "fr") -> str:
    """The brief as an HTML fragment: a list with one block per finding, then the decision; every value escaped.

    Parameters
    ----------
    brief : Brief
        What to show.
    lang : {"fr", "en"}
        Language of the words around the values.

    Returns
    -------
    str
        ``<section class="vigie-brief">…</section>``; each finding is an ``<li class="vigie-brief-finding">`` with
        its question, answer, certainty (with a ``vigie-brief-<confidence>`` badge), caveat and a link
        ``href="#<section_anchor>"``. No ``h2``/``h3`` inside: the renderer numbers those as sections.

    Raises
    ------
    ParameterError
        ``brief`` is not a :class:`Brief`, or ``lang`` is not fr or en.
    """
    if not isinstance(brief, Brief):
        raise ParameterError(f"expected a Brief, got {type(brief).__name__}", field="brief")
    check_lang(lang)

    def label(key: str) -> str:
        return _e(t(f"common.brief_{key}", lang))

    out = [f'<section class="vigie-brief" aria-label="{label("title")}">', '<ol class="vigie-brief-findings">']
    for f in brief.findings:
        badge = label("confidence_" + f.confidence)
        level = f'<span class="vigie-brief-level vigie-brief-{f.confidence}">{badge}</span>'
        web = (f' <span class="vigie-brief-web">{label("secondary_source")}</span>' if f.secondary_source else "")
        out += [
            f'<li class="vigie-brief-finding vigie-brief-finding-{f.confidence}">',
            f'<p class="vigie-brief-question">{_e(f.question)}</p>',
            f'<p class="vigie-brief-answer">{_e(f.answer)}</p>',
            '<dl class="vigie-brief-facts">',
            f'<div><dt>{label("certainty")}</dt><dd>{level}{web} {_e(f.certainty)}</dd></div>',
            f'<div><dt>{label("caveat")}</dt><dd>{_e(f.caveat)}</dd></div>',
            "</dl>",
            f'<p class="vigie-brief-link"><a href="#{_e(f.section_anchor)}">{label("see")} '
            f"{_e(f.section_title)}</a></p>",
            "</li>",
        ]
    out.append("</ol>")
    out.append(f'<div class="vigie-brief-decision"><p><strong>{label("decision")}</strong> {_e(brief.decision)}</p>')
    if brief.decision_points:
        out.append("<ul>" + "".join(f"<li>{_e(p)}</li>" for p in brief.decision_points) + "</ul>")
    out.append("</div></section>")
    return "\n".join(out)


def brief_text(brief: Brief, lang: str = "fr") -> str:
    """The brief as plain text (the notebook's ``text/plain`` output, read by nbval and by a terminal).

    Parameters
    ----------
    brief : Brief
        What to show.
    lang : {"fr", "en"}
        Language of the words around the values.

    Returns
    -------
    str
        One paragraph per finding (question, answer, certainty, caveat, section), then the decision.

    Raises
    ------
    ParameterError
        ``brief`` is not a :class:`Brief`, or ``lang`` is not fr or en.
    """
    if not isinstance(brief, Brief):
        raise ParameterError(f"expected a Brief, got {type(brief).__name__}", field="brief")
    check_lang(lang)

    def label(key: str) -> str:
        return t(f"common.brief_{key}", lang)

    sep = " : " if lang == "fr" else ": "
    parts = []
    for i, f in enumerate(brief.findings, 1):
        web = f" ({label('secondary_source')})" if f.secondary_source else ""
        parts.append("\n".join([
            f"{i}. {f.question}", f"   {f.answer}",
            f"   {label('certainty')}{sep}{label('confidence_' + f.confidence)}{web}. {f.certainty}",
            f"   {label('caveat')}{sep}{f.caveat}", f"   {label('see')} {f.section_title} (#{f.section_anchor})"]))
    decision = f"{label('decision')} {brief.decision}"
    parts.append("\n".join([decision] + [f" - {p}" for p in brief.decision_points]))
    return "\n\n".join(parts)


def show_brief(brief: Brief, lang: str = "fr") -> None:
    """Show the brief in the notebook (HTML through the project's display helpers, plain text beside it).

    Parameters
    ----------
    brief : Brief
        What to show, built by the report's brief function from the objects its sections display.
    lang : {"fr", "en"}
        Language of the report.

    Raises
    ------
    ParameterError
        ``brief`` is not a :class:`Brief`, or ``lang`` is not fr or en.
    """
    display._publish({"text/html": brief_html(brief, lang), "text/plain": brief_text(brief, lang)})


__all__ = ["CONFIDENCE", "Brief", "Finding", "brief_html", "brief_text", "section_link", "show_brief"]
