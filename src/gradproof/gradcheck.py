"""Central-difference gradients and the relative error between two gradients.

The central difference ``(f(x + h) - f(x - h)) / (2h)`` has a truncation error of order
``h**2`` and a round-off error of order ``eps / h``, where ``eps`` is float64's machine
epsilon. The two balance near ``h = eps**(1/3)``, about 6.1e-6, which is the default step.
With that step and a cost of order 1, agreement to about 1e-7 in relative error is the
best to expect, so the book's checks use tolerances of that order.
"""

from dataclasses import dataclass

import numpy as np

from ._validation import check_positive_number

DEFAULT_STEP = float(np.finfo(np.float64).eps ** (1.0 / 3.0))


def numerical_gradient(f, x, step=DEFAULT_STEP):
    """Estimate the gradient of a scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        Takes an array with the shape of ``x`` and returns a real number.
    x : array_like
        The point, converted to a float64 array. It is not modified.
    step : float
        The step ``h``. Each entry of ``x`` is moved by ``h`` times ``max(1, |x_i|)``, so
        that large entries get a step in proportion to their size.

    Returns
    -------
    numpy.ndarray
        The estimate of ``df/dx``, with the shape of ``x``.
    """
    step = check_positive_number(step, "step")
    x = np.array(x, dtype=np.float64)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        h = step * max(1.0, abs(original))
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        gradient[index] = (f_plus - f_minus) / (2.0 * h)
    return gradient


def relative_error(actual, expected):
    """Return ``||actual - expected|| / (||actual|| + ||expected||)``, in the Euclidean norm.

    The result lies in [0, 1]. It is 0 when both are zero, and 1 when exactly one of them
    is zero or they point in opposite directions.
    """
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape:
        raise ValueError(
            f"actual has shape {actual.shape} but expected has shape {expected.shape}; "
            "a relative error compares arrays of the same shape."
        )
    scale = np.linalg.norm(actual) + np.linalg.norm(expected)
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(actual - expected) / scale)


def assert_gradient_close(actual, expected, tolerance, name):
    """Raise ``AssertionError`` if the relative error of ``actual`` exceeds ``tolerance``.

    Returns the relative error otherwise, so that a check cell can print it. ``name``
    appears in the message, for example ``"dW2, backward pass against central differences"``.
    """
    error = relative_error(actual, expected)
    if not error <= tolerance:
        raise AssertionError(
            f"{name}: relative error {error:.3e} exceeds the tolerance {tolerance:.1e}."
        )
    return error


@dataclass(frozen=True)
class GradientCheckReport:
    """The result of ``gradient_check``.

    ``relative_error`` compares all parameters' gradients at once; ``per_parameter`` maps
    each parameter name (``"W1"``, ``"b1"``, ...) to the relative error of its gradient.
    """

    relative_error: float
    per_parameter: dict
    step: float

    @property
    def worst_parameter(self):
        """The name of the parameter with the largest relative error."""
        return max(self.per_parameter, key=self.per_parameter.get)


def gradient_check(network, X, Y, step=DEFAULT_STEP, route=None):
    """Compare ``network.backward`` with central differences of ``network.cost``, in float64.

    Every entry of every ``W[l]`` and ``b[l]`` is moved by ``+h`` and ``-h`` on a copy of
    the network, and the cost is evaluated from the logits each time. The finite
    differences use only the forward pass, so they are independent of the backward pass
    under test.

    Returns
    -------
    GradientCheckReport
    """
    step = check_positive_number(step, "step")
    gradients = network.backward(X, Y, route=route)
    probe = network.copy()

    analytic, numerical, per_parameter = [], [], {}
    for name, array in probe.parameters():
        l = int(name[1:])
        analytic_part = gradients.dW[l] if name[0] == "W" else gradients.db[l]
        numerical_part = _perturb_and_differentiate(probe, array, X, Y, step)
        per_parameter[name] = relative_error(analytic_part, numerical_part)
        analytic.append(analytic_part.ravel())
        numerical.append(numerical_part.ravel())

    overall = relative_error(np.concatenate(analytic), np.concatenate(numerical))
    return GradientCheckReport(overall, per_parameter, step)


def _perturb_and_differentiate(network, parameter, X, Y, step):
    """Differentiate ``network.cost`` in each entry of ``parameter``, one of its own arrays."""

    def cost_at(value):
        parameter[...] = value
        return network.cost(X, Y)

    original = parameter.copy()
    try:
        return numerical_gradient(cost_at, original, step)
    finally:
        parameter[...] = original
