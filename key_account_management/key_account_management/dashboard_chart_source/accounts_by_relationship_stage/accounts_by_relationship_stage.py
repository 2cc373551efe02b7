"""Key accounts per confirmed relationship stage, the stages in their order and in the user's language.

A group-by Dashboard Chart shows the stage names as stored (English) and orders the bars by count; here
the labels go through _() (Relationship Stage is a translated DocType, like its link fields) and follow
the stages' sequence. The counts come from frappe.get_list, so a key account manager counts the
accounts they manage or are on the team of, as in the profile list.
"""

import frappe
from frappe import _

from key_account_management.charts import chart_source


def stage_counts() -> dict:
	counts = dict(
		frappe.get_list(
			"Key Account Profile",
			fields=["relationship_stage", "count(name) as accounts"],
			filters={"relationship_stage": ("is", "set")},
			group_by="relationship_stage",
			order_by="relationship_stage asc",
			as_list=True,
		)
	)
	stages = frappe.get_all("Relationship Stage", order_by="sequence asc, name asc", pluck="name")
	# a stage renamed or deleted after accounts were set to it still counts, after the known ones
	stages += sorted(stage for stage in counts if stage not in stages)
	return {
		"labels": [_(stage) for stage in stages],
		"datasets": [{"name": _("Key Accounts"), "values": [counts.get(stage, 0) for stage in stages]}],
	}


get = frappe.whitelist()(chart_source(stage_counts))
