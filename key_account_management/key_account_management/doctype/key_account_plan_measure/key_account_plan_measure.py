# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class KeyAccountPlanMeasure(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual: DF.Float
		done: DF.Check
		done_date: DF.Date | None
		evidence: DF.SmallText | None
		expected: DF.Float
		item_group: DF.Link | None
		measure: DF.Literal[
			"Net Revenue",
			"Gross Profit",
			"Share of Wallet %",
			"Item Group Revenue",
			"Item Groups Bought",
			"Won Opportunity Amount",
			"Visits Completed",
			"Buying Center Coverage %",
			"Health Score",
			"Milestone",
		]
		measure_status: DF.Literal["", "Achieved", "On track", "Behind", "At risk"]
		objective: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		progress: DF.Percent
		target: DF.Float
	# end: auto-generated types

	pass
