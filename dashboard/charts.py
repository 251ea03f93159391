"""A grouped horizontal bar chart drawn on the server as SVG geometry (no JavaScript, no CDN):
the template only places the rectangles computed here."""

from dataclasses import dataclass, field

LABEL_WIDTH = 72
PLOT_WIDTH = 980
VALUE_GAP = 6
BAR_HEIGHT = 12
BAR_GAP = 2
GROUP_GAP = 12
TOP = 8


@dataclass
class Bar:
    series: str
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    href: str
    css: str

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)


@dataclass
class BarGroup:
    label: str
    y: float  # where the group's label sits
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    plot_x: int
    groups: list[BarGroup]
    ticks: list[tuple[float, int]]


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if value <= step * 4:
            return step * 4
    return value


def grouped_bars(groups: list[tuple[str, list[tuple[str, str, int, str, str]]]]) -> Chart:
    """`groups`: (group label, [(series key, series label, value, link, css class), …]).
    Bars share one scale from 0 to a round number above the largest value."""
    biggest = max((v for _, bars in groups for _, _, v, _, _ in bars), default=0)
    top = _nice_max(max(biggest, 1))
    scale = PLOT_WIDTH / top
    per_group = max((len(bars) for _, bars in groups), default=0)
    group_height = per_group * BAR_HEIGHT + (per_group - 1) * BAR_GAP
    out = []
    y = TOP
    for label, bars in groups:
        group = BarGroup(label=label, y=y + group_height / 2)
        for i, (key, series_label, value, href, css) in enumerate(bars):
            group.bars.append(
                Bar(
                    series=key,
                    label=series_label,
                    value=value,
                    x=LABEL_WIDTH,
                    y=y + i * (BAR_HEIGHT + BAR_GAP),
                    width=round(value * scale, 1),
                    height=BAR_HEIGHT,
                    href=href,
                    css=css,
                )
            )
        out.append(group)
        y += group_height + GROUP_GAP
    ticks = [(LABEL_WIDTH + PLOT_WIDTH * i / 4, top * i // 4) for i in range(5)]
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + 40, height=int(y + 14), plot_x=LABEL_WIDTH, groups=out, ticks=ticks
    )
