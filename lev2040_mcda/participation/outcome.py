"""What a count returns: the selection in the order it was made, and how it was made (the rule,
its options, every tie it broke and how, and what each selected project cost its supporters)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Outcome", "Payment", "Tie"]


@dataclass(frozen=True)
class Tie:
    """A tie the rule broke: at selection ``step`` (1 = the first project selected; for greedy the
    step of the first tied project selected), ``tied`` projects were equal by the rule's own
    criterion and ``chosen`` won by ``by`` (``votes``, ``cost`` or ``order``: the first tie-break key
    that was needed). MES and Phragmén list every tie of a selection step; greedy lists a tie only
    when the order decided (a tied project left out would have fitted had it come first)."""

    step: int
    stage: str
    tied: tuple[str, ...]
    chosen: str
    by: str


@dataclass(frozen=True)
class Payment:
    """What a selected project cost its supporters.

    MES: ``price`` is the rule's rho (what a supporter pays per unit of utility; with cost
    utilities an approver pays at most ``price * cost``), paid by ``payers`` supporters, at most
    ``max_payment`` each; ``exhausted`` of them paid all they had left. Phragmén: ``price`` is the
    load (the time in the rule's picture of voters earning money at rate 1) at which it was bought,
    each supporter paying what it had earned since its last purchase.
    """

    project: str
    price: float
    payers: int
    paid: float
    max_payment: float
    min_payment: float
    mean_payment: float
    exhausted: int


@dataclass(frozen=True)
class Outcome:
    """A counted vote. ``selected`` in selection order; ``stages`` says for each how it entered
    (``greedy``, ``mes``, ``completion``: the utilitarian greedy after MES, ``phragmen``);
    ``measures`` the measure each stands for (None: not mapped). ``voter_budget`` is each voter's
    share MES was run with (after the add-one completion raised it from ``initial_voter_budget``
    in steps of ``step``)."""

    rule: str
    kind: str
    selected: tuple[str, ...]
    stages: tuple[str, ...]
    measures: tuple[str | None, ...]
    cost: float
    budget: float
    voters: int
    rejected: int
    utility: str | None = None
    completion: str = "none"
    tie_break: str = "votes"
    ties: tuple[Tie, ...] = ()
    payments: tuple[Payment, ...] = ()
    voter_budget: float | None = None
    initial_voter_budget: float | None = None
    step: float | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def left(self) -> float:
        """The part of the budget the selection leaves unspent."""
        return self.budget - self.cost

    def payment(self, project: str) -> Payment | None:
        return next((p for p in self.payments if p.project == project), None)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (tuples as lists), in the order a reader wants it."""
        out = asdict(self)
        out["left"] = self.left
        return out
