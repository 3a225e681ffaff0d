"""Open311 GeoReport v2, mounted at /open311/v2/; every resource in .json or .xml, the
published photos under media/, and any other path an Open311 404."""

from django.urls import path, re_path, register_converter

from . import open311


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "open311fmt")

urlpatterns = [
    path("services.<open311fmt:fmt>", open311.services_list, name="open311-services"),
    path(
        "services/<slug:code>.<open311fmt:fmt>",
        open311.service_definition,
        name="open311-service",
    ),
    path("requests.<open311fmt:fmt>", open311.requests_list, name="open311-requests"),
    path("requests/<str:ref>.<open311fmt:fmt>", open311.request_detail, name="open311-request"),
    path("media/<str:token>", open311.media_file, name="open311-media"),
    re_path(r"^(?P<rest>.*)$", open311.not_found),
]
