"""The ``Loss`` base class: input checks, the ``1/m`` scaling, and non-finite results.

A subclass supplies four formulas on validated arrays, each per entry and without the
``1/m``: the loss of the outputs, its gradient in the outputs, the loss of the logits
and its gradient in the logits. This class turns them into the cost ``J`` and the true
derivatives of ``J``, and raises instead of returning infinity or NaN.
"""

import numpy as np

from ._validation import as_array, as_float_matrix, check_same_shape, count_entries


class SaturationError(FloatingPointError):
    """Raised where an output that rounded to the edge of its range makes a quantity infinite.

    A sigmoid output of exactly 1.0 against a label of 0 is the usual case: the cost and
    ``dA_L`` computed from the output are infinite, while both are finite when computed
    from the logits.
    """


def sum_terms(terms, quantity):
    """Return the sum of ``terms`` as a Python float (complex for complex input).

    Raises ``FloatingPointError`` if the sum exceeds the largest float64, about 1.8e308.
    """
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        total = np.sum(terms)
    if not np.isfinite(total):
        raise FloatingPointError(
            f"{quantity} exceeds the largest float64 (about 1.8e308); scale the inputs, "
            "labels or weights down."
        )
    return complex(total) if np.iscomplexobj(total) else float(total)


def scaled_squares(D, factor, divisor):
    """Return ``factor * D**2 / divisor`` entry by entry, with no overflow in ``D**2``.

    For real ``D`` each entry is split as ``D = mantissa * 2**exponent`` and the result is
    ``ldexp(factor * mantissa**2 / divisor, 2 * exponent)``. Scaling by a power of two is
    exact in the normal range, so the result rounds as ``factor * D**2 / divisor`` does
    wherever that does not overflow, and it stays finite for ``D = 1.5e154``,
    ``factor = 0.5``, ``divisor = 1`` (1.125e308), where ``D**2`` overflows. Entries whose
    true value exceeds float64 become infinity with no warning, for the caller to check.
    Complex ``D`` (the complex-step derivative) uses ``factor * (D * D) / divisor``.
    """
    if np.iscomplexobj(D):
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            return factor * (D * D) / divisor
    mantissa, exponent = np.frexp(D)
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        return np.ldexp(factor * (mantissa * mantissa) / divisor, 2 * exponent.astype(np.int64))


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
    overflow_hint = (
        "The true value exceeds the largest float64, about 1.8e308; scale the inputs, "
        "labels or weights down."
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

    # The terms whose sum is J, and the gradients with their 1/m. A subclass overrides
    # these where dividing by m after the formula could overflow although the result fits.

    def output_terms(self, A, Y, m):
        """Return ``loss(A, Y) / m`` entry by entry; their sum is ``J``."""
        return self.output_losses(A, Y) / m

    def logit_terms(self, Z, Y, m):
        """Return the loss of the logits divided by ``m``, entry by entry."""
        return self.logit_losses(Z, Y) / m

    def output_gradient_over_m(self, A, Y, m):
        """Return ``dJ/dA_L``, the gradient of the loss in ``A`` divided by ``m``."""
        return self.output_gradient(A, Y) / m

    def logit_gradient_over_m(self, Z, Y, m):
        """Return ``dJ/dZ_L`` for the canonical activation."""
        return self.logit_gradient_unscaled(Z, Y) / m

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

    # The same computations on arrays that are already validated (real or complex). Each
    # runs with floating-point warnings off and then checks its result, so a value that is
    # not finite raises one clear error instead of a warning followed by inf or NaN.

    def cost_from_outputs_unchecked(self, A, Y):
        terms = self._finite(self.output_terms, A, Y, "the cost J computed from A_L", True)
        return sum_terms(terms, "the cost J computed from A_L")

    def gradient_unchecked(self, A, Y):
        return self._finite(self.output_gradient_over_m, A, Y, "dA_L = dJ/dA_L", True)

    def cost_from_logits_unchecked(self, Z, Y):
        terms = self._finite(self.logit_terms, Z, Y, "the cost J computed from Z_L", False)
        return sum_terms(terms, "the cost J computed from Z_L")

    def logit_gradient_unchecked(self, Z, Y):
        return self._finite(self.logit_gradient_over_m, Z, Y, "dZ_L = dJ/dZ_L", False)

    def _finite(self, formula, values, Y, quantity, outputs):
        """Return ``formula(values, Y, m)``, raising if any entry is not finite."""
        with np.errstate(all="ignore"):
            result = formula(values, Y, values.shape[1])
        self._check_finite(result, values, quantity, outputs=outputs)
        return result

    def _validate(self, values, values_name, Y, outputs):
        values = as_float_matrix(values, values_name)
        check_same_shape(as_array(Y, "Y"), "Y", values.shape, values_name)
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

    def _is_saturated(self, a):
        """Return whether the output ``a`` is at its range's upper edge or within a normal float of 0."""
        low, high = self.output_range
        a = float(np.real(a))
        at_low = low is not None and a - low < np.finfo(np.float64).tiny
        return at_low or (high is not None and a == high)

    def _check_finite(self, result, values, quantity, outputs):
        bad = ~np.isfinite(result)
        if not bad.any():
            return
        row, column = np.argwhere(bad)[0]
        value = values[row, column]
        if outputs and self._is_saturated(value):
            error, hint = self.not_finite_error, self.not_finite_hint
        else:
            error, hint = FloatingPointError, self.overflow_hint
            if outputs and self.canonical_activation is not None:
                hint += " Computing from the logits (route='combined') may avoid it."
        raise error(
            f"{quantity} is not finite in {count_entries(bad)} for {self.name}: the "
            f"first is at [{row}, {column}], where the input is {value.item()!r}. {hint}"
        )
