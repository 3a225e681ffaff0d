"""Output serializers the feedback API's audiences share."""

from rest_framework import serializers

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
