"""好差评 (in the style of GB/T 39734): a rating request per outcome, the resident's rating, the
rectification (整改) a bad rating opens, and the department's appeal (申诉) against a rating."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class RatingRequest(BaseModel):
    """The invitation to rate one outcome of a case, open for a window of calendar days."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a rating")
        RATED = "rated", _("Rated")
        EXPIRED = "expired", _("Not rated")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="rating_requests",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="rating_requests",
    )
    # One request per outcome: a later outcome of the same case (a complaint reply) is a new round.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    outcome_at = models.DateTimeField(_("outcome at"))
    opened_at = models.DateTimeField(_("opened at"))
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    # What the resident replies by SMS before the level: "4821 5".
    sms_code = models.CharField(_("SMS reply code"), max_length=4)
    sms_invited_at = models.DateTimeField(_("SMS invitation sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("rating request")
        verbose_name_plural = _("rating requests")
        # The metrics' rollups recount the requests opened on a day.
        indexes = [models.Index(fields=["opened_at"], name="ratingrequest_opened_at_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="unique_rating_request_round"),
            models.UniqueConstraint(
                fields=["sms_code"],
                condition=Q(state="open"),
                name="unique_open_rating_request_sms_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.round}"


class Rating(BaseModel):
    """One rating by the resident. Never edited: only `excluded` is set, by an upheld appeal."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        FAIRLY_SATISFIED = 3, _("Fairly satisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        COUNTER = "counter", _("At the counter")
        SMS = "sms", _("SMS reply")

    BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    request = models.ForeignKey(
        RatingRequest,
        verbose_name=_("rating request"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="ratings"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sub_scores = models.JSONField(_("sub-indicators"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        related_name="ratings_given",
    )
    # Counter staff who typed the rating in for the resident ("marked as such").
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_bad = models.BooleanField(_("bad rating"), default=False, db_index=True)
    # An upheld appeal: the rating stays, but no longer counts for the satisfaction rate.
    excluded = models.BooleanField(_("excluded by an appeal"), default=False, db_index=True)
    # The rating given again after a rectification answer points at the one it replaces.
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    # The reporter asked to stay anonymous: the department sees the rating without a name.
    identity_hidden = models.BooleanField(_("identity hidden"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # The metrics' rollups: ratings changed (an appeal excludes one) since their watermark.
        indexes = [models.Index(fields=["updated_at"], name="rating_updated_at_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=Q(supersedes__isnull=False),
                name="unique_rating_supersedes",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_level_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= {"excluded", "updated_at"}:
                raise ValueError("A rating is never changed; only an appeal excludes it.")
        self.is_bad = self.level in self.BAD_LEVELS
        super().save(*args, **kwargs)


class Rectification(BaseModel):
    """整改: what the department does about a bad rating, by a deadline; the answer goes back."""

    class State(models.TextChoices):
        OPEN = "open", _("To answer")
        ANSWERED = "answered", _("Answered")
        WITHDRAWN = "withdrawn", _("Withdrawn: the appeal was upheld")

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="rectification"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # 回访: the answer was sent back to the resident.
    resident_informed_at = models.DateTimeField(_("resident informed at"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [
            # The metrics' rollups: rectifications answered or followed up since their watermark.
            models.Index(fields=["updated_at"], name="rectification_updated_at_idx"),
            # The open lists in `selectors.RECTIFICATION_KEYS` order, walked from the cursor: a
            # department's, and every department's for supervisors.
            models.Index(
                fields=["department", "state", "deadline", "id"], name="rectification_queue_idx"
            ),
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(state="open"),
                name="rectification_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating.case} · {self.get_state_display()}"


class Appeal(BaseModel):
    """申诉: the department thinks a rating mistaken or malicious; a supervisor decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a supervisor")
        UPHELD = "upheld", _("Upheld: rating excluded")
        DISMISSED = "dismissed", _("Dismissed")

    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="appeals"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="rating_appeals",
    )
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["rating"],
                condition=Q(state="pending"),
                name="unique_pending_appeal_per_rating",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating} · {self.get_state_display()}"
