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
PLAN_EVIDENCE = "创建台账：本事项已有 {count} 份佐证材料（在「创建台账」页上传、查看和导出；台账不改变这里的开展情况，开展情况据月报）。"
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

# Evidence (台账, issue 14 "Build" 5: analytics/evidence.py, evidence_store.py, evidence_export.py, pages/evidence.py)
EVIDENCE_PAGE = "创建台账"
EVIDENCE_KINDS = {"jpg": "照片（JPG）", "png": "照片（PNG）", "pdf": "PDF 文件", "xlsx": "Excel 表格", "docx": "Word 文档"}
EVIDENCE_FOUND = {  # what a refused file's bytes are, where filetype names it (else EVIDENCE_UNKNOWN)
    "exe": "Windows 可执行程序", "elf": "Linux 可执行程序", "macho": "苹果可执行程序", "zip": "压缩包（ZIP）",
    "rar": "压缩包（RAR）", "7z": "压缩包（7z）", "gz": "压缩包（GZ）", "doc": "旧版 Word 文档（.doc，请另存为 .docx）",
    "xls": "旧版 Excel 表格（.xls，请另存为 .xlsx）", "ppt": "PowerPoint 演示文稿", "pptx": "PowerPoint 演示文稿",
    "gif": "动图（GIF）", "bmp": "位图（BMP）", "tif": "TIFF 图片（请另存为 JPG 或 PNG）", "webp": "WebP 图片",
    "heic": "HEIC 照片（请在手机上改为 JPG 后再传）", "mp4": "视频", "mov": "视频", "avi": "视频", "mp3": "音频",
}
EVIDENCE_UNKNOWN = "无法识别的格式"
EVIDENCE_ACCEPTS = "只收照片（JPG、PNG）、PDF（扫描件）、Excel 签到表（.xlsx）和 Word 文档（.docx）"
EVIDENCE_MESSAGES = {
    "empty": "「{name}」是空文件，没有上传",
    "too-large": "「{name}」有 {size:.1f} MB，超过台账附件上限 {limit:g} MB：请压缩或拆分后再上传（上限由文明办在「设置」页设定）",
    "refused": "「{name}」的内容是「{found}」，不能作为台账上传：" + EVIDENCE_ACCEPTS,
    "disguised": "「{name}」扩展名是 .{extension}，内容却是「{found}」：不能作为台账上传（" + EVIDENCE_ACCEPTS + "）",
    "broken": "「{name}」看起来是{kind}，但打不开（文件已损坏或不完整）：请重新导出或拍摄后再上传",
    "too-many-pixels": "「{name}」的像素过多，无法打开：请缩小尺寸后再上传",
    "no-target": "请选择这份台账对应的计划事项或月报任务",
    "no-note": "请填写说明：这份台账记录的是什么工作",
    "not-own": "科室账号只能为本科室（{section}）上传或删除台账",
    "already-removed": "这份台账已被删除（可能是同事刚刚删除的）",
    "not-removed": "这份台账未被删除，无需恢复",
    "nothing-stored": "没有上传任何文件：请去掉或更正下列文件后重试（其余文件也未上传，以免只传了一部分）。",
    "not-stored": "没有上传：",
    "stored": "已上传 {count} 份台账：{target}。",
    "added": "上传台账「{name}」（{kind}，{size:.1f} MB）：{target}",
    "removed": "删除台账「{name}」：{target}",
    "restored": "恢复台账「{name}」：{target}",
    "page-removed": "已删除「{name}」，可在下方“已删除的台账”中恢复。",
    "page-restored": "已恢复「{name}」。",
    "limit-set": "台账附件上限由 {old:g} MB 改为 {new:g} MB",
    "bad-limit": "台账附件上限应在 {low:g} 到 {high:g} MB 之间",
}
EVIDENCE_TARGET = {"item": "计划事项「{item}」", "task": "{section} {month} 月报任务「{task}」", "of": "（{section}）"}
EVIDENCE_COLUMNS = {"id": "编号", "target": "对应事项或任务", "name": "文件", "kind": "类型", "size": "大小",
                    "note": "说明", "section": "科室", "uploaded_by": "上传人", "uploaded_at": "上传时间",
                    "removed_by": "删除人", "removed_at": "删除时间", "path": "台账包内位置"}
# The year's 创建台账 export: a .zip, one folder per plan item, and its .docx index.
EVIDENCE_ARCHIVE = "{year}年创建台账.zip"
EVIDENCE_INDEX_FILE = "创建台账索引.docx"
EVIDENCE_OTHER_FOLDER = "其他（不在现行计划中的任务）"
EVIDENCE_BUREAU = "全局"
EVIDENCE_COPY = "（{copy}）"                  # a second file of the same name in one folder
EVIDENCE_INDEX = {
    "title": "{year} 年文明单位创建台账索引",
    "intro": "本台账按 {year} 年创建工作计划逐项整理，共 {items} 个计划事项、{files} 份佐证材料；开展情况据各科室 {through} "
             "及以前的月报（台账材料不改变开展情况）。生成于 {made_at}（{made_by}）。每个事项一个文件夹，文件夹编号与本索引一致。",
    "summary-heading": "事项一览",
    "summary-state": "{done}/{due} 个月已完成",
    "item": "{number} {name}",
    "facts": "创建内容：{area}；开展单位：{who}；时间要求：{when}{deployed}",
    "deployed": "；市文明办部署",
    "words": "计划原文：{words}",
    "done-heading": "开展情况（据各科室月报）",
    "reported-count": "{done}/{expected} 个科室",
    "bureau-count": "{count} 个科室",
    "bureau-who": "全局（任一科室报告即算完成）",
    "none": "—",
    "for-item": "本事项",
    "nothing-due": "本年度至今无到期安排。",
    "evidence-heading": "佐证材料（{count} 份）",
    "no-evidence": "尚无佐证材料。",
    "other": "其他任务的佐证材料",
}
EVIDENCE_CLI = {"help": "导出一年的创建台账（.zip：每个计划事项一个文件夹，附索引 .docx）",
                "year": "年度（省略则为数据库中最近的年度）",
                "no-year": "数据库中没有 {year} 年的月报（有：{years}）",
                "written": "已写出 {path}（{size:.1f} MB）"}
EVIDENCE_SUMMARY_COLUMNS = ["编号", "事项", "开展单位", "时间要求", "开展情况", "台账（份）"]
EVIDENCE_DONE_COLUMNS = ["月份", "状态", "已报告", "未报告的科室"]
EVIDENCE_INDEX_COLUMNS = ["序号", "文件（台账包内位置）", "科室", "对应任务", "说明", "上传人", "上传时间"]
