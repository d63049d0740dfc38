"""Numerical oracles for derivatives: central differences, the complex step, relative error.

Central differences. The quotient ``(f(x + h) - f(x - h)) / (2h)`` has a truncation
error of order ``h**2`` (times ``f'''``) and a round-off error of order ``eps / h`` (times
``|f|``), where ``eps`` is float64's machine epsilon. The sum is smallest near
``h = eps**(1/3)``, about 6.1e-6, which is ``DEFAULT_STEP`` (book result
``cor-optimal-step``). With that step and a cost of order 1, agreement to about 1e-7 in
relative error is the most to expect, so the book's checks use tolerances of that order.

The complex step. For an ``f`` that is analytic and real on the real line,
``Im f(x + ih) / h`` equals ``f'(x)`` up to ``h**2``, and no difference of two values of
``f`` is taken, so the step can be tiny: ``COMPLEX_STEP = 1e-20`` leaves an error of a
few units of ``eps`` (book result ``thm-complex-step``).

Both warn with a ``GradientCheckWarning`` subclass where the verdict would mislead: a step
outside the band where the estimate is accurate, or an input narrower than float64.
"""

import warnings

import numpy as np

from ._validation import check_positive_number

EPSILON = float(np.finfo(np.float64).eps)
DEFAULT_STEP = EPSILON ** (1.0 / 3.0)
COMPLEX_STEP = 1e-20

# Outside this band a central difference is dominated by round-off (below) or truncation (above).
SMALLEST_SENSIBLE_STEP = 1e-10
LARGEST_SENSIBLE_STEP = 1e-2
# A complex step above this leaves a truncation error h**2 above float64's round-off; below
# the other bound the imaginary parts approach the underflow threshold 2.2e-308.
LARGEST_COMPLEX_STEP = 1e-8
SMALLEST_COMPLEX_STEP = 1e-200



class GradientCheckWarning(UserWarning):
    """Base class of the warnings a gradient check issues when its verdict may mislead."""


class StepSizeWarning(GradientCheckWarning):
    """The step lies where round-off or truncation error dominates the estimate."""


class PrecisionWarning(GradientCheckWarning):
    """An input or a value had less than float64 precision, which makes a check meaningless."""


class KinkWarning(GradientCheckWarning):
    """Some entries could not be checked: a ReLU kink lies within the step on both sides."""


def _square(number):
    """Return ``number**2``, or infinity where the square overflows a Python float."""
    return number * number if abs(number) < 1e154 else float("inf")


def check_central_step(step):
    """Return ``step`` as a float, warning with ``StepSizeWarning`` outside [1e-10, 1e-2]."""
    step = check_positive_number(step, "step")
    if step < SMALLEST_SENSIBLE_STEP:
        warnings.warn(
            f"step is {step:.1e}, below {SMALLEST_SENSIBLE_STEP:.0e}: round-off dominates the "
            f"central difference, whose error grows like eps / h = {EPSILON / step:.1e} times "
            f"|f|. Use a step near DEFAULT_STEP = {DEFAULT_STEP:.1e}.",
            StepSizeWarning,
            stacklevel=3,
        )
    elif step > LARGEST_SENSIBLE_STEP:
        warnings.warn(
            f"step is {step:.1e}, above {LARGEST_SENSIBLE_STEP:.0e}: truncation dominates the "
            f"central difference, whose error grows like h**2 = {_square(step):.1e} times f'''. Use a "
            f"step near DEFAULT_STEP = {DEFAULT_STEP:.1e}.",
            StepSizeWarning,
            stacklevel=3,
        )
    return step


def check_complex_step(step):
    """Return ``step`` as a float, warning with ``StepSizeWarning`` outside [1e-200, 1e-8]."""
    step = check_positive_number(step, "step")
    if step > LARGEST_COMPLEX_STEP:
        warnings.warn(
            f"step is {step:.1e}, above {LARGEST_COMPLEX_STEP:.0e}: the complex step's "
            f"truncation error, of order h**2 = {_square(step):.1e} times f''', exceeds float64's "
            f"round-off. Use COMPLEX_STEP = {COMPLEX_STEP:.0e}.",
            StepSizeWarning,
            stacklevel=3,
        )
    elif step < SMALLEST_COMPLEX_STEP:
        warnings.warn(
            f"step is {step:.1e}, below {SMALLEST_COMPLEX_STEP:.0e}: the imaginary parts, of "
            "order step times the terms of the gradient, approach float64's underflow "
            f"threshold 2.2e-308 and lose digits. Use COMPLEX_STEP = {COMPLEX_STEP:.0e}.",
            StepSizeWarning,
            stacklevel=3,
        )
    return step


def warn_if_low_precision(array, name):
    """Warn with ``PrecisionWarning`` if ``array`` contains floats narrower than float64."""
    dtype = np.asarray(array).dtype
    if dtype.kind in "fc" and dtype.itemsize < (8 if dtype.kind == "f" else 16):
        warnings.warn(
            f"{name} has dtype {dtype}; it is upcast to float64 and checked in float64. In "
            f"{dtype} the round-off of each value, about {float(np.finfo(dtype).eps):.1e} "
            "relative, swamps the differences a gradient check measures, so a verdict "
            "computed in that precision would mean nothing.",
            PrecisionWarning,
            stacklevel=3,
        )


def _as_real_value(value):
    """Return ``f``'s value as a Python float, warning once it was computed in low precision."""
    array = np.asarray(value)
    if array.shape not in ((), (1,)):
        raise ValueError(f"f returned an array of shape {array.shape}; expected a real number.")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"f returned {value!r} of dtype {array.dtype}; expected a real number.")
    warn_if_low_precision(array, "the value f returned")
    number = float(array.reshape(()))
    if not np.isfinite(number):
        raise ValueError(
            f"f returned {number!r} at a perturbed point; a difference quotient needs finite "
            "values of f near x. Check f at x, or use a smaller step."
        )
    return number


def numerical_gradient(f, x, step=DEFAULT_STEP):
    """Estimate the gradient of a scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        Takes an array with the shape of ``x`` and returns a real number.
    x : array_like
        The point, converted to a float64 array (a narrower float dtype is upcast with a
        ``PrecisionWarning``). It is not modified.
    step : float
        The step ``h``. Each entry of ``x`` is moved by ``h`` times ``max(1, |x_i|)``, so
        that large entries get a step in proportion to their size. A step below 1e-10 or
        above 1e-2 gives a ``StepSizeWarning`` that names the dominant error.

    Returns
    -------
    numpy.ndarray
        The estimate of ``df/dx``, with the shape of ``x``. Its error is of order
        ``h**2 |f'''| + eps |f| / h`` (book result ``thm-central-difference-error``).
    """
    step = check_central_step(step)
    warn_if_low_precision(x, "x")
    return _central_differences(f, _as_real_finite(x, "x").copy(), step)


def _central_differences(f, x, step):
    """Return the central differences of ``f`` at the float64 array ``x``, restoring ``x``."""
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        h = step * max(1.0, abs(original))
        x[index] = original + h
        f_plus = _as_real_value(f(x))
        x[index] = original - h
        f_minus = _as_real_value(f(x))
        x[index] = original
        gradient[index] = (f_plus - f_minus) / (2.0 * h)
    return gradient


def complex_step_gradient(f, x, step=COMPLEX_STEP):
    """Estimate the gradient of ``f`` at a real ``x`` as ``Im f(x + i h e_k) / h`` per entry.

    ``f`` must accept a complex array and carry the imaginary part through: every
    operation analytic, branches chosen by the real part, no ``abs``, ``float`` or
    conjugation. The estimate involves no difference of two values of ``f``, so its
    error is a few units of float64's round-off for the default step 1e-20, not the
    ``1e-10`` or so of central differences (book result ``thm-complex-step``).

    Raises
    ------
    TypeError
        If ``f`` returns a real number at a complex point, which would make the estimate 0.
    """
    step = check_complex_step(step)
    warn_if_low_precision(x, "x")
    x = _as_real_finite(x, "x")
    point = x.astype(np.complex128)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        point[index] = complex(x[index], step)
        value = f(point)
        point[index] = x[index]
        value = np.asarray(value)
        if value.shape not in ((), (1,)):
            raise ValueError(f"f returned an array of shape {value.shape}; expected a number.")
        if np.iscomplexobj(value) and not np.isfinite(value).all():
            raise ValueError(
                f"f returned {value.reshape(()).item()!r} at a complex point; the complex step "
                "needs finite values of f near x."
            )
        if not np.iscomplexobj(value):
            raise TypeError(
                f"f returned {value!r}, a real number, at a complex point; the complex step "
                "needs f to carry the imaginary part through (no abs, float() or .real)."
            )
        gradient[index] = np.imag(value.reshape(())) / step
    return gradient


def _as_real_finite(array, name):
    """Return ``array`` as float64, raising ``ValueError`` unless it is real and finite."""
    original = np.asarray(array)
    if original.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} has dtype {original.dtype}; expected a real numeric array."
        )
    converted = original.astype(np.float64)
    if not np.isfinite(converted).all():
        raise ValueError(
            f"{name} contains NaN or infinity; expected finite values. A gradient that is "
            "not finite points to an overflow before the comparison."
        )
    return converted


def _norm(array, scale):
    """Return the Euclidean norm of ``array / scale``; dividing first keeps the squares finite."""
    with np.errstate(under="ignore"):
        return float(np.linalg.norm(array / scale))


def relative_error(actual, expected):
    """Return ``||actual - expected|| / (||actual|| + ||expected||)``, in the Euclidean norm.

    The result lies in [0, 1]. It is 0 when both are zero, and 1 when exactly one of them
    is zero or they point in opposite directions (book result ``prop-relative-error``).
    Both arrays are divided by their largest entry before the norms are taken, so the
    result is correct for gradients of any finite size, even where squaring the entries
    would overflow float64. NaN, infinity and complex input raise ``ValueError``.
    """
    actual = _as_real_finite(actual, "actual")
    expected = _as_real_finite(expected, "expected")
    if actual.shape != expected.shape:
        raise ValueError(
            f"actual has shape {actual.shape} but expected has shape {expected.shape}; "
            "a relative error compares arrays of the same shape."
        )
    scale = max(
        float(np.max(np.abs(actual), initial=0.0)),
        float(np.max(np.abs(expected), initial=0.0)),
    )
    if scale == 0.0:
        return 0.0
    with np.errstate(under="ignore"):
        difference = actual / scale - expected / scale
    return _norm(difference, 1.0) / (_norm(actual, scale) + _norm(expected, scale))


def assert_gradient_close(actual, expected, tolerance, name):
    """Raise ``AssertionError`` if the relative error of ``actual`` exceeds ``tolerance``.

    Returns the relative error otherwise, so that a check cell can print it. ``name``
    appears in the message, for example ``"dW2, backward pass against central differences"``.
    """
    if isinstance(tolerance, bool) or not isinstance(
        tolerance, (int, float, np.integer, np.floating)
    ):
        raise ValueError(f"tolerance is {tolerance!r}; expected a finite number >= 0.")
    tolerance = float(tolerance)
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance is {tolerance!r}; expected a finite number >= 0.")
    for array, which in ((actual, "actual"), (expected, "expected")):
        values = np.asarray(array)
        if values.dtype.kind in "fc" and not np.isfinite(values).all():
            raise AssertionError(f"{name}: the {which} gradient contains NaN or infinity.")
    error = relative_error(actual, expected)
    if not error <= tolerance:
        raise AssertionError(
            f"{name}: relative error {error:.3e} exceeds the tolerance {tolerance:.1e}."
        )
    return error
