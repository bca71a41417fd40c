"""Text people typed, made safe for any Streamlit element that reads Markdown (no Streamlit here)."""
import re

# What turns text into a link, an image, HTML, an emoji or formatting anywhere in a line; at its start also a
# heading, list or quote (line breaks are folded, so only the start of the text is a line start).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~|$:])")
_MARKDOWN_START = re.compile(r"^(\d+(?=[.)])|[-+#>=])")
_ADDRESS = re.compile(r"(?i)(https?|ftp|file|mailto|www|@)")


def plain(text) -> str:
    """Text people typed (names, places, tasks, 经办人, 依据, file names), for any element that reads Markdown
    (st.write, messages, button labels): shown as typed, never as a link, an image or formatting."""
    folded = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    # Bare addresses are linked even with their punctuation escaped: a zero-width space keeps them text.
    folded = _ADDRESS.sub("\\1\u200b", folded)
    return _MARKDOWN_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), folded)
