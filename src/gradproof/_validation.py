"""Checks applied to every array that enters gradproof through a public function.

Each check raises ``ValueError`` with the argument's name, what was found and what was
expected, so that a reader who pastes their own arrays learns at once what to change.
"""

import numbers

import numpy as np

# The largest finite float64, about 1.8e308.
FLOAT64_MAX = float(np.finfo(np.float64).max)


def count_entries(mask):
    """Return "1 entry" or "N entries" for the number of True values in ``mask``."""
    count = int(mask.sum())
    return f"{count} entry" if count == 1 else f"{count} entries"


def as_array(array, name):
    """Return ``np.asarray(array)``, or raise ``ValueError`` naming ``name`` if it is ragged."""
    try:
        return np.asarray(array)
    except ValueError as error:
        raise ValueError(
            f"{name} could not be converted to an array ({error}); pass a rectangular "
            "array or a list of equally long lists."
        ) from None


def as_float_matrix(array, name):
    """Convert ``array`` to a finite two-dimensional float64 array, or raise ``ValueError``.

    Integer and boolean arrays are converted to float64. Complex, string and object
    arrays are rejected, as are arrays that are not two-dimensional, are empty, contain
    NaN or infinity, or hold values beyond the float64 range (possible for ``longdouble``).
    """
    original = as_array(array, name)
    if original.dtype == object or not (
        np.issubdtype(original.dtype, np.floating)
        or np.issubdtype(original.dtype, np.integer)
        or np.issubdtype(original.dtype, np.bool_)
    ):
        raise ValueError(
            f"{name} has dtype {original.dtype}; expected a real numeric array "
            "(float, integer or boolean)."
        )
    if original.ndim != 2:
        raise ValueError(
            f"{name} has shape {original.shape}; expected a two-dimensional array. "
            "gradproof stores examples as columns, so a vector of m values has shape (1, m): "
            "reshape it with array.reshape(1, -1)."
        )
    if original.size == 0:
        raise ValueError(f"{name} is empty (shape {original.shape}); it needs at least one entry.")

    # A longdouble beyond the float64 range becomes infinity here, which the check below reports.
    with np.errstate(over="ignore"):
        converted = original.astype(np.float64, copy=True)
    bad = ~np.isfinite(converted)
    if bad.any() and np.isfinite(original).all():
        row, column = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains {count_entries(bad)} beyond the float64 range (about "
            f"{FLOAT64_MAX:.3g}), the first at [{row}, {column}] = {original[row, column]!s}; "
            "gradproof computes in float64, so scale the values down."
        )
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains {count_entries(bad)} not finite (NaN or infinity), "
            f"the first at [{row}, {column}] = {converted[row, column]}; "
            "remove or replace them before calling gradproof."
        )
    return converted


def check_same_shape(actual, actual_name, expected_shape, expected_name):
    """Raise ``ValueError`` unless ``actual`` has the shape ``expected_shape``.

    gradproof never broadcasts labels against outputs: a ``(m, 1)`` label array against a
    ``(1, m)`` output would broadcast to ``(m, m)`` and give a wrong cost with no error.
    """
    expected_shape = tuple(expected_shape)
    if actual.shape != expected_shape:
        hint = ""
        if actual.size == int(np.prod(expected_shape)):
            hint = f" Reshape it with {actual_name}.reshape{expected_shape}."
        raise ValueError(
            f"{actual_name} has shape {actual.shape} but {expected_name} has shape "
            f"{expected_shape}; they must match exactly, with one column per example.{hint}"
        )


def check_label_range(Y, low, high, reason, name="Y"):
    """Raise ``ValueError`` unless every label lies in ``[low, high]`` (``high=None``: no bound)."""
    outside = Y < low
    if high is not None:
        outside |= Y > high
    if outside.any():
        row, column = np.argwhere(outside)[0]
        interval = f"[{low:g}, {high:g}]" if high is not None else f"[{low:g}, inf)"
        raise ValueError(
            f"{name} contains {count_entries(outside)} outside {interval}, the first at "
            f"[{row}, {column}] = {Y[row, column]}; {reason}."
        )


def check_label_columns_sum_to_one(Y, name="Y", tolerance=1e-6):
    """Raise ``ValueError`` unless every column of ``Y`` sums to 1 within ``tolerance``.

    Softmax with cross-entropy gives ``dZ_L = (A_L - Y) / m`` only for such labels; with
    other sums the true gradient is ``(A_L * sum(Y) - Y) / m``.
    """
    sums = np.sum(Y, axis=0)
    wrong = np.abs(sums - 1.0) > tolerance
    if wrong.any():
        column = int(np.argmax(wrong))
        raise ValueError(
            f"{name} has {int(wrong.sum())} of {Y.shape[1]} label columns that do not sum to 1, "
            f"the first is column {column}, which sums to {float(sums[column])!r}; categorical "
            "cross-entropy needs each column to be a probability distribution, for example "
            "one-hot. Divide each column by its sum, or use binary cross-entropy for labels "
            "that are not exclusive."
        )


def as_real_number(value, name, expected):
    """Return ``value`` as a float, or raise ``ValueError`` unless it is a finite real number.

    Booleans, strings and complex numbers are rejected: ``True`` as a learning rate or a
    weight decay is almost always a mistake, not the number 1.
    """
    is_real = isinstance(value, (numbers.Real, np.floating, np.integer))
    if not is_real or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} is {value!r} of type {type(value).__name__}; expected {expected}.")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} is {value!r}; expected {expected}.")
    return number


def check_positive_number(value, name):
    """Return ``value`` as a float, or raise ``ValueError`` unless it is finite and positive."""
    number = as_real_number(value, name, "a finite positive number")
    if number <= 0:
        raise ValueError(f"{name} is {value!r}; expected a finite positive number.")
    return number


def check_non_negative_number(value, name):
    """Return ``value`` as a float, or raise ``ValueError`` unless it is finite and ``>= 0``."""
    number = as_real_number(value, name, "a finite number >= 0")
    if number < 0:
        raise ValueError(f"{name} is {value!r}; expected a finite number >= 0.")
    return number


def check_count(value, name):
    """Return ``value`` as an int, or raise ``ValueError`` unless it is an integer ``>= 0``."""
    is_integer = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not is_integer or value < 0:
        raise ValueError(f"{name} is {value!r}; expected a non-negative integer such as 100.")
    return int(value)
