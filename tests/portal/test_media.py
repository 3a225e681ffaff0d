"""Uploaded files are served only through permission-checked views, in DEBUG too."""

import importlib

from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import URLPattern, URLResolver
from django.views.static import serve

import portal.urls


def views_of(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views_of(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def test_no_route_serves_media_files_even_in_debug(client, settings):
    # given an uploaded file in the media folder, and the portal started in DEBUG
    name = default_storage.save("attachments/id-card.pdf", open(__file__, "rb"))
    with override_settings(DEBUG=True):
        urls = importlib.reload(portal.urls)
        try:
            # then no route hands out files from the folder by their path
            assert serve not in set(views_of(urls.urlpatterns))
            assert client.get(settings.MEDIA_URL + name).status_code == 404
        finally:
            importlib.reload(portal.urls)
