"""The month's download set (issue 12): every file, each opened and read back, pictures rendered once (the
bulletin carries the very PNGs of the zip), a month's set as that month stood, the set without a browser, one
browser session for many renders, and the 报表下载 page starting the browser when it opens, offering each file and
remembering the set for the store version."""
import io
import os
import time
import xml.etree.ElementTree as ElementTree
import zipfile

import docx
import openpyxl
import pytest
from PIL import Image

from analytics import labels, workspace
from analytics.downloads import STEPS, file_names, month_downloads
from analytics.export_images import HEIGHT, SCALE, WIDTH, NoBrowser, PictureSession, key_figures, render
from tests.test_pages import run

MONTH = "2024-09"


@pytest.fixture(scope="module")
def year(sample_database):
    """2024 as the page and `report` read it, from the sample database."""
    return workspace.year(workspace.open_store(f"sqlite:///{sample_database}", sample=False), 2024)


@pytest.fixture(scope="module")
def made(year):
    steps = []
    downloads = month_downloads(year, MONTH, progress=lambda n, total, label: steps.append((n, total, label)))
    return downloads, steps


def test_the_set_has_every_file_made_in_steps(made):
    downloads, steps = made
    assert sorted(downloads.files) == sorted(file_names(MONTH).values()) and downloads.pictures_missing == ""
    assert steps == [(0, 4, "Excel 汇总"), (1, 4, "网页报告"), (2, 4, "图表图片"), (3, 4, "月度通报")]


def test_pictures_are_png_and_svg_at_print_size(made):
    archive = zipfile.ZipFile(io.BytesIO(made[0].files[file_names(MONTH)["pictures"]]))
    assert archive.testzip() is None
    names = archive.namelist()
    assert sorted(names) == sorted(f"{stem}.{kind}" for stem in labels.PICTURE_STEMS.values() for kind in ("png", "svg"))
    for name in names:
        data = archive.read(name)
        if name.endswith(".png"):
            picture = Image.open(io.BytesIO(data))
            assert picture.format == "PNG" and picture.width == WIDTH * SCALE == 2400
            assert picture.height >= HEIGHT * SCALE and _spread(picture) > 150  # drawn, not blank
        else:
            svg = ElementTree.fromstring(data)
            assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("width") == str(WIDTH)
            assert len(list(svg.iter("{http://www.w3.org/2000/svg}text"))) > 5


def _spread(picture: Image.Image) -> int:
    low, high = picture.convert("L").getextrema()
    return high - low


def test_the_bulletin_carries_the_zips_pngs_and_the_workbook_opens(made):
    names = file_names(MONTH)
    archive = zipfile.ZipFile(io.BytesIO(made[0].files[names["pictures"]]))
    pngs = sorted(archive.read(name) for name in archive.namelist() if name.endswith(".png"))
    document = docx.Document(io.BytesIO(made[0].files[names["bulletin"]]))
    embedded = sorted(part.blob for part in document.part.package.parts if part.partname.startswith("/word/media/"))
    assert len(document.inline_shapes) == 6 and embedded == pngs  # rendered once, not again for the bulletin
    workbook = openpyxl.load_workbook(io.BytesIO(made[0].files[names["workbook"]]))
    assert len(workbook.sheetnames) >= 5
    html = made[0].files[names["html"]].decode()
    assert html.startswith("<!DOCTYPE html>") and html.count('class="plotly-graph-div"') == 6


def test_a_tab_used_again_draws_as_a_fresh_one(year):
    """The session keeps each tab for the next picture (no reload): a picture made after five others in the same
    tab is the picture made alone."""
    figures = key_figures(year.summary, year.records.inspections, MONTH)
    last = list(figures)[-1]
    together = render(figures, formats=("png",), tabs=1)[f"{last}.png"]
    alone = render({last: figures[last]}, formats=("png",))[f"{last}.png"]
    assert Image.open(io.BytesIO(together)).tobytes() == Image.open(io.BytesIO(alone)).tobytes()


def test_without_a_browser_everything_else_is_made(year, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    downloads = month_downloads(year, MONTH)
    names = file_names(MONTH)
    assert sorted(downloads.files) == sorted(names[kind] for kind in ("workbook", "bulletin", "html"))
    assert downloads.pictures_missing == labels.NO_BROWSER
    assert len(docx.Document(io.BytesIO(downloads.files[names["bulletin"]])).inline_shapes) == 0


def test_the_page_offers_each_file_and_a_second_visit_has_them_at_once(sample_url):
    at = run("pages/reports.py")
    assert [b.label for b in at.button] == ["生成 2024-12 报表"] and not at.download_button
    at.button[0].click().run()
    assert not at.exception
    offered = [b.label for b in at.download_button]
    assert offered == [f"下载{label}：{name}" for label, name in zip(
        ["Excel 汇总", "图表图片（.zip）", "月度通报（Word）", "网页报告（.html）"], file_names("2024-12").values())]
    assert at.get("progress")[0].proto.text == "已全部生成"
    again = run("pages/reports.py")  # another session, same store version: no button, every file offered
    assert [b.label for b in again.download_button] == offered and not [b for b in again.button if b.label.startswith("生成")]
    assert any(" → ".join(STEPS.values()) in caption.value for caption in again.caption)


def test_a_months_set_shows_that_month_and_none_after(sample_database):
    """The 2024-06 files as they stood at the end of June: months to June only, the annual table through June (the
    page's 年度考评 for June), never the year's later months."""
    year = workspace.year(workspace.open_store(f"sqlite:///{sample_database}", sample=False), 2024)
    june = year.summary.through("2024-06", year.roster.sections)
    assert june.months[-1] == "2024-06" and year.summary.months[-1] == "2024-12"
    for table in (june.section_months, june.bureau_months, june.areas, june.item_fail_rates):
        assert table["month"].max() == "2024-06"
    assert june.reasons["month"].max() <= "2024-06" < year.summary.reasons["month"].max()
    assert june.annual.equals(year.annual("2024-06")) and not june.annual.equals(year.summary.annual)


def test_a_months_set_is_made_as_the_month_stood_whoever_calls(year, made):
    """month_downloads takes the year and the month and cuts the figures at the month itself (no caller can
    forget): the September workbook and report end in September although the year runs to December."""
    names = file_names(MONTH)
    workbook = openpyxl.load_workbook(io.BytesIO(made[0].files[names["workbook"]]), read_only=True)
    months = [row[0] for row in workbook["全局按月"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert months[-1] == MONTH and year.summary.months[-1] == "2024-12"
    html = made[0].files[names["html"]].decode()
    assert "2024-10" not in html and "2024-12" not in html and MONTH in html


def test_one_session_renders_again_and_says_when_it_has_no_browser(year, monkeypatch):
    """The page's session: started once, ready for a second render (the next click) without starting again; none
    without a browser (NoBrowser, and still `working`: nothing to retry); a browser that fails is not working."""
    figure = {"one": key_figures(year.summary, year.records.inspections, MONTH)["06_一票否决"]}
    with PictureSession() as session:
        first, second = (Image.open(io.BytesIO(session.render(figure, formats=("png",))["one.png"])) for _ in "12")
        assert first.tobytes() == second.tobytes() and _spread(first) > 150 and session.working()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    with PictureSession() as session, pytest.raises(NoBrowser):
        session.render(figure)
    assert session.working()
    monkeypatch.setenv("BROWSER_PATH", "/bin/true")  # not a browser: it closes at once
    with PictureSession() as session, pytest.raises(Exception) as failed:
        session.render(figure)
    assert not isinstance(failed.value, NoBrowser) and not session.working()


def _browsers(at_least: int = 0) -> set[int]:
    """The browser processes started by this process (kaleido's children, through choreographer's wrapper),
    waiting up to 60 s for `at_least` of them: the session starts its browser in the background."""
    for _ in range(600):
        if len(found := _children_named(b"chrom")) >= at_least:
            return found
        time.sleep(0.1)
    return found


def _children_named(part: bytes) -> set[int]:
    children = set()
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as listed:
                children |= {int(pid) for pid in listed.read().split()}
        except FileNotFoundError:   # a thread that ended since it was listed
            continue
    return {pid for pid in children if part in _command(pid)}


def _command(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return command.read()
    except FileNotFoundError:
        return b""


def test_the_page_starts_the_browser_when_it_opens_and_keeps_it(sample_url):
    """Opening 报表下载 starts one browser before any click; the click and other sessions use that one."""
    run("pages/reports.py")
    opened = _browsers(at_least=1)
    assert len(opened) == 1
    at = run("pages/reports.py")
    at.button[0].click().run()
    assert not at.exception and len(at.download_button) == 4 and _browsers() == opened
