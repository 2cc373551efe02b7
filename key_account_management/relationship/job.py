"""Daily evaluation of every Key Account Profile: SoW, suggested stage, status, business loss, health
(docs/DOMAIN.md §3, §9).

Set-based like the reclassification: a handful of aggregated queries read the ledgers for all
customers with a profile, the core computes each account, changed fields are written back in batches,
and the account managers are told what changed. The run is all or nothing (a savepoint) and two runs
cannot overlap (a named lock).
"""

from __future__ import annotations

import time
from collections import Counter

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from key_account_management.buying_center.members import coverage_members_by_account
from key_account_management.classification.reclassify import same
from key_account_management.classification.rollup_read import complete_rollups
from key_account_management.core import relationship as core
from key_account_management.db_utils import (
	append_child_rows,
	bulk_update,
	insert_alerts,
	named_lock,
	run_atomically,
)
from key_account_management.groups.figures import with_groups
from key_account_management.relationship.chunks import chunk_customers, start_run
from key_account_management.relationship.evaluation import COMPUTED_FIELDS, get_config, make_evaluator
from key_account_management.relationship.facts import empty_facts, load_facts
from key_account_management.relationship.profile import auto_reason
from key_account_management.relationship.stages import get_playbook, get_stages

LOCK = "kam_relationship"
SAVEPOINT = "kam_relationship"
JOB_ID = "key_account_management:relationship"


PROFILE_FIELDS = (
	"name",
	"customer",
	"customer_name",
	"account_manager",
	"abc_class",
	"estimated_category_spend",
	"spend_estimate_as_of",
	"last_visit_date",
	"relationship_stage",
	*COMPUTED_FIELDS,
)
# Int, Currency and Percent columns are NOT NULL
NUMERIC_FIELDS = {
	"share_of_wallet",
	"previous_share_of_wallet",
	"revenue_this_period",
	"revenue_previous_period",
	"health_score",
	"coverage_percent",
	"support_score",
}
# moves every day with the calendar alone (order recency, visits): written along with a profile that
# moved, never on its own; the form and the Account Health report work it out for the day they show
# (evaluation.parts_as_of)
CARRIED_FIELDS = {"health_parts"}


def scheduled_evaluation() -> None:
	"""Hooked on daily_long: a run spread in chunks over the long queue's workers (relationship/chunks.py)."""
	if not get_config().company:
		return
	start_run()


def evaluate_all_profiles(as_of=None, profiles: list[str] | None = None) -> dict:
	"""Evaluate every profile, or only ``profiles`` (one chunk of a run: relationship/chunks.py; chunks
	of one run hold disjoint profiles and run side by side, each all or nothing)."""
	started = time.monotonic()
	config = get_config()
	if not config.company or not frappe.db.exists("Company", config.company):
		frappe.throw(
			_("Company {0} does not exist; set Company in Key Account Settings.").format(
				frappe.bold(config.company or _("(none)"))
			),
			title=_("No Company"),
		)
	as_of = getdate(as_of or today())
	if profiles is not None:
		# a chunk: the run finished the rollup build before it queued its chunks
		summary = run_atomically(SAVEPOINT, lambda: _evaluate_all(config, as_of, profiles))
		summary["seconds"] = round(time.monotonic() - started, 3)
		return summary
	# a job: a rollup build that did not complete is finished first (docs/DOMAIN.md §8)
	complete_rollups(config.company, build=True)
	with named_lock(LOCK, _("An evaluation of the key accounts is already running; wait for it to finish.")):
		summary = run_atomically(SAVEPOINT, lambda: _evaluate_all(config, as_of))
	summary["seconds"] = round(time.monotonic() - started, 3)
	return summary


def _evaluate_all(config, as_of, names: list[str] | None = None) -> dict:
	stages = get_stages()
	only = " where name in %(names)s" if names is not None else ""
	profiles = frappe.db.sql(
		f"select {', '.join(f'`{f}`' for f in PROFILE_FIELDS)} from `tabKey Account Profile`{only}",
		{"names": tuple(names or ("",))},
		as_dict=True,
	)
	# a chunk reads the facts of its profiles' customers, a group's members included
	customers = None if names is None else chunk_customers(names)
	facts = with_groups(load_facts(config.company, as_of, customers), profiles, config.company, as_of)  # §13
	members = coverage_members_by_account()
	estimates = load_estimates()

	evaluate = make_evaluator(stages, config, as_of)
	rounding = frappe.get_system_settings("rounding_method") or "Banker's Rounding (legacy)"
	updates: dict[str, dict] = {}
	stage_changes: list[tuple] = []
	notifications: list[tuple] = []
	for profile in profiles:
		target = evaluate(
			profile,
			facts.get(profile.customer) or empty_facts(),
			members.get(profile.name, []),
			estimates.get(profile.name, []),
		)
		changed = {}
		for field in COMPUTED_FIELDS:
			value = target[field]
			if field in NUMERIC_FIELDS and value is None:
				value = 0
			old = profile.get(field)
			if same(old, value, rounding):
				continue
			changed[field] = value

		old_stage = profile.relationship_stage or None
		if config.auto_apply_stage and target.suggested_stage and target.suggested_stage != old_stage:
			changed["relationship_stage"] = target.suggested_stage
			stage_changes.append((profile, old_stage, target.suggested_stage, auto_reason(target.sow)))
			notifications.append(
				(
					profile,
					_("{0}: relationship stage {1} → {2}").format(
						profile.customer_name or profile.customer,
						old_stage or _("none"),
						target.suggested_stage,
					),
				)
			)
		elif (
			target.suggested_stage
			and target.suggested_stage != (profile.suggested_stage or None)
			and target.suggested_stage != old_stage
			and profile.account_status
		):
			notifications.append(
				(
					profile,
					_(
						"{0}: suggested relationship stage {1} (current {2}); confirm it on the profile"
					).format(
						profile.customer_name or profile.customer,
						target.suggested_stage,
						old_stage or _("none"),
					),
				)
			)

		# status news only for profiles evaluated before: a first run must not flood every inbox
		old_status = profile.account_status or None
		if old_status and old_status != target.account_status:
			if target.account_status == core.STATUS_INTERRUPTED:
				notifications.append(
					(
						profile,
						_("{0}: trading interrupted, no invoice for {1} days{2}").format(
							profile.customer_name or profile.customer,
							target.days_since_last_order,
							_(" (cause: {0})").format(target.interruption_cause.replace("\n", ", "))
							if target.interruption_cause
							else "",
						),
					)
				)
			elif target.account_status == core.STATUS_AT_RISK:
				notifications.append(
					(
						profile,
						_("{0}: account at risk (health {1}/100)").format(
							profile.customer_name or profile.customer, target.health_score
						),
					)
				)
			elif target.account_status == core.STATUS_LOST:
				notifications.append(
					(
						profile,
						_("{0}: customer lost, no purchase in two years").format(
							profile.customer_name or profile.customer
						),
					)
				)
		if any(field not in CARRIED_FIELDS for field in changed):
			updates[profile.name] = changed

	bulk_update("Key Account Profile", updates, update_modified=True)
	log_stage_changes(stage_changes)
	closed = close_playbook_items_of_closed_todos()
	notify(notifications)
	return {
		"company": config.company,
		"as_of": str(as_of),
		"profiles": len(profiles),
		"updated": len(updates),
		"stage_changes": len(stage_changes),
		"notifications": len(notifications),
		"playbook_items_closed": closed,
		"statuses": status_counts(profiles, updates),
	}


def status_counts(profiles, updates: dict[str, dict]) -> dict[str, int]:
	"""How many profiles hold each status after the run, in one pass."""
	counts = Counter(
		(updates.get(profile.name) or {}).get("account_status") or profile.account_status
		for profile in profiles
	)
	return {status: counts.get(status, 0) for status in core.STATUSES}


def load_estimates() -> dict[str, list[tuple]]:
	"""Every profile's category-spend estimates, (as of, amount) oldest first, in one query."""
	estimates: dict[str, list[tuple]] = {}
	for parent, as_of, amount in frappe.db.sql(
		"""select parent, as_of, estimated_category_spend from `tabKey Account Spend Estimate`
		where parenttype = 'Key Account Profile' and parentfield = 'spend_estimates'
		order by parent, as_of"""
	):
		estimates.setdefault(parent, []).append((as_of, flt(amount)))
	return estimates


def log_stage_changes(changes) -> None:
	"""History rows and the new stage's playbook for the stages the run applied."""
	if not changes:
		return
	names = tuple(profile.name for profile, *_rest in changes)
	frappe.db.sql(
		"""delete from `tabKey Account Playbook Item`
		where parenttype = 'Key Account Profile' and parentfield = 'playbook_items' and parent in %(names)s""",
		{"names": names},
	)
	now, user = now_datetime(), frappe.session.user
	playbooks: dict[str, list[str]] = {}
	history, items = [], []
	for profile, old_stage, new_stage, reason in changes:
		history.append(
			{
				"parent": profile.name,
				"changed_on": now,
				"from_stage": old_stage,
				"to_stage": new_stage,
				"reason": reason,
				"changed_by": user,
			}
		)
		if new_stage not in playbooks:
			playbooks[new_stage] = get_playbook(new_stage)
		items.extend(
			{"parent": profile.name, "stage": new_stage, "action": a, "done": 0} for a in playbooks[new_stage]
		)
	append_child_rows("Relationship Stage History", "Key Account Profile", "stage_history", history)
	append_child_rows(
		"Key Account Playbook Item", "Key Account Profile", "playbook_items", items, idx_from_one=True
	)


def close_playbook_items_of_closed_todos() -> int:
	"""A playbook action whose ToDo was closed is done."""
	rows = frappe.db.sql(
		"""select item.name from `tabKey Account Playbook Item` item
		inner join `tabToDo` todo on todo.name = item.todo
		where item.parenttype = 'Key Account Profile' and item.done = 0 and todo.status = 'Closed'"""
	)
	bulk_update("Key Account Playbook Item", {name: {"done": 1} for (name,) in rows})
	return len(rows)


def notify(notifications) -> None:
	insert_alerts(
		[
			{
				"for_user": profile.account_manager,
				"document_type": "Key Account Profile",
				"document_name": profile.name,
				"subject": subject,
			}
			for profile, subject in notifications
		]
	)


def enqueue_evaluation() -> bool:
	"""Queue a run on the long queue; False when one is already queued or running."""
	from frappe.utils.background_jobs import is_job_enqueued

	if is_job_enqueued(JOB_ID):
		return False
	frappe.enqueue(
		"key_account_management.relationship.job.evaluate_all_profiles",
		queue="long",
		timeout=3600,
		job_id=JOB_ID,
		deduplicate=True,
	)
	return True
