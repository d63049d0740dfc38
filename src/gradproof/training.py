"""Full-batch gradient descent, ``W[l] <- W[l] - learning_rate * dW[l]`` and likewise for ``b[l]``."""

from dataclasses import dataclass

import numpy as np

from ._validation import check_count, check_positive_number
from .network import Network


@dataclass(frozen=True)
class TrainingHistory:
    """Costs recorded by ``train``: entry ``k`` is the cost after ``k`` epochs.

    ``validation_costs`` is empty unless validation data was given.
    """

    costs: tuple
    validation_costs: tuple


def train(network, X, Y, *, learning_rate, n_epochs, validation_data=None, route=None):
    """Train a copy of ``network`` by full-batch gradient descent on the cost ``J``.

    Parameters
    ----------
    network : Network
        The starting point. It is not modified.
    X, Y : array_like
        Training inputs ``(n_0, m)`` and labels ``(n_L, m)``.
    learning_rate : float
        The step size, a finite positive number.
    n_epochs : int
        The number of gradient steps; each uses every training example once.
    validation_data : tuple (X_valid, Y_valid), optional
        If given, its cost is recorded after every epoch as well. It never affects the
        parameters.
    route : {"combined", "chain", None}
        Passed to ``Network.backward``; checked before the first epoch.

    Returns
    -------
    (Network, TrainingHistory)
        The trained network and the costs before the first step and after each epoch.
    """
    if not isinstance(network, Network):
        raise ValueError(
            f"network is a {type(network).__name__}; expected a gradproof.Network, for "
            "example Network.from_sizes([30, 16, 1])."
        )
    route = network._resolve_route(route)
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    n_epochs = check_count(n_epochs, "n_epochs")
    if validation_data is not None and (
        not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2
    ):
        raise ValueError(
            f"validation_data is a {type(validation_data).__name__}; expected a pair "
            "(X_valid, Y_valid)."
        )

    trained = network.copy()
    costs = [trained.cost(X, Y)]
    validation_costs = []
    if validation_data is not None:
        X_valid, Y_valid = validation_data
        try:
            validation_costs.append(trained.cost(X_valid, Y_valid))
        except ValueError as error:
            # The network's message names the arrays X and Y, so name the validation pair too.
            raise ValueError(f"validation_data (X_valid, Y_valid): {error}") from None

    for epoch in range(1, n_epochs + 1):
        gradients = trained.backward(X, Y, route=route)
        # The parameters are float64 arrays updated in place, so they stay float64 even
        # when the network was built from integer arrays.
        with np.errstate(all="ignore"):
            for l in range(1, trained.L + 1):
                trained.W[l][...] -= learning_rate * gradients.dW[l]
                trained.b[l][...] -= learning_rate * gradients.db[l]
        _check_parameters(trained, epoch, learning_rate)
        try:
            costs.append(trained.cost(X, Y))
            if validation_data is not None:
                validation_costs.append(trained.cost(X_valid, Y_valid))
        except FloatingPointError as error:
            # The cost was finite before this step, so the step itself caused the overflow.
            raise FloatingPointError(
                f"epoch {epoch}: {error} The cost was finite before this gradient step, so "
                f"learning_rate = {learning_rate!r} is too large; lower it."
            ) from None

    return trained, TrainingHistory(tuple(costs), tuple(validation_costs))


def _check_parameters(network, epoch, learning_rate):
    """Raise ``FloatingPointError`` if a gradient step made a parameter overflow."""
    for name, array in network.parameters():
        if not np.isfinite(array).all():
            raise FloatingPointError(
                f"{name} overflowed float64 in epoch {epoch}: gradient descent diverged "
                f"with learning_rate = {learning_rate!r}. Lower the learning rate."
            )
