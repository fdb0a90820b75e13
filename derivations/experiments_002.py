"""Sheet 002, Q2–Q6 and Q7.3: experimental results and advice, not derivations.

Q2–Q6 report test accuracies and architectures found by training; a symbolic
engine has nothing to prove about them.  Q7.3 is advice about hyper-parameters.
Each is recorded with the sheet's own answer.
"""
from symcheck import Prose

SHEET = "002_d2426a2ad95018f2"
EXPERIMENT = "an experimental result, not a derivation"


def _experiment(id, problem, title, question, answer):
    return Prose(id=id, title=title, sheet=SHEET, problem=problem, question=question, answer=answer,
                 why=EXPERIMENT)


EXPERIMENTS = [
    _experiment("logistic-classifier-accuracy", "Q2.3", "Logistic classifier: test accuracy",
                "Train a simple logistic classifier (with no hidden units). Report the test accuracy for the best "
                "model you identified.",
                "test accuracy = 93.6%"),
    _experiment("logistic-two-layer-accuracy", "Q2.4", "Two-layer network with a logistic output: test accuracy",
                "Train a 2-layer neural network with logistic regression as the output layer. Identify and report "
                "an appropriate number of hidden units based on the validation set. Report the test accuracy for "
                "your best model.",
                "hidden_dim = 1000, test accuracy = 94%"),
    _experiment("svm-classifier-accuracy", "Q3.3", "Binary SVM classifier: test accuracy",
                "Train a binary SVM classifier (with no hidden units). Report the test accuracy for the best model "
                "you identified.",
                "test accuracy = 92.8%"),
    _experiment("svm-two-layer-accuracy", "Q3.4", "Two-layer network with a hinge-loss output: test accuracy",
                "Train a 2 layer neural network with hinge-loss as the output layer. Identify and report an "
                "appropriate number of hidden units based on the validation set. Report the best test accuracy "
                "for your best model.",
                "hidden_dim = 1000, test accuracy = 94%"),
    _experiment("softmax-classifier-accuracy", "Q4.3", "Softmax classifier on MNIST: test accuracy",
                "Train a softmax multi-class classifier (with no hidden units) on MNIST dataset. Report the test "
                "accuracy.",
                "test accuracy = 92%"),
    _experiment("softmax-two-layer-accuracy", "Q4.4", "Two-layer network with a softmax output on MNIST: test accuracy",
                "Train a 2 layer neural network with softmax-loss as the output layer on MNIST dataset. Identify "
                "and report an appropriate number of hidden units based on the validation set (you can leave 1/10 "
                "data samples in the train dataset as validation dataset). Report the best test accuracy for your "
                "best model.",
                "hidden_dim = 1000, test accuracy = 93.63%"),
    _experiment("mnist-cnn-accuracy", "Q5.3", "CNN on MNIST: filter size, hidden units and test accuracy",
                "Train the CNN multi-class classifier on MNIST dataset. Identify and report an appropriate filter "
                "size of convolutional layer and appropriate number of hidden units in fully-connected layer based "
                "on the validation set (you can leave 1/10 data samples in the train dataset as validation "
                "dataset). Report the best test accuracy for your best model.",
                "Filter size: 7x7; number of hidden units: 100; test accuracy: 98.39%"),
    _experiment("mnist-cnn-dropout-bn-accuracy", "Q5.4",
                "CNN with dropout and batch normalisation on MNIST: architecture and test accuracy",
                "Train the CNN multi-class classifier with dropout and batch normalization on MNIST dataset. "
                "Identify and report an appropriate architecture and appropriate rate of dropout based on the "
                "validation set (you can leave 1/10 data samples in the train dataset as validation dataset). "
                "Report the best test accuracy for your best model.",
                "Architecture: Conv-BN-Relu-Maxpool-Dropout-Fc-Relu-Fc-Softmax; rate of dropout: 0.8; "
                "test accuracy: 98.68%"),
    _experiment("cnn-test-accuracy", "Q6.2", "CNN in the test function: classification accuracy",
                "Test the model in test function and report the classification accuracy on the test set.",
                "Test accuracy: 69%"),
    _experiment("cnn-improved-accuracy", "Q6.3", "Improved CNN: architecture and test accuracy",
                "You are encouraged to try different optimizer, image preprocessing, activation function, "
                "convolutional feature size, learning rate strategy, architecture of the network to make the "
                "classification accuracy better on test set.",
                "By inserting a ReLU layer right after every Conv2d layer, and by increasing the filter number of "
                "every Conv2d layer to 4 times larger than the original one (i.e. 8→32, 64→256, etc.), we got 75% "
                "accuracy on test set. The full architecture: conv = Sequential(Conv2d(3, 32, 3, stride=1, "
                "padding=1), ReLU, MaxPool2d(2), Conv2d(32, 64, 3, stride=1, padding=1), ReLU, MaxPool2d(2), "
                "Conv2d(64, 128, 3, stride=1, padding=1), ReLU, Conv2d(128, 128, 3, stride=1, padding=1), ReLU, "
                "MaxPool2d(2), Conv2d(128, 256, 3, stride=1, padding=1), Conv2d(256, 256, 3, stride=1, "
                "padding=1), ReLU, MaxPool2d(2), Conv2d(256, 256, 3, stride=1, padding=1), Conv2d(256, 256, 3, "
                "stride=1, padding=1), ReLU, MaxPool2d(2)); fc = Sequential(Linear(256, 256, bias=True), ReLU, "
                "Linear(256, 10, bias=True))."),
]

divergence_hyperparameters = Prose(
    id="divergence-hyperparameters",
    title="Training loss drops quickly, then diverges: which hyper-parameters to change",
    sheet=SHEET,
    problem="Q7.3",
    question="If the training loss goes down quickly and then diverges during training, what hyper-parameters "
             "would you modify?",
    answer="1) Reduce the learning rate. High learning rate result in initially quick loss drop and then divergence "
           "in later iterations. A lower learning rate would alleviate this problem. 2) Increase the batch size. A "
           "larger batch size results in a gradient direction of higher confidence and makes the training process "
           "more robust and less divergent.",
    why="advice about training, an explanation rather than a formula",
)
