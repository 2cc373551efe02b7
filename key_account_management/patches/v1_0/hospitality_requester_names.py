"""Hospitality requests get their requester's full name, which their list shows (docs/DOMAIN.md §6).
Set-based: one statement."""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabHospitality Request` h inner join `tabUser` u on u.name = h.requested_by
		set h.requested_by_name = u.full_name"""
	)
