"""The optimiser race: one network, one data set, one start, trained side by side by several optimisers.

Every racer is a ``PlaygroundRun`` of the same ``Setup`` with its own optimiser and α. They start
from the same weights θ₀ (drawn once, then copied into every racer) and see the same batches in
the same order: the batch order comes from one shuffle stream per epoch, seeded by the setup's
seed, which every racer's engine draws identically. So the only difference between two racers
is their update rule:

* sgd       θ := θ - α g                              (the course's W := W - α ∂J/∂W)
* momentum  m := μ m - α g;  θ := θ + m               (μ = 0.9; course 003 calls the momentum term α)
* nesterov  m := μ m - α g;  θ := θ + μ m - α g
* rmsprop   v := ρ v + (1-ρ) g²;  θ := θ - α g / √(v + ε)
* adam      m, v: running means of g and g²;  θ := θ - α_t m / (√v + ε)
* adagrad   G := G + g²;  θ := θ - α g / √(G + ε)

A racer that diverges stops with its reason; the others run on. ``verdict`` says who won.

The race's timeline (``RaceTimeline``) keeps every racer's θ at each painted frame, so a paused race scrubs
back to any earlier frame (``RaceAt``), continues from there, or starts again from the same θ₀ with other α.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

import numpy as np

from nncore.engine import budget
from nncore.engine.specs import SpecError
from nncore.engine.timeline import Frame, RunAt, Timeline, replay
from nncore.lessons import playground_lab as pg
from nncore.lessons.configurator import LRS, OPTIMIZER_LABELS, build_net

RACERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad")
# α per optimiser: each is about the largest of the playground's α that its rule takes calmly on the
# default set-up (plain SGD the playground's 0.1; momentum's steps are ~1/(1-μ) = 10 times α; Adam and
# RMSprop move each weight by about α per update; Adagrad's steps shrink as G grows).
# The data sets a race can run: the playground's two-class and K-class generated sets. Not the student's own
# points (the race page has no plane to draw them on and no uploader) nor the value sets (a race of
# classifiers: its panels paint classes and its verdict counts accuracy).
DATASETS = tuple(d for d in pg.DATASETS if d != pg.OWN and d not in pg.VALUE_SETS)
DEFAULT_LR = {"sgd": 0.1, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.01, "adam": 0.01, "adagrad": 0.1}
SHORT = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "rmsprop": "RMSprop", "adam": "Adam",
         "adagrad": "Adagrad"}
RULES = {"sgd": r"\theta := \theta - \alpha g",
         "momentum": r"m := \mu m - \alpha g,\quad \theta := \theta + m",
         "nesterov": r"m := \mu m - \alpha g,\quad \theta := \theta + \mu m - \alpha g",
         "rmsprop": r"v := \rho v + (1-\rho) g^2,\quad \theta := \theta - \frac{\alpha\, g}{\sqrt{v + \epsilon}}",
         "adam": r"m := \beta_1 m + (1-\beta_1) g,\ v := \beta_2 v + (1-\beta_2) g^2,\quad "
                 r"\theta := \theta - \alpha_t \frac{m}{\sqrt{v} + \epsilon}",
         "adagrad": r"G := G + g^2,\quad \theta := \theta - \frac{\alpha\, g}{\sqrt{G + \epsilon}}"}


@dataclass(frozen=True)
class RaceSetup:
    """The shared setup (data, network, batch size, epochs, seed) and the racers: (optimiser, α) pairs."""

    setup: pg.Setup = pg.Setup()
    racers: Tuple[Tuple[str, float], ...] = tuple((name, DEFAULT_LR[name]) for name in ("sgd", "momentum", "adam"))

    def validate(self) -> "RaceSetup":
        p: Dict[str, str] = {}
        names = [name for name, _ in self.racers]
        if not names:
            p["racers"] = "Choose at least one optimiser to race."
        unknown = [n for n in names if n not in RACERS]
        if unknown:
            p["racers"] = f"The racers must be among {', '.join(RACERS)} (got {', '.join(map(str, unknown))})."
        elif len(set(names)) < len(names):
            p["racers"] = "Each optimiser can race once."
        bad_lr = [f"{n} α = {lr:g}" for n, lr in self.racers if lr not in LRS]
        if bad_lr:
            p["lr"] = f"Each α must be one of {', '.join(f'{v:g}' for v in LRS)} (got {', '.join(bad_lr)})."
        if self.setup.data not in DATASETS:
            p["data"] = (f"A race runs on one of the playground's generated class data sets "
                         f"({', '.join(pg.DATA_LABELS.get(d, d) for d in DATASETS[:3])}, …); "
                         f"{pg.DATA_LABELS.get(self.setup.data, str(self.setup.data))!r} is not one of them.")
        try:
            self.setup.validate()
        except SpecError as e:
            p.update({k: v for k, v in e.problems.items() if k not in p})
        if p:
            raise SpecError(p)
        return self


@dataclass
class Racer:
    """One optimiser in the race: its name, α and run."""

    name: str
    lr: float
    run: pg.PlaygroundRun

    @property
    def label(self) -> str:
        return f"{SHORT[self.name]} (α = {self.lr:g})"

    @property
    def final_loss(self) -> Optional[float]:
        return self.run.train_losses[-1] if self.run.train_losses else None

    @property
    def diverged(self) -> bool:
        return self.run.status == "diverged"


class Race:
    """The racers, advanced together: ``advance(n)`` makes n updates in every racer still running."""

    def __init__(self, data: pg.Data, racers: List[Racer]):
        self.data = data
        self.racers = racers

    @property
    def done(self) -> bool:
        return all(r.run.done for r in self.racers)

    @property
    def step(self) -> int:
        return max(r.run.step for r in self.racers)

    @property
    def epoch(self) -> int:
        return max(r.run.epoch for r in self.racers)

    def advance(self, n: int = 1) -> None:
        """n updates in every racer still running; in a live frame, as many as its time budget allows, the
        same number for every racer (``nncore.engine.budget``), so the race stays fair."""
        def step(k: int) -> int:
            made = [len(r.run.advance(k)) for r in self.racers if not r.run.done]
            return max(made, default=0)

        budget.advance(step, n)

    @property
    def initial_weights(self):
        """θ₀, the same for every racer."""
        return self.racers[0].run.initial_weights

    def until_epoch_end(self) -> None:
        for r in self.racers:
            r.run.until_epoch_end()

    def standings(self) -> List[Racer]:
        """Racers still in the race, lowest training cost J first (then highest accuracy); diverged ones last."""
        def key(r: Racer):
            acc = pg.current_accuracy(r.run)[0]
            return (r.diverged, np.inf if r.final_loss is None else r.final_loss, -acc)
        return sorted(self.racers, key=key)


def start(race_setup: RaceSetup) -> Tuple[pg.Data, Race]:
    """Data and a race from ``race_setup`` (validated first): every racer from the same θ₀."""
    return start_with(race_setup, None)


def start_with(race_setup: RaceSetup, weights=None) -> Tuple[pg.Data, Race]:
    """``start``, every racer from ``weights`` (the network's list of W and b) when given: the timeline's
    "↺ Same start θ₀" and "▶ Continue from here" (a replay from θ₀). Weights of another shape: ValueError."""
    race_setup.validate()
    setup = race_setup.setup
    data, _ = pg.start(setup)
    theta0 = build_net(setup.controls, setup.n_inputs).get_weights()
    if weights is not None:
        if [np.shape(w) for w in weights] != [w.shape for w in theta0]:
            raise ValueError("These weights do not fit this race's network.")
        theta0 = [np.array(w, dtype=float) for w in weights]
    racers = []
    for name, lr in race_setup.racers:
        controls = replace(setup.controls, optimizer=name, lr=lr)
        net = build_net(controls, setup.n_inputs)
        net.set_weights([w.copy() for w in theta0])
        racers.append(Racer(name, lr, pg.PlaygroundRun(net, data, controls)))
    return data, Race(data, racers)


def verdict(race: Race) -> str:
    """Who leads (or won, once every racer has stopped), in one sentence with the costs."""
    if race.step == 0:
        return ""
    standings = race.standings()
    alive = [r for r in standings if not r.diverged and r.final_loss is not None]
    crashed = [r for r in standings if r.diverged]
    out = ""
    if alive:
        first = alive[0]
        acc = pg.current_accuracy(first.run)[0]
        verb = "won" if race.done else f"leads after epoch {race.epoch}"
        out = f"**{first.label}** {verb} with training cost J = {first.final_loss:.4g} (accuracy {acc:.0%})"
        if len(alive) > 1:
            rest = ", ".join(f"{r.label} {r.final_loss:.4g}" for r in alive[1:])
            out += f", ahead of {rest}"
        out += "."
    elif not crashed:
        return ""
    if crashed:
        out += (" " if out else "") + f"{' and '.join(SHORT[r.name] for r in crashed)} diverged and stopped."
    return out


def label(name: str) -> str:
    """The optimiser's name as the configurator shows it."""
    return OPTIMIZER_LABELS.get(name, name)


# ---- the race's timeline ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RaceFrame:
    """The race after ``step`` updates (its furthest racer's; ``epoch`` the furthest epoch): each racer's
    ``Frame`` (its θ, its own update and epoch: a racer that diverged stopped earlier)."""

    step: int
    epoch: int
    parts: Tuple[Frame, ...]
    epoch_end: bool = False

    @property
    def nbytes(self) -> int:
        return sum(p.nbytes for p in self.parts)


class RaceTimeline(Timeline):
    """Every racer's θ at the race's painted frames and at the ends of ⏩ Epoch (``capture(race)``), bounded
    as ``Timeline`` is (its ``max_bytes`` shared by the racers: 6 racers of the largest network keep ~20 frames)."""

    def follow(self, race) -> "RaceTimeline":
        """θ₀ of every racer now (no epoch-end hook: the racers advance one after another within a frame)."""
        if not self.frames or self.frames[-1].step != race.step:
            self.capture(race)
        return self

    def _frame(self, race, epoch_end: bool) -> RaceFrame:
        parts = tuple(Frame(r.run.step, len(r.run.epochs), r.run.net.theta.copy()) for r in race.racers)
        return RaceFrame(race.step, race.epoch, parts, epoch_end)

    def view(self, race, k: int) -> "RaceAt":
        return RaceAt(race, self.frames[k])

    def replay_to(self, make_race, frame: RaceFrame) -> Race:
        """A fresh race from ``make_race()``, each racer trained again to its own update of ``frame``."""
        race = make_race()
        for r, part in zip(race.racers, frame.parts):
            replay(lambda r=r: r.run, part.step)
        return race


class RaceAt(Race):
    """``race`` as it was at ``frame``: each racer's run at its part of the frame (``RunAt``)."""

    def __init__(self, race: Race, frame: RaceFrame):
        super().__init__(race.data, [Racer(r.name, r.lr, RunAt(r.run, part))
                                     for r, part in zip(race.racers, frame.parts)])
        self.frame = frame

    @property
    def epoch(self) -> int:
        return self.frame.epoch
