"""What the dashboard, the exports and the CLI call things: column headings, state names, titles and sentences.

Words clerks type (aliases, marks, areas, categories) are in intake/vocab.py; what a file's validation report says
is in intake/messages.py. A label is looked up here, never retyped where it is shown.
"""
from analytics.intake.vocab import CONTRACT_NAMES, CONTRACT_NAMES_BY_TABLE, DEPLOYED_SHORTFALL

MONTH_LABEL = "{year}年{month}月"

# Columns and states, as pages and exports head them ---
# A table's columns are headed by COLUMN_NAMES; where one table names a column differently, its own dict says so.
COLUMN_NAMES = {
    **CONTRACT_NAMES, "section": "科室", "month": "月份", "head": "负责人", "kind": "类别", "aliases": "别名",
    "start_month": "设立月份", "end_month": "撤销月份", "rank": "名次", "annual_score": "年度得分",
    "reason": "未评先进集体的原因", "individual_reason": "负责人未评先进个人的原因", "achieved": "计入完成", "over": "超额",
    "at": "时间", "who": "经办人", "action": "操作", "detail": "说明", "first_month": "报告月份",
    "confirmed_month": "认定月份", "reasons": "原因", "due": "报送截止", "state": "状态",
}
VETOED_NAMES = {"month": "否决月份"}
EVENT_NAMES = {**CONTRACT_NAMES_BY_TABLE["events"], "status": "状态"}
RULE_NAMES = {"rule": "规则", "value": "取值"}

RETURN_STATES = {"submitted": "已报送", "late": "逾期", "missing": "未报送"}
DUE_STATES = {"passed": "已逾期", "ahead": "未到截止日"}
VERSION_STATES = {"current": "当前", "superseded": "已被替换", "withdrawn": "已撤回"}
DECISION_CHOICES = {"confirm": "属实（否决）", "dismiss": "不属实（不否决）"}
FATES = {"rename": "更名为", "merge": "并入", "abolish": "撤销"}
NOT_REPORTED_OPTION = "{section}（未报送）"


def headed(table, columns: list[str], names: dict | None = None):
    """`table`'s `columns`, in that order, headed as COLUMN_NAMES (or the table's own `names`) say."""
    return table[columns].rename(columns={**COLUMN_NAMES, **(names or {})})


def heading(column: str, names: dict | None = None) -> str:
    return {**COLUMN_NAMES, **(names or {})}[column]


# Figures, the year in force and the CLI: summary, scoring, veto, workspace, cli ---
LIST_SEPARATOR = "；"
NAME_SEPARATOR = "、"
NO_PLAN_WARNING = "本月无计划任务，任务完成部分计 0 分"
NO_CHECK_WARNING = "本月无九无卫生检查记录，卫生部分计 0 分"
VETOED_REASON = "一票否决：{reasons}"
NO_ANNUAL_SCORE = "无年度得分"
BELOW_FLOOR = "年度得分 {score:.2f} 低于分数线 {floor:g}"
TIED_BEYOND_PLACES = "与其他科室同分并列，超出名额（{places}个），请领导小组研究确定"
BEYOND_PLACES = "超出名额（{places}个）"
NO_HEAD = "名册中未填写负责人"
RULE_ROWS = {"completion_points": "任务完成分值", "hygiene_points": "九无卫生分值", "bonus_cap": "每月加分上限",
             "places": "先进集体名额", "floor": "先进分数线", "due_day": "报送截止日",
             "deployed_shortfall": "未完成部署任务即否决", "bonus": "加分：{category}"}
DUE_DAY_VALUE = "次月 {day} 日"
YES, NO = "是", "否"
POINTS_VALUE = "{points:g} 分"
SHORT_TASK = "{task}（{done}/{planned}）"
OVER_TASK = "{task}（+{over}）"
SHORTFALL_REASON = DEPLOYED_SHORTFALL + "：{task}"
DECIDED_BY = "{who} 认定"
EVENT_KEY = "{section}｜{date}｜{category}"
DATE_UNKNOWN = "日期不详"
DECISION_UNDONE = "（已于 {at:%Y-%m-%d %H:%M} 由 {who} 撤销）"
DECISION_COUNTS_FROM = "（自 {month} 起否决）"
DECISION_TEXT = "第 {id} 号 · {at:%Y-%m-%d %H:%M} {who} {action}：{section} {date} {category}{counts_from}，依据：{why}{undone}"
NEWER_DECISION = "{who} 已于 {at:%H:%M} {action}（依据：{why}）"
NEWER_DECISIONS_END = "。两次认定都已记录，以最后保存的为准；如需改回，请在下方认定记录中撤销。"
SAMPLE_WHO = "示例数据"
SAMPLE_LATE = {("综合科", "2024-06"), ("教科文科", "2024-10")}  # the sample's two late returns (arrived on the 9th)

CLI_DESCRIPTION = "文明创建月报：校验、汇总"
CLI_HELP = {
    "validate": "校验月报文件，逐个列出问题",
    "import": "校验月报并导入看板数据库（与「数据上传」页相同）",
    "summarize": "校验并汇总月报，写出各科室各月的完成率、九无得分、否决与得分",
    "report": "生成某月的 Excel 汇总、图表图片、月度通报和网页报告",
    "template": "生成某科室某月的空白月报模板",
    "paths": "月报文件、文件夹（递归读取）或 .zip",
    "summarize_paths": "月报文件、文件夹（递归读取）或 .zip（不给则汇总看板数据库中的全部年度）",
    "report_paths": "月报文件、文件夹或 .zip（不给则用看板数据库中的数据）",
    "validate_roster": "组织名册 .xlsx 或 .csv",
    "import_roster": "先替换数据库中现行的组织名册（与「设置」页相同的校验）",
    "summarize_roster": "组织名册 .xlsx 或 .csv（给出 PATH 时必填）",
    "report_roster": "组织名册（给出 PATH 时必填）",
    "summarize_rules": "规则文件 .toml（默认 DOMAIN.md 的默认规则）",
    "report_rules": "规则文件 .toml（给出 PATH 时使用；默认 DOMAIN.md 的默认规则）",
    "max_file_mb": "单个文件大小上限（MB）",
    "json": "另将逐个文件的结果写成 JSON",
    "import_json": "另将逐个文件的结果写成 JSON（与 validate 相同）",
    "summarize_json": "输出 JSON 文件",
    "who": "经办人（记入历史）",
    "out": "输出文件夹",
    "section": "科室（默认名册中的全部科室）",
    "user": "管理账号：新建、列出、停用、启用、更改密码（密码从标准输入读取一行）",
    "user_add": "新建账号",
    "user_list": "列出全部账号（不含密码）",
    "user_disable": "停用账号（历史记录保留）",
    "user_enable": "重新启用停用的账号",
    "user_password": "更改账号密码",
    "username": "用户名",
    "role": "角色：office（文明办）、leader（领导）、section（科室填报员）",
    "user_section": "科室填报员所属科室（现行组织名册中的名称或别名）",
    "display_name": "显示名（默认同用户名）",
}
CLI_WHO = "命令行导入"
CLI_BAD_ARGUMENT = "参数错误：{message}"
CLI_CANNOT_RUN = "无法运行：{error}"
CLI_OS_ERROR = "无法运行：{reason}（{file}）"
CLI_FILE_PASSED, CLI_FILE_REJECTED = "✔ 通过", "✘ 退回"
CLI_FILE_LINE = "{verdict}  {file}  {where}"
CLI_ERROR_LINE = "    错误 {cell} {message}"
CLI_WARNING_LINE = "    提示 {cell} {message}"
CLI_FILE_COUNTS = "共 {files} 个文件：通过 {passed} 个，退回 {rejected} 个"
CLI_CANNOT_WRITE = "无法写出 {path}：{reason}"
CLI_SKIPPED = "已导入过，跳过：{name}（{at:%Y-%m-%d %H:%M}）"
CLI_IMPORTED = "已导入 {versions} 个科室月份（{files} 个上传文件，压缩包算一个），跳过已导入过的 {skipped} 个上传文件"
CLI_ROSTER_NEEDED = "给出月报文件时须同时给出 --roster"
CLI_SUMMARIZED_FILES = CLI_FILE_COUNTS + "；"
CLI_SUMMARIZED_YEARS = "看板数据库中 {years} 个年度；"
CLI_WRITTEN = "{rows} 个科室月份写入 {path}（规则 {rules}）"
CLI_BAD_MONTH = "月份「{month}」无法识别：请写成 2024-03"
CLI_NO_MONTH = "{month} 没有已导入的月报：可用的月份为 {months}"
CLI_NONE = "无"
CLI_STEP = "[{step}/{total}] {label}…"
CLI_UNKNOWN_SECTION = "科室「{section}」不在组织名册中"
CLI_NOTE = "提示：{note}"

CLI_USER_WHO = "命令行（{user}）"  # who a `user` command is logged as: the computer's user running it
CLI_PASSWORD_PROMPT = "密码："
CLI_ACCOUNT_ADDED = "已新建账号 {username}（{role}{section}）"
CLI_ACCOUNT_DISABLED = "已停用账号 {username}（历史记录保留）"
CLI_ACCOUNT_ENABLED = "已重新启用账号 {username}（密码不变）"
CLI_PASSWORD_SET = "已更改账号 {username} 的密码"
CLI_NO_ACCOUNTS = "还没有账号"
CLI_ACCOUNT_LINE = "{username}  {display_name}  {role}{section}  {state}  新建于 {created_at:%Y-%m-%d %H:%M}  最近登录 {last}"

# Accounts and sign-in (accounts.py, account_store.py) ---
ROLE_NAMES = {"office": "文明办", "leader": "领导", "section": "科室填报员"}
ROLE_SECTION = "·{section}"
ACCOUNT_STATES = {"active": "启用", "disabled": "已停用"}
NEVER = "从未"
ACCOUNT_ERRORS = {
    "empty-username": "用户名不能为空",
    "bad-username": "用户名「{username}」不可用：不超过 {limit} 个字符，不含空格",
    "empty-password": "密码不能为空",
    "unknown-role": "角色「{role}」无法识别：应为 {roles} 之一",
    "section-needed": "科室填报员账号须指定科室（--section）",
    "unknown-section": "科室「{section}」不在现行组织名册中",
    "section-not-allowed": "{role}账号不绑定科室：请去掉 --section",
    "duplicate": "用户名「{username}」已存在（停用的账号也占用其用户名）",
    "no-account": "没有用户名为「{username}」的账号",
    "already-disabled": "账号「{username}」已于 {at:%Y-%m-%d %H:%M} 停用",
}
SIGN_IN_REFUSALS = {
    "wrong": "用户名或密码错误",
    "locked": "该用户名登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试",
    "disabled": "该账号已停用，请联系文明办",
}
ACCOUNT_DETAIL = "{username}（{role}{section}）"
SIGN_IN_FAILURES = {"wrong-password": "密码错误", "unknown-name": "无此用户名", "locked": "已暂停登录",
                    "disabled": "账号已停用"}

# The sign-in screen (server.py), the sign-out and the sidebar's session lines (pages/_shared.py).
SIGN_IN_TITLE = "文明创建考评看板 · 登录"
USERNAME_LABEL = "用户名"
PASSWORD_LABEL = "密码"
SIGN_IN = "登录"
SIGN_OUT = "退出登录"
SIGN_IN_BAD_REQUEST = "登录请求无效，请重新打开登录页。"
SIGNED_OUT = "已退出登录。"
DESK_MODE = "单机模式：本机使用，无需登录。一旦建立账号或在局域网上提供服务，就需要登录。"
SIGN_IN_NEEDED = "请先登录。"
STORE_COUNTS = ("数据库中：{files} 个上传文件、{versions} 个月报版本、{decisions} 条认定记录；{tasks} 条任务、"
                "{inspections} 条检查记录、{events} 个一票否决事项、{bonus} 条加分")
PAGE_REFUSED = "本账号无权打开「{page}」页。如需使用，请联系文明办。"
SIGNED_IN_AS = "已登录：{name}"
FIRST_ACCOUNT = (
    "看板正在局域网上提供服务，但还没有任何账号，因此不显示任何数据。请在服务器上建立第一个账号（文明办）：\n\n"
    "```\npython -m analytics user add 用户名 --role office --name 显示名\n```\n\n"
    "请在看板所在的文件夹运行，并使用与看板相同的数据库设置（WENMING_DB_URL）；命令从标准输入读取密码（一行）。"
    "建好后刷新本页并登录。"
)

# Exports and charts ---
NO_FIGURE = "—"  # a rate or score that cannot be computed (nothing planned, no check)

# Headings of the figures the exports write, where COLUMN_NAMES has none; a sheet or table may head one otherwise.
FIGURE_NAMES = {
    "expected": "应报", "received": "已报", "completion_rate": "任务完成率", "ytd_completion_rate": "累计完成率",
    "nine_no_score": "九无得分", "mean_score": "平均得分", "vetoed_sections": "被否决科室", "pending_vetoes": "待核实事项",
    "submitted": "是否报送", "bonus": "加分", "score": "得分", "veto": "一票否决", "item": "项目", "fails": "不达标次数",
    "applicable": "适用次数", "fail_rate": "不达标率", "collective": "先进集体", "individual": "先进个人",
    "matter": "事项",
}
SUBMITTED_MARKS = {True: YES, False: RETURN_STATES["missing"]}
VETO_MARKS = {True: YES, False: ""}
CANDIDATE_MARKS = {True: "候选", False: ""}
VETOED = FIGURE_NAMES["veto"]  # a section-month under a veto, as the bulletin notes it

# Charts (charts.py): titles ({month} is YYYY-MM), axis titles, series names and hover text.
CHART_TITLES = {
    "bureau_trend": "全局任务完成率与九无得分（按月）", "section_ranking": "{month} 各科室任务完成率",
    "area_completion": "{month} 七项创建内容完成率", "item_heatmap": "{month} 科室 × 九无项目 不达标率",
    "area_heatmap": "{month} 科室 × 创建内容 完成率",
    "item_pareto": "{month} 不达标最多的项目", "worst_places": "{month} 不达标最多的检查部位", "hygiene_trend": "九无卫生得分趋势",
    "veto_summary": "一票否决与待核实事项（按月）", "annual_ranking": "年度考评得分",
    "annual_ranking_through": "年度考评得分（至 {through}）",
}
# Every value axis names its measure and unit: rates in %, scores in 分, counts in 次 or 个.
AXIS_TITLES = {"completion_rate": "任务完成率（%）", "area_rate": "完成率（%）", "fails": "不达标次数（次）",
               "cumulative_share": "累计占比（%）", "hygiene_score": "九无得分（分）", "count": "数量（个）",
               "annual_score": "年度得分（分）", "roster_order": "科室（按名册顺序）"}
SERIES_NAMES = {"completion_rate": FIGURE_NAMES["completion_rate"], "section_rate": FIGURE_NAMES["completion_rate"],
                "vetoed_rate": "任务完成率（本月被一票否决）", "candidate": "先进集体候选", "vetoed": "被一票否决",
                "other_sections": "其他科室", "cumulative_share": "累计占比", "bureau_nine_no": "全局九无得分",
                **{column: FIGURE_NAMES[column] for column in ("nine_no_score", "fails", "vetoed_sections", "pending_vetoes")}}
# Hover text in words (plotly's own would show raw pairs such as "(73.41, 金融科)"); where <extra> is not emptied,
# plotly adds the series' name beside it.
HOVER = {"value": "%{y}：%{text}<extra></extra>", "column": "%{x}：%{text}<extra></extra>",
         "cell": "%{y} · %{x}：%{text}<extra></extra>", "missing": "%{y}：未报送月报<extra></extra>",
         "month_rate": "%{x}：%{y:.1f}%", "month_score": "%{x}：%{y:.1f} 分", "month_count": "%{x}：%{y} 个",
         "item_fails": "%{x}：不达标 %{y} 次", "item_share": "%{x}：累计 %{y:.1f}%",
         "place_fails": "%{y}：不达标 %{x} 次（不达标率 %{customdata}）<extra></extra>"}
FLOOR_LINE = "分数线 {floor:g}"

# The Excel summary (export_excel.py): sheet names, headings a sheet gives a column of its own, native chart titles.
SHEET_NAMES = {"bureau": "全局按月", "sections": "科室排名", "areas": "创建内容", "items": "九无项目", "vetoes": "一票否决",
               "annual": "年度考评"}
SHEET_COLUMN_NAMES = {"areas": {"completion_rate": "完成率"}, "vetoes": VETOED_NAMES, "annual": {"reason": "未入选原因"}}
SHEET_CHART_TITLES = {"bureau": "全局任务完成率（按月）", "sections": CHART_TITLES["section_ranking"],
                      "areas": CHART_TITLES["area_completion"], "items": "{month} 九无项目不达标次数",
                      "annual": CHART_TITLES["annual_ranking"]}

# The month's downloads (downloads.py): the steps, the files, the pictures and the HTML report's lines.
# The order the files are made in: the pictures render meanwhile, in the background, and the bulletin needs them.
DOWNLOAD_STEPS = {"workbook": "Excel 汇总", "html": "网页报告", "pictures": "图表图片", "bulletin": "月度通报"}
DOWNLOAD_FILES = {"workbook": "文明创建汇总_{month}.xlsx", "pictures": "月度图表_{month}.zip",
                  "bulletin": "月度通报_{month}.docx", "html": "月度报告_{month}.html"}
PICTURE_STEMS = {"bureau_trend": "01_全局趋势", "section_ranking": "02_科室完成率排名", "area_completion": "03_创建内容完成率",
                 "item_heatmap": "04_九无不达标热力图", "item_pareto": "05_不达标项目", "veto_summary": "06_一票否决"}
NO_BROWSER = ("本机没有找到 Chrome、Chromium 或 Edge 浏览器，无法生成图片；Excel 汇总、月度通报（不含图）和网页报告仍可下载。"
              "如需图片，请安装浏览器（如 Debian 的 chromium 包）或设置 BROWSER_PATH。")
HTML_TITLE = "{month_label}文明单位创建工作情况"
HTML_MISSING = "，未报送：{missing}"
HTML_NOTES = ("月报：应报 {expected} 份，实报 {received} 份{missing_note}",
              "任务完成率 {rate}（较上月{rate_change}），年初以来 {ytd_rate}",
              "九无卫生得分 {nine_no_shown}（较上月{nine_change}）",
              "本月新增一票否决：{veto_shown}；待核实 {pending} 项",
              "计分规则：{rules}")
HTML_NO_VETO = "无"

# The bulletin's figures as its sentences quote them (export_bulletin.py; the sentences are bulletin_template.toml).
BULLETIN_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体"}
CHANGE_NONE, CHANGE_STEADY = "无可比数据", "持平"
CHANGE_UP, CHANGE_DOWN = "上升{amount:.1f}{unit}", "下降{amount:.1f}{unit}"
CHANGE_UNITS = {"rate": "个百分点", "score": "分"}
BULLETIN_DATE = "{day.year}年{day.month}月{day.day}日"
NAMES_AND_MORE = "等"
SECTION_RATE = "{section}（{rate}）"
SECTION_VETO = "{section}（{reasons}）"

# The operation log (操作记录, issue 11 "Build" 3: analytics/audit.py, pages/audit.py) ---
AUDIT_TITLE = "操作记录"
AUDIT_NAMES = {"who": "经办人/账号"}
AUDIT_CLEARED = "移走示例数据的 {versions} 份月报、{decisions} 条认定"
AUDIT_RESTORED = "撤销此前最近一次清除"
AUDIT_DECISION = "第 {id} 号认定"

# The 账号 part of 设置 (pages/_accounts.py; account_store.enable_account, accounts.hash_password) ---
ACCOUNT_ERRORS |= {
    "short-password": "密码至少 {minimum} 个字符",
    "not-disabled": "账号「{username}」未停用，无需启用",
    "own-account": "不能停用自己正在使用的账号「{username}」",
}
# Where ACCOUNT_ERRORS names a CLI option, what the page says instead (the page gives a section to 科室填报员 only).
ACCOUNT_FORM_ERRORS = {
    "section-needed": "科室填报员账号须选择科室",
}
ACCOUNT_COLUMNS = {"username": "用户名", "display_name": "显示名", "role": "角色", "section": "科室", "state": "状态",
                   "created_at": "新建于", "last_sign_in_at": "最近登录"}

# Unified sign-in through the bureau's OIDC provider (issue 11 item 6: pages/_oidc.py, account_store.oidc_sign_in,
# the /signin page of server.py) ---
OIDC_SIGN_IN = "使用统一身份认证登录"
OIDC_SIGN_OUT = "退出"   # for an identity refused here: ends the provider's sign-in (st.logout)
SIGN_IN_REFUSALS.update({
    "oidc-unknown": "该统一身份认证账号在本看板没有账号，请联系文明办",
    "oidc-ended": "统一身份认证登录已结束（8 小时未使用，或账号有变动），请重新登录。",
})
SIGN_IN_FAILURES.update({"no-claim": "身份信息中没有用户名"})
OIDC_SIGN_IN_DETAIL = "统一身份认证"
OIDC_FAILURE_DETAIL = "统一身份认证：{reason}"

# Charts (analytics/charts.py): what the grey cells mean, a chart with nothing to show, the toolbar's words ---
# A line for each clause: a heatmap half as wide as 1920 px holds one, not both.
CHART_NOTES = {"area_heatmap": "灰色“—”：该项本月无计划任务（不是 0%）；<br>灰色“未报送”：本月未报送月报",
               "item_heatmap": "灰色“—”：该项本月无适用的检查（不是 0%）；<br>灰色“未报送”：本月未报送月报"}
NO_VETOES = "本年度无一票否决和待核实事项"
# plotly.js's English words (its keys, as in plotly.js 3 and 4) → what the chart's toolbar says instead.
CHART_TOOLBAR = {
    "Download plot as a PNG": "下载图片（PNG）", "Download plot": "下载图片",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候……", "Image download succeeded": "图片已下载",
    "Sorry, there was a problem downloading your image!": "图片下载失败，请重试",
    "Double-click to zoom back out": "双击恢复原图", "Double-click on legend to isolate one trace": "双击图例只看这一项",
}
CELL_HOVER = "{section} · {column}：{value}"
CHART_TITLES["section_trend"] = "{section} 任务完成率与九无得分（按月）"
# Printed files, templates, rules and 考核起始月份 (export_tables, export_excel, export_bulletin, intake/template.py,
# template_settings.toml, rules.py; pages/_templates.py) ---
TEMPLATE_SETTINGS_ERRORS = {
    "unreadable": "模板设置文件「{path}」无法读取：{reason}",
    "bad-format": "模板设置文件「{name}」格式有误：{error}",
    "unknown-key": "未知设置项「{key}」（只可有 tasks）",
    "not-a-list": "「tasks」应为任务列表，每项一节 [[tasks]]",
    "task": "第{number}项任务：{problem}",
    "task-unknown-key": "未知字段「{key}」（可填 area、task、planned、deployed）",
    "task-area": "创建内容 area 为「{value}」：应为{choices}之一",
    "task-text": "工作任务 task 不能为空",
    "task-planned": "计划数 planned 为 {value!r}：应为 0 或正整数",
    "task-deployed": "市文明办部署 deployed 为 {value!r}：应为 true 或 false",
    "problems": "模板设置文件「{name}」有误：{problems}",
    "separator": "；",
}
CLI_HELP_TEMPLATE_SETTINGS = "模板设置文件（常设任务清单，见 analytics/template_settings.toml）；不填用默认设置"
CLI_SECTION_NOT_IN_FORCE = "「{section}」{month} 不在名册中（未设立或已撤销），不发模板"
RULES_BAD_START_MONTH = "「score.start_month」（考核起始月份）为 {value!r}：应为“年-月”，如 \"2024-07\"，或删去此行"
RULE_START_MONTH = "考核起始月份"
RULE_START_MONTH_VALUE = "{month}（此前月份不计入年度得分）"
SHEET_CAPTION = "{month} · 计分规则 {rules}"
BULLETIN_PAGE_NUMBER = ("— ", " —")   # around the page number in the bulletin's footer
VALIDATION_REPORT = "月报校验报告"
MONTH_RANGE = "{first}至{last}"
MADE_AT = "生成于 {at:%Y-%m-%d %H:%M}"
TITLE_SEPARATOR = " · "
COLOR_WORDS = {"candidate": "绿色", "vetoed": "红色", "other_sections": "蓝色"}  # charts.ANNUAL_COLORS, in words
ANNUAL_COLOR_NOTE = "图中颜色：" + "；".join(f"{word}＝{SERIES_NAMES[group]}" for group, word in COLOR_WORDS.items())
TEMPLATE_MONTH = "报表月份（例如 2024-03）"
NOT_A_MONTH = "「{month}」不是报表月份：请按“年-月”填写，例如 2024-03。"
TEMPLATE_REPLACED = "模板设置已替换为「{name}」：预填常设任务 {tasks} 项。"
TEMPLATE_RESTORED = "模板设置已恢复为「{name}」：预填常设任务 {tasks} 项。"
EARLIER_TEMPLATES = "此前的模板设置（{count} 个，可恢复）"
RESTORE_TEMPLATE_SURE = "确认将模板设置恢复为「{name}」？之后下载的模板按它预填常设任务；现行设置仍保留，可再恢复。"
DEFAULT_RULES_NAME = "默认规则（随看板提供）"
RULES_TITLE = "{name} · {digest}"
# The pages' tables, the uploader, the upload preview and status grid, what each form did (pages/, preview.py) ---
SAMPLE_IMPORTING = "正在导入示例数据…（首次启动，只需一次，约几秒钟）"
NO_ROWS = "无记录"
UPLOADER_WORDS = {"button": "选择文件", "drag": "将文件拖放到这里", "limit": "每个文件不超过 {mb} MB · 可上传 {types}"}
PREVIEW_NAMES = {"file": "文件", "section": "科室", "month": "月份", "tasks": "任务行数", "inspections": "检查行数",
                 "events": "事项行数", "completion_rate": "任务完成率", "nine_no_score": "九无得分", "warnings": "提示",
                 "imported": "已导入过", "replaces": "现行版本"}
PREVIEW_TITLE = "将导入的内容（确认导入后看板中的数字）"
PREVIEW_TITLE_KNOWN = "读到的内容（都已导入过，看板中已是这些数字）"
IMPORT_BUTTON = "确认导入通过的 {count} 份月报"
NOTHING_TO_IMPORT = {"none-accepted": "没有通过校验的月报，未导入：请按问题明细修改后重新上传。",
                     "all-known": "通过校验的月报都已导入过，没有新的月报可导入。"}
WITHDRAWN = "已撤回 {section} {month} 的月报：该科室该月现为未报送，原件保留，可在历史版本中恢复。"
RESTORED = "已将 {section} {month} 于 {at:%Y-%m-%d %H:%M} 导入的月报（{file}）恢复为当前版本。"
SAME_ROSTER = "「{name}」与现行名册相同，未替换。"
SAME_CHECKED_FILE = "「{name}」与现行{label}文件相同，未替换。"   # the rules, the plan
SAME_SETTING = "「{name}」与现行{label}相同，无需恢复。"
DECISION_SAVED = "已保存认定：{section} {category} {action}。"
DECISION_RECORDED = "已补录：{section} {category}（{date}），记为属实。"
DECISION_UNDONE_SAY = "已撤销第 {id} 号认定。"
DECISION_REDONE_SAY = "已恢复第 {id} 号认定。"
REPLACES_VERSION = "将替换现行版本（上次导入于 {at:%Y-%m-%d %H:%M}）"
MONTH_HEADINGS = "{number}月"   # the status grid's columns: the year is in its heading
STATUS_MARKS = {RETURN_STATES["submitted"]: "✓", RETURN_STATES["late"]: "逾", RETURN_STATES["missing"]: "✗"}
STATUS_KEY = "✓ 已报送（绿）· 逾 逾期报送（黄）· ✗ 未报送（红）· 空白：该月该科室未设立或已撤销，不需报送。点科室名看科室详情。"
MONTH_HINT = "例如 2024-03"
RESTORE = "恢复"
RESTORE_SURE = "确认恢复"
CANCEL = "取消"
# The section drill-down page (科室详情, /section: analytics/section_view.py, pages/section.py) and the rankings on
# 九无卫生 and 总览 ---
SECTION_PAGE = "科室详情"
SECTION_NOT_OWN = "本账号只能查看本科室（{section}）的详情。"
SECTION_UNKNOWN = "「{section}」不在 {year} 年的组织名册中，请在下面选择科室。"
SECTION_RANK = "{rank} / {ranked}"
SECTION_NAMES = {**FIGURE_NAMES, "status": "报送情况", "failing": "不达标项目", "date": "检查日期", "imported_at": "导入时间",
                 "imported_by": "导入人", "file": "文件", "reasons": "否决原因", "scored_rows": "检查点数"}
NINE_NO_RANKING_STATES = {"no_check": "无检查记录", "missing": RETURN_STATES["missing"]}
