"""Turn the paths a user gives (files, folders read recursively, zips) into workbook bytes to read.

Sizes are checked before anything is read or unpacked (limits.Limits). Lock files, hidden files and
__MACOSX/ are skipped silently; any other file that is not a spreadsheet is listed as refused.
"""
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analytics.intake import vocab
from analytics.intake.guards import Refused
from analytics.intake.limits import MB, Limits
from analytics.intake.messages import SOURCE_MESSAGES


class SourceError(Exception):
    """A path given on the command line does not exist: the command cannot run."""


@dataclass
class Member:
    name: str                    # as given; inside a zip "ZIP/MEMBER"
    stem: str                    # the file's own base name without suffix: a section and month source
    data: bytes | None = None
    refused: Refused | None = None
    upload: int | None = None    # the position of the uploaded file it came from, in its batch


def _skipped(parts) -> bool:
    return any(part in vocab.SKIPPED_FOLDERS or part.startswith(vocab.SKIPPED_NAME_PREFIXES) for part in parts)


def _size(count: int) -> str:
    return f"{count / MB:.1f} MB"


def _suffix_refusal(suffix: str) -> Refused | None:
    if suffix in vocab.SPREADSHEET_SUFFIXES:
        return None
    if suffix in vocab.WPS_SUFFIXES:
        return Refused("wps-et", suffix)
    return Refused("unsupported-type", suffix or SOURCE_MESSAGES["no-suffix"])


def files_under(paths) -> list[tuple[Path, str]]:
    """Every file under `paths` as (path, name as given), in the order given (folders sorted, junk skipped)."""
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend((inner, str(inner)) for inner in sorted(p for p in path.rglob("*") if p.is_file())
                         if not _skipped(inner.relative_to(path).parts))
        elif path.is_file():
            found.append((path, str(given)))
        else:
            raise SourceError(SOURCE_MESSAGES["not-found"].format(path=given))
    return found


def collect(paths, limits: Limits) -> list[Member]:
    """Every workbook under `paths`, in the order given (folders sorted), each read or refused."""
    return [member for path, name in files_under(paths) for member in _from_file(path, name, limits)]


def _from_file(path: Path, name: str, limits: Limits) -> list[Member]:
    size, limit_mb = path.stat().st_size, _limit_mb(path.suffix, limits)
    if size > limit_mb * MB:  # checked before the file is read
        return [Member(name, path.stem, refused=Refused("file-too-large", _size(size), limit=f"{limit_mb:g} MB"))]
    return from_bytes(name, path.read_bytes(), limits)


def _limit_mb(suffix: str, limits: Limits) -> float:
    return limits.max_zip_mb if suffix.lower() == vocab.ZIP_SUFFIX else limits.max_file_mb


def from_bytes(name: str, data: bytes, limits: Limits) -> list[Member]:
    """One uploaded file (a workbook or a zip of them) as members to read."""
    path = PurePosixPath(name.replace("\\", "/"))
    suffix, limit_mb = path.suffix.lower(), _limit_mb(path.suffix, limits)
    if len(data) > limit_mb * MB:
        return [Member(name, path.stem, refused=Refused("file-too-large", _size(len(data)), limit=f"{limit_mb:g} MB"))]
    if suffix == vocab.ZIP_SUFFIX:
        return _from_zip(data, name, limits)
    refusal = _suffix_refusal(suffix)
    return [Member(name, path.stem, refused=refusal) if refusal else Member(name, path.stem, data)]


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; names that are not UTF-8 are read as GB18030 (what Chinese Windows writes)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_path(raw: str) -> bool:
    """A member path that would land outside the folder it is unpacked in: absolute (/x, \\x), with a drive
    letter (C:), or with a .. segment (either slash)."""
    return raw.startswith(("/", "\\")) or bool(_DRIVE.match(raw)) or ".." in re.split(r"[/\\]", raw)


def _from_zip(data: bytes, name: str, limits: Limits) -> list[Member]:
    stem = PurePosixPath(name).stem
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        return [Member(name, stem, refused=Refused("bad-zip", str(error)[:80]))]
    if len(infos) > limits.max_zip_members:
        return [Member(name, stem, refused=Refused("too-many-members", str(len(infos)), limit=limits.max_zip_members))]
    members = []
    for info in sorted(infos, key=member_name):
        raw = member_name(info)
        inner = PurePosixPath(raw)
        if unsafe_member_path(raw):  # listed, never skipped: .. would otherwise pass for a hidden folder
            members.append(Member(f"{name}/{raw}", PurePosixPath(raw.replace("\\", "/")).stem,
                                  refused=Refused("unsafe-member", raw)))
            continue
        if _skipped(inner.parts):
            continue
        member = Member(f"{name}/{inner}", inner.stem)
        suffix = inner.suffix.lower()
        if suffix == vocab.ZIP_SUFFIX:
            member.refused = Refused("nested-zip")
        elif refusal := _suffix_refusal(suffix):
            member.refused = refusal
        elif info.file_size > limits.max_file_bytes:
            member.refused = Refused("file-too-large", _size(info.file_size), limit=f"{limits.max_file_mb:g} MB")
        else:
            try:  # read at most one byte past the limit: a member's declared size may lie
                with archive.open(info) as stream:
                    member.data = stream.read(limits.max_file_bytes + 1)
                if len(member.data) > limits.max_file_bytes:
                    member.data, member.refused = None, Refused(
                        "file-too-large", f"> {limits.max_file_mb:g} MB", limit=f"{limits.max_file_mb:g} MB")
            except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError, NotImplementedError) as error:
                member.refused = Refused("bad-zip", str(error)[:80])  # includes encrypted members
        members.append(member)
    return members
