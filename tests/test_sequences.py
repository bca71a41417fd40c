"""Sequences, not single steps (issue "Trust"): random runs of what users do to the store and the workspace
(import, re-submit, same-named uploads, withdraw, restore, decide from fresh and stale pages, undo, redo,
rename a section or give 设立/撤销 months through a new roster, replace the rules, clear and restore the sample;
and, issue 14, record / remove / restore a deployed task, import / withdraw / restore an inspection-team sheet,
confirm and undo the 六个一, replace the plan or put an earlier one back; attach, remove and restore evidence).
After every step the invariants hold, among them that the figures are a fresh store's given the files in force in
any order and batching, the active deployed tasks and the current team sheets; after every run every page renders
on the resulting store (AppTest).

Then fixed sequences (issue 12): the month's downloads after withdraw, restore, a decision, its undo and a
re-submission; one file name twice in a batch, and a file refused for its batch uploaded again; a section
account's /section addresses."""
import datetime as dt
import html
import io
import json
import os
import random
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from streamlit.testing.v1 import AppTest

from analytics import evidence_store, hygiene, labels, ledger, load_uploaded, plan_store, team_store, workspace
from analytics.config import DATABASE_URL_VARIABLE
from analytics.downloads import file_names, html_notes
from analytics.evidence_export import archive_listing
from analytics.evidence_store import EvidenceRefused, Target
from analytics.export_bulletin import bulletin_facts
from analytics.intake.messages import MESSAGES
from analytics.intake.roster import parse_roster
from analytics.intake.team import check_team_sheet
from analytics.labels_plan import PLAN_SIX_ONES, SIX_ONES_STATES
from analytics.plan import DEFAULT_PLAN, PlanError, parse_plan
from analytics.plan_calendar import month_status, plan_calendar, state_grid
from analytics.rules import DEFAULT_RULES
from analytics.schema import decisions, versions
from analytics.store import StaleChoice, Store
from tests.conftest import PAGES, ROOT, ROSTER_ROWS, sign_in_apptest
from tests.returns import Event, Task, default_content, write_return
from tests.test_evidence import pdf_scan
from tests.test_section_page import OTHER, SECTION, accounts, open_page  # noqa: F401 (accounts: a fixture)
from tests.test_team_sheets import team_sheet
from tests.test_templates_plan import downloads  # noqa: F401 (a fixture: every download button's bytes)

SECTIONS, MONTHS, VARIANTS = ("办公室", "预算科", "国库科"), ("2024-01", "2024-02"), (0, 1)
CLERK, CLERK_SECTION = "gkk", SECTION   # a section account's username and its section (tests.test_section_page's)
EVENT_DATE = {"2024-01": dt.date(2024, 1, 10), "2024-02": dt.date(2024, 1, 10)}  # one event, reported twice


def _returns() -> dict:
    """(section, month, variant) → the bytes of a real return; variant 1 has fewer tasks, among them 道德讲堂 done
    in full (variant 0 leaves it short), and a pending event."""
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for section in SECTIONS:
            for month in MONTHS:
                for variant in VARIANTS:
                    content = default_content(section, month)
                    if variant:
                        content.tasks = [*content.tasks[:2], Task("思想道德建设", "道德讲堂", 1, 1)]
                        content.events = [Event(EVENT_DATE[month], "其他", "办公区吸烟", "待核实")]
                    path = write_return(Path(folder) / f"{section}_{month}_{variant}.xlsx", content)
                    out[(section, month, variant)] = path.read_bytes()
    return out


RETURNS = _returns()


SPANS = {"国库科": ("2024年2月", ""), "办公室": ("", "2024年1月")}  # 设立 in February · 撤销 after January


def roster_csv(renamed: bool, spans: bool = False) -> bytes:
    """The test roster; renamed: 预算科 is 预算管理科, its old name kept as an alias (as a clerk would); spans: 国库科
    is set up in February and 办公室 abolished after January (SPANS), so one month of each counts no more."""
    rows = [(["预算管理科", "预算科", *row[2:]] if renamed and row[0] == "预算科" else row) for row in ROSTER_ROWS]
    rows = [[*row[:4], *SPANS[row[0]]] if spans and row[0] in SPANS else row for row in rows]
    return "\n".join(",".join(row) for row in rows).encode()


RULES = {False: DEFAULT_RULES.read_bytes(),
         True: DEFAULT_RULES.read_bytes().replace(b"completion_points = 60", b"completion_points = 50")}

# Deployed tasks as the office types them → the return's 工作任务 each one is (None: none of the returns' tasks).
DEPLOYED_NAMES = {"道德讲堂": "道德讲堂", "「道德讲堂」": "道德讲堂", "业务 知识学习": "业务知识学习", "义务洁城日活动": None}
DUE_MONTHS = ("2024-01", "2024-02", "2025-01")   # 2025's is no task of 2024's returns

# Inspection-team sheets: (month, variant) → rows of (unit as written, the section it is, marks ✓ ✗ —); each
# row's nine-no score is 100 × √ ÷ (√ + ×). 综合科 never has a return here: the sheets alone give it a score.
MARKS = {100: ["√"] * 9, 0: ["×"] * 9, 50: ["√"] * 4 + ["×"] * 4 + ["—"]}
TEAM_ROWS = {("2024-01", 0): [("预算科", "预算科", 0), ("国库股", "国库科", 50)],
             ("2024-01", 1): [("综合科", "综合科", 100), ("局办", "办公室", 0)],
             ("2024-02", 0): [("预算科", "预算科", 100), ("国库股", "国库科", 0), ("国库科", "国库科", 50)],
             ("2024-02", 1): [("综合科", "综合科", 0), ("办公室", "办公室", 50)]}
OUT_OF_FORCE_WITH_SPANS = {("国库科", "2024-01"), ("办公室", "2024-02")}   # SPANS: 国库科 from February, 办公室 to January


def _team_sheets() -> dict:
    """(month, variant) → the bytes of a real team sheet (made once: openpyxl writes the time into the file)."""
    return {(month, variant): team_sheet([[unit, f"{month}-15", f"{number + 1}01室", *MARKS[score], "检查组", ""]
                                          for number, (unit, _, score) in enumerate(rows)],
                                         header=(f"检查月份：{int(month[:4])}年{int(month[5:])}月",))
            for (month, variant), rows in TEAM_ROWS.items()}


TEAM_SHEETS = _team_sheets()


def team_sheet_name(key) -> str:
    return f"检查组_{key[0]}_{key[1]}.xlsx"


# Plan files: the bundled one, two that pass their check (道德讲堂 due by June; 一帮扶 no longer one of the 六个一)
# and one that does not.
PLAN = DEFAULT_PLAN.read_bytes()
PLANS = {DEFAULT_PLAN.name: PLAN,
         "计划_道德讲堂半年.toml": PLAN.replace('when = "每月"\nsix_ones = "一堂"'.encode(),
                                                 'when = "6月底前"\nsix_ones = "一堂"'.encode()),
         "计划_五个一.toml": PLAN.replace('six_ones = "一帮扶"\n'.encode(), b""),
         "计划_错.toml": b"year = 1999\n"}


# Evidence files (创建台账): a photo and a scan.
EVIDENCE = {"照片.png": (ROOT / "assets" / "favicon.png").read_bytes(), "签到.pdf": pdf_scan()}

INVARIANTS = []   # the machine's invariants by name, for StoreMachine.check


def checked(method):
    """An invariant of the machine (hypothesis checks it after every rule), also run by StoreMachine.check."""
    INVARIANTS.append(method.__name__)
    return invariant()(method)


class StoreMachine(RuleBasedStateMachine):
    new_database = None  # conftest's new_database of the backend run: a database per machine

    def __init__(self):
        super().__init__()
        self.url = type(self).new_database()
        self.store = Store(self.url)
        self.store.set_flag("bootstrapped", True)
        self.renamed = self.spans = False
        self.store.set_file_setting("roster", "名册.csv", roster_csv(False), who="文明办")
        self.original = {}          # version id → (section as uploaded, month, bytes uploaded)
        self.person_versions = set()
        self.standing = set()       # decision ids a person made and nobody undid
        self.deployed = {}          # deployed task id → {name, due, sections (as first named, or None), removed}
        self.sheets = {}            # team sheet id → [(month, variant), state]
        self.confirmations = {}     # 六个一 confirmation id → [year, six_ones, state, undone]
        self.evidence = {}          # evidence id → {section (as first named, or None), removed}
        self.plan = (DEFAULT_PLAN.name, PLAN)   # the plan file in force: name, bytes
        self.batching = random.Random(0)  # until batching_of_the_fresh_store draws one (initialize rules run in any order)
        sample = [("示例/办公室.xlsx", RETURNS[("办公室", "2024-01", 1)]), ("示例/国库科.xlsx", RETURNS[("国库科", "2024-01", 0)])]
        self._import(sample, who="示例数据", sample=True)

    def teardown(self):
        previous = os.environ.get(DATABASE_URL_VARIABLE)
        os.environ[DATABASE_URL_VARIABLE] = self.url
        try:
            for page in PAGES:
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
                if page != "pages/overview.py":
                    at.switch_page(page).run()
                assert not at.exception, (page, at.exception)
                assert not [e.value for e in at.error if "本页出错" in e.value], page
        finally:
            if previous is None:
                os.environ.pop(DATABASE_URL_VARIABLE)
            else:
                os.environ[DATABASE_URL_VARIABLE] = previous
            self.store.engine.dispose()

    # What users do ---------------------------------------------------------------------------------

    def roster(self):
        return workspace.roster_in_force(self.store)

    def _import(self, uploads, who="王磊", sample=False, only_section=None):
        before = set(self.store.versions_of()["id"])
        self.store.import_batch(load_uploaded(uploads, self.roster(), only_section=only_section), uploads, who=who,
                                sample=sample)
        sent = {data: name for name, data in uploads}
        for version in self.store.versions_of().itertuples():
            if version.id not in before:
                data = self.store.file_of(int(version.id))[1]
                assert data in sent, "a version points at a file that was not uploaded for it"
                self.original[version.id] = (version.section, version.month, data)
                if not sample:
                    self.person_versions.add(version.id)

    @rule(key=st.sampled_from(sorted(RETURNS)), same_name=st.booleans())
    def upload(self, key, same_name):
        section, month, _ = key
        self._import([("月报.xlsx" if same_name else f"{section}_{month}.xlsx", RETURNS[key])])

    @rule(keys=st.lists(st.sampled_from(sorted(RETURNS)), min_size=1, max_size=3))
    def a_section_clerk_uploads(self, keys):
        """国库科's own account (issue 11): any other section's return in the batch is refused whole."""
        self._import([(f"{section}_{month}_{variant}.xlsx", RETURNS[(section, month, variant)])
                      for section, month, variant in keys], who=CLERK, only_section=CLERK_SECTION)

    @rule(first=st.sampled_from(sorted(RETURNS)), second=st.sampled_from(sorted(RETURNS)))
    def upload_two_of_one_name(self, first, second):
        self._import([("月报.xlsx", RETURNS[first]), ("月报.xlsx", RETURNS[second])])

    @rule(data=st.data())
    def withdraw(self, data):
        current = self.store.versions_of().query("state == 'current'")
        if len(current):
            row = current.iloc[data.draw(st.integers(0, len(current) - 1))]
            self.store.withdraw(row["section"], row["month"], who="王磊", why="误传")

    @rule(data=st.data())
    def restore(self, data):
        earlier = self.store.versions_of().query("state != 'current'")
        if len(earlier):
            self.store.restore(int(earlier.iloc[data.draw(st.integers(0, len(earlier) - 1))]["id"]), who="王磊")

    @rule(action=st.sampled_from(["confirm", "dismiss"]), section=st.sampled_from(SECTIONS), stale=st.booleans())
    def decide(self, action, section, stale):
        section = self.roster().match(section)
        seen = 0 if stale else int(self.store.decisions()["id"].max() or 0) if len(self.store.decisions()) else 0
        self.store.decide(action, section, "2024-01", EVENT_DATE["2024-01"], "其他", who="李娜", why="核实", seen=seen)
        self.standing.add(int(self.store.decisions()["id"].max()))

    @rule(section=st.sampled_from(SECTIONS))
    def record(self, section):
        self.store.decide("record", self.roster().match(section), "2024-02", dt.date(2024, 2, 20), "不文明行为被曝光",
                          who="李娜", why="媒体曝光")
        self.standing.add(int(self.store.decisions()["id"].max()))

    @rule(data=st.data())
    def undo(self, data):
        standing = self.store.decisions().query("undone_at.isna()", engine="python")
        if len(standing):
            chosen = int(standing.iloc[data.draw(st.integers(0, len(standing) - 1))]["id"])
            self.store.undo_decision(chosen, who="王磊")
            self.standing.discard(chosen)

    @rule(data=st.data())
    def redo(self, data):
        undone = self.store.decisions().query("undone_at.notna()", engine="python")
        if len(undone):
            chosen = int(undone.iloc[data.draw(st.integers(0, len(undone) - 1))]["id"])
            self.store.redo_decision(chosen, who="王磊")
            self.standing.add(chosen)

    @initialize(batching=st.randoms(use_true_random=False))
    def batching_of_the_fresh_store(self, batching):
        self.batching = batching  # how the in-force files are shuffled and split when a fresh store imports them

    @rule()
    def rename_a_section(self):
        old, new = ("预算管理科", "预算科") if self.renamed else ("预算科", "预算管理科")
        fates = {old: ("rename", new)} if old in set(self.store.sections_with_data()["section"]) else {}
        workspace.replace_roster(self.store, "名册.csv", roster_csv(not self.renamed, self.spans), "文明办", fates)
        self.renamed = not self.renamed

    @rule()
    def set_up_and_abolish_sections(self):
        """设立月份 / 撤销月份 given (or taken back) in a new roster: the returns stay, the months outside count no more."""
        workspace.replace_roster(self.store, "名册.csv", roster_csv(self.renamed, not self.spans), "文明办")
        self.spans = not self.spans

    @rule(changed=st.booleans())
    def replace_rules(self, changed):
        self.store.set_file_setting("rules", "规则.toml", RULES[changed], who="文明办")

    @precondition(lambda self: self.store.flag("sample"))
    @rule()
    def clear_sample(self):
        before = set(self.store.decisions().query("undone_at.isna()", engine="python")["id"])
        self.store.clear_sample(who="文明办")
        # Only decisions on events that the sample alone reported go, and they come back with the sample.
        self.standing -= before - set(self.store.decisions().query("undone_at.isna()", engine="python")["id"])

    @precondition(lambda self: not self.store.flag("sample") and self.store.can_restore_sample())
    @rule()
    def restore_sample(self):
        try:
            self.store.restore_sample(who="文明办")
        except StaleChoice:
            pass

    def now(self, section: str) -> str:
        """A section as the test first named it (SECTIONS, TEAM_ROWS) → its name in the roster in force."""
        return "预算管理科" if self.renamed and section == "预算科" else section

    def check(self) -> None:
        """Every invariant, between the steps of one rule (the machine checks them after each rule)."""
        for name in INVARIANTS:
            getattr(self, name)()

    # Deployed tasks (analytics/plan_store.py, ledger.mark_deployed) ------------------------------------------

    def _deploy(self, name: str, due: str, sections) -> int:
        chosen = None if sections is None else [self.now(section) for section in sections]
        task_id = plan_store.add_deployed_task(self.store, name, "思想道德建设", due, chosen, "市文明办通知", who="文明办")
        self.deployed[task_id] = {"name": name, "due": due, "sections": sections, "removed": False}
        return task_id

    def _set_removed(self, task_id: int, removing: bool) -> None:
        change = plan_store.remove_deployed_task if removing else plan_store.restore_deployed_task
        if self.deployed[task_id]["removed"] == removing:  # a colleague did it already
            with pytest.raises(StaleChoice):
                change(self.store, task_id, who="文明办")
            return
        change(self.store, task_id, who="文明办")
        self.deployed[task_id]["removed"] = removing

    @initialize(name=st.sampled_from(sorted(DEPLOYED_NAMES)), sections=st.none() | st.lists(st.sampled_from(SECTIONS), min_size=1,
                                                                                            max_size=2, unique=True),
                sheet=st.sampled_from(sorted(TEAM_SHEETS)), restored=st.sampled_from(["task", "sheet", "both", "neither"]))
    def a_deployed_task_and_a_team_sheet_to_start_with(self, name, sections, sheet, restored):
        """Recorded and imported (checked), removed and withdrawn (checked), then restored or not: so every run meets
        both, and later steps (rename, re-submit, withdraw …) meet them in either state."""
        task_id = self._deploy(name, "2024-01", sections)
        self.import_a_team_sheet(sheet)
        self.check()
        sheet_id, = self.sheets
        self._set_removed(task_id, True)
        self._set_sheet_state(sheet_id, "withdrawn")
        self.check()
        if restored in ("task", "both"):
            self._set_removed(task_id, False)
        if restored in ("sheet", "both"):
            self._set_sheet_state(sheet_id, "current")

    @rule(name=st.sampled_from(sorted(DEPLOYED_NAMES)), due=st.sampled_from(DUE_MONTHS),
          sections=st.none() | st.lists(st.sampled_from(SECTIONS), min_size=1, max_size=2, unique=True))
    def record_a_deployed_task(self, name, due, sections):
        self._deploy(name, due, sections)

    @precondition(lambda self: self.deployed)
    @rule(data=st.data(), removing=st.booleans())
    def remove_or_restore_a_deployed_task(self, data, removing):
        self._set_removed(data.draw(st.sampled_from(sorted(self.deployed))), removing)

    @rule(section=st.sampled_from(SECTIONS), month=st.sampled_from(MONTHS), variant=st.sampled_from(VARIANTS))
    def a_deployed_task_through_a_resubmission(self, section, month, variant):
        """道德讲堂 deployed for a section, its return re-submitted, the task removed, then restored: each step checked."""
        task_id = self._deploy("道德讲堂", month, [section])
        self.check()
        self._import([(f"{section}_{month}_重报.xlsx", RETURNS[(section, month, variant)])])
        self.check()
        self._set_removed(task_id, True)
        self.check()
        self._set_removed(task_id, False)

    # Inspection-team sheets (analytics/team_store.py) -----------------------------------------------------

    def _set_sheet_state(self, sheet_id: int, state: str) -> None:
        change = team_store.withdraw_team_sheet if state == "withdrawn" else team_store.restore_team_sheet
        if self.sheets[sheet_id][1] == state:  # a colleague did it already
            with pytest.raises(StaleChoice):
                change(self.store, sheet_id, who="文明办")
            return
        change(self.store, sheet_id, who="文明办")
        self.sheets[sheet_id][1] = state

    @rule(key=st.sampled_from(sorted(TEAM_SHEETS)))
    def import_a_team_sheet(self, key):
        """As on 数据上传: checked against the roster in force (a section not in force that month rejects the sheet
        whole), then imported; the same file again changes nothing."""
        check = check_team_sheet(team_sheet_name(key), TEAM_SHEETS[key], self.roster())
        out_of_force = self.spans and any((section, key[0]) in OUT_OF_FORCE_WITH_SPANS for _, section, _ in TEAM_ROWS[key])
        assert check.accepted != out_of_force, check.report.issues
        if out_of_force:
            assert {issue.code for issue in check.report.errors} == {"team-not-in-force"}
            return
        assert sorted(set(check.inspections["section"])) == sorted({self.now(s) for _, s, _ in TEAM_ROWS[key]})
        sheet_id = team_store.import_team_sheet(self.store, check, team_sheet_name(key), TEAM_SHEETS[key], who="文明办")
        assert (sheet_id is None) == any(known == key for known, _ in self.sheets.values())
        if sheet_id is not None:
            self.sheets[sheet_id] = [key, "current"]

    @precondition(lambda self: self.sheets)
    @rule(data=st.data(), state=st.sampled_from(["withdrawn", "current"]))
    def withdraw_or_restore_a_team_sheet(self, data, state):
        self._set_sheet_state(data.draw(st.sampled_from(sorted(self.sheets))), state)

    @rule(data=st.data(), variant=st.sampled_from(VARIANTS))
    def a_sheet_and_a_return_it_names_withdrawn_then_either_restored(self, data, variant):
        """A team sheet in force and a return of a section on it for its month (imported, or restored, as needed) are
        both withdrawn (checked); then one of the two is restored, or both."""
        known = {key: sheet_id for sheet_id, (key, _) in self.sheets.items()}
        importable = [key for key in sorted(TEAM_SHEETS) if key in known or not (
            self.spans and any((section, key[0]) in OUT_OF_FORCE_WITH_SPANS for _, section, _ in TEAM_ROWS[key]))]
        key = data.draw(st.sampled_from(importable))
        if key not in known:
            self.import_a_team_sheet(key)
            known = {key: sheet_id for sheet_id, (key, _) in self.sheets.items()}
        sheet_id, month = known[key], key[0]
        section = data.draw(st.sampled_from(sorted({s for _, s, _ in TEAM_ROWS[key]} & set(SECTIONS))))
        self._set_sheet_state(sheet_id, "current")
        self._import([(f"{section}_{month}_重报.xlsx", RETURNS[(section, month, variant)])])
        versions = self.store.versions_of(self.now(section), month)
        if not (versions["state"] == "current").any():  # the file was imported before: put its version back
            self.store.restore(int(versions[versions["state"] != "current"]["id"].iloc[0]), who="王磊")
            versions = self.store.versions_of(self.now(section), month)
        version = int(versions.query("state == 'current'")["id"].iloc[0])
        self.check()
        self._set_sheet_state(sheet_id, "withdrawn")
        self.store.withdraw(self.now(section), month, who="王磊", why="误传")
        self.check()
        restored = data.draw(st.sampled_from(["sheet", "return", "both"]))
        if restored in ("sheet", "both"):
            self._set_sheet_state(sheet_id, "current")
        if restored in ("return", "both"):
            self.store.restore(version, who="王磊")

    # The 六个一 (plan_store.confirm_six_ones / undo_six_ones) ------------------------------------------------

    @rule(year=st.sampled_from([2024, 2025]), six_ones=st.sampled_from(PLAN_SIX_ONES),
          states=st.lists(st.sampled_from(sorted(SIX_ONES_STATES)), min_size=1, max_size=3), undo_the_last=st.booleans())
    def confirm_one_of_the_six(self, year, six_ones, states, undo_the_last):
        """One of the 六个一 confirmed, and perhaps reconsidered (checked after each), the last perhaps undone."""
        for state in states:
            confirmation_id = plan_store.confirm_six_ones(self.store, year, six_ones, state, "查看了台账", who="文明办")
            self.confirmations[confirmation_id] = [year, six_ones, state, False]
            self.the_six_ones_stand_as_last_confirmed()
        if undo_the_last:
            plan_store.undo_six_ones(self.store, confirmation_id, who="文明办")
            self.confirmations[confirmation_id][3] = True

    @precondition(lambda self: self.confirmations)
    @rule(data=st.data())
    def undo_a_confirmation(self, data):
        chosen = data.draw(st.sampled_from(sorted(self.confirmations)))
        if self.confirmations[chosen][3]:  # undone already (by a colleague)
            with pytest.raises(StaleChoice):
                plan_store.undo_six_ones(self.store, chosen, who="文明办")
            return
        plan_store.undo_six_ones(self.store, chosen, who="文明办")
        self.confirmations[chosen][3] = True

    # The plan (workspace.replace_plan; 设置 → 工作计划) ---------------------------------------------------

    @rule(name=st.sampled_from(sorted(PLANS)))
    def replace_the_plan(self, name):
        if name == "计划_错.toml":  # refused: the plan in force stays
            with pytest.raises(PlanError):
                workspace.replace_plan(self.store, name, PLANS[name], "文明办")
            return
        workspace.replace_plan(self.store, name, PLANS[name], "文明办")
        self.plan = (name, PLANS[name])

    @rule(data=st.data())
    def put_an_earlier_plan_back(self, data):
        """As 设置's history does: an earlier plan file (the bundled one among them) through the same check."""
        earlier = self.store.file_settings("plan")
        if len(earlier) < 2:
            return
        stored = self.store.file_setting_by_id(int(earlier["id"].iloc[data.draw(st.integers(1, len(earlier) - 1))]))
        assert PLANS.get(stored.name) == stored.data
        workspace.replace_plan(self.store, stored.name, stored.data, "文明办")
        self.plan = (stored.name, stored.data)

    @rule(section=st.none() | st.sampled_from(SECTIONS), on_task=st.booleans(), clerk=st.booleans(),
          name=st.sampled_from(sorted(EVIDENCE)))
    def attach_evidence(self, section, on_task, clerk, name):
        """The office, or 国库科's clerk (refused for any other section, nothing kept), attaches a file to 道德讲堂 (the
        bureau's or a section's) or to a section's January task of that name."""
        section = section or (SECTIONS[0] if on_task else None)
        named = self.now(section) if section else None
        target = Target(2024, section=named, month="2024-01", task="道德讲堂") if on_task else \
            Target(2024, item="道德讲堂", section=named)
        own = CLERK_SECTION if clerk else None
        if clerk and named != CLERK_SECTION:
            with pytest.raises(EvidenceRefused):
                evidence_store.add_evidence(self.store, target, [(name, EVIDENCE[name])], "开展了活动", CLERK, own)
            return
        [new] = evidence_store.add_evidence(self.store, target, [(name, EVIDENCE[name])], "开展了活动",
                                            CLERK if clerk else "文明办", own)
        self.evidence[new] = {"section": section, "removed": False}

    @initialize(name=st.sampled_from(sorted(EVIDENCE)), restored=st.booleans())
    def evidence_to_start_with(self, name, restored):
        """预算科's evidence attached (checked) and removed (checked), then restored or not: every run meets it, and a
        later rename of 预算科 takes it along."""
        self.attach_evidence("预算科", False, False, name)
        self.check()
        evidence_id = max(self.evidence)
        self._remove_or_restore(evidence_id, True)
        self.check()
        if restored:
            self._remove_or_restore(evidence_id, False)

    def _remove_or_restore(self, evidence_id: int, removing: bool) -> None:
        change = evidence_store.remove_evidence if removing else evidence_store.restore_evidence
        if self.evidence[evidence_id]["removed"] == removing:   # a colleague did it already
            with pytest.raises(StaleChoice):
                change(self.store, evidence_id, "文明办")
            return
        change(self.store, evidence_id, "文明办")
        self.evidence[evidence_id]["removed"] = removing

    @precondition(lambda self: self.evidence)
    @rule(data=st.data(), removing=st.booleans())
    def remove_or_restore_evidence(self, data, removing):
        self._remove_or_restore(data.draw(st.sampled_from(sorted(self.evidence))), removing)

    # What must hold after every step -----------------------------------------------------------------

    @checked
    def evidence_is_kept_follows_renames_and_only_what_stands_is_exported(self):
        stored = evidence_store.evidence_of(self.store, 2024).set_index("id")
        assert set(stored.index) == set(self.evidence)   # nothing vanished, nothing refused was kept
        for evidence_id, kept in self.evidence.items():
            section = stored.loc[evidence_id, "section"]
            assert (section if isinstance(section, str) else None) == (kept["section"] and self.now(kept["section"]))
            assert pd.notna(stored.loc[evidence_id, "removed_at"]) == kept["removed"]
        listing = archive_listing(workspace.plan_in_force(self.store), stored.reset_index())
        assert set(listing["id"]) == {key for key, kept in self.evidence.items() if not kept["removed"]}
        assert listing["path"].is_unique and (listing["plan_item"] == "道德讲堂").all()

    @checked
    def every_version_holds_its_own_file(self):
        name_now = {"预算科": "预算管理科"} if self.renamed else {"预算管理科": "预算科"}
        for version in self.store.versions_of().itertuples():
            section, month, data = self.original[version.id]
            assert version.month == month and version.section in (section, name_now.get(section, section))
            assert self.store.file_of(int(version.id))[1] == data

    @checked
    def at_most_one_current_version(self):
        with self.store.engine.connect() as conn:
            rows = pd.read_sql(versions.select().where(versions.c.state == "current"), conn)
        assert not rows.duplicated(["section", "month"]).any()

    @checked
    def nothing_a_person_did_vanished(self):
        assert self.person_versions <= set(self.store.versions_of()["id"])
        decisions = self.store.decisions()
        assert self.standing <= set(decisions[decisions["undone_at"].isna()]["id"].astype(int))

    @checked
    def a_section_clerk_imported_only_its_own_section(self):
        imported = self.store.versions_of()
        assert set(imported[imported["imported_by"] == CLERK]["section"]) <= {CLERK_SECTION}

    @checked
    def a_section_accounts_view_is_its_rows_of_the_bureaus(self):
        year = workspace.year(self.store, 2024)
        if not year.summary.months:
            return
        own = year.of_section(CLERK_SECTION).summary.section_months.drop(columns="rank").reset_index(drop=True)
        bureau = year.summary.section_months
        expected = bureau[bureau["section"] == CLERK_SECTION].drop(columns="rank").reset_index(drop=True)
        pd.testing.assert_frame_equal(own, expected, check_dtype=False)  # the bureau's may hold a column as objects

    def _deployed_now(self, task: str, section: str, month: str) -> bool:
        """Whether a return's task counts as deployed by an active recorded task (by the model, not the store)."""
        return any(DEPLOYED_NAMES[t["name"]] == task and t["due"][:4] == month[:4]
                   and (t["sections"] is None or section in {self.now(s) for s in t["sections"]})
                   for t in self.deployed.values() if not t["removed"])

    @checked
    def a_deployed_tasks_shortfall_vetoes_while_it_stands(self):
        """A current return's task named as an active deployed task of its year, for its section, counts as 市文明办部署
        (else as the return says), so its shortfall vetoes naming it; removed, the veto goes. The ledger never calls a
        task done for a section whose shortfall vetoes."""
        stored = plan_store.deployed_tasks_of(self.store)
        assert dict(zip(stored["id"], stored["removed_at"].notna())) == {i: t["removed"] for i, t in self.deployed.items()}
        year = workspace.year(self.store, 2024)
        raw = self.store.records("2023-12", "2024-12").tasks   # as the returns say
        expected = raw["deployed"] | pd.Series([self._deployed_now(row.task, row.section, row.month)
                                                for row in raw.itertuples()], index=raw.index, dtype=bool)
        assert year.records.tasks["deployed"].tolist() == expected.tolist()
        assert year.rules.deployed_shortfall
        short = raw[expected & (raw["done"] < raw["planned"])]
        shortfalls = {(row.section, row.month, labels.SHORTFALL_REASON.format(task=row.task)) for row in short.itertuples()}
        reasons = year.summary.reasons
        assert {row for row in reasons.itertuples(index=False, name=None)
                if row[2].startswith(labels.DEPLOYED_SHORTFALL)} == shortfalls
        for row in year.summary.section_months.itertuples():
            assert {r for r in row.veto_reasons if r.startswith(labels.DEPLOYED_SHORTFALL)} \
                == {reason for section, month, reason in shortfalls if (section, month) == (row.section, row.month)}
        if year.summary.months:
            view = year.summary.months[-1]
            progress = ledger.deployed_progress(stored, year.records.tasks, year.roster.sections, view)
            assert set(progress["id"]) <= {i for i, t in self.deployed.items() if not t["removed"]}
            names = dict(zip(stored["id"], stored["name"]))
            for row in progress[progress["done"]].itertuples():
                reason = labels.SHORTFALL_REASON.format(task=DEPLOYED_NAMES[names[row.id]])
                assert not {(s, m, r) for s, m, r in shortfalls
                            if (s, r) == (row.section, reason) and m[:4] == row.due_month[:4] and m <= view}, row

    @checked
    def team_sheets_count_in_nine_no_scores_and_never_as_returns(self):
        """A current team sheet's rows are among its sections' inspections (so their nine-no scores), a withdrawn
        one's not; no sheet makes a submission: a section-month is 已报送 where it has a current return, only."""
        stored = team_store.team_sheets_of(self.store)
        assert dict(zip(stored["id"], stored["state"])) == {i: state for i, (_, state) in self.sheets.items()}
        table = workspace.year(self.store, 2024).summary.section_months
        current = set(map(tuple, self.store.versions_of().query("state == 'current'")[["section", "month"]].to_numpy()))
        assert table["submitted"].tolist() == [(s, m) in current for s, m in zip(table["section"], table["month"])]
        inspections = self.store.records("2024-01", "2024-12").inspections   # the returns' own
        own = inspections.assign(score=hygiene.row_scores(inspections)).groupby(["section", "month"])["score"].agg(list)
        team = {}
        for key, state in self.sheets.values():
            for _, section, score in TEAM_ROWS[key] if state == "current" else ():
                team.setdefault((self.now(section), key[0]), []).append(score)
        for row in table.itertuples():
            scores = [x for x in own.get((row.section, row.month), []) if not pd.isna(x)] + team.get((row.section, row.month), [])
            expected = sum(scores) / len(scores) if scores else None
            got = None if pd.isna(row.nine_no_score) else row.nine_no_score
            assert got == pytest.approx(expected), (row.section, row.month, got, scores)

    @checked
    def the_six_ones_stand_as_last_confirmed(self):
        """Each of the plan's 六个一 stands as its latest confirmation for the year that nobody undid (none: no state)."""
        year = workspace.year(self.store, 2024)
        checklist = ledger.six_ones_checklist(year.plan, year.records.tasks,
                                              plan_store.six_ones_confirmations_of(self.store, 2024))
        assert checklist["six_ones"].tolist() == [item.six_ones for item in year.plan.items if item.six_ones]
        latest = {}
        for confirmation_id, (number, six_ones, state, undone) in sorted(self.confirmations.items()):
            if number == 2024 and not undone:
                latest[six_ones] = (state, confirmation_id)
        for row in checklist.itertuples():
            got = None if row.state is None or pd.isna(row.state) else (row.state, int(row.confirmation_id))
            assert got == latest.get(row.six_ones), row

    @checked
    def the_year_is_tracked_against_the_plan_in_force(self):
        """The year carries the plan file last put in force (or put back); its calendar and grid are computable."""
        year = workspace.year(self.store, 2024)
        assert year.plan == workspace.plan_in_force(self.store) == parse_plan(self.plan[1], self.plan[0])
        view = year.summary.months[-1] if year.summary.months else "2024-01"
        calendar = plan_calendar(year.plan, year.records.tasks, year.roster.sections, view)
        assert list(dict.fromkeys(calendar["item"])) == [item.name for item in year.plan.items]
        assert len(state_grid(calendar)) == len(year.plan.items)
        month_status(calendar, view)

    @checked
    def figures_equal_a_fresh_stores_with_the_files_in_force(self):
        """A new store given the roster and rules in force, the decisions, the active deployed tasks, the current team
        sheets, and the files in force imported in any order and batching (self.batching) has the very figures of the
        store that lived through the whole run."""
        stored = workspace.year(self.store, 2024).summary
        if not stored.months:
            return
        fresh = Store("sqlite://")  # in memory
        for key in ("roster", "rules"):
            if row := self.store.file_setting(key):
                fresh.set_file_setting(key, row.name, row.data, who="文明办", retired=json.loads(row.extra or "{}").get("retired"))
        with self.store.engine.connect() as conn, fresh.engine.begin() as copy:
            if made := conn.execute(decisions.select()).mappings().all():
                copy.execute(decisions.insert(), [dict(row) for row in made])
        for task in (task for task in self.deployed.values() if not task["removed"]):
            chosen = None if task["sections"] is None else [self.now(section) for section in task["sections"]]
            plan_store.add_deployed_task(fresh, task["name"], "思想道德建设", task["due"], chosen, "市文明办通知", who="文明办")
        # A sheet is checked against the roster without its 设立/撤销 months: one imported before they were given
        # still counts for its sections in force.
        roster = parse_roster(roster_csv(self.renamed), "名册.csv")
        for key in (key for key, state in self.sheets.values() if state == "current"):
            check = check_team_sheet(team_sheet_name(key), TEAM_SHEETS[key], roster)
            assert team_store.import_team_sheet(fresh, check, team_sheet_name(key), TEAM_SHEETS[key], who="文明办")
        current = self.store.versions_of().query("state == 'current'")
        uploads = list({data: (name, data) for name, data in (self.store.file_of(int(v)) for v in current["id"])}.values())
        self.batching.shuffle(uploads)
        cut = self.batching.randint(0, len(uploads))
        for batch in (uploads[:cut], uploads[cut:]):
            if batch:
                result = load_uploaded(batch, workspace.roster_in_force(fresh))
                assert not result.rejected
                fresh.import_batch(result, batch, who="王磊")
        again = workspace.year(fresh, 2024).summary
        fresh.engine.dispose()
        columns = ["section", "month", "submitted", "completion_rate", "nine_no_score", "veto", "veto_reasons",
                   "pending_vetoes", "score"]
        pd.testing.assert_frame_equal(stored.section_months[columns], again.section_months[columns])
        pd.testing.assert_frame_equal(stored.annual, again.annual)


def test_sequences(new_database, monkeypatch):
    """The machine on each backend (conftest's `backend`), four runs of ten steps: the file in < 3 min per backend."""
    monkeypatch.setattr(StoreMachine, "new_database", staticmethod(new_database))
    run_state_machine_as_test(StoreMachine, settings=settings(max_examples=4, stateful_step_count=10, deadline=None))


# The month's downloads after what users do (issue 12) ------------------------------------------------------------

MONTH = "2024-12"
PLOTLY_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # a chart's div, new each time


def expected_figures(store: Store) -> tuple:
    """The December set's figures computed from scratch: the year from the store, as it stands, through MONTH."""
    fresh = workspace.year(store, 2024)
    return fresh.summary.through(MONTH, fresh.roster.sections), fresh.records.inspections


def number(value) -> float | None:
    """A figure as compared: None where there is none (a blank cell, NaN), else to 6 decimals."""
    return None if pd.isna(value) else round(float(value), 6)


def downloaded_figures(files: dict) -> dict:
    """What the December workbook and HTML report say: per section its ranking row and annual score, the bureau's
    month, and the HTML report's text."""
    names = file_names(MONTH)
    sheets = pd.read_excel(io.BytesIO(files[names["workbook"]]), sheet_name=None, engine="openpyxl")
    ranking = sheets[labels.SHEET_NAMES["sections"]].set_index(labels.heading("section"))
    annual = sheets[labels.SHEET_NAMES["annual"]].set_index(labels.heading("section"))
    bureau = sheets[labels.SHEET_NAMES["bureau"]].set_index(labels.heading("month"))
    heads = labels.FIGURE_NAMES
    return {"ranking": {section: (row[heads["submitted"]], number(row[heads["completion_rate"]]), number(row[heads["score"]]),
                                  row[heads["veto"]] if isinstance(row[heads["veto"]], str) else "")
                        for section, row in ranking.iterrows()},
            "annual": {section: number(score) for section, score in annual[labels.heading("annual_score")].items()},
            "received": int(bureau.loc[MONTH, heads["received"]]),
            "html": PLOTLY_ID.sub("", html.unescape(files[names["html"]].decode()))}


def assert_the_set_is_the_stores(files: dict, store: Store) -> None:
    summary, inspections = expected_figures(store)
    got = downloaded_figures(files)
    rows = summary.section_months[summary.section_months["month"] == MONTH]
    assert got["ranking"] == {row.section: (labels.SUBMITTED_MARKS[row.submitted], number(row.completion_rate),
                                            number(row.score), labels.VETO_MARKS[row.veto]) for row in rows.itertuples()}
    assert got["annual"] == {row.section: number(row.annual_score) for row in summary.annual.itertuples()}
    assert got["received"] == int(rows["submitted"].sum())
    for note in html_notes(summary, bulletin_facts(summary, inspections, MONTH)):
        assert note in got["html"]


def test_the_months_downloads_follow_withdraw_restore_decide_undo_and_resubmit(sample_url, downloads, monkeypatch, tmp_path):  # noqa: F811
    """The 报表下载 page keeps a made set per store version and month: after each change the page offers no stale set,
    and the set it makes then says what the store now says (no browser: the figures are in the workbook and report)."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    store = Store(sample_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["month"] = MONTH
    at.run().switch_page("pages/reports.py").run()
    seen = []

    def made_now() -> dict:
        at.run()
        assert not at.exception and not at.download_button, "a set made before the change is offered"
        downloads.clear()
        next(b for b in at.button if b.label == f"生成 {MONTH} 报表").click().run()
        assert not at.exception
        assert_the_set_is_the_stores(downloads, store)
        seen.append(downloaded_figures(downloads))
        return seen[-1]

    first = made_now()
    store.withdraw("预算科", MONTH, who="王磊", why="误传")
    withdrawn = made_now()
    assert withdrawn["ranking"]["预算科"][0] == labels.RETURN_STATES["missing"] and withdrawn["received"] == first["received"] - 1
    store.restore(int(store.versions_of("预算科", MONTH).query("state == 'withdrawn'")["id"].iloc[0]), who="王磊")
    assert made_now() == first
    store.decide("record", "办公室", MONTH, dt.date(2024, 12, 5), "不文明行为被曝光", who="李娜", why="媒体曝光")
    decided = made_now()
    assert decided["ranking"]["办公室"][3] == labels.YES and "办公室" in decided["html"]
    store.undo_decision(int(store.decisions()["id"].max()), who="王磊")
    assert made_now() == first
    content = default_content("预算科", MONTH)
    content.tasks = content.tasks[:2]  # a correction with fewer tasks: another completion rate
    path = write_return(tmp_path / "预算科_2024年12月_更正.xlsx", content)
    uploads = [(path.name, path.read_bytes())]
    assert store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, who="王磊")["versions"] == 1
    resubmitted = made_now()
    assert resubmitted["ranking"]["预算科"] != first["ranking"]["预算科"]
    assert store.versions_of("预算科", MONTH)["state"].tolist().count("current") == 1


# One name twice in a batch, and a file refused once (issue 12) ---------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def return_bytes(folder: Path, section: str, month: str, tasks: int | None = None) -> bytes:
    content = default_content(section, month)
    content.tasks = content.tasks[:tasks]
    return write_return(folder / f"{section}_{month}_{tasks}.xlsx", content).read_bytes()


@pytest.fixture
def empty_store(empty_url) -> Store:
    store = workspace.open_store(empty_url, sample=False)
    store.set_flag("bootstrapped", True)
    return store


def imported(store: Store, uploads: list, only_section: str | None = None) -> tuple[list, dict]:
    """Check and import `uploads` as the upload page does: each file's (status, error codes), the import's counts."""
    result = load_uploaded(uploads, workspace.roster_in_force(store), only_section=only_section)
    verdicts = [(report.status, [issue.code for issue in report.errors]) for report in result.reports]
    return verdicts, store.import_batch(result, uploads, who="王磊")


def current_files(store: Store) -> dict:
    """(section, month) → the bytes of its version in force."""
    current = store.versions_of().query("state == 'current'")
    return {(v.section, v.month): store.file_of(int(v.id))[1] for v in current.itertuples()}


def test_the_same_file_picked_twice_is_one_return(empty_store, tmp_path):
    data = return_bytes(tmp_path, "综合科", "2024-03")
    verdicts, counts = imported(empty_store, [("综合科.xlsx", data), ("综合科.xlsx", data)])
    assert verdicts == [("imported", []), ("rejected", ["same-file"])]  # not two returns for one month: one, once
    assert counts == {"files": 1, "versions": 1, "skipped": 1}
    assert current_files(empty_store) == {("综合科", "2024-03"): data}


def test_two_returns_of_one_name_from_two_folders_both_land(empty_store, tmp_path):
    march, april = return_bytes(tmp_path, "综合科", "2024-03"), return_bytes(tmp_path, "综合科", "2024-04")
    verdicts, counts = imported(empty_store, [("综合科.xlsx", march), ("综合科.xlsx", april)])
    assert verdicts == [("imported", [])] * 2 and counts == {"files": 2, "versions": 2, "skipped": 0}
    assert current_files(empty_store) == {("综合科", "2024-03"): march, ("综合科", "2024-04"): april}


def test_a_file_refused_for_its_batch_goes_in_alone_later(empty_store, tmp_path):
    """Two returns of one name for one month are refused, each naming the other (duplicate-return), and the clerk is
    told to upload the right one only: that one, the same bytes, then goes in (it was stored as refused, not as
    imported). So does a return a section account may not upload, when the office uploads it."""
    right, wrong = return_bytes(tmp_path, "综合科", "2024-03"), return_bytes(tmp_path, "综合科", "2024-03", tasks=2)
    verdicts, counts = imported(empty_store, [("综合科.xlsx", right), ("综合科.xlsx", wrong)])
    assert verdicts == [("rejected", ["duplicate-return"])] * 2 and counts == {"files": 2, "versions": 0, "skipped": 0}
    assert imported(empty_store, [("综合科.xlsx", right)]) == ([("imported", [])], {"files": 1, "versions": 1, "skipped": 0})
    assert imported(empty_store, [("综合科.xlsx", right)])[1] == {"files": 0, "versions": 0, "skipped": 1}  # now known
    budget = return_bytes(tmp_path, "预算科", "2024-03")
    assert imported(empty_store, [("预算科.xlsx", budget)], only_section=CLERK_SECTION)[0] == [("rejected", ["not-own-section"])]
    assert imported(empty_store, [("预算科.xlsx", budget)])[1] == {"files": 1, "versions": 1, "skipped": 0}
    assert current_files(empty_store) == {("综合科", "2024-03"): right, ("预算科", "2024-03"): budget}
    assert empty_store.counts()["files"] == 3  # each file stored once, with its latest verdict


@pytest.mark.parametrize("same_bytes", [True, False], ids=["same-bytes", "two-months"])
def test_the_upload_page_with_one_name_twice(sample_url, tmp_path, same_bytes):
    first = return_bytes(tmp_path, "综合科", "2025-01")
    second = first if same_bytes else return_bytes(tmp_path, "综合科", "2025-02")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run().switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([("综合科.xlsx", first, XLSX), ("综合科.xlsx", second, XLSX)]).run()
    returns = 1 if same_bytes else 2
    assert [m.value for m in at.metric] == ["2", str(returns), str(2 - returns)]
    if same_bytes:
        assert at.dataframe[1].value["说明"].tolist() == [MESSAGES["same-file"].format(other="综合科.xlsx")]
    next(b for b in at.button if b.label == labels.IMPORT_BUTTON.format(count=returns)).click().run()
    assert not at.exception
    assert at.success[0].value == f"已导入 {returns} 个科室月份（{returns} 个文件），跳过已导入的 {2 - returns} 个文件。"
    expected = {"2025-01": first} if same_bytes else {"2025-01": first, "2025-02": second}
    store = Store(sample_url)
    assert {month: data for (section, month), data in current_files(store).items() if month >= "2025"} == expected


# A section account's addresses (issue 12) -----------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    pytest.param({"section": OTHER, "month": "2024-06"}, id="another-section-in-a-month"),
    pytest.param({"section": OTHER, "year": "2024", "month": "2024-06"}, id="with-the-year"),
    pytest.param({"section": "预算股", "month": "2024-06"}, id="another-sections-alias"),
    pytest.param({"section": "没有这个科室"}, id="no-such-section"),
])
def test_a_section_account_asking_for_another_section_sees_none_of_it(accounts, monkeypatch, query):  # noqa: F811
    sign_in_apptest(monkeypatch, accounts, CLERK)
    at = open_page("pages/section.py", query)
    assert [e.value for e in at.error] == [labels.SECTION_NOT_OWN.format(section=CLERK_SECTION)]
    assert not at.metric and not at.dataframe and not at.download_button and not at.get("plotly_chart")


def test_a_section_account_opens_its_own_section_then_edits_the_address(accounts, monkeypatch):  # noqa: F811
    sign_in_apptest(monkeypatch, accounts, CLERK)
    at = open_page("pages/section.py", {"section": CLERK_SECTION, "month": "2024-06"})
    assert at.selectbox(key="section_page").options == [CLERK_SECTION] and not at.error
    assert (at.query_params["section"], at.query_params["month"]) == (CLERK_SECTION, "2024-06")
    bureau = workspace.year(accounts, 2024).summary.section_months.set_index(["section", "month"])
    assert at.metric[0].label == "2024-06 得分"
    assert at.metric[0].value == f"{bureau.loc[(CLERK_SECTION, '2024-06'), 'score']:.2f}"
    at.query_params["section"] = OTHER  # the address edited in the same tab: the page remembered its own section
    at.run()
    assert [e.value for e in at.error] == [labels.SECTION_NOT_OWN.format(section=CLERK_SECTION)] and not at.metric
    assert not at.exception
