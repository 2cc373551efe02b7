"""Buying center (采购氛围) coverage and org chart, docs/DOMAIN.md §4.

Big purchases are decided by several people. Coverage asks whether every role that decides is
mapped, whether an insider (内线) is there, and how much weighted support the account gives us:
each active person's influence (1–5) times their attitude score (Champion +2 … Opponent −2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

BUYING_ROLES = (
	"Decision Maker",
	"Technical Gatekeeper",
	"Financial Gatekeeper",
	"Purchaser",
	"User",
	"Influencer",
)
# the roles a covered buying center must have someone in; influencers are welcome but optional
COVERED_ROLES = BUYING_ROLES[:5]
ATTITUDE_SCORES = {"Champion": 2, "Supporter": 1, "Neutral": 0, "Skeptic": -1, "Opponent": -2}

FLAG_NO_DECISION_MAKER = "No Decision Maker"
FLAG_DECISION_MAKER_OPPOSES = "Decision Maker Opposes"
FLAG_SINGLE_THREADED = "Single-Threaded"
FLAG_NO_INSIDER = "No Insider"
FLAG_KEY_PERSON_LEFT = "Key Person Left"
FLAGS = (
	FLAG_NO_DECISION_MAKER,
	FLAG_DECISION_MAKER_OPPOSES,
	FLAG_SINGLE_THREADED,
	FLAG_NO_INSIDER,
	FLAG_KEY_PERSON_LEFT,
)


@dataclass(frozen=True)
class Member:
	name: str
	contact: str
	role: str
	influence: int = 3
	attitude: str = "Neutral"
	is_insider: bool = False
	active: bool = True
	reports_to: str | None = None
	label: str | None = None


@dataclass
class Coverage:
	covered: dict[str, bool]
	coverage_percent: float
	insider_present: bool
	support_score: int
	support_ratio: float  # support / the most support these people could give, −1 … +1
	active_contacts: int
	flags: list[str] = field(default_factory=list)


def coverage(members: Iterable[Member]) -> Coverage:
	members = list(members)
	active = [m for m in members if m.active]
	covered = {role: any(m.role == role for m in active) for role in COVERED_ROLES}
	support = sum(int(m.influence or 0) * ATTITUDE_SCORES.get(m.attitude, 0) for m in active)
	ceiling = sum(int(m.influence or 0) * 2 for m in active)
	contacts = {m.contact for m in active}

	flags = []
	deciders = [m for m in active if m.role == "Decision Maker"]
	if not deciders:
		flags.append(FLAG_NO_DECISION_MAKER)
	if any(ATTITUDE_SCORES.get(m.attitude, 0) < 0 for m in deciders):
		flags.append(FLAG_DECISION_MAKER_OPPOSES)
	if len(contacts) == 1:
		flags.append(FLAG_SINGLE_THREADED)
	if not any(m.is_insider for m in active):
		flags.append(FLAG_NO_INSIDER)
	# a decision maker who left is a gap until someone active holds the role again: the flag is about
	# the account now, not the history (which the left person's record keeps)
	if not deciders and any(not m.active and m.role == "Decision Maker" for m in members):
		flags.append(FLAG_KEY_PERSON_LEFT)

	return Coverage(
		covered=covered,
		coverage_percent=round(sum(covered.values()) / len(COVERED_ROLES) * 100.0, 1),
		insider_present=any(m.is_insider for m in active),
		support_score=support,
		support_ratio=round(support / ceiling, 3) if ceiling else 0.0,
		active_contacts=len(contacts),
		flags=flags,
	)


def creates_cycle(reports_to: Mapping[str, str | None], member: str, new_parent: str | None) -> bool:
	"""Would ``member`` reporting to ``new_parent`` close a loop in the reports-to line?"""
	seen = {member}
	current = new_parent
	while current:
		if current in seen:
			return True
		seen.add(current)
		current = reports_to.get(current)
	return False


def org_chart(members: Iterable[Member]) -> list[dict]:
	"""Forest of nodes {name, contact, label, role(s), attitude, influence, insider, active, children}.

	One person may hold several roles; the chart shows one node per role record, as the records are
	what the reports-to line links. A reports-to outside the given members makes the node a root.
	"""
	members = list(members)
	nodes = {
		m.name: {
			"name": m.name,
			"contact": m.contact,
			"label": m.label or m.contact,
			"role": m.role,
			"attitude": m.attitude,
			"influence": m.influence,
			"insider": m.is_insider,
			"active": m.active,
			"children": [],
		}
		for m in members
	}
	roots = []
	for m in members:
		parent = nodes.get(m.reports_to) if m.reports_to else None
		if parent is not None and m.reports_to != m.name:
			parent["children"].append(nodes[m.name])
		else:
			roots.append(nodes[m.name])
	return roots
