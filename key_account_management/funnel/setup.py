"""What the funnel installs on ERPNext: custom fields, the six funnel stages, permissions, defaults.

``install.py`` merges :func:`get_custom_fields` into the app's custom fields (so uninstall removes them
with the others) and calls :func:`after_install`, :func:`after_migrate` and :func:`before_uninstall`.
"""

from __future__ import annotations

import frappe

from key_account_management.core import funnel as core

MANAGER, DIRECTOR = "Key Account Manager", "Key Account Director"

# what the app's roles may do on ERPNext's doctypes; a row is only created when the role has none,
# so what an admin changes later stays
GRANTS = {
	"Opportunity": {
		MANAGER: ("read", "write", "create", "report", "print", "email", "share"),
		DIRECTOR: ("read", "write", "create", "report", "export", "print", "email", "share"),
	},
	"Sales Stage": {
		MANAGER: ("read",),
		DIRECTOR: ("read", "write", "create", "report"),
	},
}

SCORE_FIELDS = {
	"scale_budget": "kam_score_scale_budget",
	"funding_credit": "kam_score_funding_credit",
	"relationship": "kam_score_relationship",
}
SCORE_DESCRIPTION = core.SCORE_DESCRIPTION
DEFAULT_STAGE_PROPERTY = ("Opportunity", "sales_stage", "default")


def _chain(fields: list[dict], after: str) -> list[dict]:
	"""Each field goes after the one before it, the first after ``after``."""
	for field in fields:
		field.setdefault("insert_after", after)
		after = field["fieldname"]
	return fields


def opportunity_fields() -> list[dict]:
	grade_options = "\n" + "\n".join(core.GRADES)
	head = _chain(
		[
			{
				"fieldname": "kam_grade",
				"label": "Opportunity Grade",
				"fieldtype": "Select",
				"options": grade_options,
				"read_only": 1,
				"bold": 1,
				"in_list_view": 1,
				"in_standard_filter": 1,
				"search_index": 1,
				"no_copy": 1,
				"translatable": 0,
				"description": "A-D by days to the expected close and the likelihood (Key Account Settings).",
			},
			{
				"fieldname": "kam_likelihood",
				"label": "Graded Likelihood (%)",
				"fieldtype": "Percent",
				"read_only": 1,
				"no_copy": 1,
				"description": "The probability, capped by the risk screen's score.",
			},
			{
				"fieldname": "kam_key_account",
				"label": "Key Account",
				"fieldtype": "Link",
				"options": "Key Account Profile",
				"in_standard_filter": 1,
				"search_index": 1,
				"description": "Set from the customer when it has a Key Account Profile.",
			},
		],
		"probability",
	)
	tab = _chain(
		[
			{"fieldname": "kam_funnel_tab", "label": "Key Account Funnel", "fieldtype": "Tab Break"},
			{"fieldname": "kam_screen_section", "label": "Risk Screen", "fieldtype": "Section Break"},
			{
				"fieldname": SCORE_FIELDS["scale_budget"],
				"label": "Risk: Scale and Budget",
				"fieldtype": "Int",
				"description": SCORE_DESCRIPTION,
			},
			{
				"fieldname": SCORE_FIELDS["funding_credit"],
				"label": "Risk: Funding and Credit",
				"fieldtype": "Int",
				"description": SCORE_DESCRIPTION,
			},
			{
				"fieldname": SCORE_FIELDS["relationship"],
				"label": "Risk: Closeness of Relationship",
				"fieldtype": "Int",
				"description": SCORE_DESCRIPTION,
			},
			{"fieldname": "kam_screen_column", "fieldtype": "Column Break"},
			{
				"fieldname": "kam_screen_total",
				"label": "Screen Total (of 15)",
				"fieldtype": "Int",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "kam_screen_result",
				"label": "Screen Result",
				"fieldtype": "Select",
				"options": f"\n{core.SCREEN_PASSED}\n{core.SCREEN_FAILED}",
				"read_only": 1,
				"no_copy": 1,
				"in_standard_filter": 1,
			},
			{
				"fieldname": "kam_screen_likelihood",
				"label": "Screen Likelihood (%)",
				"fieldtype": "Percent",
				"read_only": 1,
				"no_copy": 1,
				"description": "The screen total as a share of 15; it caps the likelihood the grade uses.",
			},
			{"fieldname": "kam_pursue_column", "fieldtype": "Column Break"},
			{
				"fieldname": "kam_not_pursued",
				"label": "Not Pursued",
				"fieldtype": "Check",
				"default": "0",
				"in_standard_filter": 1,
				"description": "Set when the opportunity fails the risk screen; a person may set it too.",
			},
			{
				"fieldname": "kam_not_pursued_reason",
				"label": "Reason Not Pursued",
				"fieldtype": "Small Text",
				"depends_on": "kam_not_pursued",
				"mandatory_depends_on": "kam_not_pursued",
			},
			{
				"fieldname": "kam_out_of_funnel",
				"label": "Outside the Funnel (Small Order)",
				"fieldtype": "Check",
				"read_only": 1,
				"default": "0",
				"in_standard_filter": 1,
				"description": "Below the funnel's minimum amount: no milestones or grade, still in the forecast.",
			},
			{
				"fieldname": "kam_milestone_section",
				"label": "Stages and Milestones",
				"fieldtype": "Section Break",
			},
			{
				"fieldname": "kam_milestones",
				"label": "Milestones",
				"fieldtype": "Table",
				"options": "Opportunity Milestone",
				"no_copy": 1,
			},
			{
				"fieldname": "kam_stage_change_reason",
				"label": "Stage Change Reason",
				"fieldtype": "Small Text",
				"no_copy": 1,
				"description": "Needed when the sales stage moves past a stage whose milestone is still open.",
			},
			{
				"fieldname": "kam_furthest_stage",
				"label": "Furthest Stage Reached",
				"fieldtype": "Link",
				"options": "Sales Stage",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "kam_stage_history",
				"label": "Stage History",
				"fieldtype": "Table",
				"options": "Opportunity Stage History",
				"read_only": 1,
				"no_copy": 1,
			},
			{"fieldname": "kam_grade_section", "label": "Grading", "fieldtype": "Section Break"},
			{
				"fieldname": "kam_computed_grade",
				"label": "Computed Grade",
				"fieldtype": "Select",
				"options": grade_options,
				"read_only": 1,
				"no_copy": 1,
				"translatable": 0,
			},
			{"fieldname": "kam_override_column", "fieldtype": "Column Break"},
			{
				"fieldname": "kam_grade_override",
				"label": "Override Grade",
				"fieldtype": "Select",
				"options": grade_options,
				"no_copy": 1,
				"translatable": 0,
				"description": "A manager's grade in place of the computed one; needs a reason.",
			},
			{
				"fieldname": "kam_grade_override_until",
				"label": "Override Valid Until",
				"fieldtype": "Date",
				"no_copy": 1,
				"depends_on": "kam_grade_override",
				"description": "Empty: until the override is cleared.",
			},
			{
				"fieldname": "kam_grade_override_reason",
				"label": "Override Reason",
				"fieldtype": "Small Text",
				"no_copy": 1,
				"depends_on": "kam_grade_override",
				"mandatory_depends_on": "kam_grade_override",
			},
			{
				"fieldname": "kam_grade_history_section",
				"label": "Grade History",
				"fieldtype": "Section Break",
			},
			{
				"fieldname": "kam_grade_history",
				"label": "Grade History",
				"fieldtype": "Table",
				"options": "Opportunity Grade History",
				"read_only": 1,
				"no_copy": 1,
			},
		],
		# the funnel tab follows the Details tab
		"competitors",
	)
	return head + tab


def sales_stage_fields() -> list[dict]:
	return _chain(
		[
			{
				"fieldname": "kam_sequence",
				"label": "Funnel Sequence",
				"fieldtype": "Int",
				"in_list_view": 1,
				"description": "The stage's place in the key-account funnel (1 = development); 0: not a funnel stage.",
			},
			{
				"fieldname": "kam_milestone",
				"label": "Key Milestone",
				"fieldtype": "Data",
				"in_list_view": 1,
				"description": "The event that ends the stage; moving past it while open needs a reason.",
			},
			{"fieldname": "kam_work", "label": "Main Work", "fieldtype": "Small Text"},
		],
		"stage_name",
	)


def get_custom_fields() -> dict[str, list[dict]]:
	return {"Opportunity": opportunity_fields(), "Sales Stage": sales_stage_fields()}


# -- install -----------------------------------------------------------------------------------------
def install_default_stages() -> int:
	"""The six funnel stages with their milestones, as Sales Stages; returns how many were set up.

	Only while no Sales Stage is a funnel stage yet: after that the stages belong to the admins, so one
	they renamed, re-sequenced or took out of the funnel is not brought back by the next migrate. A Sales
	Stage of the same name that exists already is made the funnel stage."""
	if not frappe.db.has_column("Sales Stage", "kam_sequence"):
		return 0
	if frappe.db.exists("Sales Stage", {"kam_sequence": (">", 0)}):
		return 0
	for stage in core.DEFAULT_STAGES:
		values = {"kam_sequence": stage.sequence, "kam_milestone": stage.milestone, "kam_work": stage.work}
		if frappe.db.exists("Sales Stage", stage.name):
			frappe.db.set_value("Sales Stage", stage.name, values, update_modified=False)
		else:
			frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage.name, **values}).insert(
				ignore_permissions=True
			)
	return len(core.DEFAULT_STAGES)


def set_default_stage() -> None:
	"""New opportunities start at the funnel's first stage rather than ERPNext's "Prospecting"."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	first = frappe.db.get_value(
		"Sales Stage", {"kam_sequence": (">", 0)}, "name", order_by="kam_sequence asc"
	)
	doctype, fieldname, prop = DEFAULT_STAGE_PROPERTY
	if first and not frappe.db.exists(
		"Property Setter", {"doc_type": doctype, "field_name": fieldname, "property": prop}
	):
		make_property_setter(doctype, fieldname, prop, first, "Text", validate_fields_for_doctype=False)


def grant_permissions() -> None:
	"""Give the app's roles their rights on Opportunity and Sales Stage; a row the role has already is
	left as it is (an admin may have changed it)."""
	from frappe.permissions import add_permission, update_permission_property

	for doctype, roles in GRANTS.items():
		for role, rights in roles.items():
			if not frappe.db.exists("Role", role) or frappe.db.exists(
				"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
			):
				continue
			add_permission(doctype, role, 0, ptype=rights[0])
			for right in rights[1:]:
				update_permission_property(doctype, role, 0, right, 1)


PERM_KEYS = ("role", "permlevel", "if_owner", "select", "read", "write", "create", "delete", "submit")
PERM_KEYS += ("cancel", "amend", "report", "export", "import", "print", "email", "share")


def remove_permissions() -> None:
	"""The app's roles off Opportunity and Sales Stage, and the doctype back on its standard permissions
	when the rows left are just the copy Frappe made of them when the first custom row was added."""

	def rows(perm_doctype: str, doctype: str) -> list[tuple]:
		return sorted(
			tuple(row.get(key) or 0 for key in PERM_KEYS)
			for row in frappe.get_all(perm_doctype, filters={"parent": doctype}, fields=list(PERM_KEYS))
		)

	for doctype in GRANTS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", (MANAGER, DIRECTOR))})
		if rows("Custom DocPerm", doctype) == rows("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


SETTINGS_DEFAULTS = {
	"grade_a_within_days": 30,
	"grade_a_min_probability": 70,
	"grade_b_within_days": 90,
	"grade_b_min_probability": 50,
	"grade_c_within_days": 180,
	"grade_c_min_probability": 20,
	"funnel_min_amount": 0,
	"screen_pass_total": core.DEFAULT_SCREEN_RULE.pass_total,
	"screen_knockout_below": core.DEFAULT_SCREEN_RULE.knockout_below,
}


def set_default_settings() -> None:
	"""Fill the funnel settings a site has no value for yet (a site that had the app before them)."""
	stored = set(
		frappe.db.sql_list(
			"select field from `tabSingles` where doctype = 'Key Account Settings' and field in %(fields)s",
			{"fields": tuple(SETTINGS_DEFAULTS)},
		)
	)
	for field, value in SETTINGS_DEFAULTS.items():
		if field not in stored:
			frappe.db.set_single_value("Key Account Settings", field, value)
	frappe.clear_document_cache("Key Account Settings", "Key Account Settings")


def after_install() -> None:
	from key_account_management.funnel.opportunity import link_key_accounts

	install_default_stages()
	set_default_stage()
	grant_permissions()
	set_default_settings()
	# opportunities that were there before the app: their customers' profiles are their key accounts
	link_key_accounts()


def before_uninstall() -> None:
	"""What the custom-field removal in install.py does not cover; the funnel stages stay, being ERPNext
	Sales Stages that opportunities point at."""
	remove_permissions()
	doctype, fieldname, prop = DEFAULT_STAGE_PROPERTY
	for name in frappe.get_all(
		"Property Setter",
		filters={"doc_type": doctype, "field_name": fieldname, "property": prop},
		pluck="name",
	):
		frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
