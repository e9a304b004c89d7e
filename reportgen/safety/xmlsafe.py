"""XML parsing hardened for the whole process: entity bombs and external entities refused
(defusedxml), checked once at start-up before any workbook is opened."""


def enable_defusedxml() -> None:
    """Make XML parsing in this process refuse entity bombs and external entities.

    Call once at start-up, before opening workbooks. Checked against the sources of
    defusedxml 0.7.1 and openpyxl 3.1.5:

    * ``defusedxml.defuse_stdlib()`` (marked experimental by defusedxml) replaces the parse
      functions of ``xml.etree.ElementTree``, ``xml.dom.minidom``, ``xml.dom.pulldom``,
      ``xml.sax``, the expat builders and ``xmlrpc``: a DTD that declares an entity then raises
      ``defusedxml.EntitiesForbidden``, an external reference ``ExternalReferenceForbidden``.
      It patches module attributes, so a name bound earlier with
      ``from xml.etree.ElementTree import fromstring`` keeps the unsafe function.
    * openpyxl needs no patch. On import it sets ``openpyxl.DEFUSEDXML`` when defusedxml is
      importable and the environment variable ``OPENPYXL_DEFUSEDXML`` is unset or "True"; its
      ``iterparse`` (worksheets, shared strings) is then defusedxml's. Its ``fromstring``
      (workbook, rels, styles) is defusedxml's too unless lxml is installed (python-docx pulls it
      in) and ``OPENPYXL_LXML`` is not "False": then it is lxml with ``resolve_entities=False``,
      and libxml2's own limits reject a billion-laughs with ``lxml.etree.XMLSyntaxError``.
      openpyxl re-raises these as ``ValueError("Unable to read workbook...")`` from the original.
      This function raises ``RuntimeError`` if openpyxl is already imported with ``DEFUSEDXML``
      off (it does not import openpyxl itself: start-up time).
    * Parsers that do not use Python's XML modules (python-calamine, lxml called directly) are
      affected by neither mechanism.
    """
    import sys
    import warnings

    import defusedxml

    with warnings.catch_warnings():  # defuse_stdlib imports its own deprecated cElementTree
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    openpyxl = sys.modules.get("openpyxl")  # decides at its own import; not imported here
    if openpyxl is not None and not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError(
            "openpyxl is not using defusedxml (is OPENPYXL_DEFUSEDXML set to something other "
            "than 'True'?); refusing to parse untrusted workbooks."
        )
