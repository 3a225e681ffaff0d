"""The design tokens in static/css/portal.css keep their promises: contrast, text size, targets.

The colours are read from the CSS itself, so changing a token badly fails here."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR, "static", "css", "portal.css").read_text(encoding="utf-8")
ROOT_PX = 16

# Text drawn on a background that is not named after it (the `X-text` on `X-bg` pairs are found
# by name). Each entry: (text token, background token).
EXPLICIT_PAIRS = [
    ("--color-text-muted", "--color-bg"),
    ("--color-text", "--color-bg-subtle"),
    ("--color-text-muted", "--color-bg-subtle"),
    ("--color-link", "--color-bg"),
    ("--color-link", "--color-bg-subtle"),
    ("--color-link-visited", "--color-bg"),
    ("--color-link-visited", "--color-bg-subtle"),
    ("--color-link", "--color-footer-bg"),
    ("--color-error", "--color-bg"),
    ("--color-success", "--color-bg"),
    ("--color-header-text", "--color-header-staff-bg"),
    ("--color-header-text", "--color-header-desk-bg"),
    ("--color-text", "--color-nav-bg"),
]
# Borders that identify a control (WCAG 1.4.11 non-text contrast: 3:1).
NON_TEXT_PAIRS = [
    ("--color-border", "--color-bg"),
    ("--color-focus-text", "--color-bg"),
    ("--color-focus-bg", "--color-header-bg"),
    ("--color-focus-bg", "--color-header-staff-bg"),
    ("--color-focus-bg", "--color-header-desk-bg"),
]


def _block(selector: str) -> str:
    match = re.search(rf"(?m)^{re.escape(selector)}\s*\{{(.*?)^\}}", CSS, re.S)
    assert match, f"{selector} block is missing from portal.css"
    return match.group(1)


def _properties(block: str) -> dict[str, str]:
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block)}


def tokens(care_mode: bool) -> dict[str, str]:
    values = _properties(_block(":root"))
    if care_mode:
        values |= _properties(_block("html.care-mode"))
    return values


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _colour(values: dict[str, str], name: str) -> str:
    value = values[name]
    seen = set()
    while value.startswith("var("):
        ref = value[4:-1].strip()
        assert ref not in seen, f"{name} refers to itself"
        seen.add(ref)
        value = values[ref]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", value), f"{name}: {value} is not #hex"
    return value


def text_pairs(values: dict[str, str]) -> list[tuple[str, str]]:
    by_name = [
        (name, name[: -len("text")] + "bg")
        for name in values
        if name.endswith("-text") and name[: -len("text")] + "bg" in values
    ]
    return by_name + EXPLICIT_PAIRS


def test_contrast_helper_matches_known_values():
    # given black on white and a mid grey (WCAG's worked examples)
    # then
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("care_mode", "minimum"), [(False, 4.5), (True, 7.0)])
def test_every_text_colour_is_readable_on_its_background(care_mode, minimum):
    # given the tokens of the normal page or of care mode
    values = tokens(care_mode)

    # when every text colour is measured against the background it is drawn on
    too_low = {
        f"{fg} on {bg}": round(contrast(_colour(values, fg), _colour(values, bg)), 2)
        for fg, bg in text_pairs(values)
        if contrast(_colour(values, fg), _colour(values, bg)) < minimum
    }

    # then none falls below the minimum
    assert not too_low, f"contrast below {minimum}:1: {too_low}"


@pytest.mark.parametrize("care_mode", [False, True])
def test_control_borders_and_focus_ring_stand_out(care_mode):
    # given the tokens
    values = tokens(care_mode)

    # then borders of controls and the focus ring reach 3:1 against what surrounds them
    for fg, bg in NON_TEXT_PAIRS:
        assert contrast(_colour(values, fg), _colour(values, bg)) >= 3, (fg, bg)


def test_every_background_token_has_a_checked_text_colour():
    # given every background colour token
    values = tokens(False)
    checked_backgrounds = {bg for _fg, bg in text_pairs(values)}

    # then each is paired with a text colour that the contrast test measures
    unpaired = [name for name in values if name.endswith("-bg") and name not in checked_backgrounds]
    assert not unpaired


def _px(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group())
    return number * ROOT_PX if value.endswith("rem") else number


@pytest.mark.parametrize(("care_mode", "min_text", "min_target"), [(False, 18, 44), (True, 24, 60)])
def test_text_size_line_height_and_targets(care_mode, min_text, min_target):
    # given the tokens
    values = tokens(care_mode)

    # then body text, line height and touch targets meet the portal's minimums
    assert _px(values["--font-size-base"]) >= min_text
    assert float(values["--line-height"]) >= 1.3
    assert float(values["--line-height-heading"]) >= 1.3
    assert _px(values["--target-size"]) >= min_target


def test_the_stylesheet_has_no_animation_or_web_fonts():
    # given the stylesheet without comments
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)

    # then nothing moves and nothing is fetched from elsewhere
    assert "@keyframes" not in css
    assert "@font-face" not in css
    assert "prefers-reduced-motion" in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert re.search(r"animation:\s*none\s*!important", css)
