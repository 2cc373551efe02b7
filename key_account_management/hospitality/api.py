"""The Hospitality Request form's whitelisted methods (docs/DOMAIN.md §6).

The desk calls them as ``key_account_management.hospitality.api.*``; their paths before the app took one
package per capability (``key_account_management.hospitality.*``) resolve through moved_methods.py.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

from key_account_management.core.hospitality_flow import LEVEL_OF_STATE
from key_account_management.hospitality.approval import check_approver
from key_account_management.hospitality.policy import default_company, evaluate, limit_check_rows
from key_account_management.hospitality.workflow import DOCTYPE


def load_request(doc=None, name=None, ptype: str = "read"):
	"""The request by ``name`` (checked for ``ptype``), or the one ``doc`` holds as edited in the form
	(checked against the stored one, or for create when new)."""
	if name:
		if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
			frappe.throw(_("Hospitality Request {0} does not exist.").format(name), frappe.DoesNotExistError)
		request = frappe.get_doc(DOCTYPE, name)
		request.check_permission(ptype)
		return request
	if not doc:
		frappe.throw(_("Pass the request (doc) or its name."))
	values = frappe.parse_json(doc)
	if not isinstance(values, dict):
		frappe.throw(_("The request must be a document (a JSON object)."))
	values["doctype"] = DOCTYPE
	request = frappe.get_doc(values)
	if request.name and frappe.db.exists(DOCTYPE, request.name):
		frappe.get_doc(DOCTYPE, request.name).check_permission(ptype)
	elif not frappe.has_permission(DOCTYPE, "create"):
		frappe.throw(_("You are not allowed to create Hospitality Requests."), frappe.PermissionError)
	return request


@frappe.whitelist()
@frappe.read_only()
def get_limit_preview(doc=None, name=None) -> dict:
	"""What the request (saved, by ``name``, or as edited in the form, ``doc``) does to each limit, and the
	approval levels it needs; nothing is saved."""
	request = load_request(doc, name)
	if not request.key_account or not frappe.db.exists("Key Account Profile", request.key_account):
		return {"checks": [], "route": [], "any_official": False, "breaks_limit": False}
	frappe.has_permission("Key Account Profile", "read", request.key_account, throw=True)
	request.customer = frappe.db.get_value("Key Account Profile", request.key_account, "customer")
	request.company = request.company or default_company()
	if flt(request.estimated_amount) <= 0:
		return {"checks": [], "route": [], "any_official": False, "breaks_limit": False}
	# only contacts of the account's customer are previewed (saving refuses the others): the preview
	# never tells another contact's name, official flag or spend
	request.set("recipients", customer_recipients(request))
	result = evaluate(request)
	names = dict(
		frappe.get_all(
			"Contact",
			filters={"name": ("in", [row.contact for row in request.recipients if row.contact] or [""])},
			fields=["name", "full_name"],
			as_list=True,
		)
	)
	return {
		"checks": limit_check_rows(result.checks, names),
		"route": list(result.route),
		"any_official": result.any_official,
		"breaks_limit": result.breaks_limit,
		"budget": result.budget,
		"gross_profit": result.gross_profit,
		"year": result.year,
		"currency": frappe.get_cached_value("Company", request.company, "default_currency"),
	}


def customer_recipients(request) -> list:
	"""The recipient rows of ``request`` whose contact is a contact of the request's customer."""
	contacts = [row.contact for row in request.get("recipients") or [] if row.contact]
	linked = set(
		frappe.get_all(
			"Dynamic Link",
			filters={
				"parenttype": "Contact",
				"parent": ("in", contacts or [""]),
				"link_doctype": "Customer",
				"link_name": request.customer or "",
			},
			pluck="parent",
		)
	)
	return [row for row in request.get("recipients") or [] if row.contact in linked]


@frappe.whitelist(methods=["POST"])
def set_rejection_reason(name: str, reason: str) -> None:
	"""Record why the current approver rejects or sends back a pending request (before the action)."""
	reason = (reason or "").strip() if isinstance(reason, str) else ""
	if not reason:
		frappe.throw(_("Write the reason for rejecting or sending back the request."))
	request = load_request(name=name, ptype="write")
	level = LEVEL_OF_STATE.get(request.workflow_state)
	if not level:
		frappe.throw(
			_("Request {0} is {1}: only a pending request can be rejected or sent back.").format(
				request.name, _(request.workflow_state)
			)
		)
	check_approver(request, level)
	request.rejection_reason = reason
	# the same words as the field held still become this approver's reason
	request.flags.rejection_reason_written = True
	request.save()
