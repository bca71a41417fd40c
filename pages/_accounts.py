"""设置 → 账号 (issue 11 "Build" 5): the accounts, a new account, and per account 停用 (after a confirmation) or 启用
and 重设密码. Every form says what it did or why it did nothing; no password or hash is ever shown."""
import pandas as pd
import streamlit as st

from analytics import account_store, labels
from analytics.accounts import PASSWORD_MIN, ROLES, Account, AccountError
from pages._shared import plain, table

MESSAGE = "accounts_message"   # what the last action did, shown after the rerun that lists its result


def accounts_part(store, who: str, roster_sections: list[str]) -> None:
    """The 账号 part: `who` is the acting username (pages/_shared.who()), `roster_sections` the roster's sections in
    force (a 科室填报员 account is bound to one of them)."""
    st.subheader("账号")
    if message := st.session_state.pop(MESSAGE, None):
        getattr(st, message[0])(plain(message[1]))
    listed = account_store.list_accounts(store)
    if listed.empty:
        st.info("还没有账号，看板处于单机模式。建立第一个账号（请选文明办）后，每一页都需要登录：用新账号在 /signin 登录。")
    else:
        table(account_store.account_table(store))
    _new_account(store, who, roster_sections, first=listed.empty)
    if not listed.empty:
        _one_account(store, who, listed)


def _done(text: str) -> None:
    st.session_state[MESSAGE] = ("success", text)
    st.rerun()


def _refused(what: str, error: AccountError) -> None:
    st.error(plain(f"{what}：{labels.ACCOUNT_FORM_ERRORS.get(error.code) or error}"))


NEW_FIELDS = ("account_new_username", "account_new_name", "account_new_section", "account_new_password", "account_new_again")


def _new_account(store, who: str, roster_sections: list[str], first: bool) -> None:
    """A refused form keeps what was typed; a done one starts empty. The first account is a 文明办 one: the only
    role that can then make the others."""
    roles = ("office",) if first else ROLES
    with st.form("account_new"):
        st.markdown("**新建账号**")
        left, right = st.columns(2)
        username = left.text_input("用户名", key="account_new_username")
        display_name = right.text_input("显示名（不填则同用户名）", key="account_new_name")
        role = left.selectbox("角色", roles, format_func=labels.ROLE_NAMES.get, key="account_new_role",
                              index=roles.index("section") if "section" in roles else 0)
        section = right.selectbox("科室（仅科室填报员）", roster_sections, index=None, placeholder="选择科室",
                                  key="account_new_section")
        password = left.text_input("密码", type="password", key="account_new_password")
        again = right.text_input("确认密码", type="password", key="account_new_again")
        st.caption(f"密码至少 {PASSWORD_MIN} 个字符。科室只用于科室填报员账号，其他角色不绑定科室。")
        if not st.form_submit_button("新建账号"):
            return
    if password != again:
        st.error("两次输入的密码不一致，未新建账号。")
        return
    try:
        account = account_store.add_account(store, username, password, role, who, roster_sections,
                                            section if role == "section" else None, display_name)
    except AccountError as error:
        _refused("未新建账号", error)
        return
    for field in NEW_FIELDS:
        st.session_state.pop(field, None)
    _done(f"已新建账号 {account_store.describe(account)}。")


def _one_account(store, who: str, listed) -> None:
    rows = {row.username: row for row in listed.itertuples()}
    shown = {name: f"{name}（{row.display_name} · {labels.ROLE_NAMES.get(row.role, row.role)}"
                   f"{labels.ROLE_SECTION.format(section=row.section) if row.section else ''} · "
                   f"{labels.ACCOUNT_STATES['disabled' if pd.notna(row.disabled_at) else 'active']}）"
             for name, row in rows.items()}
    username = st.selectbox("选择账号，停用、启用或重设密码", list(rows), format_func=shown.get, key="account_chosen")
    row = rows[username]
    name = account_store.describe(Account(row.username, row.display_name, row.role,
                                          row.section if isinstance(row.section, str) else None))
    left, right = st.columns(2)
    with left:
        if pd.notna(row.disabled_at):
            st.caption(plain(f"{name} 已停用：不能登录，历史记录保留。启用后用原密码登录。"))
            if st.button("启用", key=f"account_enable_{username}"):
                _act(lambda: account_store.enable_account(store, username, who), "未启用", f"已启用账号 {name}。")
        elif username == who:
            st.caption("这是您正在使用的账号，不能在这里停用。")
        else:
            st.caption("停用后该账号不能登录，其已登录的浏览器随即退出；账号和历史记录保留，可再启用。")
            sure = st.checkbox(plain(f"确认停用 {name}"), key=f"account_disable_sure_{username}")
            if st.button("停用", disabled=not sure, key=f"account_disable_{username}") and sure:
                _act(lambda: account_store.disable_account(store, username, who), "未停用",
                     f"已停用账号 {name}，其已登录的浏览器均已退出。")
    with right, st.form(f"account_password_{username}", clear_on_submit=True):
        password = st.text_input("新密码", type="password", key=f"account_password_new_{username}")
        again = st.text_input("再次输入新密码", type="password", key=f"account_password_again_{username}")
        if username == who:
            st.caption("这是您正在使用的账号：重设后需要用新密码重新登录。")
        if st.form_submit_button("重设密码"):
            if password != again:
                st.error("两次输入的新密码不一致，密码未更改。")
            else:
                _act(lambda: account_store.set_password(store, username, password, who), "密码未更改",
                     f"已重设账号 {name}的密码，其已登录的浏览器均已退出。")


def _act(change, refused: str, done: str) -> None:
    try:
        change()
    except AccountError as error:
        _refused(refused, error)
    else:
        _done(done)
