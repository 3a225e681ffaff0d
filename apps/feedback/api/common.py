"""Serializers the feedback API's audiences share."""

from rest_framework import serializers

from .. import services
from ..models import Rating


class RatingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.ref")
    department = serializers.CharField(source="department.code")
    level = serializers.IntegerField()
    level_display = serializers.CharField(source="get_level_display")
    channel = serializers.CharField()
    sub_scores = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField()
    is_bad = serializers.BooleanField()
    excluded = serializers.BooleanField()
    entered_at_counter = serializers.SerializerMethodField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "FeedbackRating"

    def get_entered_at_counter(self, rating: Rating) -> bool:
        return rating.entered_by_id is not None


class RatingInputSerializer(serializers.Serializer):
    """A rating as the resident gives it, online or at the counter."""

    level = serializers.IntegerField(min_value=1, max_value=5)
    sub_scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, default=dict
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.COMMENT_MAX_LENGTH
    )
