from apps.core.pdf import _local_path


def test_static_addresses_resolve_to_files_and_nothing_else_does(settings):
    # given
    base = settings.PORTAL_BASE_URL.rstrip("/")

    # then
    assert _local_path(f"{base}/static/css/portal.css").name == "portal.css"
    assert _local_path(f"{base}/static/../portal/settings.py") is None
    assert _local_path("https://example.com/tracker.png") is None
    assert _local_path(f"{base}/admin/") is None
