"""The Relationship Stage master: default stages, SoW ranges checked together, playbooks (docs/DOMAIN.md §3).

The Relationship Stage controller checks a stage's range against the others with :func:`check_ranges`;
the "Edit All Ranges" dialog reads and writes every stage's range at once.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt

from key_account_management.core import relationship as core
from key_account_management.messages import translate

STAGE_FIELDS = ("name", "stage_name", "sequence", "interrupted", "sow_from", "sow_to")


def to_core_stage(row) -> core.Stage:
	"""A Relationship Stage record as the core sees it.

	Percent columns cannot hold NULL, so an empty SoW To (0) means "no upper bound" (the top stage),
	and an interrupted stage has no range at all.
	"""
	interrupted = bool(cint(row.get("interrupted")))
	if interrupted:
		return core.Stage(
			cstr(row.get("stage_name") or row.get("name")), cint(row.get("sequence")), interrupted=True
		)
	sow_to = flt(row.get("sow_to"))
	return core.Stage(
		name=cstr(row.get("stage_name") or row.get("name")),
		sequence=cint(row.get("sequence")),
		sow_from=flt(row.get("sow_from")),
		sow_to=sow_to if sow_to else None,
	)


def get_stages() -> list[core.Stage]:
	return [
		to_core_stage(row)
		for row in frappe.get_all(
			"Relationship Stage",
			fields=list(STAGE_FIELDS),
			order_by="sequence asc, name asc",
		)
	]


def interrupted_stage(stages: list[core.Stage]) -> str | None:
	interrupted = sorted((s for s in stages if s.interrupted), key=lambda s: (s.sequence, s.name))
	return interrupted[0].name if interrupted else None


def lowest_stage(stages: list[core.Stage]) -> str | None:
	return core.suggest_stage(0, stages)


def get_playbook(stage: str) -> list[str]:
	return frappe.get_all(
		"Relationship Stage Action",
		filters={"parent": stage, "parenttype": "Relationship Stage", "parentfield": "playbook"},
		pluck="action",
		order_by="idx asc",
	)


def install_default_stages() -> int:
	"""Create the five stages of docs/DOMAIN.md §3 with their playbooks; returns how many were created.

	Only on a site that has no stage yet: after that the master belongs to the admins, so a stage they
	deleted or renamed is not brought back by the next migrate.
	"""
	if frappe.db.count("Relationship Stage"):
		return 0
	descriptions = {
		"Incubation": _(
			"New or lost customers; little use of our products; contact only sales manager and their liaison."
		),
		"Early": _("They expect good, easy products and service."),
		"Middle": _("Mutual trust, but they still buy from others."),
		"Strategic Partner": _("Broad cooperation, strategic partnership."),
		"Interrupted": _("Trading stopped, contact broken; can happen at any stage."),
	}
	for stage in core.DEFAULT_STAGES:
		frappe.get_doc(
			{
				"doctype": "Relationship Stage",
				"stage_name": stage.name,
				"sequence": stage.sequence,
				"interrupted": int(stage.interrupted),
				"sow_from": stage.sow_from or 0,
				"sow_to": stage.sow_to or 0,
				"description": descriptions.get(stage.name),
				"playbook": [{"action": action} for action in core.DEFAULT_PLAYBOOKS.get(stage.name, [])],
			}
		).insert(ignore_permissions=True)
	return len(core.DEFAULT_STAGES)


def check_ranges(rows, heading=None) -> None:
	"""Stop with every problem when the stages' SoW ranges do not cover 0% upward exactly once."""
	problems = core.validate_stage_ranges([to_core_stage(row) for row in rows])
	if problems:
		frappe.throw(
			(heading or _("The SoW ranges of the relationship stages must cover 0% upward exactly once"))
			+ ":<br>"
			+ "<br>".join(frappe.utils.escape_html(translate(p)) for p in problems),
			title=_("Invalid SoW Ranges"),
		)


def validate_stage(doc) -> None:
	"""Relationship Stage.validate: a clean name, range and playbook, and the range fits the others."""
	doc.stage_name = cstr(doc.stage_name).strip()
	clean_range(doc)
	clean_playbook(doc)
	if doc.flags.ranges_checked:
		return  # set_stage_ranges checked every stage's new range together
	# the ranges only make sense together: check this stage against every other one
	others = [
		row for row in frappe.get_all("Relationship Stage", fields=list(STAGE_FIELDS)) if row.name != doc.name
	]
	check_ranges([*others, doc.as_dict()])


def clean_range(doc) -> None:
	if cint(doc.interrupted):
		# interruption can happen at any SoW, so an interrupted stage has no range
		doc.sow_from = 0
		doc.sow_to = 0
		return
	for fieldname in ("sow_from", "sow_to"):
		if flt(doc.get(fieldname)) < 0:
			frappe.throw(
				_("{0} cannot be negative ({1}%).").format(
					frappe.bold(_(doc.meta.get_label(fieldname))), flt(doc.get(fieldname))
				),
				title=_("Invalid SoW Range"),
			)


def clean_playbook(doc) -> None:
	doc.playbook = [row for row in doc.playbook if cstr(row.action).strip()]
	for idx, row in enumerate(doc.playbook, start=1):
		row.idx = idx
		row.action = cstr(row.action).strip()


def check_stage_deletion(doc) -> None:
	"""Relationship Stage.on_trash: deleting a middle stage would leave a gap no account can be
	suggested into."""
	others = frappe.get_all(
		"Relationship Stage",
		fields=list(STAGE_FIELDS),
		filters={"name": ("!=", doc.name)},
	)
	if others:
		check_ranges(others, _("Deleting stage {0} would break the SoW ranges").format(frappe.bold(doc.name)))


@frappe.whitelist()
@frappe.read_only()
def get_stage_ranges() -> list[dict]:
	"""Every stage's range, for the "Edit All Ranges" dialog."""
	frappe.has_permission("Relationship Stage", "read", throw=True)
	return frappe.get_all(
		"Relationship Stage",
		fields=["name", "sequence", "interrupted", "sow_from", "sow_to"],
		order_by="sequence asc, name asc",
	)


@frappe.whitelist()
def set_stage_ranges(ranges) -> int:
	"""Change several stages' SoW ranges at once, checked together; returns how many stages changed.

	Moving a boundary touches two stages, and either one saved alone would leave an overlap or a gap,
	so the form's one-stage check would refuse both. ``ranges`` maps a stage to {sow_from, sow_to}.
	"""
	frappe.has_permission("Relationship Stage", "write", throw=True)
	ranges = frappe.parse_json(ranges) or {}
	if not isinstance(ranges, dict):
		frappe.throw(_("ranges must map a stage to its SoW From and SoW To."))
	rows = frappe.get_all("Relationship Stage", fields=list(STAGE_FIELDS))
	by_name = {row.name: row for row in rows}
	changed = []
	for stage, values in ranges.items():
		if stage not in by_name:
			frappe.throw(
				_("Relationship Stage {0} does not exist.").format(frappe.bold(stage)),
				frappe.DoesNotExistError,
			)
		row = by_name[stage]
		values = frappe._dict(values or {})
		for fieldname in ("sow_from", "sow_to"):
			if values.get(fieldname) is not None and flt(values[fieldname]) != flt(row[fieldname]):
				if flt(values[fieldname]) < 0:
					frappe.throw(_("Stage {0}: the SoW range cannot be negative.").format(frappe.bold(stage)))
				row[fieldname] = flt(values[fieldname])
				changed.append(stage)
	check_ranges(rows)
	for stage in dict.fromkeys(changed):
		doc = frappe.get_doc("Relationship Stage", stage)
		doc.sow_from, doc.sow_to = by_name[stage].sow_from, by_name[stage].sow_to
		doc.flags.ranges_checked = True
		doc.save()
	return len(dict.fromkeys(changed))
