"""Demo data: `bench --site <site> execute key_account_management.demo.make_demo` (and remove_demo,
demo_logins): the paths scripts/dev-bench, the README and the browser tests call.

``make`` orchestrates ``people``, ``ledger``, ``accounts`` and ``plans`` (with ``data``, what they make, and
``records``, how ERPNext's documents are made); ``cleanup`` takes it all away again."""

from key_account_management.demo.cleanup import remove_demo
from key_account_management.demo.make import make_demo
from key_account_management.demo.people import demo_logins

__all__ = ["demo_logins", "make_demo", "remove_demo"]
