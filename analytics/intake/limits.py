"""Limits that keep hostile or broken files from taking the process down, in one place.

A clerk can raise `max_file_mb` (CLI `--max-file-mb`); the others protect the reader itself.
"""
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 20            # one return, or one member of a zip, before it is read
    max_zip_mb: float = 200            # a zip of returns, before it is opened
    max_zip_members: int = 5000
    max_unpacked_mb: float = 200       # all parts of one workbook once inflated (zip bombs)
    max_batch_mb: float = 200          # one upload batch (a session holds at most one): every file together
    max_sheet_rows: int = 20_000       # a sheet's extent, checked before the reader allocates it
    max_sheet_columns: int = 200
    reader_memory_mb: float = 1024     # what the reading process may allocate beyond its size once started
    reader_seconds: float = 60         # one file's reading there (analytics/reader.py)
    header_search_rows: int = 15       # RETURN_FORMAT.md accepted 1
    max_issues_per_file: int = 200     # the rest are counted, not listed

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * MB)


DEFAULT_LIMITS = Limits()
