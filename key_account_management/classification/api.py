"""The classification's whitelisted API: reclassify now or queue it (docs/DOMAIN.md §2).

Called from Key Account Settings' "Reclassify Now" button; the path it had before (key_account_management.api)
reaches it through moved_methods.py."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import sbool

from key_account_management.access.roles import RECLASSIFY_ROLES
from key_account_management.classification.jobs import enqueue_reclassification
from key_account_management.classification.reclassify import reclassify


@frappe.whitelist(methods=["POST"])
def reclassify_customers(company: str | None = None, now: bool | str = False) -> dict:
	"""Reclassify customers A/B/C now (``now=True``: in this request, returns the summary) or queue it."""
	# not frappe.only_for: it lets everybody through while tests run, and the tests prove this check
	if frappe.session.user != "Administrator" and not set(RECLASSIFY_ROLES) & set(frappe.get_roles()):
		frappe.throw(
			_("Only a Key Account Director or System Manager may reclassify customers."),
			frappe.PermissionError,
		)
	if company is not None and not isinstance(company, str):
		frappe.throw(_("company must be the name of a Company."), frappe.ValidationError)
	if company and not frappe.db.exists("Company", company):
		frappe.throw(_("Company {0} does not exist.").format(frappe.bold(company)), frappe.DoesNotExistError)

	if sbool(now):
		return reclassify(company=company or None)
	return {"queued": enqueue_reclassification(company or None)}
