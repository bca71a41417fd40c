import streamlit as st

from analytics import charts, section_view
from analytics.accounts import may_see_section, own_section
from analytics.intake.normalize import safe_file_name
from analytics.labels import NO, PAGE_REFUSED, SECTION_NOT_OWN, SECTION_PAGE, SECTION_RANK, SECTION_UNKNOWN, YES
from analytics.section_view import file_name
from pages._shared import account, chart, current_period, in_frame, period_or_stop, plain, store, table

in_frame()

st.title(SECTION_PAGE)
year, month, shown = period_or_stop()
bureau = current_period(published=True).shown.summary.section_months  # every section's months: a rank is among them
sections = list(shown.roster.sections["section"])  # a section account's: its own only
if not sections:
    st.info(PAGE_REFUSED.format(page=SECTION_PAGE))
    st.stop()

# The section comes from the address (?section=, what every section name on the other pages links to) or the picker.
asked = st.query_params.get("section")
if asked is not None and asked not in sections:
    if own_section(account()) is not None:  # another section's name: a refusal, nothing of it shown
        st.error(SECTION_NOT_OWN.format(section=plain(sections[0])))
        st.stop()
    st.warning(SECTION_UNKNOWN.format(section=plain(asked), year=year))
elif asked is not None:
    st.session_state["section_page"] = asked
if st.session_state.get("section_page") not in sections:
    st.session_state["section_page"] = sections[0]
section = st.selectbox("科室", sections, key="section_page",
                       on_change=lambda: st.query_params.update(section=st.session_state["section_page"]))
st.query_params.update(section=section, year=str(year), month=month)  # the address names what is shown: a bookmark opens it again
head = shown.roster.sections.set_index("section").loc[section]
st.caption(plain(f"{head['kind']} · 负责人 {head['head'] or '—'} · {year} 年 · 本月 {month}"))

standing = section_view.standing(bureau, section, month)
if standing is None:
    st.info(plain(f"{section} {month} 不在考核范围（尚未设立或已撤销）。"))
else:
    if not standing.submitted:
        st.warning(plain(f"{section} {month} 未报送月报，当月得分计 0 分。"))
    # Three to a row: five would cut 100.0% to "100.…" at 1024 px.
    columns = [*st.columns(3), *st.columns(3)[:2]]
    columns[0].metric(f"{month} 得分", f"{standing.score:.2f}")
    columns[1].metric(f"{month} 名次", SECTION_RANK.format(rank=standing.rank, ranked=standing.ranked))
    columns[2].metric("一票否决", YES if standing.veto else NO)
    columns[3].metric("任务完成率", charts.percent(standing.completion_rate))
    columns[4].metric("九无卫生得分", charts.score(standing.nine_no_score))
chart(charts.section_trend(bureau, section))
table(section_view.months(bureau, section), height="content")

st.subheader("任务完成（按创建内容）")
table(section_view.area_months(shown.records.tasks, section), hide_index=False)
st.write(f"{month} 任务明细")
table(section_view.month_tasks(shown.records.tasks, section, month))

st.subheader("九无卫生检查")
left, right = st.columns([3, 2])
with left:
    st.write(f"{month} 检查记录")
    table(section_view.inspections(shown.records.inspections, section, month))
with right:
    st.write(f"{year} 年不达标项目")
    table(section_view.item_fails(shown.records.inspections, section))

st.subheader("一票否决")
vetoes = section_view.vetoes(bureau, section)
if vetoes.empty:
    st.success(plain(f"{section} {year} 年未被一票否决。"))
else:
    table(vetoes)
events = section_view.events(shown.summary.events, shown.roster.sections, section, year)
st.write("报告的事项")
table(events)
st.write("认定记录")
for text in section_view.decisions(shown.records.decisions, section) or ["无"]:
    st.markdown(plain(text))

st.subheader("月报与历史版本")
history = section_view.year_versions(store().versions_of(section), year)
if history.empty:
    st.caption(f"{year} 年没有导入过月报。")
else:
    table(section_view.version_table(history))
    signed_in = account()
    if signed_in is None or may_see_section(signed_in, section):
        rows = {int(row.id): row for row in history.itertuples()}
        chosen = st.selectbox("下载原件", list(rows), key="section_version",
                              format_func=lambda version: f"{rows[version].month} · {file_name(rows[version].file)}")
        st.download_button("下载所选原件", lambda: store().return_of(chosen)[1],
                           safe_file_name(file_name(rows[chosen].file)), key="section_download")
