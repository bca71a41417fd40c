"""A self-contained HTML report with the interactive charts: plotly.js is embedded, so it opens offline."""
import html

import plotly.graph_objects as go

from analytics.charts import CONFIG
from analytics.export_images import legal_figure
from analytics.intake.normalize import xml_text


def html_report(title: str, figures: dict[str, go.Figure], notes: list[str]) -> str:
    """One page: the title, a few lines of figures, every chart (plotly.js inline once, nothing fetched); only
    text XML can hold (the same guard as every export)."""
    parts = [legal_figure(figure).to_html(full_html=False, include_plotlyjs=(n == 0), config=CONFIG)
             for n, figure in enumerate(figures.values())]
    title = xml_text(title)
    lines = "".join(f"<li>{html.escape(xml_text(note))}</li>" for note in notes)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            '<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;'
            'max-width:1200px;color:#222}h1{color:#1f4e79}li{margin:.3em 0}</style></head><body>'
            f"<h1>{html.escape(title)}</h1><ul>{lines}</ul>{''.join(parts)}</body></html>")
