# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountRollupRebuild(Document):
	"""The record of one rebuild of the monthly rollups (classification/rollup.py)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		differences: DF.Code | None
		error: DF.SmallText | None
		finished_on: DF.Datetime | None
		from_date: DF.Date | None
		largest_difference: DF.Float
		progress: DF.Percent
		rows_checked: DF.Int
		rows_corrected: DF.Int
		started_on: DF.Datetime | None
		status: DF.Literal["Queued", "Running", "Completed", "Failed"]
		to_date: DF.Date | None
	# end: auto-generated types

	pass
