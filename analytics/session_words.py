"""What the sign-in screen, the sign-out and the sidebar's session lines say (issue 11, items 2 and 4).

A words module of its own while analytics/labels.py is being edited on main; to be merged into labels later.
"""
TITLE = "文明创建考评看板 · 登录"
USERNAME = "用户名"
PASSWORD = "密码"
SIGN_IN = "登录"
SIGN_OUT = "退出登录"
BAD_REQUEST = "登录请求无效，请重新打开登录页。"
SIGNED_OUT = "已退出登录。"
# A refused sign-in says accounts.Refusal.message (labels.SIGN_IN_REFUSALS): the name or password is wrong, or the
# name is locked for so many minutes.

DESK_MODE = "单机模式：本机使用，无需登录。一旦建立账号或在局域网上提供服务，就需要登录。"
SIGN_IN_NEEDED = "请先登录。"
SIGNED_IN_AS = "已登录：{name}"
FIRST_ACCOUNT = (
    "看板正在局域网上提供服务，但还没有任何账号，因此不显示任何数据。请在服务器上建立第一个账号（文明办）：\n\n"
    "```\npython -m analytics user add 用户名 --role office --name 显示名\n```\n\n"
    "请在看板所在的文件夹运行，并使用与看板相同的数据库设置（WENMING_DB_URL）；命令从标准输入读取密码（一行）。"
    "建好后刷新本页并登录。"
)
