"""Write the bundled sample data: a bureau's roster, a year of returns, and a few bad files.

Deterministic (fixed seeds): running it again rewrites the same content. Each section's clerk has
habits (layout, marks, numbering) that drift over the year, covering RETURN_FORMAT.md "Must be
accepted"; the 直属单位 send one combined workbook (layout B); December arrives as a zip with GBK
member names. `bad/` shows the rejection path.

    python sample_data/make_samples.py
"""
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.returns import (  # noqa: E402
    Bonus,
    Content,
    Event,
    Inspection,
    Task,
    layout_b_sheets,
    return_sheets,
    set_cells,
    write_gbk_zip,
    write_workbook,
)

YEAR = 2024
# 科室, 别名, 负责人, 类别, 设立月份, 撤销月份
ROSTER = [
    ("办公室", "局办、局办公室", "陈建国", "科室", "", ""),
    ("人事教育科", "人事科、人教科", "李秀英", "科室", "", ""),
    ("法规税政科", "法规科、税政科", "王志强", "科室", "", ""),
    ("预算科", "预算股", "张伟", "科室", "", ""),
    ("国库科", "国库股", "刘洋", "科室", "", ""),
    ("综合科", "", "杨静", "科室", "", ""),
    ("经济建设科", "经建科", "赵磊", "科室", "", ""),
    ("行政政法科", "行政科、政法科", "黄敏", "科室", "", ""),
    ("教科文科", "教科文", "周涛", "科室", "", ""),
    ("社会保障科", "社保科", "吴丽", "科室", "", ""),
    ("农业农村科", "农业科、农财科", "徐军", "科室", "", f"{YEAR}年9月"),
    ("金融科", "金融办", "孙燕", "科室", "", ""),
    ("会计科", "会计管理科", "马超", "科室", "", ""),
    ("监督检查科", "监督科", "朱红", "科室", "", ""),
    ("政府采购监督管理科", "采购科、政府采购科", "胡斌", "科室", "", ""),
    ("资产管理科", "资产科", "郭芳", "科室", "", ""),
    ("绩效评价科", "绩效科", "何平", "科室", f"{YEAR}年7月", ""),
    ("国库集中支付中心", "支付中心", "林涛", "直属单位", "", ""),
    ("财政投资评审中心", "评审中心", "高洁", "直属单位", "", ""),
    ("非税收入管理局", "非税局", "罗勇", "直属单位", "", ""),
    ("财政信息中心", "信息中心", "梁宇", "直属单位", "", ""),
]
COMBINED = ("国库集中支付中心", "财政投资评审中心", "非税收入管理局", "财政信息中心")  # layout B
MISSING = {("金融科", 5), ("教科文科", 8), ("综合科", 11), ("财政信息中心", 2)}          # 未报送

TASKS = [  # (area, task, planned range, deployed, weight of being in a month)
    ("宣传教育与干部培训", "理论学习中心组学习", (1, 2), False, 1.0),
    ("宣传教育与干部培训", "业务知识学习", (1, 4), False, 1.0),
    ("宣传教育与干部培训", "干部业务培训", (1, 2), False, 0.4),
    ("思想道德建设", "道德讲堂", (1, 1), False, 0.6),
    ("思想道德建设", "文明餐桌行动", (1, 2), False, 0.4),
    ("思想道德建设", "“最美财政人”宣传", (1, 2), False, 0.3),
    ("党风廉政建设", "廉政警示教育", (1, 1), False, 0.7),
    ("党风廉政建设", "公务接待费用审核", (1, 3), False, 0.4),
    ("文化活动", "节日文体活动", (1, 1), False, 0.5),
    ("文化活动", "科普知识宣传", (1, 2), False, 0.3),
    ("文明城市创建", "义务洁城日活动", (1, 1), True, 1.0),
    ("文明城市创建", "十字路口文明劝导", (2, 4), True, 0.7),
    ("文明城市创建", "“三万”活动帮扶村走访", (1, 2), False, 0.3),
    ("志愿服务", "关爱困难家庭走访", (1, 2), False, 0.6),
    ("志愿服务", "学雷锋志愿服务", (1, 3), False, 0.6),
    ("志愿服务", "网络文明传播", (2, 5), False, 0.4),
    ("环境卫生与硬件建设", "周二环境卫生清洁", (4, 5), False, 1.0),
    ("环境卫生与硬件建设", "绿化区整治", (1, 1), False, 0.3),
]
# How sections write a plan item (analytics/plan_2024.toml) in the month it falls due, under a task name above: the
# festivals under their own names (五四 is nobody's: overdue), the January responsibility letter for the sections
# that report 廉政警示教育 that month (the others miss it). Only names change: every figure stays.
PLAN_NAMES = {(1, "廉政警示教育"): "签订党风廉政建设责任书", (3, "节日文体活动"): "三八妇女节活动",
              (3, "学雷锋志愿服务"): "学雷锋集中行动", (5, "节日文体活动"): "“五一”劳动节 活动",
              (7, "节日文体活动"): "七一建党节活动", (10, "节日文体活动"): "国庆活动"}
PLACES = ("办公区", "走廊", "卫生间", "档案室", "会议室", "楼梯间")
EVENTS = {  # (section, month) → events reported in that month's return
    ("国库科", 3): [Event(dt.date(YEAR, 3, 12), "公务接待/会议/差旅费违规", "接待费用超标准列支，待局纪检组核实", "待核实")],
    ("国库科", 4): [Event(dt.date(YEAR, 3, 12), "公务接待/会议/差旅费违规", "接待费用超标准列支，经核实属实", "是", "已责令退回并通报")],
    ("办公室", 6): [Event(dt.date(YEAR, 6, 18), "不文明行为被曝光", "网络反映公车私用，经查为正常公务", "否", "已澄清")],
    ("资产管理科", 11): [Event(dt.date(YEAR, 11, 7), "安全责任事故", "档案室漏水，正在核实责任", "核实中")],
}
SHORTFALL = {("金融科", 9): "义务洁城日活动"}  # a task deployed by the city office left undone: a veto
BONUS = {
    ("预算科", 6): [Bonus(dt.date(YEAR, 6, 20), "职称考试", "刘晓", "中级会计师")],
    ("会计科", 10): [Bonus(dt.date(YEAR, 10, 15), "注册会计师", "马丽", "通过两科")],
    ("办公室", 4): [Bonus(dt.date(YEAR, 4, 9), "信息宣传", "陈晨", "市文明网采用"),
                   Bonus(dt.date(YEAR, 4, 22), "表彰奖励", "陈建国", "市级优秀志愿者")],
}


def habits(section: str, index: int, month: int) -> tuple[str, dict]:
    """The clerk's file type and layout habits; they drift over the year (the template drifts too)."""
    rng = random.Random(f"{section}-habits")
    suffix = ".xls" if index % 7 == 3 else ".ods" if index == 8 and month % 4 == 0 else ".xlsx"
    style = {
        "title_rows": rng.choice((0, 1, 2)),
        "block": rng.choice(("cells", "pairs", "one")),
        "month_style": rng.choice(("cn", "cn0", "dash", "dot", "compact", "date")),
        "area_style": rng.choice(("full", "full", "short", "paren", "digit", "cn", "paren_name")),
        "carry_area": rng.choice((None, "merge", "blank")),
        "count_style": rng.choice(("int", "int", "text", "spaced", "wide", "unit", "float")),
        "mark_style": rng.choice(tuple(("check", "tick", "yes", "number", "word"))),
        "date_style": rng.choice(("cell", "iso", "slash", "cn", "md")),
        "two_row_header": rng.random() < 0.4,
        "total": rng.random() < 0.5,
        "footer": rng.random() < 0.7,
        "blank_above": rng.choice((0, 0, 1, 3)),
        "template_rows": rng.choice((0, 0, 2, 5)),
        "fill_no": rng.random() < 0.6,
        "unit_name": rng.choice((section, f"市财政局{section}", f" {section} ")),
    }
    if month >= 7 and rng.random() < 0.5:  # mid-year a new template: other header names and units
        style["task_headers"] = ["序号", "工作类别", "具体任务", "计划完成数（次）", "实际完成数（次）", "上级部署", "说明"]
        style["two_row_header"] = True
    if month % 3 == 0:
        style["blank_inside"] = True
    return suffix, style


def content(section: str, month: int, year: int = YEAR) -> Content:
    rng = random.Random(f"{section}-{month}")
    tasks = []
    for area, task, (low, high), deployed, weight in TASKS:
        if rng.random() < weight:
            planned = rng.randint(low, high)
            done = planned if deployed or rng.random() < 0.75 else rng.choice((planned - 1, planned + 1, 0))
            if SHORTFALL.get((section, month)) == task:
                done = 0
            tasks.append(Task(area, PLAN_NAMES.get((month, task), task), planned, max(done, 0), deployed,
                              "超额完成" if done > planned else ""))
    days = [d for d in range(1, 29) if dt.date(year, month, d).weekday() == 1]  # the Tuesday checks
    inspections = []
    for day in days[:rng.choice((1, 2, 4))]:
        for place in rng.sample(PLACES, rng.randint(2, 4)):
            marks = tuple("fail" if rng.random() < 0.06 else "pass" for _ in range(9))
            if place != "卫生间":
                marks = marks[:5] + ("na",) + marks[6:]  # 厕所无臭味 does not apply where there is no toilet
            inspections.append(Inspection(dt.date(year, month, day), f"{section}{place}", marks, rng.choice(("王磊", "李娜"))))
    return Content(section, f"{year}-{month:02d}", tasks, inspections,
                   EVENTS.get((section, month), []), BONUS.get((section, month), []))


def exists(row: tuple, month: int) -> bool:
    start = int(row[4][5:-1]) if row[4] else 1
    end = int(row[5][5:-1]) if row[5] else 12
    return start <= month <= end


def write_roster(out: Path) -> None:
    rows = [["科室", "别名", "负责人", "类别", "设立月份", "撤销月份"], *map(list, ROSTER)]
    from tests.returns import Grid
    write_workbook(out / "roster.xlsx", {"组织名册": Grid(rows)})
    (out / "roster.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="gb18030")


def write_returns(out: Path) -> None:
    for month in range(1, 13):
        folder = out / "returns" / f"{YEAR}-{month:02d}"
        folder.mkdir(parents=True)
        files = {}
        for index, row in enumerate(ROSTER):
            section = row[0]
            if not exists(row, month) or (section, month) in MISSING or section in COMBINED:
                continue
            suffix, style = habits(section, index, month)
            name = rng_name(section, month, style, suffix)
            files[name] = (return_sheets(content(section, month), **style), suffix)
        combined = [content(s, month) for s in COMBINED if (s, month) not in MISSING]
        files[f"直属单位汇总_{YEAR}年{month}月.xlsx"] = (layout_b_sheets(
            combined, unit_names={"财政投资评审中心": "评审中心"}, unit_every_row=month % 2 == 0), ".xlsx")
        if month == 12:  # December arrives as one zip from a Chinese Windows machine
            members = {}
            for name, (sheets, _) in files.items():
                path = write_workbook(folder / name, sheets)
                members[f"12月月报/{name}"] = path.read_bytes()
                path.unlink()
            members["__MACOSX/._x.xlsx"] = b"junk"
            members["12月月报/~$预算科.xlsx"] = b"lock"
            write_gbk_zip(folder / f"{YEAR}年12月月报.zip", members)
        else:
            for name, (sheets, _) in files.items():
                write_workbook(folder / name, sheets)


def rng_name(section: str, month: int, style: dict, suffix: str) -> str:
    rng = random.Random(f"{section}-{month}-name")
    return rng.choice((f"{section}_{YEAR}年{month}月", f"{section}{YEAR}{month:02d}", f"{YEAR}-{month:02d}{section}月报",
                       f"月报_{rng.randint(1000, 9999)}", f"{section}文明创建月报")) + suffix


def write_bad(out: Path) -> None:
    """A few returns a clerk gets back, each with the reason."""
    bad = out / "bad"
    bad.mkdir()
    sheets = return_sheets(content("预算科", 3))
    set_cells(sheets, {("任务完成情况", 5, "完成数"): -2, ("九无卫生检查", 4, "无纸屑"): "?"})
    write_workbook(bad / "预算科_2024年3月_负数和错误标记.xlsx", sheets)
    write_workbook(bad / "国库科_2024年4月.xlsx", return_sheets(content("国库科", 3)))  # last month's file re-used
    write_workbook(bad / "档案科_2024年3月.xlsx", return_sheets(content("档案科", 3)))  # not on the roster
    sheets = return_sheets(content("综合科", 3), total=True)
    set_cells(sheets, {("任务完成情况", 4, "计划数"): "=1+1"})  # a formula never saved in Excel
    write_workbook(bad / "综合科_2024年3月_公式未保存.xlsx", sheets)
    (bad / "会计科_2024年3月.xlsx").write_text("这不是表格文件", encoding="utf-8")
    (bad / "监督检查科_2024年3月.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def main(out: Path = HERE) -> None:
    for name in ("returns", "bad", "roster.xlsx", "roster.csv"):
        target = out / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    write_roster(out)
    write_returns(out)
    write_bad(out)
    print(f"sample data written to {out}")


if __name__ == "__main__":
    main()
