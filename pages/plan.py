import pandas as pd
import streamlit as st

from analytics import evidence_export, evidence_store, labels, plan_calendar
from analytics import labels_plan as words
from analytics.accounts import own_section
from analytics.intake.vocab import AREA_NAMES
from pages._shared import account, in_frame, made_once, period_or_stop, plain, section_table, store, table

in_frame()
COLORS = {"done": "#e8f5e9", "partial": "#fff3cd", "overdue": "#ffebee"}   # as 数据上传's 报送情况

st.title(words.PLAN_PAGE)
year, month, shown = period_or_stop()
plan = shown.plan
section = own_section(account())  # a section account: its own section against the plan, nothing of the others
calendar = made_once(("plan", year, month, section, plan.digest),
                     lambda: plan_calendar.plan_calendar(plan, shown.records.tasks, shown.roster.sections, month))
st.caption(plain(f"{plan.source}（{plan.year} 年 · {len(plan.items)} 项）· 截至 {month} 的月报"))

overdue = calendar[calendar["overdue"]].sort_values(["state", "month"], key=lambda column: column.ne("overdue")
                                                     if column.name == "state" else column, kind="stable")
if overdue.empty:
    st.success(words.PLAN_NONE_OVERDUE.format(month=month))
else:
    wholly = int((overdue["state"] == "overdue").sum())
    st.warning(words.PLAN_OVERDUE.format(count=len(overdue), overdue=wholly, partial=len(overdue) - wholly))
    with st.expander(words.PLAN_OVERDUE_LIST.format(count=len(overdue))):
        table(plan_calendar.headed(overdue), height="content")

area = st.selectbox(words.PLAN_COLUMNS["area"], [words.PLAN_ALL_AREAS, *AREA_NAMES], key="plan_area")
shown_rows = calendar if area == words.PLAN_ALL_AREAS else calendar[calendar["area"] == area]
st.subheader(f"{year} 年计划日历")
st.caption(words.PLAN_KEY)   # the marks' meaning before the marks
colors = {words.PLAN_MARKS[state]: f"background-color: {color}" for state, color in COLORS.items()}
st.dataframe(plan_calendar.state_grid(shown_rows).style.map(lambda mark: colors.get(mark, "")), height="content",
             column_config={words.PLAN_COLUMNS["item"]: st.column_config.TextColumn(width="large")})

st.subheader("事项落实情况")
items = list(shown_rows["item"].drop_duplicates())
if not items:
    st.stop()
left, right = st.columns([3, 1])
item = left.selectbox(words.PLAN_COLUMNS["item"], items, key="plan_item")
due = list(calendar.loc[calendar["item"] == item, "month"])
if st.session_state.get("plan_month") not in due:
    st.session_state["plan_month"] = month if month in due else due[0]
chosen = right.selectbox(words.PLAN_COLUMNS["month"], due, key="plan_month")
row = calendar[(calendar["item"] == item) & (calendar["month"] == chosen)].iloc[0]
of_item = next(entry for entry in plan.items if entry.name == item)
st.markdown(f"**{words.PLAN_STATES[row['state']]}** · "
            + plain(f"{row['area']} · {words.PLAN_WHO_NAMES[row['who']]} · {row['when']}"))
st.caption(plain(of_item.words))
if row["who"] == "bureau":
    st.caption(words.PLAN_BUREAU_NOTE)
files = evidence_export.archive_listing(plan, evidence_store.evidence_of(store(), year))
files = files[(files["plan_item"] == item) & (files["section"].eq(section) if section else True)]
st.caption(words.PLAN_EVIDENCE.format(count=len(files)))
section_column, month_column = labels.heading("section"), labels.heading("month")
for column, heading, names in zip(st.columns(2), (words.PLAN_REPORTED_BY, words.PLAN_MISSING_BY),
                                  (row["reported"], row["missing"])):
    with column:
        st.write(f"{heading}（{len(names)}）")
        section_table(pd.DataFrame({section_column: list(names), month_column: [chosen] * len(names)}), year,
                      by_month=True)
