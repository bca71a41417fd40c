"""The month's key charts as pictures (PNG at print resolution, SVG), rendered by kaleido with a Chrome,
Chromium or Edge already on the machine. Nothing is ever downloaded: without a browser, NoBrowser says so.
"""
import asyncio
import io
import json
import os
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts, labels
from analytics.intake.normalize import xml_legal

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge",
            "microsoft-edge")
# 2400 x 1400 pixels: the bulletin prints a picture 15.5 cm wide, at about 390 dpi (300 dpi is print quality);
# scale 3 made each PNG 2.25 times the pixels to encode, send and embed for no visible gain on paper.
WIDTH, HEIGHT, SCALE = 1200, 700, 2
TABS = 2  # pictures rendered at once, each in its own tab of one browser; more tabs than cores gain nothing


class NoBrowser(Exception):
    """No Chrome, Chromium or Edge on this machine: pictures cannot be made (every other download still works)."""


def browser_path() -> str | None:
    """BROWSER_PATH if set, else the first browser on PATH."""
    if path := os.environ.get("BROWSER_PATH"):
        return path if shutil.which(path) or os.path.exists(path) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def key_figures(summary, inspections: pd.DataFrame, month: str) -> dict[str, go.Figure]:
    """File stem → figure: the charts a bulletin and a meeting need for `month`."""
    figures = {
        "bureau_trend": charts.bureau_trend(summary.bureau_months),
        "section_ranking": charts.section_ranking(summary.section_months, month),
        "area_completion": charts.area_completion(summary.areas, month),
        "item_heatmap": charts.item_heatmap(inspections, summary.section_months, month),
        "item_pareto": charts.worst_items(inspections, month),
        "veto_summary": charts.veto_summary(summary.bureau_months),
    }
    return {labels.PICTURE_STEMS[key]: figure for key, figure in figures.items()}


def legal_figure(figure: go.Figure) -> go.Figure:
    """The figure with every string in it (labels, titles, hover text) as XML can hold it: a control character
    makes plotly.js fail to draw the SVG, and the HTML report would carry it too."""
    return pio.from_json(json.dumps(xml_legal(json.loads(figure.to_json()))))


def render(figures: dict[str, go.Figure], formats=("png", "svg"), tabs: int = TABS) -> dict[str, bytes]:
    """File name → picture bytes, each picture rendered once, `tabs` at a time in one browser session. Raises
    NoBrowser when no browser is installed."""
    import kaleido

    path = browser_path()
    if path is None:
        raise NoBrowser(labels.NO_BROWSER)
    jobs = {}
    for stem, figure in figures.items():
        figure = legal_figure(figure)
        for kind in formats:
            jobs[f"{stem}.{kind}"] = figure, {"format": kind, "width": WIDTH, "height": _height(figure),
                                              "scale": SCALE if kind == "png" else 1}

    class Session(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            """Kaleido 1.5 reloads the tab (4.8 MB of plotly.js parsed again) after every picture; plotly's toImage
            draws each figure in a div of its own and removes it, so the tab is ready as it is."""
            await self.tabs_ready.put(tab)

    async def all_pictures() -> list[bytes]:
        async with Session(n=max(1, min(tabs, len(jobs))), path=path, mathjax=False) as browser:
            return await asyncio.gather(*(browser.calc_fig(figure, opts=opts) for figure, opts in jobs.values()))

    with ThreadPoolExecutor(1) as thread:  # an event loop of its own, also where the caller runs one
        return dict(zip(jobs, thread.submit(asyncio.run, all_pictures()).result()))


def _height(figure: go.Figure) -> int:
    return max(HEIGHT, int(figure.layout.height or 0))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
