"""Statistics shared by the domain wings (which may not import each other): the Wilson interval of a proportion."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from analysis.core.checks import require_positive, require_type
from analysis.core.errors import ParameterError


def wilson_interval(successes: int, trials: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of a proportion.

    Parameters
    ----------
    successes, trials : int
        Counts, ``0 <= successes <= trials``.

    Returns
    -------
    (float, float)
        Lower and upper bounds as ratios (0–1); ``(nan, nan)`` when ``trials`` is 0. ``wilson_interval(9, 10)`` is
        about (0.596, 0.982); ``wilson_interval(7, 7)`` about (0.646, 1.0).

    Raises
    ------
    ParameterError
        Counts that are not whole numbers, negative, or more successes than trials.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the
    American Statistical Association* 22(158), 209–212. doi:10.1080/01621459.1927.10502953; computed with
    ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
    """
    for name, value in (("successes", successes), ("trials", trials)):
        require_type(value, (int, np.integer), name)
        require_positive(value, name, allow_zero=True)
    if successes > trials:
        raise ParameterError(f"more successes ({successes}) than trials ({trials})", field="successes")
    if trials == 0:
        return float("nan"), float("nan")
    low, high = proportion_confint(int(successes), int(trials), alpha=0.05, method="wilson")
    return float(low), float(high)
