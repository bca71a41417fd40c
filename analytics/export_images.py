"""The month's key charts as pictures (PNG at print resolution, SVG), rendered by kaleido with a Chrome,
Chromium or Edge already on the machine. Nothing is ever downloaded: without a browser, NoBrowser says so.
"""
import io
import json
import os
import shutil
import zipfile

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts, labels
from analytics.intake.normalize import xml_legal

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge",
            "microsoft-edge")
WIDTH, HEIGHT, SCALE = 1200, 700, 3   # 3600 x 2100 pixels: sharp when printed at A4 width


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


def render(figures: dict[str, go.Figure], formats=("png", "svg")) -> dict[str, bytes]:
    """File name → picture bytes. Raises NoBrowser when no browser is installed."""
    import kaleido

    path = browser_path()
    if path is None:
        raise NoBrowser(labels.NO_BROWSER)
    pio.defaults.headers = None  # with a server running, plotly warns that kopts are ignored
    kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
    try:
        pictures = {}
        for stem, figure in figures.items():
            figure = legal_figure(figure)
            for kind in formats:
                pictures[f"{stem}.{kind}"] = figure.to_image(format=kind, width=WIDTH, height=_height(figure),
                                                             scale=SCALE if kind == "png" else 1)
        return pictures
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _height(figure: go.Figure) -> int:
    return max(HEIGHT, int(figure.layout.height or 0))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
