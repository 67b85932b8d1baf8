"""The metrics a live page's run reports for a lesson's goals (names: ``nncore.guide.goals.METRICS``).

``of_race(race)`` reads an optimiser race (``nncore.lessons.race_lab.Race``): each racer's training J as
``<optimiser>_loss``, the best of them, how many diverged.

``of_run(run, setup)`` reads a ``nncore.engine.training.Run`` (the regression and playground pages' runs) and
the page's set-up: the epoch-end numbers of the course (J_train, J_val or J_test, accuracy), whether the run
diverged or ended, and the network's size. A number not known yet (no epoch ended) is left out, so a goal
that reads it waits (``Goal.check`` → None).
"""
from __future__ import annotations

from typing import Dict, Optional


def _last(values) -> Optional[float]:
    return next((float(v) for v in reversed(values or []) if v is not None), None)


def of_run(run, setup=None, test_name: str = "val") -> Dict[str, object]:
    """``run``'s metrics; ``test_name`` is "val" (regression) or "test" (the playground's held-out points)."""
    metrics: Dict[str, object] = {
        "step": int(getattr(run, "step", 0)),
        "epoch": int(getattr(run, "epoch", 0)),
        "diverged": getattr(run, "status", "") == "diverged",
        "finished": bool(getattr(run, "done", False)),
    }
    spec = getattr(run, "spec", None)
    if spec is not None and getattr(spec, "lr", None) is not None:
        metrics["lr"] = float(spec.lr)
    known = {
        "train_loss": _last(getattr(run, "train_losses", None)),
        f"{test_name}_loss": _last(getattr(run, "val_losses", None)),
        "train_accuracy": _last(getattr(run, "accuracies", None)),
        "test_accuracy": _last(getattr(run, "val_accuracies", None)) if test_name == "test" else None,
    }
    metrics.update({k: v for k, v in known.items() if v is not None})
    make_spec = getattr(setup, "network_spec", None)
    if callable(make_spec) and getattr(setup, "controls", None) is not None:
        hidden = [int(u) for u in setup.controls.hidden]
        metrics["hidden_neurons"] = sum(hidden)
        metrics["hidden_layers"] = len(hidden)
    return metrics


def of_race(race) -> Dict[str, object]:
    """The race's metrics: its epoch and step (the furthest racer's), ``finished`` once every racer stopped,
    ``<name>_loss`` per racer (J on the training set at its last epoch's end), ``best_train_loss`` among those
    that did not diverge, ``racers`` and ``diverged_racers``."""
    racers = list(getattr(race, "racers", []))
    metrics: Dict[str, object] = {
        "step": int(race.step), "epoch": int(race.epoch), "finished": bool(race.done),
        "racers": len(racers), "diverged_racers": sum(r.diverged for r in racers),
    }
    losses = {r.name: _last(r.run.train_losses) for r in racers}
    metrics.update({f"{name}_loss": v for name, v in losses.items() if v is not None})
    alive = [v for r in racers if not r.diverged and (v := losses[r.name]) is not None]
    if alive:
        metrics["best_train_loss"] = min(alive)
    return metrics


def of_line(w: float, b: float) -> Dict[str, float]:
    """The regression page's fitted line."""
    return {"w": float(w), "b": float(b)}
