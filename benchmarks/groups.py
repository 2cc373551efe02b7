"""Benchmark section ``groups``: "Classify Groups as One Customer" on and off (issue 28, docs/DOMAIN.md
§13), on the key accounts a ``--keep`` run left (``run.py --only groups --reuse``): 500 profiles made
groups of three members each, the same Net Revenue reclassification timed side by side with the setting
off and on (``abc_reclassification.groups_as_one``); the groups are taken out again at the end."""

from __future__ import annotations

from abc_reclassification import groups_as_one
from timing import Row

COMPANY = "KAM Benchmark Company"


def run(args, company: str = COMPANY) -> list[Row]:
	return groups_as_one(args, company, "groups")
