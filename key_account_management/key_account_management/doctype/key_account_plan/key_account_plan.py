# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_management.plan import validation
from key_account_management.plan.actuals import refresh_document


class KeyAccountPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.key_account_plan_measure.key_account_plan_measure import (
			KeyAccountPlanMeasure,
		)
		from key_account_management.key_account_management.doctype.key_account_plan_objective.key_account_plan_objective import (
			KeyAccountPlanObjective,
		)

		account_manager: DF.Link | None
		company: DF.Link | None
		copied_from: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		fiscal_year: DF.Link | None
		key_account: DF.Link
		measures: DF.Table[KeyAccountPlanMeasure]
		measures_behind: DF.Int
		objectives: DF.Table[KeyAccountPlanObjective]
		period_end: DF.Date
		period_start: DF.Date
		plan_status: DF.Literal["", "Achieved", "On track", "Behind", "At risk"]
		refreshed_on: DF.Datetime | None
		status: DF.Literal["Draft", "Active", "Closed"]
		strategy: DF.TextEditor | None
	# end: auto-generated types

	def validate(self):
		validation.validate(self)

	def on_update(self):
		# a saved plan shows its actuals at once, not after the night
		refresh_document(self)
