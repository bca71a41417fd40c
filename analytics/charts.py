"""Plotly figures for the pages and the exports: Chinese titles, one palette, legible on a projector.

No Streamlit here. Every figure sets its template explicitly (importing streamlit changes plotly's
default template, DEPENDENCY_NOTES.md) and treats months as categories, not dates.
"""
import html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import completion, hygiene, labels
from analytics.intake import vocab

TITLES, AXES, SERIES, HOVER = labels.CHART_TITLES, labels.AXIS_TITLES, labels.SERIES_NAMES, labels.HOVER
MISSING = labels.RETURN_STATES["missing"]

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
# Red means vetoed and green a candidate wherever they appear; fails are orange, cells without data grey.
COLORS = {"main": "#1f4e79", "second": "#5b9bd5", "good": "#2e7d32", "veto": "#c62828", "pending": "#f9a825",
          "muted": "#9e9e9e", "fail": "#e6550d", "no_data": "#d4d4d4", "line": "#424242"}
# The house template: plotly_white cut to what these charts draw (bars, lines and heatmaps on x/y axes, annotations,
# shapes: chart_template.json, its parts copied as plotly ships them) with our font, colours and margins. plotly
# validates a figure's whole template whenever one is made; the full plotly_white (3D, maps, polar, 20 trace kinds)
# cost about 50 ms of a page's rerun per chart, and merging it at start-up 300 ms.
TRACES = ("bar", "scatter", "heatmap")
TEMPLATE = "wenming"
pio.templates[TEMPLATE] = go.layout.Template(json.loads(Path(__file__).with_name("chart_template.json").read_text()))
pio.templates[TEMPLATE].layout.update(
    font=dict(family=FONT, size=16), title=dict(font=dict(size=22)), colorway=[COLORS["main"], COLORS["second"],
                                                                                COLORS["good"], COLORS["pending"]],
    margin=dict(l=40, r=30, t=70, b=40), legend=dict(orientation="h", y=-0.15))
# The toolbar (pages, HTML report) holds only the download-as-picture button, at print resolution. Its tooltip and
# messages are Chinese through plotly.js's own config "locales" (nothing fetched: plotly bundles no zh-CN file); a
# button list of our own also leaves out the English "Fullscreen" button Streamlit adds.
CONFIG = {"displaylogo": False, "modeBarButtons": [["toImage"]], "toImageButtonOptions": {"format": "png", "scale": 3},
          "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": labels.CHART_TOOLBAR}}}


INSIDE_FROM = 30  # a bar this long (of 100) holds its label: "100.0%" needs about 60 px, a 30 bar at 1024 px has 150


def _figure(title: str, note: str | None = None, **layout) -> go.Figure:
    """An empty figure in the house style; `note` (what a colour or mark means) is a line under the title."""
    figure = go.Figure()
    figure.update_layout(template=TEMPLATE, title=dict(text=title, subtitle=dict(text=note)) if note else title,
                         **layout)
    if note:
        figure.update_layout(margin_t=100)
    return figure


def _bar_labels(values: pd.Series, text: list[str], full: float = 100) -> dict:
    """Labels of bars on a 0..`full` axis that no width cuts off: inside the end of a long bar, beside a short one
    (which leaves room); a value that cannot be computed is a bar of length 0 labelled outside."""
    inside = INSIDE_FROM / 100 * full
    return dict(text=text, textposition=["inside" if v >= inside else "outside" for v in values.fillna(0)],
                insidetextanchor="end", insidetextfont=dict(color="white"), textangle=0, constraintext="none",
                cliponaxis=False)


def _count_axis(title: str, counts) -> dict:
    """A value axis of counts: whole-number ticks from 0 (0..1 when every count is 0, never negative), room above
    the largest for its label."""
    top = float(np.nan_to_num(np.asarray(counts, dtype=float)).max(initial=0))
    return dict(title=title, range=[0, max(top, 1) * 1.15], dtick=max(1, math.ceil(top / 8)), tickformat="d")


def escaped(names) -> list[str]:
    """Names typed by people (sections, places) as plotly labels: plotly reads <a href>, <b>... in labels as markup,
    so < > & are escaped and a name is shown as typed, never as a link."""
    return [html.escape(str(name), quote=False) for name in names]


def percent(value) -> str:
    return labels.NO_FIGURE if value is None or pd.isna(value) else f"{value * 100:.1f}%"


def score(value) -> str:
    """A score (九无得分) as shown: one decimal, or NO_FIGURE where there was no check."""
    return labels.NO_FIGURE if value != value else f"{value:.1f}"


def bureau_trend(bureau_months: pd.DataFrame) -> go.Figure:
    """The year's trend: completion rate (%, left axis) and nine-no score (points, right axis) by month."""
    figure = _figure(TITLES["bureau_trend"], yaxis=dict(title=AXES["completion_rate"], range=[0, 105]),
                     yaxis2=dict(title=AXES["hygiene_score"], range=[0, 105], overlaying="y", side="right",
                                 tickmode="linear", dtick=20, showgrid=False))
    months = bureau_months["month"]
    figure.add_scatter(x=months, y=bureau_months["completion_rate"] * 100, name=SERIES["completion_rate"], mode="lines+markers",
                       line=dict(color=COLORS["main"], width=3), hovertemplate=HOVER["month_rate"])
    figure.add_scatter(x=months, y=bureau_months["nine_no_score"], name=SERIES["nine_no_score"], mode="lines+markers",
                       line=dict(color=COLORS["good"], width=3), yaxis="y2", hovertemplate=HOVER["month_score"])
    figure.update_xaxes(type="category")
    return figure


def section_ranking(section_months: pd.DataFrame, month: str) -> go.Figure:
    """Every section expected this month by completion rate, vetoed ones in red; a section without a return
    stays on the chart as a bar-less row at the bottom marked 未报送 in grey (DOMAIN.md "missing return")."""
    rows = section_months[section_months["month"] == month]
    missing = rows[~rows["submitted"].astype(bool)]
    rows = rows[rows["submitted"].astype(bool)].sort_values("completion_rate", na_position="first")
    # Bottom to top: 未报送, then the undefined rates ("—"), then the rest, lowest first.
    order = escaped([*missing["section"], *rows["section"]])
    figure = _figure(TITLES["section_ranking"].format(month=month), height=max(400, 28 * len(order) + 150), showlegend=True,
                     barmode="overlay", xaxis=dict(title=AXES["completion_rate"], range=[0, 100]),
                     yaxis=dict(type="category", categoryorder="array", categoryarray=order))
    vetoed = rows["veto"].astype(bool)
    for part, name, color in ((rows[~vetoed], SERIES["section_rate"], COLORS["main"]),
                              (rows[vetoed], SERIES["vetoed_rate"], COLORS["veto"])):
        if len(part):
            figure.add_bar(y=escaped(part["section"]), x=part["completion_rate"].fillna(0) * 100, orientation="h",
                           marker_color=color, name=name, hovertemplate=HOVER["value"],
                           **_bar_labels(part["completion_rate"] * 100, [percent(v) for v in part["completion_rate"]]))
    if len(missing):
        figure.add_bar(y=escaped(missing["section"]), x=[0] * len(missing), orientation="h", marker_color=COLORS["muted"],
                       text=[MISSING] * len(missing), textposition="outside", name=MISSING,
                       textfont=dict(color=COLORS["muted"]), hovertemplate=HOVER["missing"])
    return figure


def area_completion(areas: pd.DataFrame, month: str) -> go.Figure:
    """The seven areas this month, in the plan's order."""
    rows = areas[areas["month"] == month].set_index("area").reindex(vocab.AREA_NAMES)
    figure = _figure(TITLES["area_completion"].format(month=month), yaxis=dict(title=AXES["area_rate"], range=[0, 110]))
    figure.add_bar(x=list(rows.index), y=rows["completion_rate"].fillna(0) * 100, marker_color=COLORS["main"],
                   text=[percent(v) for v in rows["completion_rate"]], textposition="outside", cliponaxis=False,
                   hovertemplate=HOVER["column"])
    return figure


def heatmap(table: pd.DataFrame, title: str, colorscale: str = "Blues", reverse: bool = False,
            missing=(), note: str | None = None) -> go.Figure:
    """A sections × columns heatmap of rates (0..1), rows in the table's order (the roster's), first on top. Legible
    at 1024 px (a 40 px cell): each cell reads its whole percentage (the colour bar says %; the hover says 94.1%) and
    the column names stand upright, broken into lines of WRAP characters. Cells without a rate are grey reading —,
    never the colour of 0 %; rows named in `missing` (sections without a return) stay in place as grey cells reading
    未报送. `note` says what the grey means (lines broken by <br>). Each layer answers the pointer only
    over its own cells (hoverongaps off), so every cell's hover says its value."""
    missing = [row for row in table.index if row in set(missing)]
    rates = table.astype(float).copy()
    rates.loc[missing] = float("nan")
    blank = rates.isna()
    width = WRAP if len(table.columns) <= 7 else WRAP - 1  # nine columns: 33 px each at 1024 px
    names, columns = escaped(table.index), [wrapped(column, width) for column in table.columns]
    figure = _figure(title, note, height=max(420, 26 * len(table) + 230), yaxis=dict(title=AXES["roster_order"]))
    cells = dict(x=columns, y=names, xgap=2, ygap=2, texttemplate="%{text}", hovertemplate="%{customdata}<extra></extra>",
                 hoverongaps=False)

    def hover(values) -> list[list[str]]:  # the whole name and value: the axis shows the names broken into lines
        return [[labels.CELL_HOVER.format(section=name, column=column, value=value)
                 for column, value in zip(escaped(table.columns), row)] for name, row in zip(names, values)]
    figure.add_heatmap(z=rates.to_numpy() * 100, colorscale=colorscale, reversescale=reverse, zmin=0, zmax=100,
                       colorbar=dict(title="%", thickness=12, tickvals=[0, 50, 100]), customdata=hover(rates.map(percent).to_numpy()),
                       text=[["" if v != v else f"{v * 100:.0f}" for v in row] for _, row in rates.iterrows()],
                       textfont=dict(size=CELL_FONT), **cells)
    if blank.any(axis=None):
        # The grey layer has the table's full shape (blank elsewhere): a trace of only some rows would get cells of
        # its own size and land off the grid.
        grey = [[MISSING if name in missing else labels.NO_FIGURE if b else "" for b in row]
                for name, row in blank.iterrows()]
        # 未报送 in a smaller type over nine columns, to fit a 33 px cell.
        figure.add_heatmap(z=blank.where(blank).astype(float).to_numpy(), showscale=False,
                           colorscale=[[0, COLORS["no_data"]], [1, COLORS["no_data"]]], text=grey, customdata=hover(grey),
                           textfont=dict(size=CELL_FONT if width == WRAP else CELL_FONT - 2),
                           **cells)
    figure.update_xaxes(type="category", tickangle=0, tickfont_size=CELL_FONT + 1)
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_layout(margin=dict(t=130 if note else 70, b=90))  # the note's two lines; names of three lines
    return figure


# At 1024 px beside the sidebar a heatmap's plot is about 300 px wide: 43 px a column of seven, 33 px of nine.
WRAP = 3        # characters per line of a column name (12 px each) over seven columns; two over more
CELL_FONT = 12  # px, the cells' figures: "100" fits a 33 px cell


def wrapped(name, width: int = WRAP) -> str:
    """A column name broken into lines of `width` characters (plotly's <br>), so it stands upright over its column."""
    text = str(name)
    return "<br>".join(escaped(text[start:start + width] for start in range(0, len(text), width)))


def area_heatmap(section_months: pd.DataFrame, tasks: pd.DataFrame, month: str) -> go.Figure:
    """Sections × the seven areas: each section's completion rate of each area in `month` (the 任务完成 page)."""
    status = completion.return_status(section_months, month)
    return heatmap(completion.section_area_rates(section_months, tasks, month), TITLES["area_heatmap"].format(month=month),
                   missing=status.index[~status], note=labels.CHART_NOTES["area_heatmap"])


def item_pareto(item_rates: pd.DataFrame, title: str) -> go.Figure:
    """The items that fail most: fails by item, largest first, with the cumulative share (0–100 %)."""
    rows = item_rates.groupby("item", sort=False)["fails"].sum().sort_values(ascending=False)
    figure = _figure(title, yaxis=_count_axis(AXES["fails"], rows),
                     yaxis2=dict(title=AXES["cumulative_share"], overlaying="y", side="right", range=[0, 100],
                                 tickmode="linear", dtick=20, showgrid=False))
    figure.add_bar(x=list(rows.index), y=rows.to_numpy(), name=SERIES["fails"], marker_color=COLORS["fail"],
                   hovertemplate=HOVER["item_fails"],
                   **_bar_labels(rows, [f"{v:.0f}" for v in rows], full=figure.layout.yaxis.range[1]))
    share = rows.cumsum() / rows.sum() * 100 if rows.sum() else rows * 0
    # The share's labels sit left of its points: above them they would meet the bars' labels.
    figure.add_scatter(x=list(rows.index), y=share.to_numpy(), name=SERIES["cumulative_share"], yaxis="y2",
                       mode="lines+markers+text", text=[f"{v:.0f}%" for v in share], textposition="top left",
                       textfont=dict(color=COLORS["main"]), line=dict(color=COLORS["main"]), cliponaxis=False,
                       hovertemplate=HOVER["item_share"])
    return figure


def item_heatmap(inspections: pd.DataFrame, section_months: pd.DataFrame, month: str) -> go.Figure:
    """Sections × the nine items: each section's fail rate of each item in `month`, every section expected that
    month in the roster's order (the 九无卫生 page, the pictures)."""
    by_item = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["section"])
    table = by_item.pivot(index="section", columns="item", values="fail_rate") if len(by_item) else pd.DataFrame()
    status = completion.return_status(section_months, month)
    return heatmap(table.reindex(index=status.index, columns=vocab.NINE_ITEM_NAMES), TITLES["item_heatmap"].format(month=month),
                   colorscale="Reds", missing=status.index[~status], note=labels.CHART_NOTES["item_heatmap"])


def worst_items(inspections: pd.DataFrame, month: str) -> go.Figure:
    """The items that failed most in `month`, over every section (the 九无卫生 page, the pictures)."""
    by_item = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["section"])
    return item_pareto(by_item, TITLES["item_pareto"].format(month=month))


def worst_places(inspections: pd.DataFrame, month: str, top: int = 15) -> go.Figure:
    """The `top` places that failed most in `month`, by section (the 九无卫生 page): one measure, the fails
    (the fail rate is in the hover text)."""
    place_rates = hygiene.place_fail_rates(hygiene.in_month(inspections, month), ["section"])
    rows = place_rates[place_rates["fails"] > 0].sort_values(["fails", "fail_rate"]).tail(top)
    figure = _figure(TITLES["worst_places"].format(month=month), height=max(380, 28 * len(rows) + 120),
                     xaxis=_count_axis(AXES["fails"], rows["fails"]))
    figure.add_bar(y=escaped(rows["place"]), x=rows["fails"], orientation="h", marker_color=COLORS["fail"],
                   text=[f"{v:.0f}" for v in rows["fails"]], textposition="outside", cliponaxis=False,
                   customdata=[percent(v) for v in rows["fail_rate"]], hovertemplate=HOVER["place_fails"])
    return figure


def hygiene_trend(bureau_months: pd.DataFrame) -> go.Figure:
    figure = _figure(TITLES["hygiene_trend"], yaxis=dict(title=AXES["hygiene_score"], range=[0, 105]))
    figure.add_scatter(x=bureau_months["month"], y=bureau_months["nine_no_score"], mode="lines+markers",
                       line=dict(color=COLORS["good"], width=3), name=SERIES["bureau_nine_no"],
                       hovertemplate=HOVER["month_score"])
    figure.update_xaxes(type="category")
    return figure


def veto_summary(bureau_months: pd.DataFrame) -> go.Figure:
    """Vetoed sections (red) and pending events (amber) by month; a year without either says so."""
    counts = bureau_months[["vetoed_sections", "pending_vetoes"]]
    figure = _figure(TITLES["veto_summary"], barmode="group", yaxis=_count_axis(AXES["count"], counts))
    for column, color in (("vetoed_sections", COLORS["veto"]), ("pending_vetoes", COLORS["pending"])):
        # A 0 is left unlabelled: two marks a month on a mostly empty chart would hide the few that count.
        figure.add_bar(x=bureau_months["month"], y=bureau_months[column], name=SERIES[column], marker_color=color,
                       hovertemplate=HOVER["month_count"],
                       **_bar_labels(bureau_months[column], [f"{v:.0f}" if v else "" for v in bureau_months[column]],
                                     full=figure.layout.yaxis.range[1]))
    if not counts.to_numpy(dtype=float).any():
        figure.add_annotation(text=labels.NO_VETOES, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                              font=dict(size=20, color=COLORS["muted"]))
    figure.update_xaxes(type="category")
    return figure


# The annual ranking's colour of each group (a key of labels.SERIES_NAMES), in the legend's order.
ANNUAL_COLORS = {"candidate": COLORS["good"], "vetoed": COLORS["veto"], "other_sections": COLORS["main"]}


def annual_groups(annual: pd.DataFrame) -> pd.Series:
    """Each row's group on the annual ranking: a candidate (先进集体) first, else vetoed, else the other sections."""
    candidate = annual["collective"].astype(bool)
    vetoed = annual["vetoed"].astype(bool) & ~candidate
    return pd.Series(np.select([candidate, vetoed], ["candidate", "vetoed"], "other_sections"), index=annual.index)


def annual_ranking(annual: pd.DataFrame, floor: float) -> go.Figure:
    """Annual scores: candidates green, vetoed red, the rest blue, each named in the legend; the floor as a line,
    its label above the bars."""
    rows = annual.sort_values("annual_score", na_position="first")
    title = TITLES["annual_ranking_through"].format(through=annual["through"].iloc[0]) if len(annual) else \
        TITLES["annual_ranking"]
    figure = _figure(title, height=max(420, 28 * len(rows) + 150), showlegend=True, barmode="overlay", bargap=0.3,
                     xaxis=dict(title=AXES["annual_score"], range=[0, 100]),
                     yaxis=dict(type="category", categoryorder="array", categoryarray=escaped(rows["section"])))
    groups = annual_groups(rows)
    for group, color in ANNUAL_COLORS.items():
        part = rows[groups == group]
        if len(part):
            scores = part["annual_score"]
            figure.add_bar(y=escaped(part["section"]), x=scores.fillna(0), orientation="h", marker_color=color,
                           name=SERIES[group],
                           hovertemplate=HOVER["value"],
                           **_bar_labels(scores, [f"{v:.2f}" if v == v else labels.NO_FIGURE for v in scores]))
    figure.add_vline(x=floor, line_dash="dash", line_color=COLORS["line"], line_width=2, layer="below")  # seen between bars
    figure.add_annotation(x=floor, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                          text=labels.FLOOR_LINE.format(floor=floor), font=dict(color=COLORS["line"]))
    return figure


# The section drill-down page (科室详情, issue 12 part "section") ---

def section_trend(section_months: pd.DataFrame, section: str) -> go.Figure:
    """One section's year: its completion rate and nine-no score by month, drawn as the bureau's trend is."""
    figure = bureau_trend(section_months[section_months["section"] == section].sort_values("month"))
    figure.update_layout(title=TITLES["section_trend"].format(section=escaped([section])[0]))
    return figure


HALF_TITLE, HALF_TEXT = 16, 13  # px: a 16-character title and a 9-character name fit half of a 1024 px page


def half_width(figure: go.Figure) -> go.Figure:
    """`figure` for half the page (总览's trend beside the ranking; about 330 px wide at 1024 px): a smaller title; the
    months on the x-axis slanted and the legend well below them (nearer, it would cover them); a ranking's names and
    values in a smaller type, every value beside its bar (inside, a bar this narrow would cut it), room on the right
    for them."""
    figure.update_layout(title=dict(font_size=HALF_TITLE, x=0.01, xref="container"))
    ranking = any(trace.type == "bar" and trace.orientation == "h" for trace in figure.data)
    if ranking:
        figure.update_traces(textposition="outside", textfont=dict(size=HALF_TEXT, color=COLORS["line"]),
                             selector=dict(type="bar"))
        figure.update_yaxes(tickfont_size=HALF_TEXT)
        figure.update_layout(legend=dict(y=-0.12), margin=dict(l=10, r=55, b=60))
        return figure
    figure.update_xaxes(tickangle=-45, automargin=True, selector=dict(type="category"))
    figure.update_layout(legend=dict(y=-0.4), margin=dict(r=70, b=130))
    return figure


# Pictures for paper (issue 12, part "print") ---

PRINT_FONT = 24  # px of a picture 1200 px wide (export_images.WIDTH) printed 15.5 cm wide: about 9 pt


def printed(figure: go.Figure) -> go.Figure:
    """A copy of `figure` for the bulletin's page: every text and margin scaled from the screen's 16 px font to
    PRINT_FONT, a figure of set height as much taller (rows keep room for their larger labels), months slanted."""
    house = pio.templates[TEMPLATE].layout
    factor = PRINT_FONT / house.font.size
    copy = go.Figure(figure)
    margin = {side: (copy.layout.margin[side] or house.margin[side]) * factor for side in ("l", "r", "t", "b")}
    copy.update_layout(font_size=PRINT_FONT, title_font_size=house.title.font.size * factor,
                       title_subtitle_font_size=PRINT_FONT, margin=margin,
                       height=copy.layout.height and copy.layout.height * factor)
    # Months at this size would run together: slanted, and the legend further below them (names broken into
    # lines to stand upright, a heatmap's columns, stay so).
    if months := [axis for axis in copy.select_xaxes(selector=dict(type="category")) if axis.tickangle is None]:
        for axis in months:
            axis.tickangle = -45
        copy.update_layout(legend_y=-0.3)
    for axis in [*copy.select_xaxes(), *copy.select_yaxes()]:   # a tick size of its own grows as the rest
        if axis.tickfont.size:
            axis.tickfont.size = axis.tickfont.size * factor
    for annotation in copy.layout.annotations:
        annotation.font.size = (annotation.font.size or PRINT_FONT / factor) * factor
    for trace in copy.data:   # a size of its own (the heatmaps' cells, the half-width labels) grows as the rest
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = trace.textfont.size * factor
    return copy
