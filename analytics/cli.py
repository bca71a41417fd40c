"""`python -m analytics`: the loader without a browser. Exit 0 all imported, 1 a file rejected, 2 cannot run."""
import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from analytics import workspace
from analytics.intake.limits import DEFAULT_LIMITS, Limits
from analytics.intake.loader import load_returns, load_uploaded
from analytics.intake.normalize import parse_month
from analytics.intake.reader import ReaderUnavailable
from analytics.intake.roster import RosterError, load_roster
from analytics.intake.sources import SourceError, files_under
from analytics.intake.template import template_bytes, template_file_names
from analytics.reports import month_report, write
from analytics.rules import RulesError, load_rules
from analytics.store import StoreBusy
from analytics.summary import summarize, to_records


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, never the usage block
        raise _CannotRun(f"参数错误：{message}")


class _CannotRun(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="文明创建月报：校验、汇总")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="校验月报文件，逐个列出问题")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="月报文件、文件夹（递归读取）或 .zip")
    validate.add_argument("--roster", required=True, help="组织名册 .xlsx 或 .csv")
    validate.add_argument("--max-file-mb", type=float, default=DEFAULT_LIMITS.max_file_mb, help="单个文件大小上限（MB）")
    validate.add_argument("--json", metavar="OUT.json", help="另将逐个文件的结果写成 JSON")
    imports = commands.add_parser("import", help="校验月报并导入看板数据库（与「数据上传」页相同）")
    imports.add_argument("paths", nargs="+", metavar="PATH", help="月报文件、文件夹（递归读取）或 .zip")
    imports.add_argument("--roster", help="先替换数据库中现行的组织名册（与「设置」页相同的校验）")
    imports.add_argument("--who", default="命令行导入", help="经办人（记入历史）")
    imports.add_argument("--json", metavar="OUT.json", help="另将逐个文件的结果写成 JSON（与 validate 相同）")
    summarize = commands.add_parser("summarize", help="校验并汇总月报，写出各科室各月的完成率、九无得分、否决与得分")
    summarize.add_argument("paths", nargs="*", metavar="PATH",
                           help="月报文件、文件夹（递归读取）或 .zip（不给则汇总看板数据库中的全部年度）")
    summarize.add_argument("--roster", help="组织名册 .xlsx 或 .csv（给出 PATH 时必填）")
    summarize.add_argument("--rules", help="规则文件 .toml（默认 DOMAIN.md 的默认规则）")
    summarize.add_argument("--json", required=True, metavar="OUT.json", help="输出 JSON 文件")
    summarize.add_argument("--max-file-mb", type=float, default=DEFAULT_LIMITS.max_file_mb, help="单个文件大小上限（MB）")
    report = commands.add_parser("report", help="生成某月的 Excel 汇总、图表图片、月度通报和网页报告")
    report.add_argument("paths", nargs="*", metavar="PATH", help="月报文件、文件夹或 .zip（不给则用看板数据库中的数据）")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--out", required=True, help="输出文件夹")
    report.add_argument("--roster", help="组织名册（给出 PATH 时必填）")
    report.add_argument("--rules", help="规则文件 .toml（给出 PATH 时使用；默认 DOMAIN.md 的默认规则）")
    template = commands.add_parser("template", help="生成某科室某月的空白月报模板")
    template.add_argument("--roster", required=True)
    template.add_argument("--month", required=True, help="YYYY-MM")
    template.add_argument("--section", help="科室（默认名册中的全部科室）")
    template.add_argument("--out", required=True, help="输出文件夹")
    return parser


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
        commands = {"validate": _validate, "import": _import, "summarize": _summarize, "report": _report,
                    "template": _template}
        return commands[args.command](args)
    except (_CannotRun, RosterError, RulesError, SourceError, StoreBusy, ReaderUnavailable) as error:
        print(f"无法运行：{error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"无法运行：{error.strerror or error}（{error.filename or ''}）", file=sys.stderr)
        return 2


def _validate(args) -> int:
    roster = load_roster(args.roster)
    limits = Limits(max_file_mb=args.max_file_mb)
    return _said(load_returns(args.paths, roster, limits), args.json, limits)


def _said(result, json_path: str | None, limits: Limits = DEFAULT_LIMITS) -> int:
    """Print each file's result (and write them as JSON); 1 if any file was rejected."""
    for report in result.reports:
        where = "、".join(report.sections) + " " + "、".join(report.months)
        print(f"{'✔ 通过' if report.status == 'imported' else '✘ 退回'}  {report.file}  {where.strip()}")
        for issue in report.errors[:limits.max_issues_per_file]:
            print(f"    错误 {issue.cell or '-'} {issue.message}")
        for issue in report.warnings[:limits.max_issues_per_file]:
            print(f"    提示 {issue.cell or '-'} {issue.message}")
    if json_path:
        files = [report.to_dict(limits.max_issues_per_file) for report in result.reports]
        _write_json(json_path, {"files": files})
    rejected = len(result.rejected)
    print(f"共 {len(result.reports)} 个文件：通过 {len(result.reports) - rejected} 个，退回 {rejected} 个")
    return 1 if rejected else 0


def _write_json(path: str, document: dict) -> None:
    try:
        Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as error:
        raise _CannotRun(f"无法写出 {path}：{error.strerror or error}") from None


def _import(args) -> int:
    """As the upload page: validate, import what passed, skip files imported before. A database this command
    creates gets no sample data."""
    store = workspace.open_store(sample=False)
    if not store.flag("bootstrapped"):
        store.set_flag("bootstrapped", True)
    if args.roster:
        path = Path(args.roster)
        workspace.replace_roster(store, path.name, path.read_bytes(), args.who)
    uploads = [(name, path.read_bytes()) for path, name in files_under(args.paths)]
    result = load_uploaded(uploads, workspace.roster_in_force(store))
    status = _said(result, args.json)
    known = store.known_files(result.digests)
    for name, at in known.values():
        print(f"已导入过，跳过：{name}（{at:%Y-%m-%d %H:%M}）")
    counts = store.import_batch(result, uploads, args.who)
    print(f"已导入 {counts['versions']} 个科室月份（{counts['files']} 个上传文件，压缩包算一个），"
          f"跳过已导入过的 {counts['skipped']} 个上传文件")
    return status


def _summarize(args) -> int:
    limits = Limits(max_file_mb=args.max_file_mb)
    if args.paths:
        if not args.roster:
            raise _CannotRun("给出月报文件时须同时给出 --roster")
        roster, rules = load_roster(args.roster), load_rules(args.rules)
        result = load_returns(args.paths, roster, limits)
        summaries, reports = [summarize(result, roster.sections, rules)], result.reports
    else:  # the dashboard's database: current versions, roster and rules in force, staff decisions
        store = workspace.open_store(sample=False)
        roster = workspace.roster_in_force(store)
        rules = load_rules(args.rules) if args.rules else workspace.rules_in_force(store)
        summaries = [workspace.year_summary(workspace.year_tables(store, year), year, roster, rules)
                     for year in workspace.years(store)]
        reports = []
    document = {
        "rules": {"file": rules.source, "hash": rules.digest},
        "months": [month for summary in summaries for month in summary.months],
        "files": [report.to_dict(limits.max_issues_per_file) for report in reports],
        **{name: to_records(pd.concat([summary.outputs()[name] for summary in summaries], ignore_index=True))
           if summaries else [] for name in ("section_months", "bureau_months", "areas", "item_fail_rates", "annual")},
    }
    _write_json(args.json, document)
    rejected = sum(report.status == "rejected" for report in reports)
    section_months = len(document["section_months"])
    print(f"共 {len(reports)} 个文件：通过 {len(reports) - rejected} 个，退回 {rejected} 个；" if args.paths else
          f"看板数据库中 {len(summaries)} 个年度；", end="")
    print(f"{section_months} 个科室月份写入 {args.json}（规则 {rules.label}）")
    return 1 if rejected else 0


def _report(args) -> int:
    month = parse_month(args.month)
    if not month or args.month.strip() != month:
        raise _CannotRun(f"月份「{args.month}」无法识别：请写成 2024-03")
    rejected = 0
    if args.paths:
        if not args.roster:
            raise _CannotRun("给出月报文件时须同时给出 --roster")
        result = load_returns(args.paths, load_roster(args.roster))
        summary, inspections, rejected = summarize(result, load_roster(args.roster).sections, load_rules(args.rules)), \
            result.inspections, len(result.rejected)
    else:
        store = workspace.open_store()
        tables = workspace.year_tables(store, int(month[:4]))
        summary = workspace.year_summary(tables, int(month[:4]), workspace.roster_in_force(store),
                                         workspace.rules_in_force(store))
        inspections = tables.inspections
    if month not in summary.months:
        raise _CannotRun(f"{month} 没有已导入的月报：可用的月份为 {'、'.join(summary.months) or '无'}")
    report = month_report(summary, inspections, month, progress=lambda n, total, label: print(f"[{n + 1}/{total}] {label}…"))
    for path in write(report, Path(args.out)):
        print(path)
    if report.pictures_missing:
        print(report.pictures_missing, file=sys.stderr)
    return 1 if rejected else 0


def _template(args) -> int:
    roster = load_roster(args.roster)
    month = parse_month(args.month)
    if not month:
        raise _CannotRun(f"月份「{args.month}」无法识别：请写成 2024-03")
    sections = list(roster.sections["section"])
    if args.section:
        if not (section := roster.match(args.section)):
            raise _CannotRun(f"科室「{args.section}」不在组织名册中")
        sections = [section]
    for note in roster.notes:
        print(f"提示：{note}", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for section, name in template_file_names(sections, month).items():
        path = out / name  # a safe name: never a folder, never outside --out
        path.write_bytes(template_bytes(section, month))
        print(path)
    return 0
