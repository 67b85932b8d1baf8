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
]
