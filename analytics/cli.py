"""`python -m analytics`: the loader without a browser. Exit 0 all imported, 1 a file rejected, 2 cannot run."""
import argparse
import getpass
import json
import sys
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from analytics import account_store, labels, labels_db, labels_plan, team_store, workspace
from analytics.accounts import AccountError
from analytics.backup import BackupRefused, backup, restore
from analytics.config import database_url
from analytics.downloads import month_downloads, write
from analytics.export_images import PictureSession
from analytics.intake.limits import DEFAULT_LIMITS, MB, Limits
from analytics.intake.loader import load_returns, load_uploaded
from analytics.intake.normalize import parse_month
from analytics.intake.reader import ReaderUnavailable
from analytics.intake.roster import RosterError, load_roster
from analytics.intake.sources import SourceError, files_under
from analytics.intake.team import check_team_sheet
from analytics.intake.template import TemplateSettingsError, load_template_settings, month_templates, template_bytes
from analytics.plan import PlanError, load_plan
from analytics.rules import RulesError, load_rules
from analytics.schema import HEAD, DatabaseUnusable
from analytics.store import Store, StoreBusy
from analytics.summary import summarize, to_records


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, never the usage block
        raise _CannotRun(labels.CLI_BAD_ARGUMENT.format(message=message))


class _CannotRun(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description=labels.CLI_DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help=labels.CLI_HELP["validate"])
    validate.add_argument("paths", nargs="+", metavar="PATH", help=labels.CLI_HELP["paths"])
    validate.add_argument("--roster", required=True, help=labels.CLI_HELP["validate_roster"])
    validate.add_argument("--max-file-mb", type=float, default=DEFAULT_LIMITS.max_file_mb, help=labels.CLI_HELP["max_file_mb"])
    validate.add_argument("--json", metavar="OUT.json", help=labels.CLI_HELP["json"])
    imports = commands.add_parser("import", help=labels.CLI_HELP["import"])
    imports.add_argument("paths", nargs="+", metavar="PATH", help=labels.CLI_HELP["paths"])
    imports.add_argument("--roster", help=labels.CLI_HELP["import_roster"])
    imports.add_argument("--who", default=labels.CLI_WHO, help=labels.CLI_HELP["who"])
    imports.add_argument("--json", metavar="OUT.json", help=labels.CLI_HELP["import_json"])
    summarize = commands.add_parser("summarize", help=labels.CLI_HELP["summarize"])
    summarize.add_argument("paths", nargs="*", metavar="PATH",
                           help=labels.CLI_HELP["summarize_paths"])
    summarize.add_argument("--roster", help=labels.CLI_HELP["summarize_roster"])
    summarize.add_argument("--rules", help=labels.CLI_HELP["summarize_rules"])
    summarize.add_argument("--json", required=True, metavar="OUT.json", help=labels.CLI_HELP["summarize_json"])
    summarize.add_argument("--max-file-mb", type=float, default=DEFAULT_LIMITS.max_file_mb, help=labels.CLI_HELP["max_file_mb"])
    team = commands.add_parser("team-sheet", help=labels_plan.TEAM_SHEET_CLI["help"])
    team.add_argument("file", metavar="FILE", help=labels_plan.TEAM_SHEET_CLI["file"])
    team.add_argument("--who", default=labels.CLI_WHO, help=labels.CLI_HELP["who"])
    evidence = commands.add_parser("evidence-export", help=labels_plan.EVIDENCE_CLI["help"])
    evidence.add_argument("--year", type=int, help=labels_plan.EVIDENCE_CLI["year"])
    evidence.add_argument("--out", required=True, help=labels.CLI_HELP["out"])
    evidence.add_argument("--who", default=labels.CLI_WHO, help=labels.CLI_HELP["who"])
    report = commands.add_parser("report", help=labels.CLI_HELP["report"])
    report.add_argument("paths", nargs="*", metavar="PATH", help=labels.CLI_HELP["report_paths"])
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--out", required=True, help=labels.CLI_HELP["out"])
    report.add_argument("--roster", help=labels.CLI_HELP["report_roster"])
    report.add_argument("--rules", help=labels.CLI_HELP["report_rules"])
    template = commands.add_parser("template", help=labels.CLI_HELP["template"])
    template.add_argument("--roster", required=True)
    template.add_argument("--month", required=True, help="YYYY-MM")
    template.add_argument("--section", help=labels.CLI_HELP["section"])
    template.add_argument("--settings", metavar="SETTINGS.toml", help=labels.CLI_HELP_TEMPLATE_SETTINGS)
    template.add_argument("--out", required=True, help=labels.CLI_HELP["out"])
    user = commands.add_parser("user", help=labels.CLI_HELP["user"])
    users = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = users.add_parser("add", help=labels.CLI_HELP["user_add"])
    add.add_argument("username", metavar="USERNAME", help=labels.CLI_HELP["username"])
    add.add_argument("--role", required=True, help=labels.CLI_HELP["role"])
    add.add_argument("--section", help=labels.CLI_HELP["user_section"])
    add.add_argument("--name", help=labels.CLI_HELP["display_name"])
    users.add_parser("list", help=labels.CLI_HELP["user_list"])
    for name in ("disable", "enable", "password"):
        users.add_parser(name, help=labels.CLI_HELP[f"user_{name}"]).add_argument(
            "username", metavar="USERNAME", help=labels.CLI_HELP["username"])
    plan = commands.add_parser("plan", help=labels_plan.CLI_HELP_PLAN["plan"])
    plan.add_subparsers(dest="plan_command", required=True, parser_class=_Parser).add_parser(
        "check", help=labels_plan.CLI_HELP_PLAN["check"]).add_argument("path", metavar="PLAN.toml", nargs="?",
                                                                       help=labels_plan.CLI_HELP_PLAN["path"])
    db = commands.add_parser("db", help=labels_db.CLI_HELP_DB["db"])
    db_commands = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    db_commands.add_parser("upgrade", help=labels_db.CLI_HELP_DB["upgrade"])
    db_commands.add_parser("backup", help=labels_db.CLI_HELP_DB["db_backup"]).add_argument(
        "out", metavar="OUT", help=labels_db.CLI_HELP_DB["backup_out"])
    db_commands.add_parser("restore", help=labels_db.CLI_HELP_DB["db_restore"]).add_argument(
        "source", metavar="IN", help=labels_db.CLI_HELP_DB["restore_in"])
    return parser


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
        commands = {"validate": _validate, "import": _import, "summarize": _summarize, "report": _report,
                    "template": _template, "user": _user, "plan": _plan, "db": _db, "team-sheet": _team_sheet,
                    "evidence-export": _evidence_export}
        return commands[args.command](args)
    except (_CannotRun, RosterError, RulesError, SourceError, StoreBusy, ReaderUnavailable, AccountError,
            BackupRefused, DatabaseUnusable) as error:
        print(labels.CLI_CANNOT_RUN.format(error=error), file=sys.stderr)
        return 2
    except OSError as error:
        print(labels.CLI_OS_ERROR.format(reason=error.strerror or error, file=error.filename or ""), file=sys.stderr)
        return 2


def _plan(args) -> int:
    """plan check [PLAN.toml]: a plan file's problems, or what it holds; without a file, the plan in force."""
    try:
        plan = load_plan(args.path) if args.path else workspace.plan_in_force(Store(database_url()))
    except PlanError as error:
        print(error, file=sys.stderr)
        return 1
    print(labels_plan.PLAN_CHECKED.format(name=plan.source, digest=plan.digest, year=plan.year, items=len(plan.items),
                                          six_ones=sum(1 for item in plan.items if item.six_ones),
                                          deployed=sum(1 for item in plan.items if item.deployed)))
    return 0


def _validate(args) -> int:
    roster = load_roster(args.roster)
    limits = Limits(max_file_mb=args.max_file_mb)
    return _said(load_returns(args.paths, roster, limits), args.json, limits)


def _said(result, json_path: str | None, limits: Limits = DEFAULT_LIMITS) -> int:
    """Print each file's result (and write them as JSON); 1 if any file was rejected."""
    for report in result.reports:
        where = labels.NAME_SEPARATOR.join(report.sections) + " " + labels.NAME_SEPARATOR.join(report.months)
        verdict = labels.CLI_FILE_PASSED if report.status == "imported" else labels.CLI_FILE_REJECTED
        print(labels.CLI_FILE_LINE.format(verdict=verdict, file=report.file, where=where.strip()))
        for issue in report.errors[:limits.max_issues_per_file]:
            print(labels.CLI_ERROR_LINE.format(cell=issue.cell or "-", message=issue.message))
        for issue in report.warnings[:limits.max_issues_per_file]:
            print(labels.CLI_WARNING_LINE.format(cell=issue.cell or "-", message=issue.message))
    if json_path:
        files = [report.to_dict(limits.max_issues_per_file) for report in result.reports]
        _write_json(json_path, {"files": files})
    rejected = len(result.rejected)
    print(labels.CLI_FILE_COUNTS.format(files=len(result.reports), passed=len(result.reports) - rejected, rejected=rejected))
    return 1 if rejected else 0


def _write_json(path: str, document: dict) -> None:
    try:
        Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as error:
        raise _CannotRun(labels.CLI_CANNOT_WRITE.format(path=path, reason=error.strerror or error)) from None


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
        print(labels.CLI_SKIPPED.format(name=name, at=at))
    counts = store.import_batch(result, uploads, args.who)
    print(labels.CLI_IMPORTED.format(**counts))
    return status


def _team_sheet(args) -> int:
    """An inspection-team sheet, as on the upload page: checked, imported if it passed (once: the same file again is
    skipped). Exit 1 if rejected."""
    store, path, words = workspace.open_store(sample=False), Path(args.file), labels_plan.TEAM_SHEET_CLI
    check = check_team_sheet(path.name, path.read_bytes(), workspace.roster_in_force(store))
    if not check.accepted:
        print(words["rejected"].format(file=path.name))
        for issue in check.report.errors:
            print(f"  {issue.message}")
        return 1
    imported = team_store.import_team_sheet(store, check, path.name, path.read_bytes(), args.who)
    print(words["known"] if imported is None else words["imported"].format(
        month=check.month, sections=len(set(check.inspections["section"])), rows=len(check.inspections)))
    return 0


def _evidence_export(args) -> int:
    """The year's 创建台账 .zip (the latest year by default), as 创建台账 downloads it, into the folder `args.out`."""
    store, words = workspace.open_store(sample=False), labels_plan.EVIDENCE_CLI
    known = workspace.years(store)
    year = args.year or (known[-1] if known else None)
    if year not in known:
        raise _CannotRun(words["no-year"].format(year=year or "", years=labels.NAME_SEPARATOR.join(map(str, known))
                                                 or labels.CLI_NONE))
    name, data = workspace.evidence_archive(store, workspace.year(store, year), args.who)
    path = Path(args.out) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(words["written"].format(path=path, size=len(data) / MB))
    return 0


def _summarize(args) -> int:
    limits = Limits(max_file_mb=args.max_file_mb)
    if args.paths:
        if not args.roster:
            raise _CannotRun(labels.CLI_ROSTER_NEEDED)
        roster, rules = load_roster(args.roster), load_rules(args.rules)
        result = load_returns(args.paths, roster, limits)
        summaries, reports = [summarize(result, roster.sections, rules)], result.reports
    else:  # the dashboard's database: current versions, roster and rules in force, staff decisions
        store = workspace.open_store(sample=False)
        rules = load_rules(args.rules) if args.rules else workspace.rules_in_force(store)
        summaries = [workspace.year(store, number, rules).summary for number in workspace.years(store)]
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
    print(labels.CLI_SUMMARIZED_FILES.format(files=len(reports), passed=len(reports) - rejected, rejected=rejected)
          if args.paths else labels.CLI_SUMMARIZED_YEARS.format(years=len(summaries)), end="")
    print(labels.CLI_WRITTEN.format(rows=section_months, path=args.json, rules=rules.label))
    return 1 if rejected else 0


def _report(args) -> int:
    month = parse_month(args.month)
    if not month or args.month.strip() != month:
        raise _CannotRun(labels.CLI_BAD_MONTH.format(month=args.month))
    with PictureSession() as pictures:  # starts while the returns or the store are read; month_downloads closes it
        year, rejected = _report_year(args, month)
        if month not in year.summary.months:
            raise _CannotRun(labels.CLI_NO_MONTH.format(month=month, months=labels.NAME_SEPARATOR.join(
                year.summary.months) or labels.CLI_NONE))
        downloads = month_downloads(year, month, pictures=pictures, progress=lambda n, total, label: print(
            labels.CLI_STEP.format(step=n + 1, total=total, label=label)))
    for path in write(downloads, Path(args.out)):
        print(path)
    if downloads.pictures_missing:
        print(downloads.pictures_missing, file=sys.stderr)
    return 1 if rejected else 0


def _report_year(args, month: str) -> tuple[workspace.Year, int]:
    """`month`'s year from the returns at `args.paths` (with the number of files rejected), else from the store."""
    if not args.paths:
        return workspace.year(workspace.open_store(sample=False), int(month[:4])), 0
    if not args.roster:
        raise _CannotRun(labels.CLI_ROSTER_NEEDED)
    roster, rules = load_roster(args.roster), load_rules(args.rules)
    result = load_returns(args.paths, roster)
    return workspace.Year(int(month[:4]), result, summarize(result, roster.sections, rules), roster, rules), \
        len(result.rejected)


def _template(args) -> int:
    """The blank returns of the sections in force that month, named as the 设置 page names them."""
    roster = load_roster(args.roster)
    month = parse_month(args.month)
    if not month:
        raise _CannotRun(labels.CLI_BAD_MONTH.format(month=args.month))
    try:
        settings = load_template_settings(args.settings)
    except TemplateSettingsError as error:
        raise _CannotRun(error) from None
    names = month_templates(roster.sections, month)
    if args.section:
        if not (section := roster.match(args.section)):
            raise _CannotRun(labels.CLI_UNKNOWN_SECTION.format(section=args.section))
        if section not in names:
            raise _CannotRun(labels.CLI_SECTION_NOT_IN_FORCE.format(section=section, month=month))
        names = {section: names[section]}
    for note in roster.notes:
        print(labels.CLI_NOTE.format(note=note), file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for section, name in names.items():
        path = out / name  # a safe name: never a folder, never outside --out
        path.write_bytes(template_bytes(section, month, settings))
        print(path)
    return 0


def _user(args) -> int:
    """Accounts without a browser (issue 11 "Build" 5); a password is read from standard input, one line."""
    store = workspace.open_store(sample=False)
    who = _cli_who()
    if args.user_command == "add":
        section, sections = args.section, ()
        if section is not None:  # a name or alias of a section of the roster in force
            roster = workspace.roster_in_force(store)
            section = roster.match(section) or section.strip()
            sections = roster.in_force()
        account = account_store.add_account(store, args.username, _password(), args.role, who, sections, section,
                                            args.name)
        where = labels.ROLE_SECTION.format(section=account.section) if account.section else ""
        print(labels.CLI_ACCOUNT_ADDED.format(username=account.username, role=labels.ROLE_NAMES[account.role],
                                              section=where))
    elif args.user_command == "list":
        _list_accounts(account_store.list_accounts(store))
    elif args.user_command == "disable":
        account_store.disable_account(store, args.username, who)
        print(labels.CLI_ACCOUNT_DISABLED.format(username=args.username.strip()))
    elif args.user_command == "enable":
        account_store.enable_account(store, args.username, who)
        print(labels.CLI_ACCOUNT_ENABLED.format(username=args.username.strip()))
    else:
        account_store.set_password(store, args.username, _password(), who)
        print(labels.CLI_PASSWORD_SET.format(username=args.username.strip()))
    return 0


def _password() -> str:
    """One line of standard input (typed without echo at a terminal); an empty one is refused by the store."""
    if sys.stdin.isatty():
        try:
            return getpass.getpass(labels.CLI_PASSWORD_PROMPT)
        except EOFError:  # Ctrl-D at the prompt: no password, refused as empty
            return ""
    return sys.stdin.readline().rstrip("\r\n")


def _cli_who() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        user = "?"
    return labels.CLI_USER_WHO.format(user=user)


def _list_accounts(table: pd.DataFrame) -> None:
    if table.empty:
        print(labels.CLI_NO_ACCOUNTS)
    for row in table.itertuples():
        where = labels.ROLE_SECTION.format(section=row.section) if isinstance(row.section, str) else ""
        state = labels.ACCOUNT_STATES["disabled" if pd.notna(row.disabled_at) else "active"]
        last = f"{row.last_sign_in_at:%Y-%m-%d %H:%M}" if pd.notna(row.last_sign_in_at) else labels.NEVER
        print(labels.CLI_ACCOUNT_LINE.format(username=row.username, display_name=row.display_name,
                                             role=labels.ROLE_NAMES.get(row.role, row.role), section=where,
                                             state=state, created_at=row.created_at, last=last))


def _db(args) -> int:
    """The database itself (issue 13): `db upgrade` brings it to this release's schema, as every start does;
    `db backup OUT`, `db restore IN` (into an empty database; analytics/backup.py)."""
    return {"upgrade": _db_upgrade, "backup": _db_backup, "restore": _db_restore}[args.db_command](args)


def _db_backup(args) -> int:
    out = Path(args.out)
    info = backup(workspace.open_store(sample=False), out, _cli_who(), "cli")
    print(labels_db.CLI_BACKED_UP.format(path=out, size=out.stat().st_size / 2**20, taken_at=info["taken_at"]))
    return 0


def _db_restore(args) -> int:
    info = restore(workspace.open_store(sample=False), args.source, _cli_who())
    print(labels_db.CLI_RESTORED.format(path=args.source, rows=sum(info["restored"].values()), **info))
    return 0


def _db_upgrade(_args) -> int:
    url = database_url()
    migrated = Store(url).migrated
    where = sa.make_url(url).render_as_string(hide_password=True)
    if migrated is None:
        print(labels_db.CLI_DB_CURRENT.format(url=where, revision=HEAD))
        return 0
    if migrated.adopted:
        print(labels_db.CLI_DB_ADOPTED.format(revision=migrated.before or migrated.applied[0]))
    for revision in migrated.applied:
        print(labels_db.CLI_DB_APPLIED.format(revision=revision, name=labels_db.MIGRATION_NAMES[revision]))
    print(labels_db.CLI_DB_UPGRADED.format(url=where, revision=HEAD))
    return 0
