"""The visit cadence and follow-up period from Key Account Settings, and the yearly income that prices a
visit (docs/DOMAIN.md §5)."""

from __future__ import annotations

import frappe
from frappe.utils import cint, flt

from key_account_management.core import visits as rules


def get_cadence() -> dict[str | None, int]:
	"""Days between visits by class; empty settings fall back to the defaults (A 30, B 60, C 90)."""
	from key_account_management.settings import number_setting

	return {
		abc_class: cint(number_setting(f"cadence_{abc_class.lower()}_days"))
		or rules.DEFAULT_CADENCE_DAYS[abc_class]
		for abc_class in ("A", "B", "C")
	}


def get_follow_up_days() -> int:
	from key_account_management.settings import number_setting

	return cint(number_setting("follow_up_days")) or rules.DEFAULT_FOLLOW_UP_DAYS


def default_yearly_income() -> float:
	return flt(frappe.get_cached_doc("Key Account Settings").default_yearly_income)
