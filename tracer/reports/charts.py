"""Inline SVG charts for the HTML report, drawn in Python (no scripts, fonts or images).

Each function returns a `Chart`: escaped SVG markup plus a note when rows were left out so the
page stays readable with thousands of platforms. Every label and tooltip goes through
`markupsafe.escape`; nothing from the report reaches the page unescaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from tracer import i18n, times
from tracer.i18n import _, ngettext
from tracer.reports import wording

VERDICT_COLOR = {"leaked": "#dc2626", "suspected": "#d97706", "no-evidence": "#94a3b8"}
CHANNEL_COLOR = {"call": "#2563eb", "sms": "#7c3aed", "email": "#0d9488"}
OTHER_COLOR = "#64748b"
MAX_ROWS = 30
MAX_POINTS = 4000
MAX_GRAPH_PLATFORMS = 40
MAX_GRAPH_CAMPAIGNS = 30


@dataclass(frozen=True)
class Chart:
    svg: Markup
    note: str | None = None
    empty: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)  # e.g. campaign id → its mark


def timeline(platforms: list[Mapping[str, Any]], contacts: list[Mapping[str, Any]]) -> Chart:
    """One row per platform that has contacts; a mark per contact, shaped by channel."""
    by_platform: dict[str | None, list[Mapping[str, Any]]] = {}
    for contact in contacts:
        by_platform.setdefault(contact.get("platform"), []).append(contact)
    rows = [p for p in wording.sort_platforms(platforms) if p.get("platform") in by_platform]
    labels: list[tuple[str, Mapping[str, Any] | None]] = [(str(p["platform"]), p) for p in rows]
    if None in by_platform:
        labels.append((wording.unattributed(), None))
    if not labels:
        return Chart(Markup(""), empty=True)
    shown = labels[:MAX_ROWS]
    note = _more(len(labels) - len(shown)) if len(labels) > len(shown) else None
    marks = [(i, c) for i, (_, p) in enumerate(shown) for c in by_platform[p["platform"] if p else None]]
    if len(marks) > MAX_POINTS:
        note = (note + " " if note else "") + _("Showing {shown} of {total} contacts.").format(
            shown=wording.count(MAX_POINTS), total=wording.count(len(marks))
        )
        marks = marks[:MAX_POINTS]
    signups = [(i, _time(p.get("signup_at"))) for i, (_, p) in enumerate(shown) if p]
    moments = [_time(c.get("at")) for _, c in marks] + [t for _, t in signups if t]
    axis = _TimeAxis.spanning([m for m in moments if m])
    return Chart(_timeline_svg(shown, marks, signups, axis), note)


def delays(platforms: list[Mapping[str, Any]]) -> Chart:
    """Horizontal bars: days from signup to the first attributed contact, fastest first."""
    rows = [p for p in platforms if p.get("days_to_first_contact") is not None]
    rows.sort(key=lambda p: (float(p["days_to_first_contact"]), str(p.get("platform"))))
    if not rows:
        return Chart(Markup(""), empty=True)
    shown = rows[:MAX_ROWS]
    note = _more(len(rows) - len(shown)) if len(rows) > len(shown) else None
    return Chart(_delays_svg(shown), note)


def campaigns(campaign_rows: list[Mapping[str, Any]], platforms: list[Mapping[str, Any]]) -> Chart:
    """Campaigns whose callers reached two or more platforms, drawn between those platforms.

    Platforms sit on a ring; each campaign is a diamond placed toward the platforms it links.
    """
    linking = [g for g in campaign_rows if len(set(g.get("platforms") or [])) >= 2]
    ranked = sorted(linking, key=lambda g: -(g.get("contacts") or 0))
    shown = ranked[:MAX_GRAPH_CAMPAIGNS]
    names: list[str] = []
    for campaign in shown:
        names.extend(p for p in campaign.get("platforms") or [] if p not in names)
    if not shown or not names:
        return Chart(Markup(""), empty=True)
    notes = []
    if len(ranked) > len(shown):
        notes.append(_("Showing the {shown} largest of {total} linking campaigns.").format(
            shown=len(shown), total=wording.count(len(ranked))))
    if len(names) > MAX_GRAPH_PLATFORMS:
        notes.append(_("Showing {shown} of {total} linked platforms.").format(
            shown=MAX_GRAPH_PLATFORMS, total=wording.count(len(names))))
        names = names[:MAX_GRAPH_PLATFORMS]
    verdicts = {str(p.get("platform")): str(p.get("verdict")) for p in platforms}
    labels = {str(g.get("id")): str(i) for i, g in enumerate(shown, 1)}
    svg = _graph_svg(shown, names, verdicts, labels)
    return Chart(svg, " ".join(notes) or None, labels=labels)


# --- timeline -------------------------------------------------------------------------------

_LEFT, _RIGHT, _TOP, _ROW, _AXIS, _WIDTH = 180, 24, 34, 28, 30, 960


def _timeline_svg(
    shown: list[tuple[str, Mapping[str, Any] | None]],
    marks: list[tuple[int, Mapping[str, Any]]],
    signups: list[tuple[int, datetime | None]],
    axis: _TimeAxis,
) -> Markup:
    height = _TOP + _ROW * len(shown) + _AXIS
    scale = _Scale(axis.start.timestamp(), axis.end.timestamp(), _LEFT, _WIDTH - _RIGHT)
    parts = [_svg_open(_WIDTH, height, _("Contacts over time, one row per platform"))]
    parts.append(_legend_channels())
    for i, (label, platform) in enumerate(shown):
        y = _TOP + i * _ROW
        band = "band" if i % 2 == 0 else "band alt"
        parts.append(f'<rect class="{band}" x="0" y="{y}" width="{_WIDTH}" height="{_ROW}"/>')
        color = VERDICT_COLOR.get(str(platform.get("verdict")), OTHER_COLOR) if platform else OTHER_COLOR
        parts.append(f'<rect x="0" y="{y + 6}" width="4" height="{_ROW - 12}" fill="{color}"/>')
        parts.append(_text(12, y + _ROW / 2 + 4, _clip(label, 22), "row-label", title=label))
    for i, moment in signups:
        if moment is not None:
            parts.append(_signup_mark(scale(moment.timestamp()), _TOP + i * _ROW, moment))
    for i, contact in marks:
        moment = _time(contact.get("at"))
        if moment is not None:
            parts.append(_mark(contact, scale(moment.timestamp()), _TOP + i * _ROW + _ROW / 2))
    parts.append(_time_axis(axis, scale, _TOP + _ROW * len(shown)))
    parts.append("</svg>")
    return Markup("".join(parts))


def _mark(contact: Mapping[str, Any], x: float, y: float) -> str:
    channel = str(contact.get("channel") or "call")
    color = CHANNEL_COLOR.get(channel, OTHER_COLOR)
    conf = contact.get("confidence")
    opacity = 0.35 + 0.6 * float(conf) if conf is not None else 0.45
    tip = (
        _("{time} · {channel} from {caller} · {confidence}").format(
            time=wording.stamp(contact.get("at")), channel=wording.channel_label(channel),
            caller=contact.get("from") or _("an unknown number"),
            confidence=i18n.percent(conf) if conf is not None else _("not attributed"),
        )  # fmt: skip
    )
    style = f'fill="{color}" fill-opacity="{opacity:.2f}" stroke="{color}"'
    shape = _shape(channel, x, y, 5.5, style)
    return f"<g>{shape}<title>{escape(tip)}</title></g>"


def _shape(channel: str, x: float, y: float, r: float, style: str) -> str:
    if channel == "sms":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" rx="1.5" {style}/>'
    if channel == "email":
        pts = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
        return f'<polygon points="{pts}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {style}/>'


def _signup_mark(x: float, y: float, moment: datetime) -> str:
    tip = escape(_("Signed up {time}").format(time=wording.stamp(moment)))
    return (
        f'<g class="signup"><line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 4}" y2="{y + _ROW - 4}"/>'
        f'<path d="M{x - 4:.1f},{y + 3} h8 l-4,5 z"/><title>{tip}</title></g>'
    )


def _legend_channels() -> str:
    parts, x = ['<g class="legend">'], _LEFT
    for channel in ("call", "sms", "email"):
        label = wording.channel_label(channel)
        color = CHANNEL_COLOR[channel]
        parts.append(_shape(channel, x + 6, 16, 5, f'fill="{color}" stroke="{color}"'))
        parts.append(_text(x + 16, 20, label, "legend-label"))
        x += 30 + 7 * len(label)
    parts.append(f'<g class="signup"><line x1="{x + 6}" x2="{x + 6}" y1="9" y2="23"/>')
    parts.append(f'<path d="M{x + 2},8 h8 l-4,5 z"/></g>')
    parts.append(_text(x + 16, 20, _("signup"), "legend-label"))
    parts.append(_text(_WIDTH - _RIGHT, 20, _("fainter = less confident"), "legend-label end"))
    parts.append("</g>")
    return "".join(parts)


# --- delays ---------------------------------------------------------------------------------


def _delays_svg(rows: list[Mapping[str, Any]]) -> Markup:
    top, row_h, left, right = 30, 26, 180, 80
    height = top + row_h * len(rows) + 8
    longest = max(float(p["days_to_first_contact"]) for p in rows)
    ticks = _nice_ticks(longest)
    scale = _Scale(0, ticks[-1] or 1, left, _WIDTH - right)
    parts = [_svg_open(_WIDTH, height, _("Days from signup to first contact, per platform"))]
    for tick in ticks:
        x = scale(tick)
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 6}"/>')
        parts.append(_text(x, top - 12, _tick_days(tick), "tick middle"))
    for i, row in enumerate(rows):
        y = top + i * row_h
        days = float(row["days_to_first_contact"])
        name = str(row.get("platform"))
        color = VERDICT_COLOR.get(str(row.get("verdict")), OTHER_COLOR)
        width = max(2.0, scale(days) - left)
        tip = _("{finding}: first contact {delay} after signup").format(
            finding=wording.finding(row), delay=wording.delay(days))
        parts.append(_text(12, y + row_h / 2 + 4, _clip(name, 22), "row-label", title=name))
        parts.append(
            f'<g><rect x="{left}" y="{y + 5}" width="{width:.1f}" height="{row_h - 10}" rx="3" '
            f'fill="{color}"/><title>{escape(tip)}</title></g>'
        )
        parts.append(_text(left + width + 6, y + row_h / 2 + 4, wording.delay(days), "value"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_ticks(largest: float) -> list[float]:
    """0 and round steps (1, 2 or 5 × 10^k) up to at least `largest`, about five of them."""
    if largest <= 0:
        return [0.0, 1.0]
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(largest / step - 1e-9)
    return [round(step * i, 6) for i in range(count + 1)]


def _tick_days(value: float) -> str:
    if value == 0:
        return _("signup")
    if value < 1:
        return _("{n} h").format(n=f"{value * 24:g}")
    return _("{n} d").format(n=f"{value:g}")


# --- campaign graph -------------------------------------------------------------------------


def _graph_svg(
    shown: list[Mapping[str, Any]],
    names: list[str],
    verdicts: dict[str, str],
    labels: Mapping[str, str],
) -> Markup:
    radius = min(300, max(150, 8.5 * len(names)))  # room for every label round the ring
    width, height, cx, cy = _WIDTH, 2 * radius + 110, _WIDTH / 2, radius + 55
    spots = {name: _polar(cx, cy, radius, i, len(names)) for i, name in enumerate(names)}
    hubs = _hub_spots(shown, spots, cx, cy)
    most = max((g.get("contacts") or 0) for g in shown) or 1
    parts = [_svg_open(width, height, "Campaigns linking platforms through shared callers")]
    for campaign, (hx, hy) in zip(shown, hubs, strict=True):
        stroke = 1.5 + 4 * math.log1p(campaign.get("contacts") or 0) / math.log1p(most)
        for name in campaign.get("platforms") or []:
            if name in spots:
                px, py = spots[name]
                parts.append(
                    f'<line class="edge" x1="{hx:.1f}" y1="{hy:.1f}" x2="{px:.1f}" '
                    f'y2="{py:.1f}" stroke-width="{stroke:.1f}"/>'
                )
    for campaign, (hx, hy) in zip(shown, hubs, strict=True):
        parts.append(_hub(campaign, hx, hy, labels[str(campaign.get("id"))]))
    for name in names:
        parts.append(_platform_node(name, verdicts.get(name, ""), spots[name], cx, cy))
    parts.append("</svg>")
    return Markup("".join(parts))


def _hub_spots(
    shown: list[Mapping[str, Any]], spots: dict[str, tuple[float, float]], cx: float, cy: float
) -> list[tuple[float, float]]:
    """Each campaign sits toward the platforms it links (the mean of their directions)."""
    result: list[tuple[float, float]] = []
    for i, campaign in enumerate(shown):
        members = [spots[n] for n in campaign.get("platforms") or [] if n in spots]
        dx = sum(x - cx for x, _ in members) / max(len(members), 1)
        dy = sum(y - cy for _, y in members) / max(len(members), 1)
        if math.hypot(dx, dy) < 30:  # spread all round: keep near the centre, fanned out
            dx, dy = _polar(0, 0, 40 if len(shown) > 1 else 0, i, len(shown), offset=0.5)
        else:
            dx, dy = dx * 0.55, dy * 0.55
        for _attempt in range(12):  # nudge apart campaigns over the same platforms, a bounded number of times
            if all(math.hypot(cx + dx - x, cy + dy - y) >= 24 for x, y in result):
                break
            dx, dy = dx * 0.97 - dy * 0.24 + 6, dy * 0.97 + dx * 0.24 + 4
        result.append((cx + dx, cy + dy))
    return result


def _hub(campaign: Mapping[str, Any], x: float, y: float, label: str) -> str:
    callers = campaign.get("callers") or []
    tip = (
        f"Campaign {label} ({campaign.get('id')}): {len(callers)} caller(s) "
        f"{', '.join(map(str, callers[:8]))}{' …' if len(callers) > 8 else ''} reached data given "
        f"to {', '.join(map(str, campaign.get('platforms') or []))} "
        f"({campaign.get('contacts', 0)} contacts)"
    )
    return (
        f'<g class="hub"><rect x="{x - 11:.1f}" y="{y - 11:.1f}" width="22" height="22" rx="4" '
        f'transform="rotate(45 {x:.1f} {y:.1f})"/>'
        f"{_text(x, y + 4, label, 'hub-label middle')}"
        f"<title>{escape(tip)}</title></g>"
    )


def _platform_node(name: str, verdict: str, spot: tuple[float, float], cx: float, cy: float) -> str:
    x, y = spot
    color = VERDICT_COLOR.get(verdict, OTHER_COLOR)
    dx = x - cx
    anchor = "start" if dx > 8 else "end" if dx < -8 else "middle"
    lx = x + (14 if anchor == "start" else -14 if anchor == "end" else 0)
    ly = y + 4 + (0 if anchor != "middle" else (-16 if y < cy else 22))
    tip = f"{name}: {wording.verdict_label(verdict)}"
    return (
        f'<g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{color}"/>'
        f"{_text(lx, ly, _clip(name, 24), 'node-label ' + anchor)}<title>{escape(tip)}</title></g>"
    )


def _polar(cx: float, cy: float, radius: float, i: int, n: int, offset: float = 0.0) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * (i + offset) / max(n, 1)
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


# --- shared pieces --------------------------------------------------------------------------


class _Scale:
    def __init__(self, lo: float, hi: float, x0: float, x1: float) -> None:
        self.lo, self.span, self.x0, self.width = lo, (hi - lo) or 1.0, x0, x1 - x0

    def __call__(self, value: float) -> float:
        return self.x0 + (value - self.lo) / self.span * self.width


@dataclass(frozen=True)
class _TimeAxis:
    start: datetime
    end: datetime
    ticks: tuple[datetime, ...]
    fmt: str

    @classmethod
    def spanning(cls, moments: Iterable[datetime]) -> _TimeAxis:
        values = sorted(moments) or [datetime(2000, 1, 1, tzinfo=UTC)]
        lo, hi = values[0], values[-1]
        if hi - lo < timedelta(hours=2):
            lo, hi = lo - timedelta(hours=1), hi + timedelta(hours=1)
        pad = (hi - lo) * 0.03
        lo, hi = lo - pad, hi + pad
        return cls(lo, hi, *_time_ticks(lo, hi))


_STEPS = [(h * 3600, "%m-%d %H:%M") for h in (1, 3, 6, 12)] + [(d * 86400, "%b %d") for d in (1, 2, 7, 14)]


def _time_ticks(lo: datetime, hi: datetime) -> tuple[tuple[datetime, ...], str]:
    span = (hi - lo).total_seconds()
    for step, fmt in _STEPS:
        if span / step <= 8:
            first = math.ceil((lo.timestamp() - _MONDAY) / step) * step + _MONDAY
            ticks = [times.from_epoch(t) for t in _frange(first, hi.timestamp(), step)]
            return tuple(ticks), fmt
    months = next(m for m in (1, 2, 3, 6, 12, 24, 60, 120) if span / (m * 30.44 * 86400) <= 8)
    return tuple(_month_ticks(lo, hi, months)), "%b %Y"


# Month names are English in strftime; Chinese readers get digits.
_ZH_FORMATS = {"%b %Y": "%Y-%m", "%b %d": "%m-%d"}


def _tick_label(tick: datetime, fmt: str) -> str:
    """A tick's label in the reader's zone and language."""
    local = tick.astimezone(times.zone(i18n.zone()))
    return local.strftime(_ZH_FORMATS.get(fmt, fmt) if i18n.is_chinese() else fmt)


_MONDAY = 4 * 86400  # the Unix epoch was a Thursday; align weekly ticks to Mondays


def _frange(start: float, stop: float, step: float) -> Iterable[float]:
    value = start
    while value <= stop:
        yield value
        value += step


def _month_ticks(lo: datetime, hi: datetime, months: int) -> list[datetime]:
    index = (lo.year * 12 + lo.month - 1) // months * months + months
    ticks: list[datetime] = []
    while True:
        moment = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        if moment > hi:
            return ticks
        ticks.append(moment)
        index += months


def _time_axis(axis: _TimeAxis, scale: _Scale, y: float) -> str:
    parts = [f'<line class="axis" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y}" y2="{y}"/>']
    for tick in axis.ticks:
        x = scale(tick.timestamp())
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{y + 4}"/>')
        parts.append(_text(x, y + 18, _tick_label(tick, axis.fmt), "tick middle"))
    return "".join(parts)


def _svg_open(width: float, height: float, label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" class="chart">'
    )


def _text(x: float, y: float, content: str, cls: str, *, title: str | None = None) -> str:
    tip = f"<title>{escape(title)}</title>" if title and title != content else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}">{escape(content)}{tip}</text>'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return value if isinstance(value, datetime) else times.parse(str(value))
    except ValueError:
        return None


def _more(count: int) -> str:
    return ngettext(
        "{n} more platform not drawn; the table below lists all.",
        "{n} more platforms not drawn; the table below lists all.",
        count,
    ).format(n=wording.count(count))
