"""Whitespace cells, potential and the item group level (docs/DOMAIN.md §11)."""

import datetime as dt

import pytest

from key_account_management.core import whitespace as ws


@pytest.mark.parametrize(
	("recent", "before", "open_amount", "status"),
	[
		(100, 0, 0, ws.BOUGHT),
		(100, 500, 900, ws.BOUGHT),
		(0, 500, 0, ws.LOST),
		(0, 500, 50, ws.IN_PIPELINE),
		(0, 0, 50, ws.IN_PIPELINE),
		(0, 0, 0, ws.WHITE),
		# a credit note that takes the year to nothing, or below
		(0.004, 0, 0, ws.WHITE),
		(-20, 0, 0, ws.WHITE),
		(-20, 100, 0, ws.LOST),
	],
)
def test_cell_status(recent, before, open_amount, status):
	assert ws.cell_status(recent, before, open_amount) == status
	assert ws.Cell(recent, before, open_amount).status == status


def test_potential_is_the_open_amount_and_the_drop():
	assert ws.cell_potential(100, 300, 50) == 250
	assert ws.cell_potential(300, 100, 0) == 0
	assert ws.cell_potential(0, 0, 0) == 0


def test_windows_are_whole_calendar_months():
	before, recent, end = ws.windows(dt.date(2026, 11, 22))
	assert (before, recent, end) == (dt.date(2024, 12, 1), dt.date(2025, 12, 1), dt.date(2026, 11, 30))


def test_summary_and_order():
	cells = [ws.Cell(100, 0, 0), ws.Cell(0, 200, 0), ws.Cell(0, 0, 30), ws.Cell()]
	summary = ws.summarize(cells, open_without_group=10)
	assert (summary.recent, summary.before, summary.open_amount) == (100, 200, 40)
	assert summary.potential == 240
	assert summary.counts == {ws.BOUGHT: 1, ws.IN_PIPELINE: 1, ws.LOST: 1, ws.WHITE: 1}
	small = ws.summarize([ws.Cell(), ws.Cell()])
	same = ws.summarize([ws.Cell()])
	order = ws.by_potential({"b": summary, "a": small, "c": same})
	assert order == ["b", "a", "c"]


@pytest.mark.parametrize(
	("value", "problem"),
	[
		(1, None),
		(3, None),
		("2", None),
		(0, ws.LEVEL_TOO_LOW),
		(-1, ws.LEVEL_TOO_LOW),
		(4, ws.LEVEL_TOO_DEEP),
		(1.5, ws.LEVEL_NOT_WHOLE),
		("x", ws.LEVEL_NOT_WHOLE),
		(None, ws.LEVEL_NOT_WHOLE),
	],
)
def test_level_problem(value, problem):
	assert ws.level_problem(value, 3) == problem


def test_bucket_is_the_ancestor_at_the_level():
	chain = ["All Item Groups", "Products", "Pumps", "Small Pumps"]
	assert ws.bucket_of(chain, 1) == "Products"
	assert ws.bucket_of(chain, 2) == "Pumps"
	assert ws.bucket_of(chain, 5) == "Small Pumps"
	assert ws.bucket_of(["All Item Groups", "Services"], 2) == "Services"
