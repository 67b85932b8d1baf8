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
    PageInfo("pages/home.py", "", "Home", "🏠", "What nnplay is and where to start.", "nnplay"),
    PageInfo("pages/regression.py", "regression", "Regression", "📉",
             "Gradient descent fits a line live: the cost surface, the path, α too high or too low.", "Training"),
]
