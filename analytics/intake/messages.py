"""Every Chinese message the loader gives, by issue code: what is wrong, then what to do.

Fields: {sheet} {row} {column} {cell} {value} from the issue, plus the issue's own params.
"""

MESSAGES = {
    # Files
    "unsupported-type": "文件类型「{value}」不是月报表：请上传 .xlsx、.xlsm、.xls 或 .ods 文件",
    "wps-et": "这是 WPS 表格专用格式（{value}）：请在 WPS 中另存为 .xlsx 后上传",
    "not-a-spreadsheet": "文件内容不是有效的电子表格（可能已损坏，或只是改了扩展名）：请用 Excel 或 WPS 打开确认后另存为 .xlsx 再上传",
    "encrypted": "工作簿设有打开密码，无法读取：请在 Excel 或 WPS 中取消密码后另存，再上传",
    "unreadable": "无法读取此文件（{value}）：请用 Excel 或 WPS 打开后另存为 .xlsx 再上传",
    "file-too-large": "文件大小 {value} 超过上限 {limit}：请删除无关内容后再上传，或请管理员调高上限",
    "unpacked-too-large": "文件解压后达 {value}，超过上限 {limit}：文件可能已损坏或被恶意构造，未读取",
    "sheet-too-large": ("{sheet} 的数据范围延伸到 {value}，超过上限（{max_rows} 行 × {max_columns} 列）："
                        "请删除表格以外多余的行列后另存再上传"),
    "reader-crashed": ("读取此文件时读取程序意外退出（{value}），文件未读取：文件可能已损坏或被恶意构造；"
                       "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传，仍不行请联系管理员"),
    "reader-timeout": "读取此文件超过 {limit} 仍未完成，已停止读取：请删除表格以外多余的内容后另存为 .xlsx 再上传",
    "reader-memory": "读取此文件所需内存超过上限 {limit}，已停止读取：请删除表格以外多余的行列和内容后另存为 .xlsx 再上传",
    "bad-zip": "压缩包已损坏，无法打开（{value}）：请重新压缩后上传",
    "too-many-members": "压缩包内有 {value} 个文件，超过上限 {limit} 个：请分批上传",
    "nested-zip": "压缩包内又含压缩包，未打开：请解压后单独上传",
    "unsafe-member": "压缩包内的「{value}」路径不安全（绝对路径、盘符或“..”上级目录），未读取：请只压缩月报文件本身后重新上传",
    "no-tasks-table": "未找到任务完成情况表：请在工作表前 {limit} 行内写明表头（至少含「创建内容」「工作任务」「计划数」「完成数」）",
    "missing-columns": "{sheet} 第{row}行的表头缺少必需的列：{value}；请按模板补上",
    "no-header": "{sheet} 有内容，但前 {limit} 行内没有可识别的表头，已忽略此工作表",
    "hidden-sheet": "{sheet} 是隐藏的工作表，已忽略：如其中是本月数据，请取消隐藏后重新上传",
    # Section and month
    "not-own-section": "本账号只能上传「{own}」的月报，该文件含「{value}」的月报：整个文件未导入，请交由该科室上传或联系文明办",
    "not-own-upload": "与本文件同一上传的压缩包中有其他科室的月报：整个压缩包未导入，请只上传「{own}」的月报",
    "no-section": "无法确定填报单位：请在表头写明「填报单位：科室名称」，或在文件名中写明科室",
    "unknown-section": "{sheet} 第{row}行「填报单位」为「{value}」，不在组织名册中：请使用名册中的科室全称或别名，或先在名册中添加该科室",
    "section-conflict": "填报单位不一致：{value}；请核对是否沿用了其他科室的表格",
    "no-month": "无法确定报表月份：请在表头写明「报表月份：2024年3月」，或在文件名中写明月份",
    "bad-month": "{sheet} 第{row}行「报表月份」为「{value}」，无法识别：请写成 2024年3月",
    "month-conflict": "报表月份不一致：{value}；请核对是否沿用了上月的表格",
    "duplicate-return": "与同批上传的「{other}」是同一科室同一月份（{value}）的报表：请确认哪一份正确，只上传那一份",
    "same-file": "与同批上传的「{other}」是同一个文件（内容完全相同）：只按那一份导入一次，本份不再导入",
    "unknown-unit": "{sheet} 第{row}行「填报单位」为「{value}」，不在组织名册中：请使用名册中的科室全称或别名",
    "missing-unit": "{sheet} 第{row}行「填报单位」为空，且上方没有可沿用的单位：请填写",
    # Tasks
    "empty-count": "{sheet} 第{row}行「{column}」为空：未开展请填 0（若此格是公式，请在 Excel 或 WPS 中打开、保存后再上传）",
    "unsaved-formula": "{sheet} 第{row}行「{column}」是未保存计算结果的公式：请在 Excel 或 WPS 中打开此文件、保存后再上传",
    "negative-count": "{sheet} 第{row}行「{column}」为 {value}：应为 0 或正整数",
    "fraction-count": "{sheet} 第{row}行「{column}」为 {value}：应为整数（0 或正整数）",
    "not-a-number": "{sheet} 第{row}行「{column}」为「{value}」，不是数字：应为 0 或正整数",
    "counts-without-task": "{sheet} 第{row}行填了计划数或完成数，但「工作任务」为空：请填写任务名称",
    "unknown-area": "{sheet} 第{row}行「创建内容」为「{value}」，无法识别：应为七项创建内容之一（{choices}），或其编号 一～七",
    "missing-area": "{sheet} 第{row}行「创建内容」为空，上方也没有可沿用的创建内容：请填写",
    "bad-yes-no": "{sheet} 第{row}行「{column}」为「{value}」：应为 是 或 否",
    "total-mismatch": "{sheet} 第{row}行合计的「{column}」为 {value}，与上方各行之和 {expected} 不符：已按各行计算，请核对合计",
    # Hygiene
    "empty-mark": "{sheet} 第{row}行「{column}」为空：请填 √（达标）、×（不达标）或 —（不适用）",
    "bad-mark": "{sheet} 第{row}行「{column}」为「{value}」，无法识别：请填 √（达标）、×（不达标）或 —（不适用）",
    "empty-place": "{sheet} 第{row}行「检查区域」为空：请填写检查的办公室或部位",
    # Dates
    "bad-date": "{sheet} 第{row}行「{column}」为「{value}」，无法识别为日期：请写成 2024-03-05 或 3月5日",
    "empty-date": "{sheet} 第{row}行「{column}」为空：请填写日期",
    "date-outside-month": "{sheet} 第{row}行「{column}」{value} 不在报表月份 {month} 内：请核对",
    # Veto and bonus
    "missing-category": "{sheet} 第{row}行「{column}」为空：请填写类别（{choices}）",
    "unknown-category": "{sheet} 第{row}行「{column}」为「{value}」，无法识别：应为 {choices} 之一",
    "bad-status": "{sheet} 第{row}行「是否属实」为「{value}」，无法识别：应为 是、否 或 待核实",
    "empty-person": "{sheet} 第{row}行「人员」为空：同一人同类加分每年只计一次，请填写姓名",
    # Reports
    "more-issues": "另有 {value} 条问题未逐条列出：请先改正以上问题后重新上传",
    # Text
    "control-characters": "{sheet} 第{row}行「{column}」含不可见的控制字符（如从 Word 粘贴的换行符）：已去除，按「{value}」导入；请核对",
    # Inspection-team sheets (检查组检查表, issue 14)
    "team-tables": "检查组检查表应有且只有一张九无卫生检查表，本文件有 {value} 张：请只保留一张",
    "team-no-unit": "{sheet} 第{row}行的表头没有科室列（科室、单位、被检查单位…）：检查组检查表每行须写明被检查的科室",
    "team-months": "检查日期分属多个月份（{value}）：一张检查组检查表只能是一个月的，请在表头写明「检查月份：2024年3月」或分月上传",
    "team-date-outside": "{sheet} 第{row}行「{column}」{value} 不在检查月份 {month} 内：一张检查组检查表只能是一个月的",
    "team-not-in-force": "{sheet} 第{row}行「科室」为「{value}」，{month} 不在名册中（尚未设立或已撤销）",
}

# Severity of codes that never block an import (RETURN_FORMAT.md: warnings never block).
WARNINGS = frozenset({
    "control-characters",
    "no-header", "hidden-sheet", "total-mismatch", "empty-place", "empty-date", "date-outside-month",
    "empty-person",
})

# The roster file (组织名册): RosterError texts, and the notes of what was read other than as typed.
ROSTER_MESSAGES = {
    "dropped-without-fate": "新名册中没有以下已有月报或认定记录的科室，请说明其去向（更名、并入或撤销）：{sections}",
    "renamed-to-unknown": "「{section}」更名后的科室「{target}」不在新名册中",
    "unreadable": "组织名册「{path}」无法读取：{reason}",
    "not-decodable": "组织名册无法按 UTF-8 或 GB18030 解码：请另存为“CSV UTF-8”或 .xlsx",
    "not-a-spreadsheet": "组织名册「{name}」不是可读取的表格：{reason}",
    "no-sheets": "组织名册「{name}」中没有工作表：请上传 .xlsx 或 .csv",
    "where-named": "组织名册「{name}」",
    "where": "组织名册",
    "no-header": "{where}前 {rows} 行内没有「科室」列：请在第一行写表头 科室、别名、负责人、类别",
    "control-characters": "第{row}行「{column}」含换行、制表符或不可见的控制字符，已按「{value}」读取",
    "empty-section": "第{row}行「科室」为空",
    "bad-kind": "第{row}行「类别」为「{value}」：应为 科室 或 直属单位",
    "bad-month": "第{row}行「{column}」为「{value}」：请写成 2024年3月",
    "name-taken": "第{row}行的名称「{name}」已用于「{section}」：同一名称或别名只能属于一个科室",
    "duplicate-section": "第{row}行科室「{section}」重复",
    "problems": "{where}有误：{problems}",
    "no-sections": "{where}没有任何科室",
    "separator": "；",
}

# The rules file (量化考核规则): RulesError texts, and how every figure names the rules it used.
RULES_MESSAGES = {
    "unreadable": "规则文件「{path}」无法读取：{reason}",
    "bad-format": "规则文件「{name}」格式有误：{error}",
    "unknown-section": "未知规则项「{section}」",
    "not-a-section": "「{section}」应为一节（[{section}]）",
    "unknown-key": "未知规则项「{section}.{key}」",
    "missing-key": "缺少规则项「{section}.{key}」（{name}）",
    "bad-type": "「{section}.{key}」（{name}）为 {value!r}：应为{expected}",
    "expected-bool": "true 或 false",
    "expected-number": "数字",
    "out-of-range": "「{section}.{key}」（{name}）为 {value}：应在 {low} 到 {high} 之间",
    "problems": "规则文件「{name}」有误：{problems}",
    "separator": "；",
    "bonus-points": "{category}加分",
    "label": "{source}（{digest}）",
}

# The store: why a write did not go through (StoreBusy, StaleChoice), and the words it writes into the history.
STORE_MESSAGES = {
    "busy": "数据库正忙（其他同事正在导入或保存），本次操作未写入。已校验的内容仍保留，请稍后再试一次。",
    "rename-clash": "更名后同一科室同一月份会有两份当前月报：请改选“并入”或先撤回其中一份。",
    "cleared-version": "这份月报属于已清除的示例数据，不能恢复为当前；请先在「设置」页恢复示例数据。",
    "nothing-to-restore": "没有可恢复的示例数据。",
    "changed-since": "{section} {month} 的月报在您打开本页之后已有变动：{who} 于 {at:%m-%d %H:%M:%S} {action}。"
                     "本次操作未执行，请查看刷新后的历史版本再决定。",
    "nothing-current": "{section} {month} 现在没有当前月报，无需撤回。",
    "already-undone": "这条认定已被撤销（可能是同事刚刚撤销的），无需再撤销。",
    "not-undone": "这条认定没有被撤销（可能是同事刚刚恢复的），无需恢复。",
    "built-in": "（内置）",
    "too-new": "数据库已由更新版本的看板升级过（结构版本 {revision}），本程序不认识这一版本，未作任何改动。请先把看板升级到"
               "最新版本再打开；如需退回旧版本，请用升级前的备份。",
    "bad-url": "数据库地址 WENMING_DB_URL 无法识别：{url}。应形如 sqlite:///目录/文件.db，或 "
               "postgresql+psycopg://用户:密码@主机/库名（本机套接字：postgresql+psycopg://用户@/库名?host=/var/run/postgresql）。",
    "unsupported": "数据库地址 WENMING_DB_URL 指向「{dialect}」数据库，看板只支持 SQLite（sqlite:///…）与 PostgreSQL"
                   "（postgresql+psycopg://…）。请改用其中之一。",
    "unreachable": "无法打开数据库 {url}：{reason}。请检查数据库服务是否在运行、地址与账号是否正确、目录是否存在且可写；"
                   "未作任何改动。",
    "legacy-sample-who": "示例数据",  # who imported the sample before files carried a sample flag
    "renamed": "；{old} 更名为 {new}",
    "cleared-by": "{who}（清除示例数据）",
    "decision": "{category}：{why}",
    "redone": "{id}（原于 {undone_at:%Y-%m-%d %H:%M} 由 {undone_by} 撤销）",
}

# The reading process (reader.py): its limits as the messages quote them, and how it ended.
READER_MESSAGES = {
    "seconds": "{seconds:g} 秒",
    "not-started": "读取进程未能启动（{reason}）",
    "not-ended": "未能结束",
    "SIGABRT": "所需内存超过上限或文件异常",
    "SIGKILL": "被系统终止",
    "SIGSEGV": "内存访问错误",
    "signal": "信号 {number}",
    "exit-code": "退出码 {code}",
}

# Files and folders given to the loader (sources.py).
SOURCE_MESSAGES = {
    "no-suffix": "（无扩展名）",
    "not-found": "找不到文件或文件夹：{path}",
}

# The blank return (template.py): its header block, notes and the dropdowns' error texts.
TEMPLATE_MESSAGES = {
    "title": "{year}年度{heading}",
    "section": "填报单位：{section}",
    "month": "报表月份：{month}",
    "notes": "填表说明：计划数、完成数填 0 或正整数；九无检查项目填 √（达标）、×（不达标）或 —（不适用）；本月无否决事项可不填。",
    "choose": "请从下拉列表中选择",
    "count": "请填 0 或正整数",
}

# Parts of an issue's value the loader and checks compose (the message quotes the value whole).
VALUE_PARTS = {
    "list": "、",                                   # missing columns, choices, sections, months
    "conflicts": "，",
    "in-sheet": "工作表「{sheet}」为「{value}」",
    "in-file-name": "文件名「{stem}」为「{value}」",
    "others": "」「",                                # duplicate-return: the other files, each quoted
}

# The validation report as tables (issues.reports_frame, issues_frame): headings and words.
REPORT_HEADINGS = {"file": "文件", "result": "结果", "sections": "科室", "months": "月份", "errors": "错误数",
                   "warnings": "提示数", "severity": "类型", "sheet": "工作表", "row": "行", "column": "列",
                   "cell": "单元格", "message": "说明"}
REPORT_WORDS = {"imported": "通过", "rejected": "退回", "error": "错误", "warning": "提示"}
