"""Connections of a key account profile: its people, visits, requests and ERPNext's sales documents.

A profile is named after its customer, so the sales documents link by their customer field."""

from frappe import _


def get_data():
	return {
		"fieldname": "key_account",
		"non_standard_fieldnames": {
			"Opportunity": "party_name",
			"Quotation": "party_name",
			"Sales Order": "customer",
			"Sales Invoice": "customer",
			"Delivery Note": "customer",
			"Payment Entry": "party",
		},
		"transactions": [
			{"label": _("Buying Center"), "items": ["Buying Center Role"]},
			{"label": _("Account Plan"), "items": ["Key Account Plan"]},
			{"label": _("Visits & Hospitality"), "items": ["Visit Record", "Hospitality Request"]},
			{"label": _("Sales"), "items": ["Opportunity", "Quotation", "Sales Order", "Sales Invoice"]},
			# the account's people open them read-only (commercial/permissions.py, docs/DOMAIN.md §12)
			{"label": _("Delivery & Payment"), "items": ["Delivery Note", "Payment Entry"]},
		],
	}
