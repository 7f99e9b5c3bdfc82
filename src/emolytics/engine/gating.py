"""A gated model: a base model and a change to it that applies only as far as a text looks
like the texts the change was learnt from.

Adapting one linear model to a team's domain moves it on the base's own domain too (one set of
weights cannot follow both). A gated model keeps the base's weights `W`, `b` and the adapted
model's change `D`, `s`, and a gate: a logistic regression over the same features telling the
team's texts (1) from the base's anchor texts (0). A text's logits are

    x W + b + g(x) (x D + s),  g(x) = sigmoid((x . gate weights + gate bias) / temperature)

so a text like the base's own reads (nearly) as the base reads it, and one like the team's as
the adapted model does. Per text, the model is linear with weights `W + g(x) D`: explanations
share out those, and stay exact.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from emolytics.engine.explanations import FeatureRow
from emolytics.engine.model import LinearModel

GATE_REGULARISATION = 3.0  # C of the gate's logistic regression (3: best AUC XED vs GoEmotions)


@dataclass(frozen=True, slots=True)
class Gate:
    """How much a text belongs to the adapted domain, in [0, 1]."""

    weights: np.ndarray  # one per feature of the model's vectorizer
    bias: float
    temperature: float  # below 1 sharpens the gate, above 1 softens it

    def openness(self, features: Any) -> np.ndarray:
        """The gate's value for each row of `features`, shape (rows,), float64."""
        decision = np.asarray(features @ self.weights, dtype=np.float64) + self.bias
        return self._opened(decision)

    def row_openness(self, row: FeatureRow) -> float:
        """The gate's value for one row, as (columns, values)."""
        columns, values = row
        return float(self._opened(values @ self.weights[columns] + self.bias))

    def _opened(self, decision: Any) -> Any:
        return _sigmoid(decision / self.temperature)

    def adjusted(self, offset: float, temperature: float) -> "Gate":
        """This gate with `offset` added to its bias and the given temperature."""
        return Gate(self.weights, self.bias + offset, temperature)


def train_gate(domain: sp.csr_matrix, anchors: sp.csr_matrix, temperature: float) -> Gate:
    """A gate telling the rows of `domain` (open) from those of `anchors` (closed), both rows
    of one vectorizer; each side weighs the same in total."""
    from sklearn.linear_model import LogisticRegression  # loading a model needs no scikit-learn

    features = sp.vstack([domain, anchors]).tocsr()
    sides = np.r_[np.ones(domain.shape[0]), np.zeros(anchors.shape[0])]
    classifier = LogisticRegression(
        C=GATE_REGULARISATION, class_weight="balanced", max_iter=1000
    ).fit(features, sides)
    weights = classifier.coef_[0].astype(np.float32)
    return Gate(weights, float(classifier.intercept_[0]), temperature)


class GatedModel(LinearModel):
    """`base`'s weights and intercept (as `weights`, `intercept`), a change `delta`, `shift`
    to them, and the `gate` that says how much of the change each text gets."""

    def __init__(
        self,
        base: LinearModel,
        delta: np.ndarray,
        shift: np.ndarray,
        gate: Gate,
    ) -> None:
        super().__init__(
            base.labels, base.vectorizer, base.weights, base.intercept, base.score_temperature
        )
        if delta.shape != self.weights.shape or shift.shape != self.intercept.shape:
            raise ValueError("delta and shift must be shaped as the weights and intercept")
        if gate.weights.shape != (self.vectorizer.size,) or not gate.temperature > 0:
            raise ValueError("the gate needs one weight per feature and a positive temperature")
        self.delta = np.ascontiguousarray(delta, dtype=np.float32)
        self.shift = np.asarray(shift, dtype=np.float32)
        self.gate = Gate(
            np.ascontiguousarray(gate.weights, dtype=np.float32),
            float(gate.bias),
            float(gate.temperature),
        )

    @classmethod
    def between(cls, base: LinearModel, adapted: LinearModel, gate: Gate) -> "GatedModel":
        """`base`, changed towards `adapted` (same labels and vectorizer) as `gate` opens."""
        delta = adapted.weights.astype(np.float64) - base.weights
        shift = adapted.intercept.astype(np.float64) - base.intercept
        return cls(base, delta, shift, gate)

    def logits(self, features: Any) -> np.ndarray:
        logits = super().logits(features)
        change = np.asarray(features @ self.delta, dtype=np.float64) + self.shift
        logits += self.gate.openness(features)[:, None] * change
        return logits

    def _leans(self, features: Any) -> np.ndarray:
        """The intercept plus the shift as far as the gate opens, for each row."""
        shift = self.shift.astype(np.float64)
        return self.intercept + self.gate.openness(features)[:, None] * shift

    def _label_weights(self, row: FeatureRow, label: int) -> np.ndarray:
        """`W + g(x) D` for the text of `row`: its own linear model."""
        return self.weights[:, label] + self.gate.row_openness(row) * self.delta[:, label]


def _sigmoid(values: Any) -> Any:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(values, dtype=np.float64)))
