"""Zip members read straight from their local headers: the door checks (DTDs, sheet dimensions)
look at the head of every part and the workbook reader inflates a dozen small parts per file;
going through ``zipfile.ZipFile.open`` for each costs more than the inflating itself."""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO


def head(raw: BinaryIO, info: zipfile.ZipInfo, size: int) -> bytes | None:
    """Up to ``size`` inflated bytes of a stored or deflated member of the zip open as ``raw``
    (never more: a bomb inflates no further); ``None`` for anything else (encrypted, another
    compression, a damaged header): then use ``zipfile``."""
    if not _at_data(raw, info):
        return None
    data = raw.read(min(info.compress_size, size + 1024))  # deflate never grows data by more
    if info.compress_type == zipfile.ZIP_STORED:
        return data[:size]
    return zlib.decompressobj(-15).decompress(data, size)


def member(raw: BinaryIO, info: zipfile.ZipInfo) -> bytes | None:
    """The whole member, checked as ``zipfile`` checks it (never inflated past the size the
    directory states; the CRC must match, else :class:`zipfile.BadZipFile`); ``None`` when
    only ``zipfile`` can read it."""
    if not _at_data(raw, info):
        return None
    data = raw.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        data = zlib.decompressobj(-15).decompress(data, info.file_size + 1)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return data


def _at_data(raw: BinaryIO, info: zipfile.ZipInfo) -> bool:
    """Seek ``raw`` to the member's data; ``False`` for a member only ``zipfile`` can read."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return False
    raw.seek(info.header_offset)
    local = raw.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return False
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    return True
