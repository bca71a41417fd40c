"""The words clerks type, as data (RETURN_FORMAT.md "The tables", DOMAIN.md).

A new spelling is one edit here plus one test case. Headers and values are compared after
`normalize.header_key` / `normalize.value_key`, so list them as a clerk would type them.
"""

# The nine items of the office "nine-no" standard, in the plan's order: canonical column → header names.
NINE_ITEMS = {
    "no_cigarette_butts": ("无烟头",),
    "no_paper_scraps": ("无纸屑",),
    "no_spit": ("无痰迹",),
    "no_clutter": ("无杂物",),
    "no_graffiti": ("无乱写乱画",),
    "no_toilet_odour": ("厕所无臭味", "无臭味"),
    "no_flies": ("无蚊蝇",),
    "no_sewage": ("无污水",),
    "no_dirt": ("无脏物",),
}

UNIT_COLUMN = ("填报单位", "科室", "单位", "被检查单位", "被检查科室", "被检单位", "检查单位", "责任科室", "责任单位")

# Table kind → canonical column → header names. Shared names (类别, 日期, 说明) are read within the
# table whose kind was fixed by KIND_MARKERS.
COLUMNS = {
    "tasks": {
        "seq": ("序号",),
        "area": ("创建内容", "工作类别", "类别", "项目"),
        "task": ("工作任务", "任务", "工作内容", "具体任务"),
        "planned": ("计划数", "计划完成数", "目标数", "计划"),
        "done": ("完成数", "实际完成数", "已完成数", "完成"),
        "deployed": ("是否市文明办部署", "市文明办部署", "上级部署"),
        "note": ("说明",),
        "unit": UNIT_COLUMN,
    },
    "inspections": {
        "seq": ("序号",),
        "date": ("检查日期", "日期"),
        "place": ("检查区域", "区域", "检查部位", "部位"),
        **NINE_ITEMS,
        "inspector": ("检查人",),
        "remark": ("备注",),
        "unit": UNIT_COLUMN,
    },
    "events": {
        "seq": ("序号",),
        "date": ("发生日期", "日期"),
        "category": ("事项类别", "类别"),
        "description": ("事项说明", "情况说明", "说明"),
        "status": ("是否属实", "认定情况", "是否认定"),
        "handling": ("处理情况",),
        "unit": UNIT_COLUMN,
    },
    "bonus": {
        "seq": ("序号",),
        "date": ("日期",),
        "category": ("加分类别", "类别"),
        "person": ("人员", "姓名"),
        "note": ("说明",),
        "unit": UNIT_COLUMN,
    },
}

# Columns a table cannot do without (RETURN_FORMAT.md: everything not marked optional).
REQUIRED = {
    "tasks": ("area", "task", "planned", "done"),
    "inspections": ("date", "place", *NINE_ITEMS),
    "events": ("date", "category", "description", "status"),
    "bonus": ("date", "category", "person", "note"),
}

# A table's kind is fixed by a header only it has; hygiene by at least MIN_NINE_ITEMS of the items.
KIND_MARKERS = {
    "tasks": COLUMNS["tasks"]["task"],
    "events": ("事项类别", "事项说明", "情况说明", "是否属实", "认定情况", "是否认定"),
    "bonus": ("加分类别",),
}
MIN_NINE_ITEMS = 5

# The contract's name of each column, used in issues ("column") and messages.
CONTRACT_NAMES = {
    "area": "创建内容", "task": "工作任务", "planned": "计划数", "done": "完成数", "deployed": "市文明办部署",
    "place": "检查区域", "category": "事项类别", "description": "事项说明", "status": "是否属实",
    "handling": "处理情况", "person": "人员", "unit": "填报单位", "note": "说明", "remark": "备注",
    "inspector": "检查人", "seq": "序号",
    **{item: names[0] for item, names in NINE_ITEMS.items()},
}
CONTRACT_NAMES_BY_TABLE = {
    "tasks": CONTRACT_NAMES,
    "inspections": {**CONTRACT_NAMES, "date": "检查日期"},
    "events": {**CONTRACT_NAMES, "date": "发生日期"},
    "bonus": {**CONTRACT_NAMES, "date": "日期", "category": "加分类别"},
}

# Labels a header row may group the nine items under (a two-row header, RETURN_FORMAT.md accepted 2).
GROUP_LABELS = ("九无检查项目", "九无检查", "九无", "检查项目", "检查内容", "九无标准")

# Header block (RETURN_FORMAT.md "Which section and which month").
SECTION_LABELS = ("填报单位",)
MONTH_LABELS = ("报表月份", "填报月份", "检查月份")
OTHER_BLOCK_LABELS = ("填报日期", "填报人", "审核人", "负责人", "联系电话")

# Rows: a total is skipped, a footer ends the table (RETURN_FORMAT.md "How headers and rows are read").
TOTAL_WORDS = ("合计", "总计", "小计", "本月合计")
SUBTOTAL_WORDS = ("小计",)
FOOTER_PREFIXES = ("填报人", "审核人", "负责人", "填报日期", "备注", "填表说明", "注")

# A veto row whose non-empty cells all say one of these is no event.
NOTHING_TO_REPORT = ("无", "本月无", "无此类事项", "本月无此类事项", "没有")

# Nine-no marks (RETURN_FORMAT.md accepted 5).
MARKS = {
    "pass": ("√", "✓", "✔", "是", "达标", "合格", "1", "Y", "y"),
    "fail": ("×", "✗", "✘", "x", "X", "否", "不达标", "不合格", "0", "N", "n"),
    "na": ("—", "-", "/", "无此项", "不适用", "N/A", "n/a", "——", "－"),
}
# Stored marks: 1 pass, 0 fail, missing = not applicable.
MARK_VALUES = {"pass": 1, "fail": 0, "na": None}

YES_NO = {"是": True, "√": True, "Y": True, "y": True, "否": False, "×": False, "N": False, "n": False, "": False}

# 是否属实 (RETURN_FORMAT.md "How headers and rows are read").
EVENT_STATUS = {
    "是": "confirmed", "属实": "confirmed",
    "否": "dismissed", "不属实": "dismissed",
    "待核实": "pending", "核实中": "pending", "": "pending",
}
STATUS_NAMES = {"confirmed": "是", "dismissed": "否", "pending": "待核实"}
DECISION_NAMES = {"confirm": "认定属实", "dismiss": "认定不属实", "record": "补录"}
ACTION_NAMES = {"import": "导入", "restore": "恢复为当前", "withdraw": "撤回", "roster": "替换名册", "rules": "替换规则",
                "clear-sample": "清除示例数据", "restore-sample": "恢复示例数据", "decision-confirm": "认定属实",
                "decision-dismiss": "认定不属实", "decision-record": "补录事项", "decision-undo": "撤销认定",
                "decision-redo": "恢复认定", "account-add": "新建账号", "account-disable": "停用账号",
                "account-enable": "启用账号", "account-password": "更改密码", "sign-in": "登录",
                "sign-in-failed": "登录失败", "template": "替换模板设置", "plan": "替换工作计划",
                "backup": "备份", "restore-backup": "从备份恢复",
                "team-sheet": "导入检查组检查表", "team-withdraw": "撤回检查组检查表", "team-restore": "恢复检查组检查表",
                "six-ones-confirm": "确认六个一", "six-ones-undo": "撤销六个一确认", "deployed-add": "登记部署任务",
                "deployed-remove": "删除部署任务", "deployed-restore": "恢复部署任务",
                "evidence-add": "上传台账", "evidence-remove": "删除台账", "evidence-restore": "恢复台账",
                "evidence-limit": "更改台账附件上限"}

# The seven areas of the plan (DOMAIN.md): number → (full name, other names seen on returns).
AREAS = {
    1: ("宣传教育与干部培训", ("宣传教育", "干部培训", "宣传教育和干部培训", "大力推进宣传教育，积极开展干部培训")),
    2: ("思想道德建设", ("思想道德", "道德建设", "深化思想道德建设，提高干部职工道德风尚")),
    3: ("党风廉政建设", ("党风廉政", "廉政建设", "加强党风廉政建设，构筑牢固惩防体系")),
    4: ("文化活动", ("文体活动", "文化", "丰富创建载体，倡导健康、文明的生活方式")),
    5: ("文明城市创建", ("文明城市", "创建文明城市", "积极开展文明城市创建")),
    6: ("志愿服务", ("志愿服务活动", "大力推进志愿服务活动")),
    7: ("环境卫生与硬件建设", ("环境卫生", "硬件建设", "环境卫生和硬件建设", "加强硬件建设，营造优美的工作学习生活环境")),
}
AREA_NAMES = tuple(name for name, _ in AREAS.values())
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}

# Veto categories (DOMAIN.md "One-vote veto"): name → other spellings.
VETO_CATEGORIES = {
    "违法违纪案件": ("违法违纪",),
    "公务接待/会议/差旅费违规": ("公务接待、会议、差旅费违规", "公务接待会议差旅费违规", "三公经费违规"),
    "不文明行为被曝光": ("不文明行为曝光",),
    "未完成市文明办部署任务": ("未完成市文明办部署的任务",),
    "安全责任事故": ("安全事故",),
    "其他": ("其它",),
}
DEPLOYED_SHORTFALL = "未完成市文明办部署任务"

# Bonus categories (DOMAIN.md "Quantitative assessment"); their points are in the rules file.
BONUS_CATEGORIES = {
    "职称考试": ("专业技术职称考试", "职称"),
    "注册会计师": ("注册会计师考试", "CPA"),
    "表彰奖励": ("表彰", "奖励"),
    "信息宣传": ("信息宣传采用", "宣传信息"),
}

# Files (RETURN_FORMAT.md "Files").
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
WPS_SUFFIXES = (".et", ".ett")
ZIP_SUFFIX = ".zip"
SKIPPED_NAME_PREFIXES = ("~$", ".")
SKIPPED_FOLDERS = ("__MACOSX",)

# The roster (DOMAIN.md "The roster"): canonical column → header names.
ROSTER_COLUMNS = {
    "section": ("科室", "科室名称", "单位名称"),
    "aliases": ("别名", "简称"),
    "head": ("负责人", "科室负责人"),
    "kind": ("类别", "类型"),
    "start_month": ("设立月份",),
    "end_month": ("撤销月份",),
}
SECTION_KINDS = ("科室", "直属单位")
ALIAS_SEPARATORS = "、;；,，"
NINE_ITEM_NAMES = tuple(names[0] for names in NINE_ITEMS.values())

# The rules file's keys (default_rules.toml, DOMAIN.md "量化考核") as its messages name them; each bonus_points key
# is named after its category (messages.RULES_MESSAGES["bonus-points"]).
RULE_NAMES = {"completion_points": "任务完成分值", "hygiene_points": "九无卫生分值", "bonus_cap": "每月加分上限",
              "deployed_shortfall": "未完成部署任务即否决", "due_day": "报送截止日",
              "places": "先进集体名额", "floor": "先进分数线"}

# The bureau a typed unit name may start with: 市财政局预算科 and 市财政局（预算科） are 预算科 (DOMAIN.md "The roster").
BUREAU = "财政局"
# How an area's number is written before or instead of its name (第（五）项、…): the words around it, then a separator.
AREA_NUMBER_WORDS = ("第", "项")
AREA_NUMBER_SEPARATORS = "、.．,，:："
# The units of a date as clerks write it (2024年3月5日, 3月5日).
DATE_UNITS = ("年", "月", "日")
# A file name that would be empty once made safe.
UNNAMED_FILE = "未命名"

# The blank return (template.py): table kind → (sheet name, title); its headers are each column's first name above.
TEMPLATE_SHEETS = {
    "tasks": ("任务完成情况", "文明单位创建工作任务完成情况"),
    "inspections": ("九无卫生检查", "办公环境“九无”卫生检查记录"),
    "events": ("一票否决事项", "一票否决事项报告"),
    "bonus": ("加分事项", "量化考核加分事项"),
}
TEMPLATE_YES_NO = ("是", "否")
TEMPLATE_FOOTER = ("填报人：", "审核人：", "填报日期：")
# Every header-block label (SECTION_LABELS, MONTH_LABELS) holds one of these: a quick test before the pattern.
BLOCK_LABEL_MARKS = ("报", "检查月份")
