"""The month's download set (issue 12): every file, each opened and read back, pictures rendered once (the
bulletin carries the very PNGs of the zip), the set without a browser, and the 报表下载 page offering each file
and remembering the set for the store version."""
import io
import xml.etree.ElementTree as ElementTree
import zipfile

import docx
import openpyxl
import pytest
from PIL import Image

from analytics import labels, workspace
from analytics.downloads import STEPS, file_names, month_downloads
from analytics.export_images import HEIGHT, SCALE, WIDTH, key_figures, render
from tests.test_pages import run

MONTH = "2024-09"


@pytest.fixture(scope="module")
def sample(sample_database):
    """The summary and inspections of 2024 as the page and `report` read them, from the sample database."""
    year = workspace.year(workspace.open_store(f"sqlite:///{sample_database}", sample=False), 2024)
    return year.summary, year.records.inspections


@pytest.fixture(scope="module")
def made(sample):
    steps = []
    downloads = month_downloads(*sample, MONTH, progress=lambda n, total, label: steps.append((n, total, label)))
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


def test_a_tab_used_again_draws_as_a_fresh_one(sample):
    """The session keeps each tab for the next picture (no reload): a picture made after five others in the same
    tab is the picture made alone."""
    figures = key_figures(*sample, MONTH)
    last = list(figures)[-1]
    together = render(figures, formats=("png",), tabs=1)[f"{last}.png"]
    alone = render({last: figures[last]}, formats=("png",))[f"{last}.png"]
    assert Image.open(io.BytesIO(together)).tobytes() == Image.open(io.BytesIO(alone)).tobytes()


def test_without_a_browser_everything_else_is_made(sample, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    downloads = month_downloads(*sample, MONTH)
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
