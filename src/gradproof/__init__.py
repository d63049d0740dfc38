"""gradproof: the backpropagation gradients of a fully connected network, checked.

The names follow the book's notation: ``W``, ``b``, ``Z``, ``A`` per layer, examples as
columns, and ``dW``, ``db``, ``dZ``, ``dA`` for the derivatives of the cost ``J``.
"""

from .activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    identity,
    identity_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from .gradcheck import (
    DEFAULT_STEP,
    GradientCheckReport,
    assert_gradient_close,
    gradient_check,
    numerical_gradient,
    relative_error,
)
from .losses import (
    SaturationError,
    binary_cross_entropy,
    binary_cross_entropy_from_logits,
    binary_cross_entropy_gradient,
    binary_cross_entropy_logit_gradient,
)
from .network import ForwardCache, Gradients, Network
from .training import TrainingHistory, train

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "DEFAULT_STEP",
    "ForwardCache",
    "GradientCheckReport",
    "Gradients",
    "Network",
    "SaturationError",
    "TrainingHistory",
    "assert_gradient_close",
    "binary_cross_entropy",
    "binary_cross_entropy_from_logits",
    "binary_cross_entropy_gradient",
    "binary_cross_entropy_logit_gradient",
    "get_activation",
    "gradient_check",
    "identity",
    "identity_derivative",
    "numerical_gradient",
    "relative_error",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "train",
]
