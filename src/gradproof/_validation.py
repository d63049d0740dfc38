"""Checks applied to every array that enters gradproof through a public function.

Each check raises ``ValueError`` with the argument's name, what was found and what was
expected, so that a reader who pastes their own arrays learns at once what to change.
"""

import numpy as np


def count_entries(mask):
    """Return "1 entry" or "N entries" for the number of True values in ``mask``."""
    count = int(mask.sum())
    return f"{count} entry" if count == 1 else f"{count} entries"


def as_float_matrix(array, name):
    """Convert ``array`` to a finite two-dimensional float64 array, or raise ``ValueError``.

    Integer and boolean arrays are converted to float64. Complex arrays are rejected,
    as are arrays that are not two-dimensional, empty, or contain NaN or infinity.
    """
    original = np.asarray(array)
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

    converted = original.astype(np.float64, copy=True)
    bad = ~np.isfinite(converted)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains {count_entries(bad)} that are not finite (NaN or infinity), "
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


def check_positive_number(value, name):
    """Return ``value`` as a float, or raise ``ValueError`` unless it is finite and positive."""
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} is {value!r}; expected a finite positive number.")
    return number
