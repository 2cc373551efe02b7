# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountMonthlyRollup(Document):
	"""Written by classification/rollup.py only (set-based upserts); read-only in the desk."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		buying_amount: DF.Currency
		company: DF.Link
		customer: DF.Link
		gross_profit: DF.Currency
		invoice_count: DF.Int
		item_groups: DF.SmallText | None
		last_order_date: DF.Date | None
		month: DF.Date
		net_revenue: DF.Currency
		selling_amount: DF.Currency
	# end: auto-generated types

	pass
