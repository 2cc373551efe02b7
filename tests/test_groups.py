"""Group accounts' pure rules (docs/DOMAIN.md §13): membership periods, overlap, the group tree, cycles."""

import datetime as dt

from key_account_management.core.groups import (
	cycle_through,
	expand,
	first_overlap,
	is_member_on,
	period_is_valid,
	periods_overlap,
	top_groups,
)

D = dt.date


def test_member_from_joining_until_the_day_it_left():
	assert is_member_on(D(2026, 1, 1), None, D(2026, 1, 1))
	assert not is_member_on(D(2026, 1, 2), None, D(2026, 1, 1))
	assert is_member_on(D(2026, 1, 1), D(2026, 3, 1), D(2026, 2, 28))
	assert not is_member_on(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1))


def test_periods_overlap_half_open():
	jan, feb, mar = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
	assert periods_overlap(jan, None, feb, None)
	assert periods_overlap(jan, mar, feb, None)
	assert not periods_overlap(jan, feb, feb, mar)  # left one group the day it joined the other
	assert not periods_overlap(feb, mar, jan, feb)
	assert periods_overlap(jan, D(2026, 2, 2), feb, mar)
	assert periods_overlap(None, None, jan, feb)


def test_left_before_joined_is_invalid():
	assert period_is_valid(D(2026, 1, 1), None)
	assert period_is_valid(D(2026, 1, 1), D(2026, 1, 1))
	assert not period_is_valid(D(2026, 1, 2), D(2026, 1, 1))


def test_first_overlap_names_both_rows():
	rows = [(1, D(2026, 1, 1), D(2026, 2, 1)), (2, D(2026, 2, 1), None), (3, D(2026, 3, 1), None)]
	assert first_overlap(rows) == (rows[1], rows[2])
	assert first_overlap(rows[:2]) is None


def test_cycle_directly_and_through_another_group():
	assert cycle_through("G", ["G"], {}) == ["G", "G"]
	assert cycle_through("G", ["H"], {"H": ["K"], "K": ["G"]}) == ["G", "H", "K", "G"]
	assert cycle_through("G", ["H"], {"H": ["K"], "K": ["L"]}) is None
	# a cycle elsewhere does not loop forever and is not this group's
	assert cycle_through("G", ["H"], {"H": ["K"], "K": ["H"]}) is None


def test_expand_walks_the_tree_once():
	tree = {"G": ["A", "H"], "H": ["B", "C"], "C": ["G"]}
	assert expand("G", tree) == ["G", "A", "H", "B", "C"]
	assert expand("X", tree) == ["X"]


def test_top_groups_are_the_outermost():
	tree = {"G": ["A", "H"], "H": ["B"]}
	assert top_groups(tree) == {"A": "G", "H": "G", "B": "G"}
