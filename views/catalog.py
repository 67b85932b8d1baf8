"""Every page of nnplay in one list: the router builds the navigation from it, home links to it."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    script: str
    url: str
    title: str
    icon: str
    blurb: str
    section: str


PAGES = [
    PageInfo("views/home.py", "", "Home", "🏠", "What nnplay is and where to start.", "nnplay"),
    PageInfo("views/perceptron.py", "perceptron", "Perceptron", "🔘",
             "One neuron decides: the cheese festival, logic gates, the learning rule, why XOR fails.", "Fundamentals"),
    PageInfo("views/activations.py", "activations", "Activation functions", "〰️",
             "Sigmoid, tanh, ReLU, softmax and their slopes; the vanishing gradient; dead ReLUs.", "Fundamentals"),
    PageInfo("views/losses.py", "losses", "Loss functions", "🎯",
             "MSE vs MAE with an outlier; cross-entropy punishes confident wrong answers.", "Fundamentals"),
    PageInfo("views/regression.py", "regression", "Regression", "📉",
             "Gradient descent fits a line live: the cost surface, the path, α too high or too low.", "Training"),
    PageInfo("views/playground.py", "playground", "Playground", "🧪",
             "A network learns XOR, circles and spirals live; course 003's XOR models, neuron by neuron.", "Training"),
    PageInfo("views/race.py", "race", "Optimiser race", "🏁",
             "SGD, momentum, Nesterov, RMSprop, Adam and Adagrad train one network side by side.", "Training"),
    PageInfo("views/mnist.py", "mnist", "MNIST digits", "🔢",
             "A Keras network learns handwriting live; stop it, test it, then let it read your digit.", "Keras"),
    PageInfo("views/lessons.py", "lessons", "Lessons", "📘",
             "The course as guided steps: a question before each run, a goal the page checks.", "nnplay"),
    PageInfo("views/board.py", "class", "Class board", "👩‍🏫",
             "A teacher opens a class; students join with a nickname and send their runs to one board.",
             "For a class"),
]
