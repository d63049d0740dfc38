"""Loss functions: each cost, its gradient in the outputs ``A_L``, and in the logits ``Z_L``.

The cost of a batch of ``m`` examples stored as columns is the mean over the examples of
the loss summed over the output units, ``J = (1/m) * sum(loss(A_L, Y))``. The ``1/m``
appears once, here, so every gradient gradproof returns is the true derivative of ``J``.

Each loss has a canonical output activation with which it forms a pair whose logit
gradient is ``dZ_L = (A_L - Y) / m`` (the book's canonical-link results):

=========================  ===================  ============================
loss                       canonical activation  labels
=========================  ===================  ============================
binary cross-entropy       sigmoid               entries in [0, 1]
categorical cross-entropy  softmax               columns of a distribution
mean squared error         identity              any finite numbers
Poisson negative log-lik.  exponential           entries >= 0
=========================  ===================  ============================

Two routes lead to ``dZ_L``. The chain route computes ``dA_L = dJ/dA_L`` from the
outputs and applies the activation's backward step. The combined route computes ``dZ_L``
from the logits, which is exact where the chain route divides by a probability that has
rounded to 0 or 1.
"""

import numpy as np

from ._loss_base import Loss, SaturationError, scaled_squares
from ._validation import check_label_range, check_label_columns_sum_to_one
from .activations import exponential, sigmoid
from .softmax import softmax

__all__ = [
    "BINARY_CROSS_ENTROPY",
    "CATEGORICAL_CROSS_ENTROPY",
    "LOSSES",
    "MEAN_SQUARED_ERROR",
    "POISSON",
    "SaturationError",
    "binary_cross_entropy",
    "binary_cross_entropy_from_logits",
    "binary_cross_entropy_gradient",
    "binary_cross_entropy_logit_gradient",
    "get_loss",
]


def _log_where(values, mask, function=np.log):
    """Return ``function(values)`` where ``mask`` is true and 0 elsewhere, with no warning."""
    result = np.zeros_like(values)
    function(values, out=result, where=mask)
    return result


def _divide_where(numerator, denominator, mask):
    """Return ``numerator / denominator`` where ``mask`` is true and 0 elsewhere.

    Division by zero and overflow are left to the caller, which checks the result.
    """
    result = np.zeros(np.broadcast_shapes(np.shape(numerator), np.shape(denominator)))
    with np.errstate(under="ignore", over="ignore", divide="ignore"):
        np.divide(numerator, denominator, out=result, where=mask)
    return result


class BinaryCrossEntropy(Loss):
    """``loss(a, y) = -y log a - (1 - y) log(1 - a)``, paired with the sigmoid."""

    name = "binary_cross_entropy"
    canonical_activation = "sigmoid"
    allowed_activations = ("sigmoid",)
    output_range = (0.0, 1.0)

    def validate_labels(self, Y):
        check_label_range(Y, low=0.0, high=1.0, reason="binary cross-entropy needs labels "
                          "that are probabilities, usually 0 or 1")

    def output_losses(self, A, Y):
        # A term whose coefficient is exactly 0 contributes 0, as 0 * log 0 does in the limit.
        with np.errstate(divide="ignore"):
            log_A = _log_where(A, Y > 0)
            log_one_minus_A = _log_where(-A, Y < 1, np.log1p)
        return -(Y * log_A + (1.0 - Y) * log_one_minus_A)

    def output_gradient(self, A, Y):
        return _divide_where(1.0 - Y, 1.0 - A, Y < 1) - _divide_where(Y, A, Y > 0)

    def logit_losses(self, Z, Y):
        # softplus(z) - y z, grouped so that the bracket is exactly 0 for a confident
        # correct prediction with label 0 or 1 and the small remainder keeps its digits.
        # Both branches test Re z >= 0, so for complex input the formula is one analytic
        # branch at every point, including z = 0.
        W = np.where(Z.real >= 0, Z, -Z)
        return (np.where(Z.real >= 0, Z, 0.0) - Y * Z) + np.log1p(np.exp(-W))

    def logit_gradient_unscaled(self, Z, Y):
        # sigmoid(Z) - Y = (1 - Y) sigmoid(Z) - Y sigmoid(-Z): one term for labels 0 and 1.
        return (1.0 - Y) * sigmoid(Z) - Y * sigmoid(-Z)


class CategoricalCrossEntropy(Loss):
    """``loss(a, y) = -sum_k y_k log a_k`` over the classes, paired with softmax.

    Each label column must be a probability distribution: entries in [0, 1] that sum to 1.
    The identity ``dZ_L = (A_L - Y) / m`` uses that sum.
    """

    name = "categorical_cross_entropy"
    canonical_activation = "softmax"
    allowed_activations = ("softmax",)
    output_range = (0.0, 1.0)

    def validate_labels(self, Y):
        check_label_range(Y, low=0.0, high=1.0, reason="categorical cross-entropy needs each "
                          "label column to be a probability distribution, usually one-hot")
        check_label_columns_sum_to_one(Y)

    def output_losses(self, A, Y):
        with np.errstate(divide="ignore"):
            return -Y * _log_where(A, Y > 0)

    def output_gradient(self, A, Y):
        return -_divide_where(Y, A, Y > 0)

    def logit_losses(self, Z, Y):
        return self.logit_terms(Z, Y, 1)

    def logit_terms(self, Z, Y, m):
        # -log softmax(z)_k = log(sum_j exp(z_j - M)) - (z_k - M), with M the column
        # maximum. The sum is 1 + (the other terms), so log1p of those terms keeps full
        # precision when the prediction is confident.
        M = np.max(Z.real, axis=0, keepdims=True)
        shifted = Z - M
        # The maximum's term exp(z_max - M) is 1 for real input. For complex input it is
        # exp(i Im z_max), so its excess over 1 is added with expm1 to keep the derivative.
        top = _column_max_mask(Z)
        top_excess = np.sum(np.where(top, np.expm1(np.where(top, shifted, 0.0)), 0.0),
                            axis=0, keepdims=True)
        log_total = np.log1p(_sum_excluding_column_max(np.exp(shifted), Z) + top_excess)
        terms = Y * (log_total - shifted) / m
        # Where z_k - M overflows (a column spanning more than about 1.8e308), the same
        # loss is formed from halved logits and doubled; a small soft label keeps it finite.
        halved = Y * (0.5 * log_total - (0.5 * Z - 0.5 * M)) / m * 2.0
        terms = np.where(np.isfinite(shifted), terms, halved)
        # A class with label 0 contributes 0, even where its logit is far below the maximum.
        return np.where(Y > 0, terms, 0.0)

    def logit_gradient_unscaled(self, Z, Y):
        # The derivative of -sum_k y_k log softmax(z)_k is S sum(Y) - Y, written as
        # S (sum(Y) - Y) - Y (1 - S) so that a one-hot label leaves one term per entry.
        # It equals softmax(Z) - Y when the columns of Y sum to 1, and stays the true
        # derivative for labels that the validation accepts with a sum off by up to 1e-6.
        # For the largest entry of each column, 1 - S is computed from the other entries,
        # so a one-hot label gives the small gradient -(sum of the other probabilities).
        S = softmax(Z)
        one_minus_S = 1.0 - S
        E = np.exp(Z - np.max(Z.real, axis=0, keepdims=True))
        top = _column_max_mask(Z)
        rest_over_total = _sum_excluding_column_max(E, Z) / np.sum(E, axis=0, keepdims=True)
        one_minus_S = np.where(top, rest_over_total, one_minus_S)
        return S * (np.sum(Y, axis=0, keepdims=True) - Y) - Y * one_minus_S


def _column_max_mask(Z):
    """Return a boolean mask with one ``True`` per column, at the first largest real part."""
    mask = np.zeros(Z.shape, dtype=bool)
    mask[np.argmax(Z.real, axis=0), np.arange(Z.shape[1])] = True
    return mask


def _sum_excluding_column_max(E, Z):
    """Return, per column, the sum of ``E`` over every entry except the one at ``Z``'s maximum."""
    return np.sum(np.where(_column_max_mask(Z), 0.0, E), axis=0, keepdims=True)


class MeanSquaredError(Loss):
    """``loss(a, y) = (1/2) * sum_k (a_k - y_k)**2``, with the factor 1/2; canonical: identity.

    The factor 1/2 makes ``dJ/dA_L = (A_L - Y) / m`` with no 2. Any output activation may
    be used, and the pairs other than identity are the book's mismatched pairs.
    """

    name = "mean_squared_error"
    canonical_activation = "identity"
    allowed_activations = None

    def validate_labels(self, Y):
        pass

    def output_losses(self, A, Y):
        return 0.5 * (A - Y) ** 2

    def output_gradient(self, A, Y):
        return A - Y

    def logit_losses(self, Z, Y):
        return self.output_losses(Z, Y)

    def logit_gradient_unscaled(self, Z, Y):
        return Z - Y

    def output_terms(self, A, Y, m):
        # 0.5 * (A - Y)**2 / m, with no overflow in the square where the result fits.
        return scaled_squares(A - Y, 0.5, m)

    def logit_terms(self, Z, Y, m):
        return self.output_terms(Z, Y, m)

    def output_gradient_over_m(self, A, Y, m):
        # (A - Y) / m. Where A - Y overflows, the halves are subtracted instead and the
        # quotient doubled, which is finite whenever the true gradient is.
        difference = A - Y
        halved = (0.5 * A - 0.5 * Y) / m * 2.0
        return np.where(np.isfinite(difference), difference / m, halved)

    def logit_gradient_over_m(self, Z, Y, m):
        return self.output_gradient_over_m(Z, Y, m)


class PoissonNegativeLogLikelihood(Loss):
    """``loss(a, y) = a - y log a``, the Poisson negative log-likelihood; canonical: exponential.

    The constant ``log(y!)`` of the full negative log-likelihood is left out, since it
    does not depend on the network. Labels are counts or rates, any number >= 0.
    """

    name = "poisson"
    canonical_activation = "exponential"
    allowed_activations = ("exponential",)
    output_range = (0.0, None)

    def validate_labels(self, Y):
        check_label_range(Y, low=0.0, high=None, reason="the Poisson loss needs labels that "
                          "are counts or rates")

    def output_losses(self, A, Y):
        with np.errstate(divide="ignore"):
            return A - Y * _log_where(A, Y > 0)

    def output_gradient(self, A, Y):
        return 1.0 - _divide_where(Y, A, Y > 0)

    def logit_losses(self, Z, Y):
        return exponential(Z) - Y * Z

    def logit_gradient_unscaled(self, Z, Y):
        return exponential(Z) - Y

    def output_terms(self, A, Y, m):
        with np.errstate(divide="ignore"):
            return _poisson_terms(A, Y, _log_where(A, Y > 0), m)

    def logit_terms(self, Z, Y, m):
        return _poisson_terms(exponential(Z), Y, Z, m)


def _poisson_terms(rate, Y, log_rate, m):
    """Return ``(rate - Y * log_rate) / m``, halving first where ``Y * log_rate`` overflows.

    A label near 1e308 times a log-rate of hundreds overflows, while the difference with
    the rate may still fit; the halved form is then finite wherever the true value is.
    """
    terms = (rate - Y * log_rate) / m
    halved = (0.5 * rate - (0.5 * Y) * log_rate) / m * 2.0
    return np.where(np.isfinite(terms), terms, halved)


BINARY_CROSS_ENTROPY = BinaryCrossEntropy()
CATEGORICAL_CROSS_ENTROPY = CategoricalCrossEntropy()
MEAN_SQUARED_ERROR = MeanSquaredError()
POISSON = PoissonNegativeLogLikelihood()

LOSSES = {
    loss.name: loss
    for loss in (BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY, MEAN_SQUARED_ERROR, POISSON)
}


def get_loss(loss):
    """Return the ``Loss`` named by ``loss``, or ``loss`` itself if it is one."""
    if isinstance(loss, Loss):
        return loss
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss {loss!r} is not known; choose one of {sorted(LOSSES)}.")
    return LOSSES[loss]


def binary_cross_entropy(A, Y):
    """Compute the binary cross-entropy cost ``J`` from probabilities ``A`` of shape ``(n_y, m)``.

    This is the textbook formula. It raises ``SaturationError`` when an entry of ``A`` is
    exactly 0 or 1 and its label makes the log of that entry infinite. The cost computed
    from the logits, ``binary_cross_entropy_from_logits``, stays finite there.
    """
    return BINARY_CROSS_ENTROPY.cost(A, Y)


def binary_cross_entropy_from_logits(Z, Y):
    """Compute the binary cross-entropy cost ``J`` from the logits ``Z_L = sigmoid^-1(A_L)``.

    The loss of one entry is ``softplus(z) - y z`` (book result ``lem-bce-logits``),
    evaluated as ``(max(z, 0) - y z) + log1p(exp(-|z|))``. No step overflows and no step
    takes the log of a rounded probability, so the cost is finite for every finite ``Z``,
    including logits in the thousands.
    """
    return BINARY_CROSS_ENTROPY.cost_from_logits(Z, Y)


def binary_cross_entropy_gradient(A, Y):
    """Compute ``dA_L = dJ/dA_L = (1/m) * (-Y / A + (1 - Y) / (1 - A))``, the chain route's seed.

    It raises ``SaturationError`` where ``A`` is too close to 0 or 1 for the quotient to be
    finite, which is why the book computes ``dZ_L`` from the logits.
    """
    return BINARY_CROSS_ENTROPY.gradient(A, Y)


def binary_cross_entropy_logit_gradient(Z, Y):
    """Compute ``dZ_L = dJ/dZ_L = (sigmoid(Z_L) - Y) / m``, the combined route.

    This is the book's theorem ``thm-sigmoid-bce``, evaluated as
    ``(1 - Y) * sigmoid(Z) - Y * sigmoid(-Z)``. For labels 0 and 1 that leaves a single
    term, so the result keeps full relative precision at every finite ``Z``.
    """
    return BINARY_CROSS_ENTROPY.logit_gradient(Z, Y)

