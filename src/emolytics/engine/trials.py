"""A setting tried while adapting (`adaptation`): its scores out of fold, and the rules that
decide whether it may replace the base model.

A trial is kept when, on the labeled texts out of fold, its macro-F1 beats the base's on at
least `MIN_CHANGED` texts that just one of the two gets right, the log-probability it gives
the right labels beats the base's significantly (`MAX_P`), and, with a reference, it keeps the
base's answers on the guard texts (`MIN_AGREEMENT`, `MAX_FORGETTING`). Of the trials kept, the
one that gains most after what it forgets (`FORGETTING_WEIGHT`) is tried first (`ranked`).
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from emolytics.engine.refitting import Candidate

# A chosen setting keeps the base's label on this share of the guard texts (over 21 adaptations
# to XED, GoEmotions dev lost about half the share changed; the guard's own macro-F1 moved by
# 0.02 either way whatever was lost, so it is only a backstop, at this much lost).
MIN_AGREEMENT = 0.97
MAX_FORGETTING = 0.03
# Its out-of-fold log-likelihood of the right labels beats the base's in all but this share of
# bootstrap resamples. On 300 corrections, out-of-fold macro-F1 is too noisy to tell a gain of
# 0.05 on held-out texts from none (a bootstrap of it kept the base); the likelihood tells.
MAX_P = 0.05
# Its macro-F1 gain rests on at least this many texts that just one of it and the base gets
# right: a handful of flipped answers is not a gain, however sure the likelihood is (a refit
# also grows surer of the answers the base already had right).
MIN_CHANGED = 10
# Of the trials kept, the best gains most on the labeled texts out of fold less this many times
# the guard macro-F1 it loses (over XED adaptations, 1 let an open gate lose 0.021 on
# GoEmotions dev at 1,000 corrections; 2 kept the worst draw to 0.014 and gained more).
FORGETTING_WEIGHT = 2.0
# What an adapted model's metrics keep: the rules it was adapted under.
RULES = {
    "max_p": MAX_P,
    "min_changed": MIN_CHANGED,
    "min_agreement": MIN_AGREEMENT,
    "max_forgetting": MAX_FORGETTING,
    "forgetting_weight": FORGETTING_WEIGHT,
}


@dataclass(frozen=True, slots=True)
class Trial:
    candidate: Candidate
    macro_f1: float  # cross-validated on the labeled texts
    forgetting: float | None  # guard macro-F1 lost against the base (None: no reference)
    agreement: float | None  # share of guard texts given the base's label (None: no reference)
    seconds: float
    predicted: np.ndarray = field(repr=False)  # out-of-fold label indexes
    likelihoods: np.ndarray = field(repr=False)  # out-of-fold log-probability of the right label
    gain: float = 0.0  # mean of `likelihoods` less the base's
    p_value: float = 1.0  # `fitting.bootstrap_p` of `likelihoods` less the base's
    changed: int = 0  # labeled texts that just one of `predicted` and the base's gets right

    def kept(self, base_macro_f1: float) -> bool:
        """Whether the rules let it replace a base of this out-of-fold macro-F1."""
        return self.refusal(base_macro_f1) is None

    def refusal(self, base_macro_f1: float) -> str | None:
        """The first rule it fails against a base of this out-of-fold macro-F1, in words (None:
        it meets them all). Guard rules apply only when the guard was measured."""
        if self.macro_f1 <= base_macro_f1:
            return f"no gain on the base's macro-F1 ({base_macro_f1:.4f})"
        if self.changed < MIN_CHANGED:
            return f"the gain rests on {self.changed} texts ({MIN_CHANGED} needed)"
        if self.p_value >= MAX_P:
            return f"the likelihood gain may be chance (p {self.p_value:.3f}, under {MAX_P} needed)"
        if self.forgetting is None or self.agreement is None:
            return None
        return guard_refusal(self.forgetting, self.agreement)

    def describe(self) -> str:
        """One line: its settings and scores (the CLI's progress)."""
        guard = ""
        if self.forgetting is not None and self.agreement is not None:
            guard = f", forgets {self.forgetting:+.4f}, agrees {self.agreement:.1%}"
        scores = (
            f"macro-F1 {self.macro_f1:.4f} on {self.changed} changed, "
            f"likelihood {self.gain:+.3f}, p {self.p_value:.3f}"
        )
        return f"{self.candidate.describe()}: {scores}{guard} ({self.seconds:.1f} s)"

    def as_dict(self, chosen: bool) -> dict[str, Any]:
        return {
            "settings": self.candidate.describe(),
            "gated": self.candidate.temperature is not None,
            "macro_f1": self.macro_f1,
            "changed": self.changed,
            "likelihood_gain": self.gain,
            "p_value": self.p_value,
            "forgetting": self.forgetting,
            "agreement": self.agreement,
            "seconds": self.seconds,
            "chosen": chosen,
        }


def forgets_little(forgetting: float, agreement: float) -> bool:
    """Whether a model that lost `forgetting` macro-F1 on the guard texts and kept the base's
    label on `agreement` of them may be kept."""
    return guard_refusal(forgetting, agreement) is None


def guard_refusal(forgetting: float, agreement: float) -> str | None:
    """The guard rule such a model fails, in words (None: it may be kept)."""
    if agreement < MIN_AGREEMENT:
        return (
            f"keeps the base's label on {agreement:.1%} of the guard texts "
            f"({MIN_AGREEMENT:.0%} needed)"
        )
    if forgetting > MAX_FORGETTING:
        return f"forgets {forgetting:.4f} guard macro-F1 ({MAX_FORGETTING} at most)"
    return None


def ranked(tried: list[Trial], base_macro_f1: float) -> list[Trial]:
    """The trials the rules keep, the best first: by out-of-fold macro-F1 less
    `FORGETTING_WEIGHT` times the guard macro-F1 they lose, so that of two near gains the one
    that forgets less wins."""
    kept = [trial for trial in tried if trial.kept(base_macro_f1)]
    return sorted(kept, key=net_gain, reverse=True)


def net_gain(trial: Trial) -> float:
    """What `ranked` orders by: out-of-fold macro-F1 less the weighted guard loss."""
    return trial.macro_f1 - FORGETTING_WEIGHT * max(trial.forgetting or 0.0, 0.0)
