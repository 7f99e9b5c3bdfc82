"""The access table names every endpoint of the URL map, and says what each view requires."""

from emolytics.tables import Role
from tests.web.access_table import ACCESS


def test_every_endpoint_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, f"classify these endpoints in ACCESS (tests/web/access_table.py): {missing}"
    stale = sorted(set(ACCESS) - endpoints)
    assert not stale, f"ACCESS names endpoints that no longer exist: {stale}"


def test_the_table_matches_what_each_view_requires(app):
    """The views say the same as the table (the requests below show they mean it)."""
    for endpoint, needed in ACCESS.items():
        required = getattr(app.view_functions[endpoint], "required_role", None)
        assert required == (needed if isinstance(needed, Role) else None), endpoint
