"""Evidence (台账) files (issue 14 "Build" 5): what a file is, from its bytes, never from its name; whether it may be
kept as evidence; and a photo's thumbnail. Pure: bytes in, an EvidenceCheck out.

The kinds kept are EVIDENCE_KINDS (photos, scans as PDF, sign-in sheets as .xlsx or .docx). filetype reads the
magic numbers (and, for .xlsx and .docx, the zip's parts); a photo is decoded by Pillow, so a file that only starts
like a JPEG is refused too.
"""
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from analytics.intake.limits import MB
from analytics.labels_plan import EVIDENCE_FOUND, EVIDENCE_KINDS, EVIDENCE_MESSAGES, EVIDENCE_UNKNOWN

# A kind kept → the extensions a file of it may have (the uploader's list) and, for images, Pillow's format name.
EXTENSIONS = {"jpg": ("jpg", "jpeg"), "png": ("png",), "pdf": ("pdf",), "xlsx": ("xlsx",), "docx": ("docx",)}
IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG"}
OFFICE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}   # the part each must hold
UPLOAD_TYPES = [extension for extensions in EXTENSIONS.values() for extension in extensions]
THUMBNAIL_PIXELS = (320, 320)
DEFAULT_MAX_MB, MAX_MB_RANGE = 10.0, (0.5, 50.0)   # the upper bound is .streamlit/config.toml's maxUploadSize
LIMIT_CHOICES = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 50.0)   # what 设置 offers


@dataclass(frozen=True)
class EvidenceCheck:
    name: str
    kind: str | None             # a key of EVIDENCE_KINDS where it may be kept, else None
    problem: str | None          # why not, in Chinese, naming the file
    thumbnail: bytes | None = None

    @property
    def accepted(self) -> bool:
        return self.problem is None


def check_evidence(name: str, data: bytes, max_mb: float = DEFAULT_MAX_MB) -> EvidenceCheck:
    """Whether `data` (uploaded as `name`) may be kept as evidence: not empty, at most `max_mb`, and by its bytes one
    of EVIDENCE_KINDS that opens; a photo's check also makes its thumbnail."""
    def refused(code: str, **details) -> EvidenceCheck:
        return EvidenceCheck(name, None, EVIDENCE_MESSAGES[code].format(name=name, **details))

    if not data:
        return refused("empty")
    if len(data) > max_mb * MB:
        return refused("too-large", size=len(data) / MB, limit=max_mb)
    guessed = filetype.guess(data)
    kind = {"jpeg": "jpg"}.get(guessed.extension, guessed.extension) if guessed else None
    if kind not in EVIDENCE_KINDS:
        found = EVIDENCE_FOUND.get(kind, EVIDENCE_UNKNOWN)
        extension = PurePath(name).suffix.lower().lstrip(".")
        if extension in UPLOAD_TYPES:
            return refused("disguised", extension=extension, found=found)
        return refused("refused", found=found)
    try:
        thumbnail = _thumbnail(data, kind) if kind in IMAGE_FORMATS else _office_opens(data, kind)
    except Image.DecompressionBombError:   # over twice Image.MAX_IMAGE_PIXELS: decoding it would take the memory
        return refused("too-many-pixels")
    except (OSError, UnidentifiedImageError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return refused("broken", kind=EVIDENCE_KINDS[kind])
    return EvidenceCheck(name, kind, None, thumbnail)


def size_text(size: int) -> str:
    """A file's size as a page shows it: KB below a megabyte (a small file never reads as 0 MB)."""
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(size / 1024, 0.1):.1f} KB"


def _thumbnail(data: bytes, kind: str) -> bytes:
    """A photo decoded whole (a truncated or forged one raises) and shrunk, turned upright, as PNG bytes."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format != IMAGE_FORMATS[kind]:
            raise ValueError(image.format)
        image.load()
        small = ImageOps.exif_transpose(image)
        small.thumbnail(THUMBNAIL_PIXELS)
        out = io.BytesIO()
        small.convert("RGBA" if small.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
        return out.getvalue()


def _office_opens(data: bytes, kind: str) -> None:
    """A .xlsx or .docx is a zip holding its main part (KeyError where not); a PDF starts as one (filetype saw it)."""
    if kind in OFFICE_PARTS:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo(OFFICE_PARTS[kind])
