"""Escaping for HTML the app builds from what users typed (messages, notifications, print formats).

Frappe shows ``frappe.throw`` / ``msgprint`` messages and notification texts as HTML, and
``frappe.bold`` does not escape: a contact or customer name typed by one user would otherwise run as
markup in another user's session.
"""

from __future__ import annotations

import frappe
from frappe.utils import escape_html


def esc(value) -> str:
	return escape_html("" if value is None else str(value))


def bold(value) -> str:
	"""``frappe.bold`` of text a user typed."""
	return frappe.bold(esc(value))
