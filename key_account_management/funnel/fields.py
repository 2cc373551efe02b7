"""The funnel's custom fields on ERPNext's Opportunity and Sales Stage (docs/DOMAIN.md §7).

``install.py`` merges :func:`get_custom_fields` into the app's custom fields; ``opportunity`` reads the
risk scores through :data:`SCORE_FIELDS`.
"""

from __future__ import annotations

from key_account_management.core import funnel as core

SCORE_FIELDS = {
	"scale_budget": "kam_score_scale_budget",
	"funding_credit": "kam_score_funding_credit",
	"relationship": "kam_score_relationship",
}
SCORE_DESCRIPTION = core.SCORE_DESCRIPTION


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
