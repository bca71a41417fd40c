"""The words of the database itself (issue 13): backups and restores, schema migrations; as labels.py, beside it
(labels.py holds every other page's and export's words)."""

# Backups (issue 13 "Build" 4: analytics/backup.py, `python -m analytics db backup / restore`, 设置 → 备份) ---
BACKUP_DETAILS = {"cli": "命令行备份到 {path}", "page": "设置页下载 {path}",   # the lines of 操作记录
                  "restore": "从备份「{name}」恢复（{taken_at} 由 {taken_by} 备份，来自 {source}）"}
BACKUP_REFUSED = {"exists": "「{path}」已存在，未覆盖：请换一个文件名。",
                  "not-a-backup": "「{name}」不是本看板的备份文件，未恢复任何内容：请使用 db backup 写出或「设置」页下载的备份文件。",
                  "newer": "「{name}」是较新版本看板的备份（数据库结构版本 {revision}），本版本无法恢复，未恢复任何内容：请先升级看板。",
                  "not-empty": "目标数据库中已有数据（{rows} 行），未恢复任何内容：备份只能恢复到新建的空数据库。"}
BACKUP_PAGE = {"heading": "备份", "last": "上次备份：{at:%Y-%m-%d %H:%M}，{who}，{detail}。", "never": "尚未备份过。",
               "make": "生成备份文件", "download": "下载备份：{name}", "file": "文明创建看板备份_{at:%Y-%m-%d_%H%M}.sqlite",
               "note": "备份是一个 SQLite 文件，含全部上传文件的原件、月报版本、认定、名册、规则、模板设置、账号（密码只存摘要）"
                       "和操作记录，请妥善保管。恢复只能在服务器的命令行进行，且只能恢复到新建的空数据库："
                       "`python -m analytics db restore 备份文件`（见 README「备份与恢复」）。"}
CLI_HELP_DB = {"db": "数据库维护：升级结构、备份、恢复", "db_backup": "将看板数据库备份为一个 SQLite 文件（运行中也可备份）",
               "db_restore": "将备份恢复到 WENMING_DB_URL 所指的空数据库", "backup_out": "备份文件（须尚不存在）",
               "restore_in": "db backup 写出或「设置」页下载的备份文件",
               "upgrade": "把数据库升级到本版本的结构（看板和命令启动时也会自动升级）"}
CLI_BACKED_UP = "已备份到 {path}（{size:.1f} MB，{taken_at}）。"
CLI_RESTORED = "已从 {path} 恢复（{taken_at} 由 {taken_by} 备份，来自 {source}）：共 {rows} 行。"
# Migrations (issue 13 "Build" 1): `python -m analytics db upgrade`, and what each migration brings.
MIGRATION_NAMES = {"0001": "月报、版本、认定、设置等数据表（账号功能之前的版本）", "0002": "账号、登录记录和会话",
                   "0003": "检查组检查表及其检查记录", "0004": "六个一的确认和市文明办部署任务台账",
                   "0005": "创建台账的佐证材料"}
CLI_DB_CURRENT = "数据库 {url} 已是最新结构（{revision}），无需升级。"
CLI_DB_ADOPTED = "数据库来自启用结构版本之前的发行版：按结构 {revision} 接管，原有数据一律保留。"
CLI_DB_APPLIED = "已执行 {revision}：{name}"
CLI_DB_UPGRADED = "数据库 {url} 已升级到结构 {revision}。"
