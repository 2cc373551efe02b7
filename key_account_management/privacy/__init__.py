"""Row-level privacy that holds against the whole Frappe API surface (docs/SECURITY.md).

- rules.py: row rules for the app's child doctypes and for core rows about an app record, and the
  write checks on stored records Frappe's engine does not make on its own.
- guard.py: filters, sort and grouping of list queries on readable fields only.
- overrides.py: the core whitelisted endpoints that answer without permission checks, wrapped
  (``override_whitelisted_methods`` in hooks.py).
- html.py: escaping for the HTML and messages the app builds from what users typed.

The row rules of the four row-restricted doctypes themselves live in key_account_management/permissions.py.
"""
