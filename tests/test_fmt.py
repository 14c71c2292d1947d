"""French (Québec) and English number formats, checked by hand against OQLF conventions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.report import fmt

NB, TH = "\u00a0", "\u202f"  # no-break space before units, narrow no-break space between thousands


def test_brief_examples():
    assert fmt.money(1234.5, 1) == f"1{TH}234,5{NB}$"
    assert fmt.percent(12.5) == f"12,5{NB}%"
    assert fmt.money_short(1.5e6) == f"1,5{NB}M$"
    assert fmt.money(1234.5, 1, "en") == "$1,234.5"
    assert fmt.percent(12.5, lang="en") == "12.5%"
    assert fmt.money_short(1.5e6, "en") == "$1.5M"


@pytest.mark.parametrize(("value", "decimals", "fr", "en"), [
    (1234567.891, 1, f"1{TH}234{TH}567,9", "1,234,567.9"),
    (0, 0, "0", "0"),
    (999, 0, "999", "999"),
    (1000, 0, f"1{TH}000", "1,000"),
    (-1234.5, 1, f"−1{TH}234,5", "-1,234.5"),  # French minus sign U+2212
    (-0.04, 1, "0,0", "0.0"),  # never "-0"
    (0.125, 3, "0,125", "0.125"),
    (12, 2, "12,00", "12.00"),
])
def test_number(value, decimals, fr, en):
    assert fmt.number(value, decimals) == fr
    assert fmt.number(value, decimals, "en") == en


def test_missing_and_special_values():
    for missing in (None, float("nan"), pd.NA, pd.NaT):
        assert fmt.number(missing) == fmt.MISSING == "—"
        assert fmt.percent(missing) == "—" and fmt.money(missing) == "—" and fmt.year(missing) == "—"
    assert fmt.number(math.inf) == "∞" and fmt.number(-math.inf) == "−∞"
    assert fmt.number("sans objet") == "sans objet"  # text passes through untouched


def test_integer_percent_ratio():
    assert fmt.integer(3658) == f"3{TH}658" and fmt.integer(3658, "en") == "3,658"
    assert fmt.percent(0.125, ratio=True) == f"12,5{NB}%"
    assert fmt.percent(0.125, 0, "en", ratio=True) == "12%"  # 12.5 rounds half to even
    assert fmt.percent(33.333, 0) == f"33{NB}%"
    assert fmt.ratio(1.234) == "1,23" and fmt.ratio(1.235, 1, "en") == "1.2"


def test_money_currencies():
    assert fmt.money(1234.6) == f"1{TH}235{NB}$"
    assert fmt.money(1234.6, 0, currency="$ US") == f"1{TH}235{NB}$ US"
    assert fmt.money(1234.6, 0, "en", currency="$ US") == "$1,235 US"
    assert fmt.money(1234.6, 0, "fr", currency="£") == f"1{TH}235{NB}£"
    assert fmt.money(1234.6, 0, "en", currency="£") == "£1,235"
    assert fmt.money(-50, 0) == f"−50{NB}$"


@pytest.mark.parametrize(("value", "fr", "en"), [
    (2.3e9, f"2,3{NB}G$", "$2.3B"),
    (1.5e6, f"1,5{NB}M$", "$1.5M"),
    (1500, f"1,5{NB}k$", "$1.5k"),
    (999, f"999{NB}$", "$999"),
])
def test_money_short(value, fr, en):
    assert fmt.money_short(value) == fr
    assert fmt.money_short(value, "en") == en


def test_negative_amounts():
    assert fmt.money_short(-2_500_000) == f"−2,5{NB}M$"
    assert fmt.money(-1234.6, 0) == f"−1{TH}235{NB}$"


def test_negative_amounts_english():
    assert fmt.money_short(-2_500_000, "en") == "-$2.5M"
    assert fmt.money(-1234.6, 0, "en") == "-$1,235"


def test_money_short_other_currency():
    assert fmt.money_short(4.2e6, "fr", currency="£") == f"4,2{NB}M£"
    assert fmt.money_short(4.2e6, "en", currency="£") == "£4.2M"


def test_year_and_pvalue():
    assert fmt.year(2019) == "2019" and fmt.year(2019.0) == "2019"  # never "2 019"
    assert fmt.pvalue(0.0004) == f"<{NB}0,001" and fmt.pvalue(0.0004, "en") == f"<{NB}0.001"
    assert fmt.pvalue(0.0123) == "0,012" and fmt.pvalue(0.05, "en") == "0.050"


def test_counts_are_whole_numbers_and_intervals_use_the_languages_separator():
    assert fmt.count(373.0) == "373" and fmt.count(2219.0) == f"2{TH}219"
    assert fmt.is_whole(20.0) and not fmt.is_whole(79.4) and not fmt.is_whole(True) and not fmt.is_whole(None)
    assert fmt.interval(0.2, 5.0) == f"[0,2{NB}; 5,0]"
    assert fmt.interval(0.2, 5.0, lang="en") == "[0.2, 5.0]"
    assert fmt.interval(1500, None, 0, kind="money") == f"[1{TH}500{NB}${NB}; —]"
