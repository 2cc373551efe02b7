"""The daily visit job: overdue visits and follow-ups, set-based; account managers and directors told
(docs/DOMAIN.md §5)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, today

from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR
from key_account_management.core import visits as rules
from key_account_management.db_utils import bulk_update, named_lock, run_atomically
from key_account_management.visits.cadence import get_cadence


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
			"role": KEY_ACCOUNT_DIRECTOR,
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
