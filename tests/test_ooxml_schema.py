"""Every XML part of every .xlsx, .xlam and .docx we write validates against the ECMA-376
transitional schemas (and the ribbon part against Microsoft's customUI schemas), kept in
``shared/ref/ooxml-xsd`` beside the repository (see its README for the two fixes lxml needs).

Before validating, a part is read the way Office reads it (ECMA-376 Part 3, Markup
Compatibility): ``mc:AlternateContent`` keeps its ``mc:Fallback``, and elements and attributes of
namespaces the part declares ``mc:Ignorable`` are dropped. Those extensions (w14, w15, x14 …)
have no schema in the folder; they are reported by :func:`mce_reduce`, never silently passed.

Schema-valid is necessary, not sufficient: Excel-specific checks (dxf colours, protection,
print area) are their own tests in test_workbook_build.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from written import demo_outputs, workbooks

SHARED = Path(__file__).resolve().parents[2] / "shared"
XSD = SHARED / "ref" / "ooxml-xsd"

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Root element namespace → the schema (in XSD) that declares it.
SCHEMA_OF = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "sml.xsd",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",  # theme parts
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-xsd/opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-xsd/opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties":
        "opc-xsd/opc-coreProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": "shared-bibliography.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml":
        "shared-customXmlDataProperties.xsd",
    "http://schemas.microsoft.com/office/2006/01/customui": "customUI.xsd",
    "http://schemas.microsoft.com/office/2009/07/customui": "customui14.xsd",
}

# Parts that are not XML, with the reason they are not validated here.
NOT_XML = {
    "xl/vbaProject.bin": "VBA project: an OLE compound file (MS-OVBA), checked by test_addin_build",
    "docProps/thumbnail.jpeg": "JPEG image",
}

# Extensions a part declares mc:Ignorable and that have no schema in the folder: dropped before
# validating, as Office drops what it does not know. Any other dropped namespace is an error.
NO_SCHEMA = {
    "http://schemas.microsoft.com/office/word/2010/wordml":
        "Word 2010 extensions (w14) that python-docx's template puts in word/settings.xml",
}

# The XML namespace (xml:space, xml:lang), which wml.xsd and the core properties import without
# a location. Dublin Core (dc:, dcterms:), which opc-coreProperties.xsd imports from the web: not
# in the folder, so a local stand-in declares its elements with any content and W3CDTF as a
# date/time. The core properties' own structure is still validated.
_XML_XSD = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{XML_NS}">
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
    <xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction>
  </xs:simpleType></xs:attribute>
  <xs:attribute name="lang" type="xs:language"/>
</xs:schema>"""
_DC_ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date",
                "type", "format", "identifier", "source", "language", "relation", "coverage",
                "rights", "keywords")
_DC_XSD = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'targetNamespace="http://purl.org/dc/elements/1.1/" elementFormDefault="qualified">'
    + "".join(f'<xs:element name="{n}" type="xs:anyType"/>' for n in _DC_ELEMENTS)
    + "</xs:schema>"
)
_DCTERMS_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://purl.org/dc/terms/" elementFormDefault="qualified">
  <xs:simpleType name="W3CDTF"><xs:union memberTypes="xs:dateTime xs:date xs:gYearMonth xs:gYear"/>
  </xs:simpleType>
  <xs:element name="created" type="xs:anyType"/>
  <xs:element name="modified" type="xs:anyType"/>
</xs:schema>"""


def _needs_schemas() -> None:
    if not (XSD / "sml.xsd").is_file():
        pytest.fail(f"the OOXML schemas are missing: expected {XSD} (shared/ beside the clone, as CI lays it)")


_STAND_INS = {"xxgk-stand-in:xml.xsd": _XML_XSD, "xxgk-stand-in:dc.xsd": _DC_XSD,
              "xxgk-stand-in:dcterms.xsd": _DCTERMS_XSD}
_STAND_IN_FOR = {XML_NS: "xxgk-stand-in:xml.xsd", "http://purl.org/dc/elements/1.1/": "xxgk-stand-in:dc.xsd",
                 "http://purl.org/dc/terms/": "xxgk-stand-in:dcterms.xsd"}


class _StandIns(etree.Resolver):
    def resolve(self, url, pubid, context):
        return self.resolve_string(_STAND_INS[url], context) if url in _STAND_INS else None


@cache
def schema(name: str) -> etree.XMLSchema:
    """The schema ``name`` (relative to XSD), with the fixes the folder's README describes."""
    _needs_schemas()
    parser = etree.XMLParser()
    parser.resolvers.add(_StandIns())
    doc = etree.parse(str(XSD / name), parser)  # relative imports resolve beside the file
    root = doc.getroot()
    for imp in root.findall(f"{XS}import"):
        if imp.get("namespace") in _STAND_IN_FOR:
            imp.set("schemaLocation", _STAND_IN_FOR[imp.get("namespace")])
    if name.lower().startswith("customui"):
        _dedupe_attribute_uses(root)
    return etree.XMLSchema(doc)


XS = "{http://www.w3.org/2001/XMLSchema}"


def _dedupe_attribute_uses(root: etree._Element) -> None:
    """libxml2 rejects an attribute used twice in a type (directly, through attribute groups or
    through the type it extends), which .NET accepts: keep the first use, drop the others."""
    types = {ct.get("name"): ct for ct in root.iter(f"{XS}complexType") if ct.get("name")}

    def container(ct: etree._Element) -> tuple[etree._Element, str | None]:
        ext = ct.find(f"{XS}complexContent/{XS}extension")
        if ext is not None:
            return ext, ext.get("base", "").split(":")[-1]
        return ct, None

    def names(ct: etree._Element) -> set[str]:
        box, base = container(ct)
        out = names(types[base]) if base in types else set()
        for el in box:
            if el.tag == f"{XS}attribute":
                out.add(el.get("name") or el.get("ref"))
            elif el.tag == f"{XS}attributeGroup":
                out |= {a.get("name") or a.get("ref") for a in _group(root, el.get("ref"))}
        return out

    for ct in root.iter(f"{XS}complexType"):
        box, base = container(ct)
        seen = names(types[base]) if base in types else set()
        for el in list(box):
            if el.tag == f"{XS}attribute":
                n = el.get("name") or el.get("ref")
                if n in seen:
                    box.remove(el)
                seen.add(n)
            elif el.tag == f"{XS}attributeGroup":
                group = {a.get("name") or a.get("ref") for a in _group(root, el.get("ref"))}
                if seen & group:
                    _inline_group_without(el, root, seen)
                seen |= group


def _group(root: etree._Element, ref: str | None) -> list[etree._Element]:
    """The attribute declarations of an attribute group, groups inside it resolved."""
    local = (ref or "").split(":")[-1]
    group = next(g for g in root.iter(f"{XS}attributeGroup") if g.get("name") == local)
    out = []
    for el in group:
        if el.tag == f"{XS}attribute":
            out.append(el)
        elif el.tag == f"{XS}attributeGroup":
            out.extend(_group(root, el.get("ref")))
    return out


def _inline_group_without(ref_el: etree._Element, root: etree._Element, seen: set[str]) -> None:
    """Replace an attribute-group reference by copies of its attributes not already used."""
    import copy

    parent = ref_el.getparent()
    i = parent.index(ref_el)
    parent.remove(ref_el)
    for a in _group(root, ref_el.get("ref")):
        if (a.get("name") or a.get("ref")) not in seen:
            parent.insert(i, copy.deepcopy(a))
            i += 1


def mce_reduce(root: etree._Element) -> set[str]:
    """Read ``root`` as an Office consumer does (Markup Compatibility), in place; return the
    namespaces of what was dropped (the ignorable extensions)."""
    dropped: set[str] = set()
    ignorable: set[str] = set()
    for el in root.iter():
        value = el.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable |= {el.nsmap.get(p) or "" for p in value.split()}
            del el.attrib[f"{{{MC}}}Ignorable"]
    for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent = alt.getparent()
        fallback = alt.find(f"{{{MC}}}Fallback")
        i = parent.index(alt)
        parent.remove(alt)
        dropped.add(MC)
        for child in list(fallback if fallback is not None else []):
            parent.insert(i, child)
            i += 1
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace in ignorable and el.getparent() is not None:
            dropped.add(etree.QName(el).namespace)
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            ns = etree.QName(attr).namespace
            if ns in ignorable:
                dropped.add(ns)
                del el.attrib[attr]
    return dropped


def validate_package(data: bytes) -> tuple[list[str], dict[str, str]]:
    """(errors, skipped part → reason) for every part of an OPC package."""
    errors: list[str] = []
    skipped: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name in NOT_XML:
                skipped[name] = NOT_XML[name]
                continue
            root = etree.fromstring(z.read(name))
            ns = etree.QName(root).namespace
            if ns not in SCHEMA_OF:
                errors.append(f"{name}: no schema for the namespace {ns}")
                continue
            dropped = mce_reduce(root) - {MC}
            for ns_ in sorted(dropped):
                if ns_ in NO_SCHEMA:
                    skipped[f"{name}: {ns_}"] = NO_SCHEMA[ns_]
                else:
                    errors.append(f"{name}: extension {ns_} is neither validated nor listed in NO_SCHEMA")
            s = schema(SCHEMA_OF[ns])
            if not s.validate(root):
                errors += [f"{name}:{e.line}: {e.message}" for e in s.error_log]
    return errors, skipped


# ---------------------------------------------------------------------- what we write
@pytest.mark.parametrize("which", ["template", "new", "prefilled", "format-2019"])
def test_workbooks_are_schema_valid(which):
    errors, skipped = validate_package(workbooks()[which])
    assert not errors, "\n".join(errors[:20])
    assert not skipped


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_demo_outputs_are_schema_valid(suffix):
    errors, skipped = validate_package(demo_outputs()[suffix])
    assert not errors, "\n".join(errors[:20])
    expected = {".xlsx": set(), ".docx": {"docProps/thumbnail.jpeg",
                                          "word/settings.xml: " + next(iter(NO_SCHEMA))}}
    assert set(skipped) == expected[suffix]


def test_addin_is_schema_valid_including_its_ribbon():
    from xxgk.addin.build import build_xlam

    data = build_xlam()
    errors, skipped = validate_package(data)
    assert not errors, "\n".join(errors[:20])
    assert set(skipped) == {"xl/vbaProject.bin"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        ribbon = [n for n in z.namelist() if re.match(r"customUI/customUI(14)?\.xml$", n)]
    assert ribbon, "the add-in has no ribbon part"


# ---------------------------------------------------------------------- the checker itself
def test_the_validator_catches_a_part_out_of_schema_order():
    """A test that cannot fail is a defect: a sheet with <sheetProtection> moved to the end
    (out of schema order, which makes Excel repair the file) must fail."""
    data = workbooks()["template"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":
                text = part.decode()
                m = re.search(r"<sheetProtection[^>]*/>", text)
                assert m
                text = text.replace(m.group(0), "")
                text = text.replace("</worksheet>", m.group(0) + "</worksheet>")
                part = text.encode()
            dst.writestr(info, part)
    errors, _ = validate_package(out.getvalue())
    assert any("sheet4.xml" in e for e in errors), errors


def test_mce_reduce_keeps_the_fallback_and_drops_ignorable_parts():
    xml = (f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           f'xmlns:mc="{MC}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
           f'mc:Ignorable="w14"><w:body w14:paraId="1"><w14:x/><mc:AlternateContent>'
           f'<mc:Choice Requires="w14"><w14:y/></mc:Choice><mc:Fallback><w:p/></mc:Fallback>'
           f'</mc:AlternateContent></w:body></w:document>')
    root = etree.fromstring(xml)
    dropped = mce_reduce(root)
    assert "http://schemas.microsoft.com/office/word/2010/wordml" in dropped
    assert schema("wml.xsd").validate(root), schema("wml.xsd").error_log
