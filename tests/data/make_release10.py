"""Run inside a checkout of the release that closed issue 10 (714654e): a small database of that release's own
making: two months of the sample (imported as its sample), a re-submission, a withdrawal, a decision (and its
undo), a roster file put in force and a flag. Writes its SQL text dump (sqlite3 iterdump) to argv[1]. Made with:

    git archive 714654e | tar -x -C /tmp/rel10
    PYTHONPATH=/tmp/rel10 python tests/data/make_release10.py /tmp/release10.sql && gzip -9 -c /tmp/release10.sql \
        > tests/data/release10.sql.gz
"""
import datetime as dt
import io
import sqlite3
import sys
import tempfile
from pathlib import Path

import openpyxl

from analytics.config import SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import load_roster
from analytics.labels import SAMPLE_WHO
from analytics.store import Store

path = Path(tempfile.mkdtemp()) / "release10.sqlite"
store = Store(f"sqlite:///{path}")
roster = load_roster(SAMPLE_ROSTER)
for month, who, sample in (("2024-01", SAMPLE_WHO, True), ("2024-02", "综合科 张三", False)):
    uploads = [(p.relative_to(SAMPLE_DATA).as_posix(), p.read_bytes())
               for p in sorted((SAMPLE_RETURNS / month).iterdir())]
    store.import_batch(load_uploaded(uploads, roster), uploads, who=who, at=dt.datetime(2024, int(month[5:]) + 1, 3, 10),
                       sample=sample)
first = next(p for p in sorted((SAMPLE_RETURNS / "2024-02").iterdir()) if p.suffix == ".xlsx")
book = openpyxl.load_workbook(first)
buffer = io.BytesIO()
book.save(buffer)
again = [(f"更正/{first.name}", buffer.getvalue())]
store.import_batch(load_uploaded(again, roster), again, who="办公室 李四", at=dt.datetime(2024, 3, 5, 9))
store.set_flag("sample", True)
store.set_flag("bootstrapped", True)
store.set_file_setting("roster", "roster.xlsx", SAMPLE_ROSTER.read_bytes(), "文明办 王主任")
store.decide("confirm", "办公室", "2024-02", dt.date(2024, 2, 14), "违规违纪", "文明办 王主任", "经核实属实", description="测试事项")
store.decide("record", "预算科", "2024-01", None, "安全生产事故", "文明办 王主任", "补录")
with store.engine.begin() as conn:
    last = conn.exec_driver_sql("SELECT max(id) FROM decisions").scalar()
store.undo_decision(last, "文明办 王主任")
store.withdraw("教科文科", "2024-01", "文明办 王主任", "报错了")
store.engine.dispose()
connection = sqlite3.connect(path)
Path(sys.argv[1]).write_text("\n".join(connection.iterdump()) + "\n", encoding="utf-8")
