"""Figures of the reports: one module per report domain, every ``plot_*`` taking ``lang``; the shared style in
:mod:`analysis.report.figures.style`."""
