"""ABC (Pareto) classification of customers by profit or revenue (docs/DOMAIN.md §2).

Customers are ranked by their basis value, highest first, ties broken by customer id. A customer is
A while the cumulative share of the customers ranked *above* it is below the A threshold (so the top
customer is always A), B likewise below the B threshold, and C otherwise. A zero or negative basis is
always C: such a customer contributes nothing to the total the shares are taken of.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

CLASSES = ("A", "B", "C")


@dataclass(frozen=True)
class Classification:
	customer: str
	rank: int
	value: float
	share: float  # percent of the positive total
	cumulative_share: float  # percent, including this customer
	abc_class: str


def validate_thresholds(a_threshold: float, b_threshold: float) -> None:
	"""Raise ValueError when the cumulative-share thresholds cannot define three classes."""
	for threshold in (a_threshold, b_threshold):
		if threshold is None or not 0 < float(threshold) <= 100:
			raise ValueError("thresholds must be greater than 0 and at most 100")
	if float(a_threshold) >= float(b_threshold):
		raise ValueError("the A threshold must be lower than the B threshold")


def classify(
	values: Mapping[str, float], a_threshold: float = 80.0, b_threshold: float = 95.0
) -> dict[str, Classification]:
	"""Classify every customer in ``values`` (customer -> basis value in company currency)."""
	validate_thresholds(a_threshold, b_threshold)
	if not values:
		return {}

	frame = pd.DataFrame({"customer": list(values.keys()), "value": [float(v or 0) for v in values.values()]})
	frame = frame.sort_values(["value", "customer"], ascending=[False, True], kind="mergesort")
	positive = frame["value"].clip(lower=0)
	total = float(positive.sum())
	if total > 0:
		frame["share"] = frame["value"] / total * 100.0
		frame["cumulative_share"] = positive.cumsum() / total * 100.0
	else:
		frame["share"] = 0.0
		frame["cumulative_share"] = 0.0
	# share of the customers ranked above this one: what decides its class
	above = frame["cumulative_share"] - (positive / total * 100.0 if total > 0 else 0.0)

	frame["abc_class"] = "C"
	is_positive = frame["value"] > 0
	frame.loc[is_positive & (above < b_threshold), "abc_class"] = "B"
	frame.loc[is_positive & (above < a_threshold), "abc_class"] = "A"
	frame["rank"] = range(1, len(frame) + 1)

	return {
		row.customer: Classification(
			customer=row.customer,
			rank=int(row.rank),
			value=float(row.value),
			share=float(row.share),
			cumulative_share=float(row.cumulative_share),
			abc_class=row.abc_class,
		)
		for row in frame.itertuples(index=False)
	}


def effective_class(computed: str | None, override: str | None, override_valid: bool) -> str | None:
	"""The class that counts: a manual override while it is valid, else the computed class."""
	if override and override_valid:
		return override
	return computed


def class_counts(classes: Mapping[str, str | None]) -> dict[str, int]:
	counts = {c: 0 for c in CLASSES}
	for value in classes.values():
		if value in counts:
			counts[value] += 1
	return counts
