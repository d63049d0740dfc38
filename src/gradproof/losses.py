"""Binary cross-entropy: the cost, its gradient in ``A_L``, and its gradient in ``Z_L``.

The cost of a batch of ``m`` examples stored as columns is the mean loss,

    J = -(1/m) * sum(Y * log(A_L) + (1 - Y) * log(1 - A_L)),

summed over the output units and averaged over the examples. The ``1/m`` appears once,
here, so every gradient gradproof returns is the true derivative of ``J``.

Two routes lead to ``dZ_L = dJ/dZ_L``. The chain route computes ``dA_L = dJ/dA_L`` from the
probabilities and multiplies by ``sigmoid'(Z_L)``. The combined route uses the book's
theorem ``thm-sigmoid-bce``, ``dZ_L = (A_L - Y) / m``, which needs only the logits.
The chain route divides by ``A_L`` and ``1 - A_L``, so it fails where the sigmoid rounds
to exactly 0 or 1; the combined route is exact everywhere.
"""

import numpy as np

from ._validation import (
    as_float_matrix,
    check_probability_labels,
    check_same_shape,
    count_entries,
)
from .activations import sigmoid


class SaturationError(FloatingPointError):
    """Raised where a probability that rounded to 0 or 1 makes a quantity infinite."""


def _validate(values, values_name, Y, probabilities):
    """Return ``values`` and ``Y`` as float64 arrays after checking shapes and ranges."""
    values = as_float_matrix(values, values_name)
    check_same_shape(np.asarray(Y), "Y", values.shape, values_name)
    Y = as_float_matrix(Y, "Y")
    check_probability_labels(Y)
    if probabilities and ((values < 0) | (values > 1)).any():
        raise ValueError(
            f"{values_name} contains entries outside [0, 1]; it must hold probabilities "
            "sigmoid(Z_L). Pass logits to the *_from_logits and *_logit_gradient functions."
        )
    return values, Y


def _find_saturated(A, Y):
    """Return a mask of the entries where ``log(A)`` or ``log(1 - A)`` is needed but infinite.

    An entry needs ``log(A)`` when its label ``Y`` is above 0, and ``log(1 - A)`` when ``Y``
    is below 1. Terms whose coefficient is exactly 0 contribute 0, as ``0 * log 0`` does in
    the limit, so they are not counted.
    """
    return ((A == 0) & (Y > 0)) | ((A == 1) & (Y < 1))


def _raise_saturation(mask, A, quantity):
    row, column = np.argwhere(mask)[0]
    raise SaturationError(
        f"{quantity} is infinite in {count_entries(mask)} because A_L is too close to 0 "
        f"or 1 in float64: the first is A_L[{row}, {column}] = {float(A[row, column])!r}. Compute from the "
        "logits instead: binary_cross_entropy_from_logits for the cost, or "
        "binary_cross_entropy_logit_gradient (route='combined') for dZ_L."
    )


def binary_cross_entropy(A, Y):
    """Compute the cost ``J`` from probabilities ``A`` of shape ``(n_y, m)``.

    This is the textbook formula. It raises ``SaturationError`` when an entry of ``A`` is
    exactly 0 or 1 and its label makes the log of that entry infinite. The cost computed
    from the logits, ``binary_cross_entropy_from_logits``, stays finite there.
    """
    A, Y = _validate(A, "A", Y, probabilities=True)
    m = A.shape[1]
    saturated = _find_saturated(A, Y)
    if saturated.any():
        _raise_saturation(saturated, A, "the cost J")

    log_A = np.zeros_like(A)
    log_one_minus_A = np.zeros_like(A)
    np.log(A, out=log_A, where=Y > 0)
    np.log1p(-A, out=log_one_minus_A, where=Y < 1)
    with np.errstate(under="ignore"):
        losses = -(Y * log_A + (1.0 - Y) * log_one_minus_A)
        return float(np.sum(losses / m))


def binary_cross_entropy_from_logits(Z, Y):
    """Compute the cost ``J`` from the logits ``Z_L``, where ``A_L = sigmoid(Z_L)``.

    The loss of one entry is ``softplus(z) - y z`` (book result ``lem-bce-logits``),
    evaluated as ``(max(z, 0) - y z) + log1p(exp(-|z|))``. No step overflows and no step
    takes the log of a rounded probability, so the cost is finite for every finite ``Z``,
    including logits in the thousands. The first bracket is exactly 0 for a confident
    correct prediction with a label of 0 or 1, so a small loss such as
    ``log1p(exp(-40))`` keeps full relative precision.
    """
    Z, Y = _validate(Z, "Z", Y, probabilities=False)
    m = Z.shape[1]
    with np.errstate(under="ignore"):
        losses = (np.maximum(Z, 0.0) - Y * Z) + np.log1p(np.exp(-np.abs(Z)))
        return float(np.sum(losses / m))


def binary_cross_entropy_gradient(A, Y):
    """Compute ``dA_L = dJ/dA_L = (1/m) * (-Y / A + (1 - Y) / (1 - A))``.

    This seeds the chain route. It raises ``SaturationError`` where ``A`` is exactly 0 or 1
    against a label that makes the entry infinite: there ``dA_L`` does not exist in
    floating point, which is why the book computes ``dZ_L`` from the logits.
    """
    A, Y = _validate(A, "A", Y, probabilities=True)
    m = A.shape[1]
    over_A = np.zeros_like(A)
    over_one_minus_A = np.zeros_like(A)
    with np.errstate(under="ignore", over="ignore", divide="ignore"):
        np.divide(Y, A, out=over_A, where=Y > 0)
        np.divide(1.0 - Y, 1.0 - A, out=over_one_minus_A, where=Y < 1)
        dA = (over_one_minus_A - over_A) / m

    # A_L exactly 0 or 1 divides by zero, and a subnormal A_L overflows the quotient.
    infinite = ~np.isfinite(dA)
    if infinite.any():
        _raise_saturation(infinite, A, "dA_L = dJ/dA_L")
    return dA


def binary_cross_entropy_logit_gradient(Z, Y):
    """Compute ``dZ_L = dJ/dZ_L = (sigmoid(Z_L) - Y) / m``, the combined route.

    This is the book's theorem ``thm-sigmoid-bce``. The difference is evaluated as
    ``(1 - Y) * sigmoid(Z) - Y * sigmoid(-Z)``, equal because ``sigmoid(Z) + sigmoid(-Z) = 1``.
    For the labels 0 and 1 that leaves a single term, so no cancellation occurs and the
    result keeps full relative precision at every finite ``Z``: with ``Z = 40`` and
    ``Y = 1`` it is ``-sigmoid(-40) / m``, where ``sigmoid(40) - 1`` would round to 0.
    """
    Z, Y = _validate(Z, "Z", Y, probabilities=False)
    m = Z.shape[1]
    with np.errstate(under="ignore"):
        return ((1.0 - Y) * sigmoid(Z) - Y * sigmoid(-Z)) / m
