"""The settings page's question when a new roster drops sections that hold data: what became of each."""
import streamlit as st

from analytics.labels import FATES
from analytics.periods import next_month
from pages._shared import plain


def roster_fates(checked, gone) -> dict:
    """Ask what became of each section with data the new roster drops; returns section → fate."""
    fates = {}
    names = list(checked.sections["section"])
    for row in gone.itertuples():
        with st.container(border=True):
            st.warning(plain(f"「{row.section}」有 {row.versions} 份月报、{row.decisions} 条认定记录（{row.first_month} 至 "
                             f"{row.last_month}），新名册中没有这个科室。请说明其去向："))
            left, middle, right = st.columns(3)
            fate = left.radio("去向", list(FATES), format_func=FATES.get, key=f"fate_{row.section}", index=0 if row.suggested else None)
            if fate is None:
                continue
            if fate in ("rename", "merge"):
                target = middle.selectbox("新名册中的科室", names, key=f"fate_target_{row.section}", placeholder="选择科室",
                                          index=names.index(row.suggested) if row.suggested else None)
                if target is None:
                    continue
            if fate == "rename":
                fates[row.section] = ("rename", target)
                right.caption(plain(f"{row.section} 的全部月报和认定记录将归入「{target}」。"))
                continue
            since = right.text_input("自哪个月起（YYYY-MM）", value=next_month(row.last_month), key=f"fate_month_{row.section}")
            fates[row.section] = ("merge", target, since) if fate == "merge" else ("abolish", since)
    return fates
