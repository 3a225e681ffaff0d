from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Created and updated times for every domain model."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(BaseModel):
    """An administrator's override of the working-day calendar for one date.

    The holiday library (`chinese_calendar`) knows the official holidays and make-up working days
    (调休) of the years it covers; a row here wins over it, for a local holiday, a late State
    Council notice or a year the library does not know yet."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working day (e.g. make-up day, 调休)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()
