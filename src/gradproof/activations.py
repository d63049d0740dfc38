"""Activation functions ``g`` with the backward step through each.

Every activation here except softmax (in ``softmax.py``) acts entry by entry, so its
Jacobian is diagonal and the backward step through it is ``dZ = dA * g'(Z)`` (the book's
activation lemma, label ``lem-activation``). Each derivative is written so that it stays
exact where the activation saturates: ``sigmoid'(40)`` is about 4.2e-18, not the 0 that
``sigmoid(40) * (1 - sigmoid(40))`` gives in float64.

The functions accept real or complex arrays. Complex input serves the complex-step
derivative, so every branch is chosen by the real part and every formula is analytic in
``Z``. The numeric cores run under ``np.errstate(under="ignore")``: where ``exp``
underflows, zero or a subnormal number is the correctly rounded result, not an error.
"""

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ._validation import as_array, count_entries

# exp(z) overflows float64 above log(max float64), about 709.78.
EXP_OVERFLOW_THRESHOLD = float(np.log(np.finfo(np.float64).max))

LEAKY_RELU_SLOPE = 0.01


def as_numeric_array(Z, name="Z"):
    """Return ``Z`` as a float64 array, or as a complex128 array if ``Z`` is complex.

    Integer and boolean arrays are converted to float64. String and object arrays, and
    arrays with a NaN or infinite entry, raise ``ValueError`` naming ``name``.
    """
    Z = as_array(Z, name)
    if not (np.issubdtype(Z.dtype, np.number) or np.issubdtype(Z.dtype, np.bool_)):
        raise ValueError(
            f"{name} has dtype {Z.dtype}; expected a numeric array (float, integer, boolean, "
            "or complex for the complex-step derivative)."
        )
    Z = Z.astype(np.complex128 if np.iscomplexobj(Z) else np.float64, copy=False)
    bad = ~np.isfinite(Z)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {count_entries(bad)} not finite (NaN or infinity), "
            f"the first at {list(index)}; remove or replace them before calling gradproof."
        )
    return Z


def _fold_to_right_half(Z):
    """Return ``W = Z`` where ``Re Z >= 0`` and ``W = -Z`` elsewhere, so that ``Re W >= 0``."""
    return np.where(Z.real >= 0, Z, -Z)


def sigmoid(Z):
    """Compute the logistic sigmoid ``1 / (1 + exp(-Z))`` without overflow.

    With ``E = exp(-|Z|)``, which lies in (0, 1], the sigmoid is ``1 / (1 + E)`` for
    ``Z >= 0`` and ``E / (1 + E)`` for ``Z < 0``. Neither form can overflow, so the
    result is finite for every finite input and raises no floating-point warning. In
    float64 it rounds to exactly 1.0 from ``Z = 53 ln 2``, about 36.74, on.
    """
    Z = as_numeric_array(Z)
    with np.errstate(under="ignore"):
        E = np.exp(-_fold_to_right_half(Z))
        return np.where(Z.real >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_derivative(Z):
    """Compute ``sigmoid'(Z) = sigmoid(Z) * (1 - sigmoid(Z))`` in a form exact at saturation.

    The derivative is even in ``Z`` and equals ``E / (1 + E)**2`` with ``E = exp(-|Z|)``.
    That form never subtracts two numbers close to 1, so it keeps full relative precision
    where ``1 - sigmoid(Z)`` would round to 0.
    """
    Z = as_numeric_array(Z)
    with np.errstate(under="ignore"):
        E = np.exp(-_fold_to_right_half(Z))
        return E / (1.0 + E) ** 2


def tanh(Z):
    """Compute the hyperbolic tangent of ``Z``."""
    return np.tanh(as_numeric_array(Z))


def tanh_derivative(Z):
    """Compute ``tanh'(Z) = 1 - tanh(Z)**2`` in a form exact at saturation.

    With ``E = exp(-2|Z|)``, ``1 - tanh(Z)**2 = 4 E / (1 + E)**2``, which avoids both the
    cancellation in ``1 - tanh**2`` and the overflow of ``cosh`` in ``1 / cosh**2``.
    The real part of ``|Z|`` is capped at 400 before doubling, so ``2|Z|`` cannot
    overflow. The result underflows to 0 from about ``|Z| = 373`` on, so the cap does
    not change it.
    """
    Z = as_numeric_array(Z)
    W = _fold_to_right_half(Z)
    W = np.minimum(W.real, 400.0) + (1j * W.imag if np.iscomplexobj(W) else 0.0)
    with np.errstate(under="ignore"):
        E = np.exp(-2.0 * W)
        return 4.0 * E / (1.0 + E) ** 2


def relu(Z):
    """Compute ``max(Z, 0)`` entry by entry (for complex input, by the real part)."""
    Z = as_numeric_array(Z)
    return np.where(Z.real > 0, Z, 0.0)


def relu_derivative(Z):
    """Compute the slope of ReLU: 1 where ``Z > 0`` and 0 elsewhere.

    ReLU has no derivative at ``Z = 0``. Any value in [0, 1] is a subgradient there, and
    gradproof uses 0, as most libraries do.
    """
    Z = as_numeric_array(Z)
    return (Z.real > 0).astype(np.float64)


def _check_slope(slope):
    """Return ``slope`` as a float, or raise ``ValueError`` unless it lies in [0, 1]."""
    if isinstance(slope, bool) or not isinstance(slope, (int, float, np.integer, np.floating)):
        raise ValueError(f"slope is {slope!r}; expected a number in [0, 1], such as 0.01.")
    slope = float(slope)
    if not 0.0 <= slope <= 1.0:
        raise ValueError(f"slope is {slope!r}; expected a number in [0, 1], such as 0.01.")
    return slope


def leaky_relu(Z, slope=LEAKY_RELU_SLOPE):
    """Compute ``Z`` where ``Z > 0`` and ``slope * Z`` elsewhere; the default slope is 0.01.

    ``slope`` must lie in [0, 1], so ``slope * Z`` cannot overflow.
    """
    slope = _check_slope(slope)
    Z = as_numeric_array(Z)
    with np.errstate(under="ignore"):
        return np.where(Z.real > 0, Z, slope * Z)


def leaky_relu_derivative(Z, slope=LEAKY_RELU_SLOPE):
    """Compute the slope of leaky ReLU: 1 where ``Z > 0`` and ``slope`` elsewhere, 0 included."""
    slope = _check_slope(slope)
    Z = as_numeric_array(Z)
    return np.where(Z.real > 0, 1.0, slope)


def identity(Z):
    """Return a copy of ``Z``."""
    return np.array(as_numeric_array(Z))


def identity_derivative(Z):
    """Return an array of ones with the shape of ``Z``."""
    return np.ones(as_numeric_array(Z).shape)


def exponential(Z):
    """Compute ``exp(Z)``, raising ``FloatingPointError`` where it would overflow float64.

    ``exp(z)`` exceeds the largest float64 above ``z`` of about 709.78; an infinite output
    would make every later quantity meaningless, so the error names the first such entry.
    """
    Z = as_numeric_array(Z)
    too_large = Z.real > EXP_OVERFLOW_THRESHOLD
    if too_large.any():
        index = tuple(int(i) for i in np.argwhere(too_large)[0])
        raise FloatingPointError(
            f"exp(Z) overflows float64 at Z{list(index)} = {Z[index]!r}: the exponential "
            f"output needs every entry of Z below {EXP_OVERFLOW_THRESHOLD:.2f}. Scale the "
            "inputs or weights down."
        )
    with np.errstate(under="ignore"):
        return np.exp(Z)


@dataclass(frozen=True)
class Activation:
    """An activation ``g`` with its backward step.

    ``derivative`` is ``g'`` for an elementwise activation and ``None`` for softmax, whose
    Jacobian is not diagonal. ``backward(dA, Z)`` returns ``dZ`` in both cases.
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Optional[Callable[[np.ndarray], np.ndarray]]
    vector_jacobian_product: Optional[Callable[[np.ndarray, np.ndarray], np.ndarray]] = None

    @property
    def is_elementwise(self):
        """Whether ``g`` acts entry by entry, so that ``dZ = dA * g'(Z)``."""
        return self.derivative is not None

    def backward(self, dA, Z):
        """Return ``dZ = dJ/dZ`` given ``dA = dJ/dA`` and the pre-activation ``Z``.

        ``dA`` and ``Z`` must have the same shape; nothing is broadcast.
        """
        if np.shape(dA) != np.shape(Z):
            raise ValueError(
                f"dA has shape {np.shape(dA)} but Z has shape {np.shape(Z)}; the backward "
                f"step through {self.name} needs one gradient entry per pre-activation."
            )
        with np.errstate(under="ignore"):
            if self.is_elementwise:
                return dA * self.derivative(Z)
            return self.vector_jacobian_product(dA, Z)


def _build_registry():
    from .softmax import softmax, softmax_vector_jacobian_product

    return {
        "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative),
        "tanh": Activation("tanh", tanh, tanh_derivative),
        "relu": Activation("relu", relu, relu_derivative),
        "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_derivative),
        "identity": Activation("identity", identity, identity_derivative),
        "exponential": Activation("exponential", exponential, exponential),
        "softmax": Activation("softmax", softmax, None, softmax_vector_jacobian_product),
    }


ACTIVATIONS = _build_registry()


def get_activation(activation):
    """Return the ``Activation`` named by ``activation``, or ``activation`` itself if it is one."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"activation {activation!r} is not known; choose one of {sorted(ACTIVATIONS)}."
        )
    return ACTIVATIONS[activation]
