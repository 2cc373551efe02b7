"""The nightly refresh of every active plan's actuals (after the reclassification and the relationship
job, whose profile levels it reads)."""

from __future__ import annotations

import frappe

from key_account_management.db_utils import named_lock
from key_account_management.plan.actuals import refresh


def scheduled_refresh() -> int:
	with named_lock("kam_plan_refresh"):
		count = refresh()
	frappe.db.commit()  # nosemgrep: a scheduled job's unit of work
	return count
