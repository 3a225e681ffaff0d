"""Server-rendered SVG charts: no script, no inline style (the CSP forbids both); the colours
come from classes in metrics/metrics.css. Each bar carries a <title> for pointer and screen
reader users, and every chart sits next to a table with the same figures."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 44


def _tag(template: str, *args: object) -> str:
    """format_html() for SVG: text is escaped, numbers keep their format specs."""
    return template.format(*(escape(arg) if isinstance(arg, str) else arg for arg in args))


def _nice_step(value: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50…) so that `ticks` steps reach `value`."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude * ticks >= value:
                return step * magnitude
        magnitude *= 10


def _svg(
    *, ident: str, title: str, description: str, width: int, height: int, body: list[str]
) -> SafeString:
    # Every piece below went through escape() or _tag(), which escapes its arguments.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        _tag(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title {}-desc" focusable="false">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            width,
            height,
            ident,
            ident,
            ident,
            title,
            ident,
            description,
        )
        + "".join(body)
        + "</svg>"
    )


def months_chart(points: list[tuple[str, int, int]], *, title: str) -> SafeString:
    """Received and decided cases per month, as pairs of bars. `points`: (month, received,
    decided) in order."""
    height = 280
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    step = _nice_step(max([1] + [max(r, d) for _m, r, d in points]))
    top = step * 4
    body: list[str] = []
    for i in range(5):
        value = step * i
        y = TOP + plot_h - plot_h * value / top
        body.append(
            _tag(
                '<line class="chart__grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>'
                '<text class="chart__tick" x="{}" y="{:.1f}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                y,
                y,
                LEFT - 6,
                y + 4,
                value,
            )
        )
    slot = plot_w / max(1, len(points))
    bar = max(2.0, min(24.0, slot * 0.36))
    every = max(1, round(len(points) / 12))
    received_label, decided_label = _("Cases received"), _("Cases decided")
    for index, (month, received, decided) in enumerate(points):
        x0 = LEFT + slot * index + slot / 2 - bar
        for offset, value, css, label in (
            (0, received, "chart__bar--received", received_label),
            (bar, decided, "chart__bar--decided", decided_label),
        ):
            h = plot_h * value / top
            body.append(
                _tag(
                    '<rect class="chart__bar {}" x="{:.1f}" y="{:.1f}" width="{:.1f}" '
                    'height="{:.1f}"><title>{} {}: {}</title></rect>',
                    css,
                    x0 + offset,
                    TOP + plot_h - h,
                    bar,
                    h,
                    month,
                    label,
                    value,
                )
            )
        if index % every == 0:
            body.append(
                _tag(
                    '<text class="chart__tick" x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
                    LEFT + slot * index + slot / 2,
                    height - BOTTOM + 18,
                    month,
                )
            )
    body.append(
        _tag(
            '<line class="chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            LEFT,
            WIDTH - RIGHT,
            TOP + plot_h,
            TOP + plot_h,
        )
    )
    description = "; ".join(
        f"{month}: {received_label} {received}, {decided_label} {decided}"
        for month, received, decided in points
    )
    return _svg(
        ident="chart-months",
        title=title,
        description=description,
        width=WIDTH,
        height=height,
        body=body,
    )


def rate_chart(
    points: list[tuple[str, float | None]], *, title: str, ident: str = "chart-rate"
) -> SafeString:
    """A rate (0..1) per item as horizontal bars; items without a figure say so."""
    label_w, row_h = 220, 30
    height = TOP + row_h * max(1, len(points)) + 28
    plot_w = WIDTH - label_w - RIGHT - 48
    body: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        body.append(
            _tag(
                '<line class="chart__grid" x1="{:.1f}" x2="{:.1f}" y1="{}" y2="{}"/>'
                '<text class="chart__tick" x="{:.1f}" y="{}" text-anchor="middle">{}%</text>',
                x,
                x,
                TOP,
                height - 24,
                x,
                height - 8,
                tick,
            )
        )
    no_figure = _("no decided cases")
    for index, (name, rate) in enumerate(points):
        y = TOP + row_h * index
        short = name if len(name) <= 16 else name[:15] + "…"
        body.append(
            _tag(
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                label_w - 8,
                y + row_h / 2 + 5,
                short,
            )
        )
        if rate is None:
            body.append(
                _tag(
                    '<text class="chart__tick" x="{}" y="{}">{}</text>',
                    label_w + 4,
                    y + row_h / 2 + 5,
                    no_figure,
                )
            )
            continue
        percent = f"{rate * 100:.1f}%"
        body.append(
            _tag(
                '<rect class="chart__bar chart__bar--rate" x="{}" y="{}" width="{:.1f}" '
                'height="{}"><title>{}: {}</title></rect>'
                '<text class="chart__value" x="{:.1f}" y="{}">{}</text>',
                label_w,
                y + 5,
                plot_w * rate,
                row_h - 10,
                name,
                percent,
                label_w + plot_w * rate + 6,
                y + row_h / 2 + 5,
                percent,
            )
        )
    description = "; ".join(
        f"{name}: {'—' if rate is None else f'{rate * 100:.1f}%'}" for name, rate in points
    )
    return _svg(
        ident=ident, title=title, description=description, width=WIDTH, height=height, body=body
    )
