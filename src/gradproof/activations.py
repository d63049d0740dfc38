"""Elementwise activation functions ``g`` and their derivatives ``g'``.

Every activation here acts entry by entry, so its Jacobian is diagonal and the backward
step through it is ``dZ = dA * g'(Z)`` (the book's activation lemma, label
``lem-activation``). Each derivative is written so that it stays exact where the
activation saturates: ``sigmoid'(40)`` is about 4.2e-18, not the 0 that
``sigmoid(40) * (1 - sigmoid(40))`` gives in float64.

The numeric cores run under ``np.errstate(under="ignore")``: where ``exp`` underflows,
zero or a subnormal number is the correctly rounded result, not an error.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


def sigmoid(Z):
    """Compute the logistic sigmoid ``1 / (1 + exp(-Z))`` without overflow.

    With ``E = exp(-|Z|)``, which lies in (0, 1], the sigmoid is ``1 / (1 + E)`` for
    ``Z >= 0`` and ``E / (1 + E)`` for ``Z < 0``. Neither form can overflow, so the
    result is finite for every finite input and raises no floating-point warning. In
    float64 it rounds to exactly 1.0 above about ``Z = 36.7``.
    """
    Z = np.asarray(Z, dtype=np.float64)
    with np.errstate(under="ignore"):
        E = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_derivative(Z):
    """Compute ``sigmoid'(Z) = sigmoid(Z) * (1 - sigmoid(Z))`` in a form exact at saturation.

    The derivative is even in ``Z`` and equals ``E / (1 + E)**2`` with ``E = exp(-|Z|)``.
    That form never subtracts two numbers close to 1, so it keeps full relative precision
    where ``1 - sigmoid(Z)`` would round to 0.
    """
    Z = np.asarray(Z, dtype=np.float64)
    with np.errstate(under="ignore"):
        E = np.exp(-np.abs(Z))
        return E / (1.0 + E) ** 2


def tanh(Z):
    """Compute the hyperbolic tangent of ``Z``."""
    return np.tanh(np.asarray(Z, dtype=np.float64))


def tanh_derivative(Z):
    """Compute ``tanh'(Z) = 1 - tanh(Z)**2`` in a form exact at saturation.

    With ``E = exp(-2|Z|)``, ``1 - tanh(Z)**2 = 4 E / (1 + E)**2``, which avoids both the
    cancellation in ``1 - tanh**2`` and the overflow of ``cosh`` in ``1 / cosh**2``.
    ``|Z|`` is capped at 400 before doubling, so ``2|Z|`` cannot overflow; the result
    underflows to 0 from about ``|Z| = 373`` on, so the cap does not change it.
    """
    Z = np.asarray(Z, dtype=np.float64)
    with np.errstate(under="ignore"):
        E = np.exp(-2.0 * np.minimum(np.abs(Z), 400.0))
        return 4.0 * E / (1.0 + E) ** 2


def relu(Z):
    """Compute ``max(Z, 0)`` entry by entry."""
    return np.maximum(np.asarray(Z, dtype=np.float64), 0.0)


def relu_derivative(Z):
    """Compute the slope of ReLU: 1 where ``Z > 0`` and 0 elsewhere.

    ReLU has no derivative at ``Z = 0``. Any value in [0, 1] is a subgradient there, and
    gradproof uses 0, as most libraries do.
    """
    return (np.asarray(Z, dtype=np.float64) > 0).astype(np.float64)


def identity(Z):
    """Return ``Z`` unchanged, as a float64 array."""
    return np.array(Z, dtype=np.float64)


def identity_derivative(Z):
    """Return an array of ones with the shape of ``Z``."""
    return np.ones_like(np.asarray(Z, dtype=np.float64))


@dataclass(frozen=True)
class Activation:
    """An elementwise activation ``g`` with its derivative ``g'``."""

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]

    def backward(self, dA, Z):
        """Return ``dZ = dA * g'(Z)``, the gradient with respect to the pre-activation."""
        return dA * self.derivative(Z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative),
    "tanh": Activation("tanh", tanh, tanh_derivative),
    "relu": Activation("relu", relu, relu_derivative),
    "identity": Activation("identity", identity, identity_derivative),
}


def get_activation(activation):
    """Return the ``Activation`` named by ``activation``, or ``activation`` itself if it is one."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"activation {activation!r} is not known; choose one of {sorted(ACTIVATIONS)}."
        )
    return ACTIVATIONS[activation]
