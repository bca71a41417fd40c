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
    "unreadable": "计划文件「{path}」无法读取：{reason}",
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
