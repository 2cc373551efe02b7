"""Frappe side of visits: cadence from the settings, profile and contact updates, the daily job."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, getdate, today

from key_account_management.core import visits as rules
from key_account_management.db_utils import bulk_update, named_lock, run_atomically


def get_cadence() -> dict[str | None, int]:
	"""Days between visits by class; empty settings fall back to the defaults (A 30, B 60, C 90)."""
	from key_account_management.key_account_management.doctype.key_account_settings.key_account_settings import (
		number_setting,
	)

	return {
		abc_class: cint(number_setting(f"cadence_{abc_class.lower()}_days"))
		or rules.DEFAULT_CADENCE_DAYS[abc_class]
		for abc_class in ("A", "B", "C")
	}


def get_follow_up_days() -> int:
	from key_account_management.key_account_management.doctype.key_account_settings.key_account_settings import (
		number_setting,
	)

	return cint(number_setting("follow_up_days")) or rules.DEFAULT_FOLLOW_UP_DAYS


def default_yearly_income() -> float:
	return flt(frappe.get_cached_doc("Key Account Settings").default_yearly_income)


def refresh_profile_visits(key_account: str) -> None:
	"""Last visit = the latest completed visit; next visit due from the account's class cadence."""
	last = frappe.db.sql(
		"""select max(visit_date) from `tabVisit Record` where key_account = %s and docstatus = 1""",
		key_account,
	)[0][0]
	abc_class = frappe.db.get_value("Key Account Profile", key_account, "abc_class")
	frappe.db.set_value(
		"Key Account Profile",
		key_account,
		{
			"last_visit_date": last,
			"next_visit_due": rules.next_visit_due(last, abc_class, get_cadence(), getdate(today())),
		},
		update_modified=False,
	)


def mark_contacted(key_account: str, contacts: list[str], on_date) -> None:
	if not contacts:
		return
	frappe.db.sql(
		"""update `tabBuying Center Role` set last_contacted = %(day)s
		where key_account = %(account)s and contact in %(contacts)s
			and (last_contacted is null or last_contacted < %(day)s)""",
		{"day": on_date, "account": key_account, "contacts": tuple(contacts)},
	)


def notify_overdue_visits() -> dict:
	"""Daily (long queue): overdue visits and follow-ups, set-based; owners and directors told."""
	with named_lock("kam_visit_job", _("The visit job is already running.")):
		# all or nothing, and run again when concurrent edits deadlock it
		return run_atomically("kam_visit_job", _notify_overdue_visits)


def _notify_overdue_visits() -> dict:
	day = getdate(today())
	cadence = get_cadence()
	accounts = frappe.db.sql(
		"""select name as account, abc_class, last_visit_date, next_visit_due, account_manager
		from `tabKey Account Profile` where ifnull(abc_class, '') != ''""",
		as_dict=True,
	)
	managers = {a.account: a.account_manager for a in accounts}
	overdue = rules.overdue_accounts(
		[(a.account, a.abc_class, a.last_visit_date) for a in accounts],
		day,
		cadence,
		include_never_visited=True,
	)
	# next-visit dates move as classes change: refresh them in one batched write, of the ones that
	# moved (most did not since yesterday)
	updates = {}
	for a in accounts:
		due = rules.next_visit_due(a.last_visit_date, a.abc_class, cadence, day)
		if due != a.next_visit_due:
			updates[a.account] = {"next_visit_due": due}
	bulk_update("Key Account Profile", updates, update_modified=True)

	follow_ups = frappe.db.sql(
		"""select name, owner, key_account, follow_up_due from `tabVisit Record`
		where docstatus = 1 and follow_up_date is null and follow_up_due < %s""",
		day,
		as_dict=True,
	)
	frappe.db.sql(
		"""update `tabVisit Record` set follow_up_status = 'Overdue'
		where docstatus = 1 and follow_up_date is null and follow_up_due < %s""",
		day,
	)

	per_user: dict[str, list[str]] = {}
	for account, days in overdue:
		if managers.get(account):
			per_user.setdefault(managers[account], []).append(
				_("{0}: visit overdue by {1} days").format(account, days)
				if days
				else _("{0}: never visited").format(account)
			)
	for row in follow_ups:
		per_user.setdefault(row.owner, []).append(
			_("{0}: follow-up of {1} was due {2}").format(row.key_account, row.name, row.follow_up_due)
		)
	for user, lines in per_user.items():
		# account names are typed by users: the notification shows them as text
		notify(
			user,
			_("{0} overdue visits and follow-ups").format(len(lines)),
			"<br>".join(escape_html(line) for line in lines[:50]),
		)

	summary = _("{0} accounts overdue for a visit, {1} follow-ups overdue").format(
		len(overdue), len(follow_ups)
	)
	for director in directors():
		notify(director, _("Visit summary: {0}").format(summary), summary)
	return {
		"overdue_accounts": len(overdue),
		"overdue_follow_ups": len(follow_ups),
		"notified": len(per_user),
	}


def directors() -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={
			"role": "Key Account Director",
			"parenttype": "User",
			"parent": ("not in", ("Administrator", "Guest")),
		},
		pluck="parent",
		distinct=True,
	)


def notify(user: str, subject: str, content: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"document_type": "Visit Record",
			"subject": subject,
			"email_content": content,
		}
	).insert(ignore_permissions=True)
