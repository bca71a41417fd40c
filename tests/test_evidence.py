"""Evidence (台账, issue 14 "Build" 5) with real files: photos, a PDF, an .xlsx sign-in sheet and a .docx kept, their
kind read from the bytes; a renamed executable, an oversized photo, a truncated one and a zip dressed as .docx refused
with the file named; who and when kept; removal and restore; a section only for itself; the year's 创建台账 .zip read
back, its .docx index with python-docx; and the page in AppTest."""
import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pip._vendor.distlib as distlib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from streamlit.testing.v1 import AppTest

from analytics import account_store, evidence_store, workspace
from analytics.config import DATABASE_URL_VARIABLE, SAMPLE_ROSTER
from analytics.evidence import THUMBNAIL_PIXELS, check_evidence
from analytics.evidence_export import archive_listing, folders
from analytics.evidence_store import EvidenceRefused, Target, add_evidence, evidence_of
from analytics.intake.roster import parse_roster
from analytics.labels_plan import (
    EVIDENCE_DONE_COLUMNS,
    EVIDENCE_INDEX_COLUMNS,
    EVIDENCE_INDEX_FILE,
    EVIDENCE_MESSAGES,
    EVIDENCE_OTHER_FOLDER,
    PLAN_STATES,
)
from analytics.plan import load_plan
from analytics.plan_calendar import plan_calendar
from analytics.schema import StaleChoice
from tests.conftest import ROOT, sign_in_apptest

WINDOWS_EXE = Path(distlib.__file__).with_name("w64.exe")   # a real Windows program (pip's launcher)
LINUX_EXE = Path("/bin/true")                                # a real Linux one


def photo(kind: str = "JPEG", size=(1600, 1200), noise: bool = False) -> bytes:
    """A real photo; `noise` makes it large (JPEG cannot compress random pixels)."""
    image = Image.new("RGB", size, (30, 120, 200))
    if noise:
        generator = random.Random(7)
        image = Image.frombytes("RGB", size, generator.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, kind, quality=95)
    return out.getvalue()


def pdf_scan() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "PDF")
    return out.getvalue()


def sign_in_sheet() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "科室", "签到时间"])
    book.active.append(["张三", "国库科", "2024-03-05 14:00"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("学雷锋志愿服务活动记录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return out.getvalue()


KEPT = {"现场照片.jpg": (photo, "jpg"), "展板.png": (lambda: photo("PNG"), "png"), "扫描件.pdf": (pdf_scan, "pdf"),
        "签到表.xlsx": (sign_in_sheet, "xlsx"), "活动记录.docx": (word_document, "docx")}


@pytest.mark.parametrize("name", KEPT)
def test_the_kinds_kept_are_read_from_the_bytes(name):
    make, kind = KEPT[name]
    check = check_evidence(name, make())
    assert check.accepted and check.kind == kind, check.problem
    if kind in ("jpg", "png"):
        with Image.open(io.BytesIO(check.thumbnail)) as small:
            assert small.format == "PNG" and max(small.size) == max(THUMBNAIL_PIXELS)
    else:
        assert check.thumbnail is None
    # The bytes decide, not the name: a PNG named .jpg is kept as what it is.
    assert check_evidence("照片.jpg", photo("PNG")).kind == "png"


@pytest.mark.parametrize("program, name, found", [(WINDOWS_EXE, "签到表.pdf", "Windows 可执行程序"),
                                                   (WINDOWS_EXE, "现场照片.jpg", "Windows 可执行程序"),
                                                   (LINUX_EXE, "活动记录.docx", "Linux 可执行程序")])
def test_a_renamed_executable_is_refused(program, name, found):
    check = check_evidence(name, program.read_bytes())
    extension = name.rsplit(".", 1)[1]
    assert not check.accepted and check.kind is None
    assert check.problem == EVIDENCE_MESSAGES["disguised"].format(name=name, extension=extension, found=found)


@pytest.mark.parametrize("name, data, code, found", [
    ("活动记录.docx", plain_zip(), "disguised", "压缩包（ZIP）"),
    ("说明.txt", "不是台账".encode(), "refused", "无法识别的格式"),
    ("setup.exe", WINDOWS_EXE.read_bytes(), "refused", "Windows 可执行程序"),
])
def test_other_contents_are_refused_naming_what_they_are(name, data, code, found):
    check = check_evidence(name, data)
    assert check.problem == EVIDENCE_MESSAGES[code].format(name=name, extension=name.rsplit(".", 1)[1], found=found)


def test_a_broken_or_empty_file_is_refused():
    whole = photo()
    assert check_evidence("现场照片.jpg", whole[: len(whole) // 2]).problem == EVIDENCE_MESSAGES["broken"].format(
        name="现场照片.jpg", kind="照片（JPG）")
    assert check_evidence("空.pdf", b"").problem == EVIDENCE_MESSAGES["empty"].format(name="空.pdf")


@pytest.fixture
def store(empty_url):
    return workspace.open_store(empty_url, sample=False)


FOR_ITEM = Target(2024, item="学雷锋志愿服务队")


def test_an_oversized_file_is_refused_and_nothing_of_its_batch_is_kept(store):
    evidence_store.set_max_evidence_mb(store, 0.5, "王磊")
    big = photo(size=(800, 800), noise=True)
    assert len(big) > 0.5 * 1024 * 1024
    with pytest.raises(EvidenceRefused) as refused:
        add_evidence(store, FOR_ITEM, [("签到表.xlsx", sign_in_sheet()), ("大照片.jpg", big)], "三月学雷锋", "王磊")
    assert refused.value.problems == [EVIDENCE_MESSAGES["too-large"].format(name="大照片.jpg", size=len(big) / 1024 / 1024,
                                                                            limit=0.5)]
    assert refused.value.files == 1
    assert evidence_of(store, 2024).empty and "evidence-add" not in set(store.log()["action"])
    evidence_store.set_max_evidence_mb(store, 5, "王磊")                     # the office raises the limit on 设置
    assert evidence_store.max_evidence_mb(store) == 5
    assert len(add_evidence(store, FOR_ITEM, [("签到表.xlsx", sign_in_sheet()), ("大照片.jpg", big)], "三月学雷锋", "王磊")) == 2
    with pytest.raises(EvidenceRefused):
        evidence_store.set_max_evidence_mb(store, 500, "王磊")                # beyond what the server takes


def test_a_renamed_executable_never_reaches_the_store(store):
    with pytest.raises(EvidenceRefused) as refused:
        add_evidence(store, FOR_ITEM, [("签到表.pdf", WINDOWS_EXE.read_bytes())], "签到", "王磊")
    assert "Windows 可执行程序" in refused.value.problems[0] and evidence_of(store, 2024).empty


def test_who_when_removal_and_restore_are_kept(store):
    first, second = add_evidence(store, Target(2024, section="国库科", month="2024-03", task="学雷锋志愿服务"),
                                 [("现场照片.jpg", photo()), ("扫描件.pdf", pdf_scan())], "3月5日学雷锋", "李芳")
    listing = evidence_of(store, 2024, thumbnails=True)
    assert list(listing["uploaded_by"]) == ["李芳", "李芳"] and listing["uploaded_at"].notna().all()
    assert listing["thumbnail"].map(lambda value: isinstance(value, bytes)).tolist() == [True, False]
    assert list(listing["kind"]) == ["jpg", "pdf"] and list(listing["note"]) == ["3月5日学雷锋"] * 2
    evidence_store.remove_evidence(store, first, "王磊")
    with pytest.raises(StaleChoice):                            # a colleague removed it a moment ago
        evidence_store.remove_evidence(store, first, "张伟")
    removed = evidence_of(store, 2024).set_index("id")
    assert removed.loc[first, "removed_by"] == "王磊" and removed.loc[second, "removed_at"] is None or \
        removed.loc[second, "removed_at"] != removed.loc[second, "removed_at"]
    evidence_store.restore_evidence(store, first, "王磊")
    assert evidence_of(store, 2024)["removed_at"].isna().all()
    assert list(store.log()["action"][:4]) == ["evidence-restore", "evidence-remove", "evidence-add", "evidence-add"]
    with pytest.raises(EvidenceRefused) as refused:
        add_evidence(store, FOR_ITEM, [("现场照片.jpg", photo())], "  ", "王磊")
    assert refused.value.problems == [EVIDENCE_MESSAGES["no-note"]] and refused.value.files == 0   # no file to fix


def test_a_section_attaches_and_removes_only_its_own(store):
    other = Target(2024, section="预算科", month="2024-03", task="学雷锋志愿服务")
    with pytest.raises(EvidenceRefused) as refused:
        add_evidence(store, other, [("现场照片.jpg", photo())], "学雷锋", "gkk", own_section="国库科")
    assert refused.value.problems == [EVIDENCE_MESSAGES["not-own"].format(section="国库科")]
    [theirs] = add_evidence(store, other, [("现场照片.jpg", photo())], "学雷锋", "王磊")
    with pytest.raises(EvidenceRefused):
        evidence_store.remove_evidence(store, theirs, "gkk", own_section="国库科")
    [own] = add_evidence(store, Target(2024, item="学雷锋志愿服务队", section="国库科"), [("展板.png", photo("PNG"))],
                         "展板", "gkk", own_section="国库科")
    evidence_store.remove_evidence(store, own, "gkk", own_section="国库科")


def test_the_years_archive_reads_back(sample_url):
    store = workspace.open_store(sample_url)
    shown = workspace.year(store, 2024)
    task = shown.records.tasks
    matched = task[task["task"].map(lambda name: shown.plan.item_of(name) is not None)].iloc[0]
    unmatched = task[task["task"].map(lambda name: shown.plan.item_of(name) is None)].iloc[0]
    item = shown.plan.item_of(matched["task"]).name
    add_evidence(store, Target(2024, item="学雷锋志愿服务队"), [("现场照片.jpg", photo()), ("现场照片.jpg", photo("PNG"))],
                          "3月5日学雷锋", "王磊")
    add_evidence(store, Target(2024, section=matched["section"], month=matched["month"], task=matched["task"]),
                           [("签到表.xlsx", sign_in_sheet())], "签到", "李芳")
    add_evidence(store, Target(2024, section=unmatched["section"], month=unmatched["month"],
                                       task=unmatched["task"]), [("活动记录.docx", word_document())], "记录", "李芳")
    [gone] = add_evidence(store, Target(2024, item="学雷锋志愿服务队"), [("错传.pdf", pdf_scan())], "错传", "王磊")
    evidence_store.remove_evidence(store, gone, "王磊")

    name, data = workspace.evidence_archive(store, workspace.year(store, 2024), "王磊")
    assert name == "2024年创建台账.zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    folders = [entry for entry in names if entry.endswith("/")]
    assert len(folders) == len(shown.plan.items) and folders[3] == "04 学雷锋志愿服务队/"   # one per item, plan order
    number = [item_.name for item_ in shown.plan.items].index(item) + 1
    expected = {"04 学雷锋志愿服务队/全局 现场照片.jpg", "04 学雷锋志愿服务队/全局 现场照片（2）.jpg",
                f"{number:02d} {item}/{matched['month']} {matched['section']} 签到表.xlsx",
                f"{EVIDENCE_OTHER_FOLDER}/{unmatched['month']} {unmatched['section']} 活动记录.docx"}
    assert set(names) - set(folders) == expected | {EVIDENCE_INDEX_FILE}                # the removed one is not in it
    assert archive.read("04 学雷锋志愿服务队/全局 现场照片（2）.jpg")[:8] == b"\x89PNG\r\n\x1a\n"
    assert check_evidence("签到表.xlsx", archive.read(next(n for n in names if n.endswith("签到表.xlsx")))).kind == "xlsx"

    index = docx.Document(io.BytesIO(archive.read(EVIDENCE_INDEX_FILE)))
    paragraphs = [paragraph.text for paragraph in index.paragraphs]
    assert paragraphs[0] == "2024 年文明单位创建台账索引"
    assert "共 27 个计划事项、4 份佐证材料" in paragraphs[1]
    assert [text for text in paragraphs if text[:3] in {f"{n:02d} " for n in range(1, 28)}] == \
        [folder.rstrip("/") for folder in folders]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in index.tables]
    rows = [row for table in tables if table[0] == EVIDENCE_INDEX_COLUMNS for row in table[1:]]
    assert ["1", "04 学雷锋志愿服务队/全局 现场照片.jpg", "全局", "本事项", "3月5日学雷锋", "王磊"] in [row[:6] for row in rows]
    assert [f"{number:02d} {item}/{matched['month']} {matched['section']} 签到表.xlsx", matched["section"],
            f"{matched['month']} {matched['task']}"] in [row[1:4] for row in rows]
    assert rows[-1][1].startswith(EVIDENCE_OTHER_FOLDER) and len(rows) == 4
    # What was done when: the calendar's months for the item, as /plan shows them (every month of a monthly item).
    done = [table for table in tables if table[0] == EVIDENCE_DONE_COLUMNS]
    calendar = plan_calendar(shown.plan, task, shown.roster.sections, "2024-12", closed=True)
    first = calendar[calendar["item"] == shown.plan.items[0].name]
    assert [row[:2] for row in done[0][1:]] == [[month, PLAN_STATES[state]] for month, state in zip(first["month"], first["state"])]
    assert done[0][1][2] == f"{len(first['reported'].iloc[0])}/{len(first['expected'].iloc[0])} 个科室"


def test_the_page_lists_removes_and_restores(sample_url, monkeypatch):
    store = workspace.open_store(sample_url)
    add_evidence(store, Target(2024, item="学雷锋志愿服务队"), [("现场照片.jpg", photo())], "3月5日学雷锋", "王磊")
    add_evidence(store, Target(2024, item="道德讲堂", section="预算科"), [("扫描件.pdf", pdf_scan())], "道德讲堂", "王磊")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/evidence.py").run()
    assert not at.exception and not at.error and [title.value for title in at.title] == ["创建台账"]
    listed = at.dataframe[0].value
    assert len(listed) == 2 and listed["缩略图"].iloc[0].startswith("data:image/png;base64,")
    assert pd.isna(listed["缩略图"].iloc[1]) and list(listed["上传人"]) == ["王磊", "王磊"]
    assert [button.label for button in at.get("download_button")][-1] == "下载 2024年创建台账.zip"
    remove = at.button(key="evidence_remove")
    assert remove.disabled                                     # until the removal is confirmed
    first = int(evidence_of(store, 2024)["id"].iloc[0])
    at.checkbox(key=f"evidence_remove_sure_{first}").check().run()
    at.button(key="evidence_remove").click().run()
    assert "已删除「现场照片.jpg」" in at.success[0].value and len(at.dataframe[0].value) == 1
    # The file shown next is not confirmed for removal by the tick given for the one before.
    assert [box.value for box in at.checkbox] == [False] and at.button(key="evidence_remove").disabled
    at.button[[button.label for button in at.button].index("恢复这份台账")].click().run()
    assert at.success[0].value == "已恢复「现场照片.jpg」。" and len(at.dataframe[0].value) == 2

    # A section account sees its own section's evidence only; a leader views and downloads, attaches nothing.
    account_store.add_account(store, "ysk", "password-1", "section", "王磊", sections=["预算科"], section="预算科")
    account_store.add_account(store, "leader", "password-1", "leader", "王磊")
    sign_in_apptest(monkeypatch, store, "ysk")
    section = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    section.switch_page("pages/evidence.py").run()
    assert not section.exception and list(section.dataframe[0].value["文件"]) == ["扫描件.pdf"]
    assert section.get("file_uploader") and not [b for b in section.get("download_button") if "创建台账" in b.label]
    sign_in_apptest(monkeypatch, store, "leader")
    leader = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    leader.switch_page("pages/evidence.py").run()
    assert not leader.exception and len(leader.dataframe[0].value) == 2
    assert not leader.get("file_uploader") and not leader.checkbox and "下载 2024年创建台账.zip" in \
        [button.label for button in leader.get("download_button")]


def test_the_archive_from_the_command_line(sample_url, tmp_path):
    store = workspace.open_store(sample_url)
    add_evidence(store, FOR_ITEM, [("现场照片.jpg", photo())], "3月5日学雷锋", "王磊")
    env = {**os.environ, DATABASE_URL_VARIABLE: sample_url}

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "analytics", "evidence-export", *argv], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    done = cli("--out", str(tmp_path / "台账"))
    path = tmp_path / "台账" / "2024年创建台账.zip"
    assert done.returncode == 0 and done.stdout.startswith(f"已写出 {path}"), done.stderr
    assert "04 学雷锋志愿服务队/全局 现场照片.jpg" in zipfile.ZipFile(path).namelist()
    refused = cli("--year", "2019", "--out", str(tmp_path))
    assert refused.returncode == 2 and "数据库中没有 2019 年的月报（有：2024）" in refused.stderr


names = st.text(alphabet=st.sampled_from(list('照片签到表a/\\:*?"<>| .')), min_size=1, max_size=12)


@given(files=st.lists(st.tuples(names, st.sampled_from([None, "学雷锋志愿服务队", "道德讲堂", "不在计划中"]),
                                st.sampled_from([None, "国库科", "预算科"])), max_size=12), seed=st.randoms())
def test_every_file_has_its_own_place_in_the_archive_whatever_the_order(files, seed):
    """However the files come (names alike, unsafe characters, any order), each is placed once, in its item's folder
    (or the other tasks' one), with a name every system takes; the placing of one never depends on the others' order
    beyond the numbering of names alike."""
    plan = load_plan()
    frame = pd.DataFrame([{"id": n, "year": 2024, "item": item, "section": section, "month": None if item else "2024-03",
                           "task": None if item else "不在计划中的任务", "name": name, "removed_at": None}
                          for n, (name, item, section) in enumerate(files)],
                         columns=["id", "year", "item", "section", "month", "task", "name", "removed_at"])
    order = list(frame.index)
    seed.shuffle(order)
    for listing in (archive_listing(plan, frame), archive_listing(plan, frame.loc[order])):
        assert listing["path"].is_unique and len(listing) == len(files)
        for row in listing.itertuples():
            folder, file_name = row.path.split("/")
            expected = folders(plan).get(row.item, EVIDENCE_OTHER_FOLDER) if isinstance(row.item, str) else \
                EVIDENCE_OTHER_FOLDER
            assert folder == expected and file_name and not set(file_name) & set('\\/:*?"<>|')
    kept = archive_listing(plan, frame).set_index("id")["path"].map(lambda path: path.split("/")[0])
    assert kept.equals(archive_listing(plan, frame.loc[order]).set_index("id")["path"].map(
        lambda path: path.split("/")[0]).loc[kept.index])


def test_the_size_limit_is_set_on_settings(sample_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/settings.py").run()
    assert at.button(key="evidence_limit_save").disabled                  # nothing changed yet
    at.selectbox(key="evidence_limit").set_value(20.0).run()
    at.button(key="evidence_limit_save").click().run()
    assert not at.exception and "台账附件上限由 10 MB 改为 20 MB" in at.success[0].value
    assert evidence_store.max_evidence_mb(workspace.open_store(sample_url)) == 20
    assert "evidence-limit" in set(workspace.open_store(sample_url).log()["action"])


def test_the_plan_page_says_how_much_evidence_an_item_has(sample_url):
    store = workspace.open_store(sample_url)
    add_evidence(store, FOR_ITEM, [("现场照片.jpg", photo()), ("签到表.xlsx", sign_in_sheet())], "3月5日学雷锋", "王磊")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/plan.py").run()
    at.selectbox(key="plan_item").set_value("学雷锋志愿服务队").run()
    assert not at.exception
    assert any(caption.value.startswith("创建台账：本事项已有 2 份佐证材料") for caption in at.caption)
    at.selectbox(key="plan_item").set_value("道德讲堂").run()
    assert any(caption.value.startswith("创建台账：本事项已有 0 份佐证材料") for caption in at.caption)


def test_a_roster_dropping_a_section_holding_only_evidence_asks_its_fate_and_a_rename_takes_it(empty_url):
    store = workspace.open_store(empty_url, sample=False)
    add_evidence(store, Target(2024, item="道德讲堂", section="预算科"), [("讲堂.png", photo("PNG"))], "道德讲堂", "王磊")
    text = SAMPLE_ROSTER.with_suffix(".csv").read_bytes().decode("gb18030")
    renamed = text.replace("\n预算科,", "\n预算管理科,", 1).encode("gb18030")
    assert workspace.dropped_sections(store, parse_roster(renamed, "新名册.csv"))["section"].tolist() == ["预算科"]
    workspace.replace_roster(store, "新名册.csv", renamed, "王磊", {"预算科": ("rename", "预算管理科")})
    assert evidence_of(store, 2024)["section"].tolist() == ["预算管理科"]
