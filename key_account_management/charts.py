"""What the app's Dashboard Chart Sources share: the ``get`` Frappe calls.

A custom Dashboard Chart Source is a module with a whitelisted ``get`` that Frappe calls with the chart's
name, filters, dates and timespan. The app's sources use none of them (they count what the user may see
now), so each source writes only what it counts and :func:`chart_source` gives it that signature.
"""

from __future__ import annotations

from collections.abc import Callable


def chart_source(count: Callable[[], dict]) -> Callable[..., dict]:
	"""The ``get(chart_name, chart, no_cache, filters, ...)`` of a Dashboard Chart Source that returns
	``count()``; whitelist the result in the source's module."""

	def get(
		chart_name=None,
		chart=None,
		no_cache=None,
		filters=None,
		from_date=None,
		to_date=None,
		timespan=None,
		time_interval=None,
		heatmap_year=None,
		refresh=None,
	) -> dict:
		return count()

	get.__doc__ = count.__doc__
	return get
