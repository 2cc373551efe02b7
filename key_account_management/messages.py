"""The desk's side of core.messages: a rule's message in the user's language."""

from __future__ import annotations

from frappe import _

from key_account_management.core.messages import Message


def translate(message) -> str:
	"""``_(template).format(*values)`` for a core Message (values that are Messages translated too,
	like a stage's name); ``_(text)`` for a plain string."""
	if isinstance(message, Message):
		values = [translate(value) if isinstance(value, Message) else value for value in message.values]
		return _(message.template).format(*values)
	return _(message) if message else message
