"""Plotly figures for the pages and the exports: Chinese titles, one palette, legible on a projector.

No Streamlit here. Every figure sets its template explicitly (importing streamlit changes plotly's
default template, DEPENDENCY_NOTES.md) and treats months as categories, not dates.
"""
import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import hygiene, labels
from analytics.intake import vocab

TITLES, AXES, SERIES, HOVER = labels.CHART_TITLES, labels.AXIS_TITLES, labels.SERIES_NAMES, labels.HOVER
MISSING = labels.RETURN_STATES["missing"]

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
COLORS = {"main": "#1f4e79", "second": "#5b9bd5", "good": "#2e7d32", "veto": "#c62828", "pending": "#f9a825",
          "muted": "#9e9e9e"}
pio.templates["cn"] = go.layout.Template(layout=dict(
    font=dict(family=FONT, size=16), title=dict(font=dict(size=22)), colorway=[COLORS["main"], COLORS["second"],
                                                                                COLORS["good"], COLORS["pending"]],
    margin=dict(l=40, r=30, t=70, b=40), legend=dict(orientation="h", y=-0.15)))
TEMPLATE = "plotly_white+cn"
# The chart's own download button gives a picture at print resolution.
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 3}}


def _figure(title: str, **layout) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(template=TEMPLATE, title=title, **layout)
    return figure


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
    """The year's trend: completion rate and nine-no score by month."""
    figure = _figure(TITLES["bureau_trend"], yaxis=dict(title="%", range=[0, 105]))
    months = bureau_months["month"]
    figure.add_scatter(x=months, y=bureau_months["completion_rate"] * 100, name=SERIES["completion_rate"], mode="lines+markers",
                       line=dict(color=COLORS["main"], width=3))
    figure.add_scatter(x=months, y=bureau_months["nine_no_score"], name=SERIES["nine_no_score"], mode="lines+markers",
                       line=dict(color=COLORS["good"], width=3))
    figure.update_xaxes(type="category")
    return figure


def section_ranking(section_months: pd.DataFrame, month: str) -> go.Figure:
    """Every section expected this month by completion rate, vetoed ones in red; a section without a return
    stays on the chart as a bar-less row at the bottom marked 未报送 in grey (DOMAIN.md "missing return")."""
    rows = section_months[section_months["month"] == month]
    missing = rows[~rows["submitted"].astype(bool)]
    rows = rows[rows["submitted"].astype(bool)].sort_values("completion_rate", na_position="first")
    colors = [COLORS["veto"] if v else COLORS["main"] for v in rows["veto"]]
    # Bottom to top: 未报送, then the undefined rates ("—"), then the rest, lowest first.
    order = escaped([*missing["section"], *rows["section"]])
    figure = _figure(TITLES["section_ranking"].format(month=month), height=max(400, 28 * len(order) + 120), showlegend=False,
                     xaxis=dict(title=AXES["completion_rate"], range=[0, 105]),
                     yaxis=dict(type="category", categoryorder="array", categoryarray=order))
    figure.add_bar(y=escaped(rows["section"]), x=rows["completion_rate"] * 100, orientation="h", marker_color=colors,
                   text=[percent(v) for v in rows["completion_rate"]], textposition="outside", cliponaxis=False,
                   name=SERIES["section_rate"],
                   hovertemplate=HOVER["value"])
    if len(missing):
        figure.add_bar(y=escaped(missing["section"]), x=[0] * len(missing), orientation="h", marker_color=COLORS["muted"],
                       text=[MISSING] * len(missing), textposition="outside", name=MISSING,
                       textfont=dict(color=COLORS["muted"]), hovertemplate=HOVER["missing"])
    return figure


def area_completion(areas: pd.DataFrame, month: str) -> go.Figure:
    """The seven areas this month, in the plan's order."""
    rows = areas[areas["month"] == month].set_index("area").reindex(vocab.AREA_NAMES)
    figure = _figure(TITLES["area_completion"].format(month=month), yaxis=dict(title=AXES["area_rate"], range=[0, 110]))
    figure.add_bar(x=list(rows.index), y=rows["completion_rate"] * 100, marker_color=COLORS["main"],
                   text=[percent(v) for v in rows["completion_rate"]], textposition="outside")
    return figure


def heatmap(table: pd.DataFrame, title: str, colorscale: str = "Blues", reverse: bool = False,
            missing=()) -> go.Figure:
    """A rows × columns heatmap of rates (0..1), shown as percentages, first row on top. Rows named in `missing`
    (sections without a return) stay in place as grey cells reading 未报送."""
    missing = [row for row in table.index if row in set(missing)]
    rates = table.astype(float).copy()
    rates.loc[missing] = float("nan")
    figure = _figure(title, height=max(420, 26 * len(table) + 160))
    figure.add_heatmap(z=rates.to_numpy() * 100, x=list(table.columns), y=escaped(table.index), colorscale=colorscale,
                       reversescale=reverse, zmin=0, zmax=100, colorbar=dict(title="%"),
                       text=[["" if name in missing else percent(v) for v in row] for name, row in rates.iterrows()],
                       texttemplate="%{text}", hovertemplate=HOVER["cell"])
    if missing:
        # The grey layer has the table's full shape (blank elsewhere): a trace of only the missing rows would get
        # cells of its own size and land off the grid.
        absent = pd.DataFrame(float("nan"), index=table.index, columns=table.columns)
        absent.loc[missing] = 0.0
        figure.add_heatmap(z=absent.to_numpy(), x=list(table.columns), y=escaped(table.index), showscale=False,
                           colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], textfont=dict(color=COLORS["muted"]),
                           text=[[MISSING if row in missing else "" for _ in table.columns] for row in table.index],
                           texttemplate="%{text}", hovertemplate=HOVER["missing"])
    figure.update_xaxes(type="category")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def item_pareto(item_rates: pd.DataFrame, title: str) -> go.Figure:
    """The items that fail most: fails by item, largest first, with the cumulative share."""
    rows = item_rates.groupby("item", sort=False)["fails"].sum().sort_values(ascending=False)
    figure = _figure(title, yaxis=dict(title=AXES["fails"]), yaxis2=dict(title=AXES["cumulative_share"], overlaying="y",
                                                                    side="right", range=[0, 105]))
    figure.add_bar(x=list(rows.index), y=rows.to_numpy(), name=SERIES["fails"], marker_color=COLORS["veto"])
    share = rows.cumsum() / rows.sum() * 100 if rows.sum() else rows * 0
    figure.add_scatter(x=list(rows.index), y=share.to_numpy(), name=SERIES["cumulative_share"], yaxis="y2", mode="lines+markers",
                       line=dict(color=COLORS["main"]))
    return figure


def item_heatmap(inspections: pd.DataFrame, month: str) -> go.Figure:
    """Sections × the nine items: each section's fail rate of each item in `month` (the 九无卫生 page, the pictures)."""
    by_item = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["section"])
    table = by_item.pivot(index="section", columns="item", values="fail_rate") if len(by_item) else pd.DataFrame()
    return heatmap(table.reindex(columns=vocab.NINE_ITEM_NAMES), TITLES["item_heatmap"].format(month=month),
                   colorscale="Reds")


def worst_items(inspections: pd.DataFrame, month: str) -> go.Figure:
    """The items that failed most in `month`, over every section (the 九无卫生 page, the pictures)."""
    by_item = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["section"])
    return item_pareto(by_item, TITLES["item_pareto"].format(month=month))


def worst_places(inspections: pd.DataFrame, month: str, top: int = 15) -> go.Figure:
    """The `top` places that failed most in `month`, by section (the 九无卫生 page)."""
    place_rates = hygiene.place_fail_rates(hygiene.in_month(inspections, month), ["section"])
    rows = place_rates[place_rates["fails"] > 0].sort_values(["fails", "fail_rate"]).tail(top)
    figure = _figure(TITLES["worst_places"].format(month=month), height=max(380, 28 * len(rows) + 120), xaxis=dict(title=AXES["fails"]))
    figure.add_bar(y=escaped(rows["place"]), x=rows["fails"], orientation="h", marker_color=COLORS["veto"],
                   text=[percent(v) for v in rows["fail_rate"]], textposition="outside")
    return figure


def hygiene_trend(bureau_months: pd.DataFrame) -> go.Figure:
    figure = _figure(TITLES["hygiene_trend"], yaxis=dict(title=AXES["hygiene_score"], range=[0, 105]))
    figure.add_scatter(x=bureau_months["month"], y=bureau_months["nine_no_score"], mode="lines+markers",
                       line=dict(color=COLORS["good"], width=3), name=SERIES["bureau_nine_no"])
    figure.update_xaxes(type="category")
    return figure


def veto_summary(bureau_months: pd.DataFrame) -> go.Figure:
    """Vetoed sections (red) and pending events (amber) by month."""
    figure = _figure(TITLES["veto_summary"], barmode="group", yaxis=dict(title=AXES["count"], dtick=1))
    figure.add_bar(x=bureau_months["month"], y=bureau_months["vetoed_sections"], name=SERIES["vetoed_sections"],
                   marker_color=COLORS["veto"])
    figure.add_bar(x=bureau_months["month"], y=bureau_months["pending_vetoes"], name=SERIES["pending_vetoes"],
                   marker_color=COLORS["pending"])
    figure.update_xaxes(type="category")
    return figure


def annual_ranking(annual: pd.DataFrame, floor: float) -> go.Figure:
    """Annual scores: candidates green, vetoed red, the rest blue; the floor as a line."""
    rows = annual.sort_values("annual_score", na_position="first")
    colors = [COLORS["good"] if c else COLORS["veto"] if v else COLORS["main"]
              for c, v in zip(rows["collective"], rows["vetoed"])]
    title = TITLES["annual_ranking_through"].format(through=annual["through"].iloc[0]) if len(annual) else \
        TITLES["annual_ranking"]
    figure = _figure(title, height=max(420, 28 * len(rows) + 120), xaxis=dict(title=AXES["annual_score"], range=[0, 105]))
    figure.add_bar(y=escaped(rows["section"]), x=rows["annual_score"], orientation="h", marker_color=colors,
                   text=[f"{v:.2f}" if pd.notna(v) else labels.NO_FIGURE for v in rows["annual_score"]], textposition="outside")
    figure.add_vline(x=floor, line_dash="dash", line_color=COLORS["muted"], annotation_text=labels.FLOOR_LINE.format(floor=floor),
                     annotation_position="bottom left")
    return figure


# The section drill-down page (科室详情, issue 12 part "section") ---

def section_trend(section_months: pd.DataFrame, section: str) -> go.Figure:
    """One section's year: its completion rate and nine-no score by month, drawn as the bureau's trend is."""
    figure = bureau_trend(section_months[section_months["section"] == section].sort_values("month"))
    figure.update_layout(title=TITLES["section_trend"].format(section=escaped([section])[0]))
    return figure


def half_width(figure: go.Figure) -> go.Figure:
    """`figure` for half the page (总览's trend beside the ranking): the months on the x-axis slanted and the legend
    well below them (nearer, it would cover them), room on the right for the bars' values."""
    figure.update_xaxes(tickangle=-45, automargin=True, selector=dict(type="category"))
    figure.update_layout(legend=dict(y=-0.4), margin=dict(r=70, b=130))
    return figure
