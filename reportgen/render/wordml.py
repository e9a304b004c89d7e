"""WordprocessingML details Word is strict about and LibreOffice is not: the schema order of
properties, the core properties part and the compatibility mode. Word "repairs" (or
refuses) a part whose elements are out of the order ECMA-376 gives; `tests/test_docx_schema.py`
validates the decision against the schema.

This module imports python-docx only (not docxtpl/docxcompose, which remap the `cp` prefix),
so scripts/make_template.py can use it too."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
WORD_NS = "http://schemas.microsoft.com/office/word"
COMPATIBILITY_MODE = "15"  # Word 2013 and later; 14 opens in Compatibility Mode


def _order(*tags: str) -> dict[str, int]:
    return {qn(f"w:{tag}"): i for i, tag in enumerate(tags)}


# ECMA-376 Part 1 §17.4.60 CT_TblPr.
TABLE_PROPERTIES = _order(
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
)  # fmt: skip
# §17.6.17 CT_SectPr: header/footer references first, then the section's properties.
SECTION_PROPERTIES = _order(
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
    "sectPrChange",
)  # fmt: skip

# §17.3.1.26 CT_PPr: the paragraph's properties, then the mark's rPr, sectPr, pPrChange.
PARAGRAPH_PROPERTIES = _order(
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
_ORDERS = {
    qn("w:pPr"): PARAGRAPH_PROPERTIES,
    qn("w:tblPr"): TABLE_PROPERTIES,
    qn("w:sectPr"): SECTION_PROPERTIES,
}


def put_in_order(element) -> None:
    """Every paragraph, table and section property list under `element` in schema order.

    LibreOffice, for one, writes a section break as `<w:pPr><w:sectPr/>…<w:pStyle/>`, so a
    template a clerk saved there would otherwise pass its disorder on to the decision."""
    for props in element.iter(*_ORDERS):
        in_order(props, _ORDERS[props.tag])


def in_order(parent, order: dict[str, int]) -> None:
    """Put `parent`'s children in schema order (stable; unknown elements go last)."""
    parent[:] = sorted(parent, key=lambda child: order.get(child.tag, len(order)))


def keep_with_signature(body) -> None:
    """The last article ("Điều N.") and what follows it down to the signature table (the one
    with "Nơi nhận") kept on the signature's page, and the table's rows unsplit, as a typist
    does: "Nơi nhận" and the signature never stand alone at the top of a page."""
    tables = [t for t in body.iter(qn("w:tbl")) if "Nơi nhận" in "".join(t.itertext())]
    if not tables:
        return
    signature = tables[-1]
    before, kept = signature.getprevious(), []
    while before is not None and before.tag == qn("w:p"):
        kept.append(before)
        if "".join(before.itertext()).strip().startswith("Điều "):
            break
        before = before.getprevious()
    else:
        return  # no article right before it: the template was laid out otherwise
    for paragraph in kept:
        props = paragraph.find(qn("w:pPr"))
        if props is None:
            props = paragraph.makeelement(qn("w:pPr"), {})
            paragraph.insert(0, props)
        if props.find(qn("w:keepNext")) is None:
            props.append(props.makeelement(qn("w:keepNext"), {}))
            in_order(props, PARAGRAPH_PROPERTIES)
    for row in signature.iter(qn("w:tr")):
        props = row.find(qn("w:trPr"))
        if props is None:
            props = row.makeelement(qn("w:trPr"), {})
            row.insert(0, props)
        if props.find(qn("w:cantSplit")) is None:
            props.insert(0, props.makeelement(qn("w:cantSplit"), {}))


def set_core(core_element, name: str, value: str) -> None:
    """Set `cp:name` (lastModifiedBy, revision) in docProps/core.xml by its namespace URI.

    python-docx's own setters look the `cp` prefix up in a table that docxcompose (imported
    by docxtpl) redefines as the custom-properties namespace, which adds a second, foreign
    element instead of setting the first."""
    tag = f"{{{CORE_NS}}}{name}"
    found = core_element.findall(tag)
    for extra in found[1:]:
        core_element.remove(extra)
    if found:
        element = found[0]
    else:
        element = core_element.makeelement(tag, {})
        core_element.append(element)  # core properties are an xsd:all: any order
    element.text = value


def set_compatibility_mode(settings_element, mode: str = COMPATIBILITY_MODE) -> None:
    """`w:compatSetting w:name="compatibilityMode"` in word/settings.xml, created if absent."""
    compat = settings_element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        follower = next((c for c in settings_element if c.tag in _AFTER_COMPAT), None)
        if follower is None:
            settings_element.append(compat)
        else:
            follower.addprevious(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), mode)
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), WORD_NS)
    setting.set(qn("w:val"), mode)
    compat.append(setting)  # compatSetting elements close CT_Compat


# §17.15.1.78 CT_Settings: the elements that come after w:compat.
_AFTER_COMPAT = {
    qn(f"w:{tag}")
    for tag in (
        "docVars", "rsids", "attachedSchema", "themeFontLang", "clrSchemeMapping",
        "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
        "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}  # fmt: skip
