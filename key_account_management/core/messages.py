"""User-facing messages of the pure rules: English text that the desk can still translate.

A rule that names a value in its message ("Recipient Li Na is listed more than once.") cannot be looked
up in a translation file once formatted. A ``Message`` reads as its English text (tests, logs and
callers compare strings), and keeps its template and values, so the Frappe side shows
``_(template).format(*values)`` (key_account_management.messages.translate).
"""

from __future__ import annotations


class Message(str):
	"""English text built from ``template.format(*values)``, with the template and values kept."""

	template: str
	values: tuple

	def __new__(cls, template: str, *values) -> Message:
		message = super().__new__(cls, template.format(*values) if values else template)
		message.template = template
		message.values = values
		return message

	def __reduce__(self):
		return (Message, (self.template, *self.values))
