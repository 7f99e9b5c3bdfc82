"""How unusual a window is: the two tails of its count (Poisson, or negative binomial when the
baseline varies more than Poisson), of its emotion's texts among its texts (binomial, or
beta-binomial), and of a mean (normal), with the overdispersion each finds in the baseline.

Counts use mid-p tails (half the probability of the observed value itself), which keeps a
discrete test from being needlessly deaf at low counts while staying calibrated on average.
"""

import math

import numpy as np
from scipy import special

from emolytics.alerts.rules import Direction

TINY = 1e-9  # overdispersion below this is none


def count_dispersion(observed: np.ndarray, expected: np.ndarray) -> float:
    """The negative binomial's alpha (variance = mean + alpha x mean^2) by the method of
    moments over the baseline windows; 0 when they vary no more than Poisson."""
    if len(observed) == 0:
        return 0.0
    excess = float(((observed - expected) ** 2 - expected).sum())
    return max(0.0, excess / max(float((expected**2).sum()), TINY))


def count_tails(observed: int, mean: float, alpha: float) -> tuple[float, float, str]:
    """(P(below), P(above)) as mid-p tails of a count with this mean and overdispersion, and
    the model's name."""
    if mean <= 0:
        return (0.0, 1.0, "poisson") if observed else (0.5, 0.5, "poisson")
    if alpha <= TINY:
        below = special.pdtr(observed - 1, mean) if observed else 0.0
        at = math.exp(observed * math.log(mean) - mean - special.gammaln(observed + 1))
        return _mid_p(below, at, special.pdtrc(observed, mean)) + ("poisson",)
    size = 1 / alpha
    success = size / (size + mean)
    below = special.betainc(size, observed, success) if observed else 0.0
    at = math.exp(
        special.gammaln(observed + size)
        - special.gammaln(size)
        - special.gammaln(observed + 1)
        + size * math.log(success)
        + observed * math.log1p(-success)
    )
    above = special.betainc(observed + 1, size, 1 - success)
    return _mid_p(below, at, above) + ("negative binomial",)


def share_dispersion(hits: np.ndarray, texts: np.ndarray, share: float) -> float:
    """The beta-binomial's intra-window correlation rho (variance = n p (1 - p) (1 + (n - 1)
    rho)) by the method of moments over the baseline windows; 0 when binomial enough."""
    spread = share * (1 - share)
    excess = float(((hits - texts * share) ** 2 - texts * spread).sum())
    pairs = float((texts * (texts - 1)).sum()) * spread
    return min(0.5, max(0.0, excess / max(pairs, TINY)))


def share_tails(hits: int, texts: int, share: float, rho: float) -> tuple[float, float, str]:
    """(P(below), P(above)) as mid-p tails of `hits` among `texts` with this expected share."""
    values = np.arange(texts + 1)
    ways = special.gammaln(texts + 1) - special.gammaln(values + 1)
    ways -= special.gammaln(texts - values + 1)
    if rho <= TINY:
        name = "binomial"
        logs = ways + values * math.log(share) + (texts - values) * math.log1p(-share)
    else:
        name = "beta-binomial"
        first, second = share * (1 / rho - 1), (1 - share) * (1 / rho - 1)
        logs = ways + special.betaln(values + first, texts - values + second)
        logs -= special.betaln(first, second)
    law = np.exp(logs)
    return _mid_p(law[:hits].sum(), law[hits], law[hits + 1 :].sum()) + (name,)


def mean_tails(observed: float, expected: float, variance: float) -> tuple[float, float, str]:
    """(P(below), P(above)) of a mean with this expected value and variance (normal)."""
    z = (observed - expected) / math.sqrt(max(variance, TINY**2))
    return float(special.ndtr(z)), float(special.ndtr(-z)), "normal"


def judged(direction: Direction, below: float, above: float) -> tuple[float, Direction]:
    """The p-value in the rule's direction (both ways for EITHER: twice the smaller tail) and
    the way the window went."""
    went = Direction.RISE if above <= below else Direction.DROP
    if direction is Direction.RISE:
        return above, went
    if direction is Direction.DROP:
        return below, went
    return min(1.0, 2 * min(below, above)), went


def _mid_p(below: float, at: float, above: float) -> tuple[float, float]:
    """P(X < x) + P(X = x) / 2 and P(X > x) + P(X = x) / 2."""
    return float(below) + float(at) / 2, float(above) + float(at) / 2
