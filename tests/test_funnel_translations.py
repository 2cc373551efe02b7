"""The funnel's constants that reach users through _() / __() have a Simplified Chinese translation.

tests/test_translations.py finds the literal strings; these are the values the funnel passes at run time:
the default stages and their milestones (Sales Stage records and the checklist), the risk factors, the
grade sources and the report's row labels."""

from test_translations import load_rows

from key_account_management.core import funnel, funnel_stages


def test_funnel_runtime_strings_are_translated():
	translations = {row[0]: row[1] for row in load_rows() if len(row) == 2 or not row[2]}
	strings = {stage.name for stage in funnel_stages.DEFAULT_STAGES}
	strings |= {stage.milestone for stage in funnel_stages.DEFAULT_STAGES}
	strings |= set(funnel.RISK_FACTOR_LABELS.values()) | set(funnel.GRADE_SOURCES)
	strings.add(funnel.SCORE_DESCRIPTION)
	strings |= {funnel.WON, funnel.SCREEN_PASSED, funnel.SCREEN_FAILED} | {
		funnel.NO_CLOSE_DATE,
		funnel.UNGRADED,
	}
	missing = sorted(s for s in strings if not translations.get(s, "").strip())
	assert not missing, missing
