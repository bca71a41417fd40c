"""Write real monthly returns the way clerks do: the tests' and the sample data's builder.

`return_sheets(content, **style)` lays a return out as grids (one per sheet); `write_workbook` writes
grids as .xlsx (openpyxl), .xls (xlwt) or .ods (odfpy); `write_return` does both. Every style option
is one variation of RETURN_FORMAT.md "Must be accepted".
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

NINE = ("无烟头", "无纸屑", "无痰迹", "无杂物", "无乱写乱画", "厕所无臭味", "无蚊蝇", "无污水", "无脏物")
AREA_NUMBERS = {"宣传教育与干部培训": 1, "思想道德建设": 2, "党风廉政建设": 3, "文化活动": 4,
                "文明城市创建": 5, "志愿服务": 6, "环境卫生与硬件建设": 7}
AREA_SHORT = {"宣传教育与干部培训": "宣传教育", "思想道德建设": "思想道德", "党风廉政建设": "党风廉政",
              "文化活动": "文体活动", "文明城市创建": "文明城市创建", "志愿服务": "志愿服务活动",
              "环境卫生与硬件建设": "环境卫生"}
CN_DIGITS = "一二三四五六七"
MARK_STYLES = {"check": ("√", "×", "—"), "tick": ("✓", "✗", "/"), "yes": ("是", "否", "不适用"),
               "number": (1, 0, "-"), "word": ("合格", "不合格", "无此项")}


@dataclass
class Task:
    area: str
    task: str
    planned: object
    done: object
    deployed: bool = False
    note: str = ""


@dataclass
class Inspection:
    date: dt.date
    place: str
    marks: tuple          # nine of "pass" / "fail" / "na"
    inspector: str = "王磊"


@dataclass
class Event:
    date: dt.date
    category: str
    description: str
    status: str = "待核实"
    handling: str = ""


@dataclass
class Bonus:
    date: dt.date
    category: str
    person: str
    note: str = ""


@dataclass
class Content:
    section: str = "预算科"
    month: str = "2024-03"
    tasks: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    events: list = field(default_factory=list)
    bonus: list = field(default_factory=list)


def default_content(section="预算科", month="2024-03") -> Content:
    year, mon = int(month[:4]), int(month[5:])
    day = dt.date(year, mon, 5)
    return Content(section, month, tasks=[
        Task("宣传教育与干部培训", "业务知识学习", 2, 2),
        Task("宣传教育与干部培训", "理论学习专题会", 1, 1),
        Task("思想道德建设", "道德讲堂", 1, 0),
        Task("文明城市创建", "义务洁城日", 1, 1, deployed=True),
        Task("志愿服务", "学雷锋志愿服务", 2, 3),
        Task("环境卫生与硬件建设", "每周二卫生清洁", 4, 4),
    ], inspections=[
        Inspection(day, "302办公室", ("pass",) * 9),
        Inspection(day, "三楼卫生间", ("pass", "fail") + ("pass",) * 7),
        Inspection(day, "档案室", ("pass",) * 5 + ("na",) + ("pass",) * 3),
    ])


@dataclass
class Grid:
    rows: list = field(default_factory=list)
    merges: list = field(default_factory=list)    # (r0, c0, r1, c1), 0-based inclusive

    def add(self, *cells) -> int:
        self.rows.append(list(cells))
        return len(self.rows) - 1


def month_text(month: str, style: str):
    year, mon = int(month[:4]), int(month[5:])
    return {"cn": f"{year}年{mon}月", "cn0": f"{year}年{mon:02d}月", "dash": f"{year}-{mon:02d}",
            "dot": f"{year}.{mon}", "compact": f"{year}{mon:02d}", "date": dt.date(year, mon, 1)}[style]


def date_value(day: dt.date, style: str):
    return {"cell": day, "iso": day.isoformat(), "slash": f"{day.year}/{day.month}/{day.day}",
            "cn": f"{day.year}年{day.month}月{day.day}日", "md": f"{day.month}月{day.day}日"}[style]


def area_value(area: str, style: str):
    if area not in AREA_NUMBERS:  # typed as given (spaces, misspellings)
        return area
    number = AREA_NUMBERS[area]
    return {"full": area, "short": AREA_SHORT[area], "paren": f"（{CN_DIGITS[number - 1]}）", "digit": number,
            "cn": CN_DIGITS[number - 1], "paren_name": f"（{CN_DIGITS[number - 1]}）{area}"}[style]


def count_value(count, style: str):
    if not isinstance(count, int):
        return count
    return {"int": count, "text": str(count), "spaced": f" {count} ", "wide": str(count).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")), "unit": f"{count}次", "float": float(count)}[style]


def _block(grid: Grid, content: Content, style: dict, width: int) -> None:
    for n in range(style.get("title_rows", 1)):
        grid.add(f"{content.month[:4]}年度文明单位创建工作月报表" if n == 0 else "（各科室、直属单位每月5日前报送）")
        grid.merges.append((len(grid.rows) - 1, 0, len(grid.rows) - 1, width - 1))
    unit = style.get("unit_name", content.section)
    month = month_text(content.month, style.get("month_style", "cn"))
    block = style.get("block", "cells")
    if block == "cells":
        grid.add(f"填报单位：{unit}", "", "", f"报表月份：{month}" if not isinstance(month, dt.date) else "报表月份：", month)
    elif block == "pairs":
        grid.add("填报单位", unit, "", "报表月份", month)
    elif block == "one":
        grid.add(f"填报单位（盖章）：{unit}    报表月份：{month}")
    for _ in range(style.get("blank_above", 0)):
        grid.add()


def _footer(grid: Grid, style: dict) -> None:
    if style.get("footer", True):
        grid.add()
        grid.add("填报人：王磊", "", "审核人：张伟", "", "填报日期：")


def task_sheet(content: Content, style: dict, units: list | None = None) -> Grid:
    """任务完成情况; `units` makes layout B: (unit, tasks) pairs and a 填报单位 column."""
    headers = style.get("task_headers", ["序号", "创建内容", "工作任务", "计划数", "完成数", "是否市文明办部署", "说明"])
    if units:
        headers = ["填报单位", *headers]
    grid = Grid()
    _block(grid, content, style, len(headers))
    grid.add(*headers)
    area_column = headers.index(next(h for h in headers if h.strip() in ("创建内容", "工作类别", "类别", "项目")))
    counts = style.get("count_style", "int")
    number = 0
    for unit, tasks in units or [(None, content.tasks)]:
        previous_area, first_row_of_area = None, None
        for position, task in enumerate(tasks):
            number += 1
            area = area_value(task.area, style.get("area_style", "full"))
            same = task.area == previous_area and style.get("carry_area") in ("merge", "blank")
            row = [number, "" if same else area, task.task, count_value(task.planned, counts),
                   count_value(task.done, counts), "是" if task.deployed else ("否" if style.get("fill_no", True) else ""),
                   task.note]
            if units:
                row = [unit if style.get("unit_every_row", True) or position == 0 else "", *row]
            r = grid.add(*row)
            if same and style.get("carry_area") == "merge":
                grid.merges = [m for m in grid.merges if m[:2] != (first_row_of_area, area_column)]
                grid.merges.append((first_row_of_area, area_column, r, area_column))
            elif not same:
                first_row_of_area = r
            previous_area = task.area
            if style.get("blank_inside") and number == 2:
                grid.add()
        if style.get("subtotals"):
            _total(grid, "小计", tasks, headers, units)
    if style.get("total"):
        _total(grid, style.get("total_word", "合计"), [t for _, ts in units or [(None, content.tasks)] for t in ts],
               headers, units, style.get("total_off_by", 0))
    for blank in range(style.get("template_rows", 0)):
        grid.add(len(content.tasks) + blank + 1)
    _footer(grid, style)
    return grid


def _total(grid: Grid, word: str, tasks: list, headers: list, units, off_by: int = 0) -> None:
    row = [""] * len(headers)
    row[1 if units else 0] = word
    planned_column = headers.index(next(h for h in headers if h.startswith(("计划", "目标"))))
    row[planned_column] = sum(t.planned for t in tasks if isinstance(t.planned, int)) + off_by
    row[planned_column + 1] = sum(t.done for t in tasks if isinstance(t.done, int))
    grid.add(*row)


def hygiene_sheet(content: Content, style: dict, units: list | None = None) -> Grid:
    items = list(style.get("items", NINE))
    grid = Grid()
    width = 3 + len(items) + 2 + bool(units)
    _block(grid, content, style, width)
    if style.get("two_row_header"):
        r = grid.add("序号", "检查日期", "检查区域", "九无检查项目", *[""] * (len(items) - 1), "检查人", "备注")
        grid.add("", "", "", *items, "", "")
        for c in (0, 1, 2, width - 2, width - 1):
            grid.merges.append((r, c, r + 1, c))
        grid.merges.append((r, 3, r, 3 + len(items) - 1))
    else:
        grid.add(*(["科室"] if units else []), "序号", style.get("date_header", "检查日期"),
                 style.get("place_header", "检查区域"), *items, "检查人", "备注")
    passed, failed, na = MARK_STYLES[style.get("mark_style", "check")]
    marks = {"pass": passed, "fail": failed, "na": na}
    n = 0
    for unit, inspections in units or [(None, content.inspections)]:
        for inspection in inspections:
            n += 1
            grid.add(*([unit] if units else []), n, date_value(inspection.date, style.get("date_style", "cell")),
                     inspection.place, *[marks[m] for m in inspection.marks], inspection.inspector, "")
    for blank in range(style.get("template_rows", 0)):
        grid.add(len(content.inspections) + blank + 1, "", "")
    _footer(grid, style)
    return grid


def veto_sheet(content: Content, style: dict) -> Grid:
    grid = Grid()
    _block(grid, content, style, 6)
    grid.add("序号", "发生日期", "事项类别", "事项说明", "是否属实", "处理情况")
    for n, event in enumerate(content.events, start=1):
        grid.add(n, date_value(event.date, style.get("date_style", "cell")), event.category, event.description,
                 event.status, event.handling)
    if not content.events and style.get("nothing_row", True):
        grid.add(1, "", "无", "本月无", "", "")
    _footer(grid, style)
    return grid


def bonus_sheet(content: Content, style: dict) -> Grid:
    grid = Grid()
    _block(grid, content, style, 5)
    grid.add("序号", "日期", "加分类别", "人员", "说明")
    for n, bonus in enumerate(content.bonus, start=1):
        grid.add(n, date_value(bonus.date, style.get("date_style", "cell")), bonus.category, bonus.person, bonus.note)
    _footer(grid, style)
    return grid


SHEET_NAMES = ("任务完成情况", "九无卫生检查", "一票否决事项", "加分事项")


def return_sheets(content: Content, **style) -> dict:
    """A layout-A return as {sheet name: Grid}; `style` picks the clerk's variations."""
    names = style.get("sheet_names", SHEET_NAMES)
    sheets = {names[0]: task_sheet(content, style), names[1]: hygiene_sheet(content, style)}
    if style.get("veto_sheet", True):
        sheets[names[2]] = veto_sheet(content, style)
    if content.bonus or style.get("bonus_sheet"):
        sheets[names[3]] = bonus_sheet(content, style)
    return sheets


def set_cells(sheets: dict, cells: dict) -> None:
    """Overwrite cells by (sheet, spreadsheet row, header name): {("任务完成情况", 7, "完成数"): -2}."""
    for (sheet, row, header), value in cells.items():
        grid = sheets[sheet]
        header_row = next(r for r in grid.rows if header in r)
        column = header_row.index(header)
        while len(grid.rows) < row:
            grid.rows.append([])
        target = grid.rows[row - 1]
        target.extend([""] * (column + 1 - len(target)))
        target[column] = value


def write_return(path, content: Content | None = None, cells: dict | None = None, **style) -> Path:
    sheets = return_sheets(content or default_content(), **style)
    set_cells(sheets, cells or {})
    return write_workbook(path, sheets)


def write_workbook(path, sheets: dict) -> Path:
    """Write grids as .xlsx/.xlsm (openpyxl), .xls (xlwt) or .ods (odfpy), by the path's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        _write_xls(path, sheets)
    elif suffix == ".ods":
        _write_ods(path, sheets)
    else:
        _write_xlsx(path, sheets)
    return path


def _write_xlsx(path: Path, sheets: dict) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, grid in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value not in ("", None):
                    sheet.cell(r, c, value)
        for r0, c0, r1, c1 in grid.merges:
            sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    workbook.save(path)


def _write_xls(path: Path, sheets: dict) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, grid in sheets.items():
        sheet = workbook.add_sheet(name)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in grid.merges}
        covered = {(r, c) for r0, c0, r1, c1 in grid.merges
                   for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - set(merged)
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                style = date_style if isinstance(value, dt.date) else xlwt.Style.default_style
                if isinstance(value, str) and value.startswith("="):  # a formula; xlwt saves no value for it
                    value = xlwt.Formula(value[1:])
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    sheet.write_merge(r, r1, c, c1, value, style)
                elif value not in ("", None):
                    sheet.write(r, c, value, style)
    workbook.save(str(path))


def _write_ods(path: Path, sheets: dict) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, grid in sheets.items():
            width = max((len(r) for r in grid.rows), default=1)
            rows = [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in grid.rows]
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)


def layout_b_sheets(contents: list, **style) -> dict:
    """One workbook for many sections of one month: each table has a 填报单位 column."""
    first = contents[0]
    style = {"unit_name": "市财政局", **style}
    names = [style.get("unit_names", {}).get(c.section, c.section) for c in contents]
    return {"任务完成情况": task_sheet(first, style, units=[(n, c.tasks) for n, c in zip(names, contents)]),
            "九无卫生检查": hygiene_sheet(first, style, units=[(n, c.inspections) for n, c in zip(names, contents)])}


def write_gbk_zip(path, members: dict) -> Path:
    """A zip whose member names are GBK bytes without the UTF-8 flag, as Chinese Windows writes them."""
    import io
    import zipfile

    buffer, renames = io.BytesIO(), {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (name, data) in enumerate(members.items()):
            encoded = name.encode("gbk")
            placeholder = f"{n:04d}".encode().ljust(len(encoded), b"_")  # same length: offsets stay valid
            renames[placeholder] = encoded
            archive.writestr(placeholder.decode(), data)
    raw = buffer.getvalue()
    for placeholder, encoded in renames.items():
        raw = raw.replace(placeholder, encoded)
    Path(path).write_bytes(raw)
    return Path(path)
