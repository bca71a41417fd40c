"""The words of the plan (issue 14): the plan file and its checks, the calendar, 六个一, the city's deployed tasks,
evidence (台账) and inspection-team sheets; as labels.py, beside it. Each part appends its block at the end."""

# The plan file (analytics/plan.py, analytics/plan_2024.toml) ----------------------------------------------------
PLAN_WHO = {"全局": "bureau", "各科室": "sections"}          # who = … in the file → PlanItem.who
PLAN_WEEKDAYS = "一二三四五六日"                              # 每周二 → weekday 1 (Monday 0); 每周天 is 每周日
PLAN_WEEKDAY_OTHER = {"天": "日"}
PLAN_EVERY_MONTH, PLAN_EVERY_WEEK = "每月", "每周"
PLAN_MONTH, PLAN_BY_MONTH = "{month}月", "{month}月底前"
PLAN_MONTH_FORMS = {"month": r"(\d{1,2})月", "by_month": r"(\d{1,2})月底?前"}   # when = "3月" / "6月底前" (or "6月前")
PLAN_SIX_ONES = ("一堂", "一队", "一牌", "一桌", "一传播", "一帮扶")   # the bureau's 六个一, in the plan's order
PLAN_LIST_SEPARATOR = "、"
# Ignored when names are compared (with spaces): quotes, brackets and the punctuation clerks put around a name.
PLAN_NAME_PUNCTUATION = "\"'“”‘’《》〈〉「」『』()（）【】[]、,，.。·•:：;；!！?？-—_"
PLAN_WHEN_FORMS = "日期（如 2024-03-05）、「3月」、「每月」、「每周二」或「6月底前」"
PLAN_MESSAGES = {
    "not-utf8": "计划文件「{name}」不是 UTF-8 编码的文本文件：请用记事本等编辑器按 UTF-8 保存后再上传",
    "bad-format": "计划文件「{name}」格式有误：{error}",
    "problems": "计划文件「{name}」有误：{problems}",
    "separator": "；",
    "bad-year": "year 应为 2000 到 2099 之间的年份，现为 {value!r}",
    "no-items": "没有任何计划事项：每项写一节 [[items]]",
    "unknown-top": "未知的项「{key}」（只应有 year 和 [[items]]）",
    "item": "第 {number} 项「{name}」：{problem}",
    "missing": "缺少 {key}（{what}）",
    "unknown-key": "未知的项「{key}」",
    "not-text": "{key} 应为文字，现为 {value!r}",
    "not-bool": "{key} 应为 true 或 false，现为 {value!r}",
    "not-list": "aliases 应为文字列表，如 [\"别名一\", \"别名二\"]，现为 {value!r}",
    "unknown-area": "创建内容「{value}」不是七项之一（{areas}）",
    "unknown-who": "who 为「{value}」：应为「全局」或「各科室」",
    "bad-when": "when 为「{value}」，无法识别：应为{forms}",
    "other-year": "when 的日期 {value} 不在计划年度 {year} 年内",
    "unknown-six-ones": "six_ones 为「{value}」：应为六个一之一（{six_ones}）",
    "six-ones-twice": "六个一「{value}」已由第 {first} 项给出",
    "same-name": "与第 {first} 项同名或别名相同（「{value}」）：每个名称只能指一项",
}
PLAN_KEY_NAMES = {"name": "事项名称", "area": "创建内容，七项之一", "who": "全局或各科室", "when": "时间",
                  "words": "出自计划原文的句子"}
PLAN_CHECKED = "计划文件「{name}」（{digest}）校验通过：{year} 年，{items} 个事项，其中六个一 {six_ones} 项、市文明办部署 {deployed} 项。"
CLI_HELP_PLAN = {"plan": "工作计划文件：校验", "check": "校验计划文件，逐项列出问题（不给文件则校验现行计划）",
                 "path": "计划文件（.toml）；省略则为看板数据库中的现行计划"}
PLAN_IN_FORCE = "现行计划：{name}（{digest}），{year} 年，{items} 个事项。"

# Issue 14 "Build" 6: inspection-team sheets (检查组检查表) ----------------------------------------------------------
TEAM_SHEET_STATES = {"current": "有效", "withdrawn": "已撤回",
                     "unchanged": "「{name}」已是{state}状态（可能已有同事操作）：未作改动"}
TEAM_SHEET_KIND = {"returns": "科室月报", "team": "检查组检查表"}
TEAM_SHEET_TEXT = {
    "kind": "上传类型",
    "help": "检查组检查表：一张表含多个科室的九无检查记录（须有「科室」或「被检查单位」列）；只计入各科室当月九无得分，不算报送。",
    "uploader": "上传检查组检查表（.xlsx / .xls / .ods，一次一个文件；先校验，确认后才导入）",
    "checking": "正在校验…",
    "accepted": "校验通过：{month}，{sections} 个科室，{rows} 条检查记录。",
    "rejected": "校验未通过，整个文件不会导入：请改正以下问题后重新上传。",
    "import": "导入检查组检查表",
    "imported": "已导入检查组检查表「{name}」（{month}）。",
    "known": "「{name}」已导入过，不会重复导入。",
    "list": "已导入的检查组检查表",
    "none": "还没有导入过检查组检查表。",
    "withdraw": "撤回",
    "restore": "恢复",
    "withdrawn": "已撤回「{name}」：其检查记录不再计入九无得分。",
    "restored": "已恢复「{name}」：其检查记录重新计入九无得分。",
    "line": "{month} · {name} · {sections} · {rows} 条 · {at:%Y-%m-%d %H:%M} {who}",
}
TEAM_SHEET_NAMES = {"section": "科室", "rows": "检查记录数", "nine_no_score": "九无得分"}
TEAM_SHEET_CLI = {"help": "校验并导入一份检查组检查表（只计入各科室九无得分，不算报送）",
                  "file": "检查组检查表文件（.xlsx / .xls / .ods）",
                  "imported": "已导入：{month}，{sections} 个科室，{rows} 条检查记录",
                  "known": "该文件已导入过，未重复导入",
                  "rejected": "未导入：{file}"}
# The calendar (/plan, analytics/plan_calendar.py) and the bulletin's plan status -------------------------------
PLAN_PAGE = "工作计划"
PLAN_STATES = {"done": "已完成", "partial": "部分完成", "overdue": "逾期未报", "not_due": "未到期"}
PLAN_MARKS = {"done": "✓", "partial": "△", "overdue": "✗", "not_due": "○"}   # marks the system fonts all have
PLAN_KEY = "✓ 已完成（绿）　△ 部分完成：部分科室未报或次数不足（黄）　✗ 逾期未报（红）　○ 未到期　空白：该月无此事项"
PLAN_WHO_NAMES = {"bureau": "全局", "sections": "各科室"}
PLAN_COLUMNS = {"item": "事项", "area": "创建内容", "who": "开展单位", "when": "时间", "month": "月份", "state": "状态",
                "reported": "已报送", "missing": "未报送", "expected": "应开展"}
PLAN_ALL_AREAS = "全部"
PLAN_OVERDUE = "逾期未报（已过时间、无人报告或应报科室都未报告）的计划事项 {overdue} 项次；另有 {partial} 项次已过时间、部分科室未报。"
PLAN_OVERDUE_LIST = "已过时间未完成的事项（{count} 项次）"
PLAN_NONE_OVERDUE = "截至 {month}，没有逾期未完成的计划事项。"
PLAN_REPORTED_BY, PLAN_MISSING_BY = "已报送的科室", "未报送的科室"
PLAN_BUREAU_NOTE = "全局事项：任一科室报送即算完成。"

# 六个一 and the city's deployed tasks (issue 14 "Build" 3, 4: analytics/plan_store.py, analytics/ledger.py,
# pages/ledger.py) ----------------------------------------------------------------------------------------------
SIX_ONES_STATES = {"established": "建立", "missing": "未建立", "outdated": "需更新"}
SIX_ONES_UNCONFIRMED = "未确认"
LEDGER_MESSAGES = {
    "no-note": "请填写说明：确认六个一的状态须写明依据",
    "unknown-state": "状态「{value}」不是建立、未建立、需更新之一",
    "unknown-six-ones": "「{value}」不是六个一之一",
    "no-name": "请填写部署任务的名称",
    "unknown-area": "创建内容「{value}」不是七项之一",
    "bad-month": "完成月份「{value}」应为 YYYY-MM",
    "no-sections": "请选择科室，或选“全部科室”",
    "already-undone": "这条确认已被撤销（可能是同事刚刚撤销的）",
    "already-removed": "这项部署任务已被删除（可能是同事刚刚删除的）",
    "not-removed": "这项部署任务未被删除，无需恢复",
    "confirmed": "六个一「{six_ones}」确认为“{state}”：{note}",
    "undone": "撤销六个一「{six_ones}」的确认（{state}，{who} {at}）",
    "added": "{name}（{area}，{due_month} 前完成，{sections}）",
    "removed": "删除部署任务 {name}（{due_month}）",
    "restored": "恢复部署任务 {name}（{due_month}）",
}
ALL_SECTIONS = "全部科室"
SIX_ONES_COLUMNS = {"six_ones": "六个一", "item": "计划事项", "state": "状态", "last_month": "最近开展",
                    "last_sections": "报告科室", "who": "确认人", "at": "确认时间", "note": "说明"}
DEPLOYED_COLUMNS = {"id": "编号", "name": "部署任务", "area": "创建内容", "due_month": "完成月份", "sections": "科室",
                    "note": "说明", "done": "已完成", "expected": "应完成科室",
                    "removed_at": "删除时间", "removed_by": "删除人"}
OVERDUE_COLUMNS = {"name": "部署任务", "due_month": "完成月份", "section": "科室"}
DONE_MARKS = {True: "✓", False: "✗"}
