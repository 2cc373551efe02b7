"""How the app shows up on ERPNext's own forms, without editing ERPNext's files."""

from frappe import _

KEY_ACCOUNT_DOCTYPES = ["Key Account Profile", "Buying Center Role", "Visit Record", "Hospitality Request"]


def customer_dashboard(data: dict) -> dict:
	"""Connections on the Customer form: every linked record of the app, under one heading."""
	data.setdefault("transactions", []).append(
		{"label": _("Key Account"), "items": list(KEY_ACCOUNT_DOCTYPES)}
	)
	return data
