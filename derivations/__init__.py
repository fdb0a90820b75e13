"""The catalogue: one module per topic, each holding Entry and Prose objects.

``SHEETS`` describes the five source sheets (``../shared/seeds/``), keyed by
the seed file's stem.
"""

SHEETS = {
    "000_0faae9380a816116": {
        "title": "Foundations of Deep Learning (AMMI), Assignment 1",
        "short": "Activations, vanishing gradients, sentence and image classification",
    },
    "001_40bb9e3d6bfa7e9d": {
        "title": "6.867 Exercises (Week 7)",
        "short": "ConvNets, RNN constructions, exploding gradients",
    },
    "002_d2426a2ad95018f2": {
        "title": "EECS 598 Deep Learning, HW1",
        "short": "Backward passes: fully connected, ReLU, dropout, batch norm, convolution",
    },
    "003_be85b36419f743e7": {
        "title": "Deep Learning HW2 (Theory)",
        "short": "Convolution sizes and Jacobians, gated and attention RNNs, loss curves",
    },
    "004_1638b43a4d4b0ea1": {
        "title": "Advanced Deep Learning, Assignment 1 (2021 Fall)",
        "short": "Backpropagation for MLP, RNN and LSTM; regularisation; VAE; GAN",
    },
}
