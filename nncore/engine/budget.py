"""A live frame's fair share of a shared server: a time budget per frame, and a gate that gives turns in order.

Training is a generator (``training.Run``): a live page pulls a few updates W := W − α ∂J/∂W per painted
frame, ``speed`` of them. How long an update takes grows with the network (layers × neurons), the data (a
batch of m points costs about m forward and backward passes) and the speed, so on one server a heavy
set-up in one tab would slow every other tab. Two rules keep the room fair:

- **A budget per live frame** (``FrameBudget``): one live frame (a page's fragment rerun, which paints a
  batch of frames) spends at most ``SLICE`` seconds making updates, whatever it draws between them. The
  budget is shared out over the frame's ``advance`` calls (one per painted frame); each call makes updates
  until its share is spent and starts none that would end past it (the cost of one update is measured as
  it goes). A heavy set-up simply makes fewer updates per frame, and ``note()`` says so; a light one makes
  all it asked. The first update of a frame is always made, so every run moves.
- **A fair gate** (``FairGate``): one live frame is computed at a time in the process, and the turns go
  round: a session that wants another frame queues behind every session already waiting (first come, first
  served), so two playing sessions alternate. No session holds the gate past its slice while others wait:
  a frame that has held it for ``SLICE`` seconds lets the waiting sessions take their turns at its next
  ``advance`` (between two painted frames), then goes on; what it draws between two advances is not cut.

Pages need not know: a run whose class mixes in ``Budgeted`` (``BudgetedRun``, the playground's run)
makes its ``advance(n)`` through the budget of the frame being computed (``frame(budget)``, set by the
gate's ``turn``), and outside a live frame (⏭ Step, ⏩ Epoch, tests) makes all ``n``. Several runs that
move together (the optimiser race) go through ``advance(step, n)`` once, so they stay in step.
"""
from __future__ import annotations

import contextvars
import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterator, List, Optional

from nncore.engine.training import Run

SLICE = 0.1           # s of computing per live frame (a fragment rerun, one every 0.4 s: views/ui/live.py), however
                      # heavy the set-up: a quarter of a core per playing student, as 50 ms per 0.2 s rerun was
SLOTS_ENV = "NNPLAY_LIVE_SLOTS"   # live frames computed at once in one server process
DEFAULT_SLOTS = 1

Clock = Callable[[], float]
_ACTIVE: contextvars.ContextVar[Optional["FrameBudget"]] = contextvars.ContextVar("nnplay_frame_budget",
                                                                                 default=None)


class FrameBudget:
    """The computing time one live frame may spend on updates: ``seconds`` in all, whatever it draws between.

    Only the time inside ``step`` counts (``spent``); drawing the frame is bounded by the page's resolution,
    not by the budget. ``calls`` is how many times the page advances per frame (learned from the session's
    previous frame, ``following``), so that the budget is spread evenly over the painted frames; ``cost``
    is the last measured time of one update, in s (None: measured by the first update). A budget given out
    by a ``FairGate`` also passes the turn at each ``advance`` once the frame has held the gate for ``seconds``
    and another session waits.
    """

    def __init__(self, seconds: float = SLICE, clock: Clock = time.monotonic, calls: int = 1,
                 cost: Optional[float] = None):
        self.seconds, self.clock = float(seconds), clock
        self.start = clock()
        self.expected_calls = max(1, int(calls))
        self.cost = cost
        self.spent = 0.0        # s spent making updates in this frame
        self.calls = 0          # advance calls so far in this frame
        self.asked = 0          # updates the page asked for (speed × calls)
        self.made = 0           # updates made
        self.passed = 0         # times this frame passed the gate's turn to a waiting session
        self._inside = False
        self._gate: Optional["FairGate"] = None    # the gate this frame holds a turn of, if any
        self._ticket: Optional[object] = None
        self._since = 0.0                           # when it got its turn
        self._who = ""

    @classmethod
    def following(cls, previous: Optional["FrameBudget"], seconds: float = SLICE,
                  clock: Clock = time.monotonic) -> "FrameBudget":
        """A new frame's budget that starts from what the session's previous frame learned."""
        if previous is None:
            return cls(seconds, clock)
        return cls(seconds, clock, calls=previous.calls or 1, cost=previous.cost)

    @property
    def throttled(self) -> bool:
        """True when the frame made fewer updates than the page asked for."""
        return self.made < self.asked

    def advance(self, step: Callable[[int], int], n: int) -> int:
        """Make up to ``n`` updates by ``step(k)`` (k updates at once; returns how many it made, fewer when
        the run ended) within this call's share of the budget; returns the updates made."""
        if self._gate is not None:
            self._gate.pass_if_due(self)
        n = max(0, int(n))
        self.calls += 1
        self.asked += n
        calls_left = max(1, self.expected_calls - self.calls + 1)
        allowed = max(0.0, self.seconds - self.spent) / calls_left
        used = 0.0
        made = 0
        self._inside = True
        try:
            while made < n:
                if self.made + made == 0:
                    k = 1                                   # the frame's first update, whatever it costs
                elif self.cost is None:
                    k = 1 if used < allowed else 0
                elif self.cost <= 0:
                    k = n - made
                else:
                    k = min(n - made, int((allowed - used) / self.cost + 1e-6))
                if k <= 0:
                    break
                before = self.clock()
                done = int(step(k))
                took = self.clock() - before
                used += took
                if done > 0:
                    self.cost = took / done
                made += done
                if done < k:                                # the run has ended: nothing more to ask for
                    self.asked -= n - made
                    break
        finally:
            self._inside = False
        self.spent += used
        self.made += made
        return made

    def note(self) -> str:
        """What a throttled frame says on the page (empty when it made every update asked)."""
        if not self.throttled:
            return ""
        per_frame = self.made / max(1, self.calls)
        asked = self.asked / max(1, self.calls)
        shown = f"{per_frame:.0f}" if per_frame >= 1 else "1"
        if shown == f"{asked:.0f}":                 # 4.6 of 5 is not "about 5 instead of the 5 asked"
            shown = f"{per_frame:.1f}"
        return (f"⏱ A heavy set-up: about {shown} update{'s' if shown != '1' else ''} per frame "
                f"instead of the {asked:.0f} asked. Each live frame computes for at most {self.seconds * 1000:.0f} ms, "
                "so that every student on this server keeps a live page; a smaller network, fewer points or a "
                "smaller batch go faster.")

    def __repr__(self):
        return (f"FrameBudget({self.made}/{self.asked} updates in {self.calls} calls, {self.spent * 1000:.1f} of "
                f"{self.seconds * 1000:.0f} ms, passed the turn {self.passed}×)")


def live_slots(environ=None) -> int:
    """How many live frames one server computes at once: ``NNPLAY_LIVE_SLOTS`` (a whole number ≥ 1), else 1."""
    environ = os.environ if environ is None else environ
    try:
        return max(1, int(environ.get(SLOTS_ENV, DEFAULT_SLOTS)))
    except (TypeError, ValueError):
        return DEFAULT_SLOTS


@contextmanager
def frame(budget: FrameBudget) -> Iterator[FrameBudget]:
    """Within this block, budgeted runs advance through ``budget`` (in this thread only)."""
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)


def active() -> Optional[FrameBudget]:
    """The budget of the live frame being computed in this thread, if any."""
    return _ACTIVE.get()


def advance(step: Callable[[int], int], n: int) -> int:
    """``step(n)`` outside a live frame (or inside another budgeted advance); else through the frame's budget."""
    budget = _ACTIVE.get()
    if budget is None or budget._inside:
        return int(step(n))
    return budget.advance(step, n)


class Budgeted:
    """Mixed into a ``training.Run``: ``advance(n)`` makes what fits in the live frame's budget."""

    def advance(self, n: int = 1) -> list:
        plain = super().advance
        out: list = []

        def step(k: int) -> int:
            made = plain(k)
            out.extend(made)
            return len(made)

        advance(step, n)
        return out


class BudgetedRun(Budgeted, Run):
    """The engine's Run, advancing within the live frame's budget."""


class FairGate:
    """``slots`` live frames at a time in the process (1: one), the turns handed out in order of asking.

    ``with gate.turn(who) as budget:`` waits for this session's turn, then computes the frame with a
    ``FrameBudget`` of ``seconds`` (active for budgeted runs in the block); leaving the block gives the
    turn to the next in line. A session asking again goes to the back of the line (round-robin). No session
    holds a turn past its slice while others wait: once a frame has held it for ``seconds``, its next
    ``advance`` (between two painted frames) first lets every session already waiting take its turn.
    """

    def __init__(self, seconds: float = SLICE, clock: Clock = time.monotonic, slots: int = 1):
        self.seconds, self.clock, self.slots = seconds, clock, max(1, int(slots))
        self._cond = threading.Condition()
        self._line: deque = deque()
        self._holders: set = set()
        self.turns: List[str] = []            # who got the last turns (the newest 64), for tests and benches

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._line)

    @property
    def busy(self) -> bool:
        return bool(self._holders)

    @property
    def holding(self) -> int:
        return len(self._holders)

    def _enter(self, who: str, budget: FrameBudget) -> None:
        ticket = object()
        with self._cond:
            self._line.append(ticket)
            try:
                while len(self._holders) >= self.slots or self._line[0] is not ticket:
                    self._cond.wait(1.0)
            except BaseException:         # a waiter stopped in line must not block the ones behind it
                self._line.remove(ticket)
                self._cond.notify_all()
                raise
            self._line.popleft()
            self._holders.add(ticket)
            self.turns = (self.turns + [who])[-64:]
            self._cond.notify_all()       # with several slots, the next in line may enter too
        budget._gate, budget._ticket, budget._since = self, ticket, self.clock()

    def _leave(self, budget: FrameBudget) -> None:
        with self._cond:
            self._holders.discard(budget._ticket)
            budget._gate = budget._ticket = None
            self._cond.notify_all()

    @contextmanager
    def turn(self, who: str, previous: Optional[FrameBudget] = None) -> Iterator[FrameBudget]:
        budget = FrameBudget.following(previous, self.seconds, self.clock)
        budget._who = who
        self._enter(who, budget)
        try:
            with frame(budget):
                yield budget
        finally:
            if budget._gate is not None:      # still holding (not stopped while back in line)
                self._leave(budget)

    def pass_if_due(self, budget: FrameBudget) -> bool:
        """Called by a holder between two painted frames: when it has held its turn for its slice and
        someone waits, go to the back of the line (the waiting sessions take their turns), then go on."""
        if self.clock() - budget._since < self.seconds or not self.waiting:
            return False
        self._leave(budget)
        self._enter(budget._who, budget)
        budget.passed += 1
        return True
