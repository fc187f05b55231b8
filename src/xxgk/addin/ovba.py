"""The VBA project streams in the form MS-OVBA asks a writer for.

pyOpenVBA writes ``_VBA_PROJECT`` as 64-bit Microsoft 365 does (version 0xB5 and a zeroed
compiled-code cache, 2.5 KB); a build of Excel that trusts the version may try to use that empty
cache. MS-OVBA 2.3.4.1 says a writer writes version 0xFFFF and no cache, which makes every Excel
compile the project from source; the add-ins xlwings ships are written that way. The ``dir``
stream names the project ``VBAProject`` and ends with 4 bytes after its terminator record. This
module rewrites those streams; everything else in ``vbaProject.bin`` stays as pyOpenVBA wrote it.
"""

from __future__ import annotations

import re
import struct

#: MS-OVBA 2.3.4.1: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0003 — and no
#: PerformanceCache.
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")

_PROJECTNAME = 0x0004
_PROJECTVERSION = 0x0009  # its Size field is a fixed 4, but 6 bytes follow (MS-OVBA 2.3.4.2.1.11)
_TERMINATOR = 0x0010


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The decompressed ``dir`` stream as (record id, payload) up to and including its
    terminator; raises ValueError on a stream that ends before it."""
    records: list[tuple[int, bytes]] = []
    at = 0
    while at + 6 <= len(data):
        rid, size = struct.unpack_from("<HI", data, at)
        at += 6
        if rid == _PROJECTVERSION:
            size = 6
        if at + size > len(data):
            break
        records.append((rid, data[at : at + size]))
        at += size
        if rid == _TERMINATOR:
            return records
    raise ValueError("the dir stream has no terminator record")


def pack_dir(records: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def spec_form(vba_bin: bytes, *, project_name: str) -> bytes:
    """``vbaProject.bin`` with the 7-byte ``_VBA_PROJECT``, a ``dir`` stream that ends at its
    terminator and names the project ``project_name`` (ASCII), and the same name in PROJECT."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,127}", project_name):
        raise ValueError(f"VBA project name {project_name!r} must be an ASCII identifier")
    cfb = CFB.from_bytes(vba_bin)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    records = dir_records(decompress(cfb.get_stream_in_storage("VBA", "dir")))
    if _PROJECTNAME not in {rid for rid, _ in records}:
        raise ValueError("the dir stream has no PROJECTNAME record")
    named = [(rid, project_name.encode("ascii") if rid == _PROJECTNAME else payload) for rid, payload in records]
    cfb.write_stream_in_storage("VBA", "dir", compress(pack_dir(named)))
    project = cfb.get_stream("PROJECT")
    project, n = re.subn(rb'(?m)^Name="[^"\r\n]*"', b'Name="' + project_name.encode("ascii") + b'"', project)
    if n != 1:
        raise ValueError("the PROJECT stream has no Name= line")
    cfb.write_stream("PROJECT", project)
    return cfb.to_bytes()
