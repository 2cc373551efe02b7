# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountABCStanding(Document):
	"""Written by classification/standing.py only (set-based); read-only in the desk."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		basis_value: DF.Float
		company: DF.Link
		customer: DF.Link
		ranked_as: DF.Link | None
	# end: auto-generated types

	pass
