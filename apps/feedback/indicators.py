"""The rating scale and the sub-indicators of each kind of service (GB/T 39734 style)."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case

from .models import Rating

# The official terms of the national scale, shown next to a translation in other languages.
LEVEL_TERMS_ZH = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

ONLINE = "online"
COUNTER = "counter"

# 网上: 整体满意度, 办事效率, 办事指南精确度, 办事便捷度, 平台操作性.
# 现场: 整体满意度, 服务效率, 服务水平, 服务态度.
SUB_INDICATORS = {
    ONLINE: {
        "overall": _("Overall satisfaction"),
        "efficiency": _("Efficiency"),
        "guide_accuracy": _("Accuracy of the service guide"),
        "convenience": _("Convenience"),
        "ease_of_use": _("Ease of use of the platform"),
    },
    COUNTER: {
        "overall": _("Overall satisfaction"),
        "efficiency": _("Efficiency of the service"),
        "service_level": _("Service level"),
        "attitude": _("Service attitude"),
    },
}


def indicator_kind(case: Case) -> str:
    """What is rated is the service the resident had: at a counter, or online."""
    return COUNTER if case.channel == "counter" else ONLINE


def level_label(level: int) -> str:
    """The official Chinese term, with the translation beside it when that differs."""
    term = LEVEL_TERMS_ZH[int(level)]
    label = str(Rating.Level(int(level)).label)
    if label == term:
        return term
    return format_html('<span lang="zh-Hans">{}</span> · {}', term, label)


def level_choices() -> list[tuple[int, str]]:
    return [(value, level_label(value)) for value in Rating.Level.values]
