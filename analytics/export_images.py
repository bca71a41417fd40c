"""The month's key charts as pictures (PNG at print resolution, SVG), rendered by kaleido with a Chrome,
Chromium or Edge already on the machine. Nothing is ever downloaded: without a browser, NoBrowser says so.
"""
import asyncio
import io
import json
import os
import shutil
import threading
import zipfile
from concurrent.futures import Future

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


class PictureSession:
    """One browser with `tabs` tabs, started in the background as soon as this is made (in a thread with an event
    loop of its own, also where the caller runs one), so the figures are built while it starts. `render` waits for
    it and may be called again, also from other threads; `close` ends the browser."""

    def __init__(self, tabs: int = TABS):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pictures", daemon=True)
        self._thread.start()
        self._browser = self._run(self._open(tabs))
        self._failed = False

    def _run(self, coroutine) -> Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    @staticmethod
    async def _open(tabs: int):
        import kaleido  # 0.3 s: only where pictures are made

        class Session(kaleido.Kaleido):
            async def _return_kaleido_tab(self, tab) -> None:
                """Kaleido 1.5 reloads the tab (4.8 MB of plotly.js parsed again) after every picture, and has no
                option not to; plotly's toImage draws each figure in a div of its own and removes it, so the tab is
                ready as it is."""
                await self.tabs_ready.put(tab)

        if (path := browser_path()) is None:
            raise NoBrowser(labels.NO_BROWSER)
        return await Session(n=tabs, path=path, mathjax=False).__aenter__()

    def render(self, figures: dict[str, go.Figure], formats=("png", "svg")) -> dict[str, bytes]:
        """File name → picture bytes, each picture rendered once, as many at a time as there are tabs. Raises
        NoBrowser when no browser is installed."""
        jobs = {}
        for stem, figure in figures.items():
            figure = legal_figure(figure)
            for kind in formats:
                jobs[f"{stem}.{kind}"] = figure, {"format": kind, "width": WIDTH, "height": _height(figure),
                                                  "scale": SCALE if kind == "png" else 1}

        async def all_pictures(browser) -> list[bytes]:
            return await asyncio.gather(*(browser.calc_fig(figure, opts=opts) for figure, opts in jobs.values()))

        try:
            return dict(zip(jobs, self._run(all_pictures(self._browser.result())).result()))
        except NoBrowser:
            raise
        except Exception:
            self._failed = True
            raise

    def working(self) -> bool:
        """False once a render failed (e.g. the browser crashed); a session without a browser works (NoBrowser)."""
        return not self._failed

    def close(self) -> None:
        """Ends the browser (once it started, or failed to); again, does nothing."""
        if not self._thread.is_alive():
            return
        if self._browser.exception() is None:
            self._run(self._browser.result().__aexit__(None, None, None)).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> "PictureSession":
        return self

    def __exit__(self, *_) -> None:
        self.close()


def render(figures: dict[str, go.Figure], formats=("png", "svg"), tabs: int = TABS) -> dict[str, bytes]:
    """File name → picture bytes, in a browser session of their own. Raises NoBrowser when no browser is installed."""
    with PictureSession(tabs) as session:
        return session.render(figures, formats)


def _height(figure: go.Figure) -> int:
    return max(HEIGHT, int(figure.layout.height or 0))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
