"""The ``Loss`` base class: input checks, the ``1/m`` scaling, and non-finite results.

A subclass supplies four formulas on validated arrays, each per entry and without the
``1/m``: the loss of the outputs, its gradient in the outputs, the loss of the logits
and its gradient in the logits. This class turns them into the cost ``J`` and the true
derivatives of ``J``, and raises instead of returning infinity.
"""

import numpy as np

from ._validation import as_float_matrix, check_same_shape, count_entries


class SaturationError(FloatingPointError):
    """Raised where an output that rounded to the edge of its range makes a quantity infinite.

    A sigmoid output of exactly 1.0 against a label of 0 is the usual case: the cost and
    ``dA_L`` computed from the output are infinite, while both are finite when computed
    from the logits.
    """


def scalar_sum(values, m):
    """Return ``sum(values / m)`` as a Python float, or complex for complex input.

    Dividing before summing keeps the partial sums below the largest float64 whenever
    each term is.
    """
    with np.errstate(under="ignore"):
        total = np.sum(values / m)
    return complex(total) if np.iscomplexobj(total) else float(total)


class Loss:
    """A loss function with its canonical output activation.

    Subclasses set ``name``, ``canonical_activation`` (the activation for which
    ``dZ_L = (A_L - Y) / m``), ``allowed_activations`` (``None`` for any) and
    ``output_range``, and implement ``validate_labels``, ``output_losses``,
    ``output_gradient``, ``logit_losses`` and ``logit_gradient_unscaled``.
    """

    name = "loss"
    canonical_activation = None
    allowed_activations = None
    output_range = (None, None)
    not_finite_error = SaturationError
    not_finite_hint = (
        "An output that rounded to the edge of its range (a probability of exactly 0 or 1) "
        "makes the loss or its gradient infinite; compute from the logits instead "
        "(route='combined')."
    )

    def validate_labels(self, Y):
        raise NotImplementedError

    def output_losses(self, A, Y):
        raise NotImplementedError

    def output_gradient(self, A, Y):
        raise NotImplementedError

    def logit_losses(self, Z, Y):
        raise NotImplementedError

    def logit_gradient_unscaled(self, Z, Y):
        raise NotImplementedError

    def __repr__(self):
        return f"<loss {self.name}>"

    # Public functions: validate, then compute.

    def cost(self, A, Y):
        """Return the cost ``J`` computed from the outputs ``A_L``, shape ``(n_L, m)``."""
        A, Y = self._validate(A, "A", Y, outputs=True)
        return self.cost_from_outputs_unchecked(A, Y)

    def gradient(self, A, Y):
        """Return ``dA_L = dJ/dA_L``, the seed of the chain route."""
        A, Y = self._validate(A, "A", Y, outputs=True)
        return self.gradient_unchecked(A, Y)

    def cost_from_logits(self, Z, Y):
        """Return the cost ``J`` computed from the logits ``Z_L`` of the canonical activation."""
        Z, Y = self._validate(Z, "Z", Y, outputs=False)
        return self.cost_from_logits_unchecked(Z, Y)

    def logit_gradient(self, Z, Y):
        """Return ``dZ_L = dJ/dZ_L = (A_L - Y) / m`` for the canonical activation, the combined route."""
        Z, Y = self._validate(Z, "Z", Y, outputs=False)
        return self.logit_gradient_unchecked(Z, Y)

    # The same computations on arrays that are already validated (real or complex).

    def cost_from_outputs_unchecked(self, A, Y):
        with np.errstate(under="ignore", over="ignore"):
            losses = self.output_losses(A, Y)
        self._check_finite(losses, A, "the cost J computed from A_L")
        return scalar_sum(losses, A.shape[1])

    def gradient_unchecked(self, A, Y):
        with np.errstate(under="ignore", over="ignore"):
            dA = self.output_gradient(A, Y) / A.shape[1]
        self._check_finite(dA, A, "dA_L = dJ/dA_L")
        return dA

    def cost_from_logits_unchecked(self, Z, Y):
        with np.errstate(under="ignore"):
            losses = self.logit_losses(Z, Y)
        self._check_finite(losses, Z, "the cost J computed from Z_L")
        return scalar_sum(losses, Z.shape[1])

    def logit_gradient_unchecked(self, Z, Y):
        with np.errstate(under="ignore"):
            return self.logit_gradient_unscaled(Z, Y) / Z.shape[1]

    def _validate(self, values, values_name, Y, outputs):
        values = as_float_matrix(values, values_name)
        check_same_shape(np.asarray(Y), "Y", values.shape, values_name)
        Y = as_float_matrix(Y, "Y")
        self.validate_labels(Y)
        if outputs:
            self.validate_outputs(values, values_name)
        return values, Y

    def validate_outputs(self, A, name="A"):
        """Raise ``ValueError`` unless ``A`` lies in the range this loss accepts."""
        low, high = self.output_range
        outside = np.zeros(A.shape, dtype=bool)
        if low is not None:
            outside |= A < low
        if high is not None:
            outside |= A > high
        if outside.any():
            row, column = np.argwhere(outside)[0]
            raise ValueError(
                f"{name}[{row}, {column}] = {float(A[row, column])!r} is outside "
                f"[{low}, {high if high is not None else 'inf'}], the range of the outputs "
                f"that {self.name} scores ({self.canonical_activation} outputs). Pass logits "
                "to the functions that take Z instead."
            )

    def _check_finite(self, result, values, quantity):
        bad = ~np.isfinite(result)
        if bad.any():
            row, column = np.argwhere(bad)[0]
            raise self.not_finite_error(
                f"{quantity} is not finite in {count_entries(bad)} for {self.name}: the "
                f"first is at [{row}, {column}], where the input is "
                f"{values[row, column].item()!r}. {self.not_finite_hint}"
            )
