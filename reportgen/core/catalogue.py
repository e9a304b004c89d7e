"""One file because the catalogue is one table, read whole: a code's words sit beside its
neighbours', so the messages stay alike in tone and form, as docs/findings.md lists them.

The catalogue of finding codes: each code declared once with its severity and the Vietnamese
words of its message (as in frictionless-py's errors), and `finding()`, which makes a finding
of a code from its parameters — the only place a finding's words are made."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.core.findings import Finding, Severity
from reportgen.core.location import Location


@dataclass(frozen=True)
class FindingType:
    """One code: its severity, its message `template` (`str.format` fields, filled from a
    finding's parameters) and what it means. A code said several ways has `cases`: the words
    of each, chosen by the parameter `case`, filled from the same parameters and put in the
    template's `{case}` field."""

    code: str
    severity: Severity
    template: str
    description: str
    cases: dict[str, str] = field(default_factory=dict)

    def words(self, unit: str | None = None, **params: object) -> str:
        """The message, filled from `params` (and `unit`)."""
        if self.cases:
            params = {**params, "case": self.clause(**params)}
        return self.template.format(unit=unit, **params)

    def clause(self, case: str, **params: object) -> str:
        """The words of one case alone, for an error raised where no finding is made."""
        return self.cases[case].format(case=case, **params)


E, W = Severity.ERROR, Severity.WARNING
_TYPES = [
    # The assessment file
    FindingType(
        "CONFIG_BLANK",
        E,
        "Khóa '{key}' trong assessment.toml còn để trống (<<CẦN ĐIỀN>>): hãy điền {what} "
        "trước khi tạo văn bản.",
        "A value `reportgen init` left for the clerk (decision number and date, Tờ trình, "
        "signer) is still blank; `build` refuses (exit 2), `validate` and `forms` work.",
    ),
    # Files
    FindingType(
        "INPUT_NOT_FOUND",
        E,
        "Không tìm thấy tệp hoặc thư mục đầu vào.",
        "An INPUT path does not exist (a folder with no workbook yet is no submission, not this).",
    ),
    # What `safety.sniff` refuses before any reader opens a file: {name} is the file's name
    FindingType(
        "FILE_EMPTY",
        E,
        "Tệp '{name}' rỗng, không có dữ liệu: hãy kiểm tra lại và gửi tệp bảng tính có nội dung.",
        "The file is empty.",
    ),
    FindingType(
        "FILE_TOO_LARGE",
        E,
        "Tệp '{name}' quá lớn ({size} MB, tối đa {limit} MB), trong khi một bảng điểm chỉ vài "
        "trăm KB: hãy kiểm tra lại đúng tệp rồi gửi lại.",
        "The file is larger than a score sheet can be.",
    ),
    FindingType(
        "FILE_NOT_SPREADSHEET",
        E,
        "Tệp '{name}' thực chất là {what}, không phải bảng tính Excel: {case}",
        "The file is not a spreadsheet (HTML, CSV, PDF, Word... renamed); {what} names what it "
        "is (as `verdict.describe` says it), the case what to do: save it again as a workbook "
        "(`resave`: an HTML page or CSV), ask for the original (`original`: a PDF), unpack it "
        "(`unzip`: an archive) or send the right file (`resend`).",
        cases={
            "resave": "hãy mở tệp gốc bằng Excel, lưu lại (Save As) dạng Excel Workbook (.xlsx) "
            "rồi gửi lại.",
            "original": "hãy xin lại tệp Excel gốc rồi gửi lại.",
            "unzip": "hãy giải nén và gửi riêng tệp bảng tính Excel.",
            "resend": "hãy gửi lại đúng tệp bảng tính Excel.",
        },
    ),
    FindingType(
        "FILE_ENCRYPTED",
        E,
        "Tệp '{name}' được bảo vệ bằng mật khẩu: hãy mở bằng Excel, gỡ mật khẩu rồi lưu và gửi "
        "lại.",
        "The workbook is password-protected.",
    ),
    FindingType(
        "FILE_CORRUPT",
        E,
        "Tệp '{name}' bị hỏng hoặc không đầy đủ ({case}): hãy mở lại bằng Excel và lưu lại, "
        "hoặc xin đơn vị gửi lại tệp khác.",
        "The file is damaged or truncated, the case says where: a zip container (`zip_*`: its "
        "directory, entries or parts, as `safety/zipcheck.py` judges them) or an Excel 97-2003 "
        "file (`cfb_*`: its header, sector chain or directory, as `safety/cfb.py` reads them).",
        cases={
            "zip_no_directory": "tệp nén bị cắt cụt hoặc mục lục hỏng",
            "zip_bad_directory": "mục lục tệp nén hỏng",
            "zip_unreadable": "không đọc được tệp nén",
            "zip_compression": "kiểu nén không hỗ trợ",
            "zip_stored_size": "kích thước khai báo sai",
            "zip_truncated": "tệp nén bị cắt cụt",
            "zip_no_content": "thiếu phần content.xml",
            "zip_no_content_types": "thiếu [Content_Types].xml",
            "zip_content_types_too_large": "[Content_Types].xml bất thường",
            "zip_content_types_broken": "[Content_Types].xml hỏng",
            "zip_no_workbook": "thiếu phần workbook",
            "zip_workbook_undeclared": "[Content_Types].xml không khai báo workbook",
            "cfb_short_header": "tệp Excel 97-2003 hỏng: thiếu phần đầu",
            "cfb_bad_header": "tệp Excel 97-2003 hỏng: phần đầu sai",
            "cfb_sector_outside": "tệp Excel 97-2003 hỏng: số hiệu sector vượt quá tệp",
            "cfb_fat_missing": "tệp Excel 97-2003 hỏng: bảng FAT thiếu",
            "cfb_directory_loop": "tệp Excel 97-2003 hỏng: thư mục lặp vòng",
            "cfb_no_directory": "tệp Excel 97-2003 hỏng: không có thư mục",
        },
    ),
    FindingType(
        "FILE_ZIP_BOMB",
        E,
        "Tệp '{name}' có cấu trúc nén bất thường ({case}) nên không được mở để tránh treo "
        "máy: hãy mở bằng Excel, lưu lại thành tệp .xlsx mới rồi gửi lại.",
        "The workbook would expand to far more data than a score sheet holds, judged from its "
        "zip directory against the limits of `safety/zipcheck.py` ({limit}): too many entries "
        "declared (`entries`: {entries}) or found (`more_entries`), a directory too large "
        "(`directory`), too much unpacked (`size`: {size} MB), an entry deflated too far "
        "(`ratio`: {entry} is its name) or entries overlapping (`overlap`).",
        cases={
            "entries": "{entries} mục nén, tối đa {limit}",
            "more_entries": "hơn {limit} mục nén",
            "directory": "mục lục tệp nén quá lớn",
            "size": "giải nén ra {size} MB, tối đa {limit} MB",
            "ratio": "tỉ lệ nén của '{entry}' vượt {limit} lần",
            "overlap": "các mục nén chồng lên nhau",
        },
    ),
    FindingType(
        "FILE_EVIDENCE_TOO_LARGE",
        E,
        "Tệp '{name}' quá lớn ({size} MB, tối đa {limit} MB): hãy quét lại ở độ phân giải thấp "
        "hơn hoặc chia thành nhiều tệp.",
        "An evidence file larger than `sniff.MAX_EVIDENCE_BYTES`.",
    ),
    FindingType(
        "FILE_NOT_EVIDENCE",
        E,
        "Tệp '{name}' không phải loại minh chứng được nhận: chỉ nhận PDF, ảnh PNG/JPEG, văn bản "
        "Word (.docx) hoặc bảng tính Excel.",
        "An evidence file that is no PDF, picture, Word document or workbook.",
    ),
    FindingType(
        "FILE_UNREADABLE",
        E,
        "Không đọc được tệp '{name}' {case}",
        "The file could not be read: the system refused it (`os`: {error} is the system's "
        "words), the reader failed on it (`reader`: {error} is the reader's), or it is a kind "
        "the command does not read (`kind`: {what}, as `verdict.describe` says it).",
        cases={
            "os": "({error}): hãy kiểm tra tệp còn ở đó và không bị chương trình khác đang mở, "
            "rồi chạy lại.",
            "reader": "({error}): tệp có thể bị hỏng. Hãy mở tệp, lưu lại (Save As) rồi gửi "
            "lại, hoặc xin gửi lại tệp khác.",
            "kind": "vì tệp thực chất là {what}: hãy dùng phụ lục ở dạng Word (.docx), bảng tính "
            "hoặc văn bản có các cột cách nhau bằng Tab hoặc dấu phẩy.",
        },
    ),
    FindingType(
        "SHEET_TOO_LARGE",
        E,
        "Sheet '{sheet}' có ô dữ liệu trải từ {span} ({rows} dòng × {columns} cột), vượt giới "
        "hạn {limit} ô của một bảng tính chấm điểm nên tệp không được mở (để tránh treo máy). "
        "Thường do có ô ở rất xa bảng (ô {last}) bị gõ hoặc dán nhầm: hãy xóa các dòng, cột "
        "thừa ngoài bảng, lưu lại rồi gửi.",
        "A sheet's cells span more than `extent.MAX_SHEET_CELLS`; measured from the cells "
        "before any reader builds the grid.",
    ),
    FindingType(
        "LAYOUT_NOT_FOUND",
        E,
        "Không tìm thấy biểu chấm điểm: cần một sheet có dòng tiêu đề chứa các tiêu chí "
        "({criteria}) hoặc phiếu chấm điểm có ô 'Đơn vị:'.",
        "No sheet of the workbook has a score-sheet or consolidated layout.",
    ),
    # Units
    FindingType(
        "UNIT_UNKNOWN",
        E,
        "Đơn vị '{name}' không có trong danh sách đăng ký.{case}",
        "A unit name that matches no registered unit or alias (`plain`); the closest, "
        "{suggestion}, is suggested (`suggested`; `audit_suggested` in an audited annex). A "
        "confident suggestion that sent no form of its own was this form, its name typed "
        "differently: fix the name cell {cell} or add the alias line {line} to "
        "assessment.toml (`misnamed`; `misnamed_unprintable` when the name has control "
        "characters, no alias to keep).",
        cases={
            "plain": "",
            "suggested": " Có phải '{suggestion}'?",
            "audit_suggested": " — có phải '{suggestion}'?",
            "misnamed": " Có phải '{suggestion}'? Biểu đã đến nhưng chưa được tính cho đến khi "
            "sửa {cell} trong tệp thành '{suggestion}', hoặc thêm tên đã ghi vào danh sách tên "
            "khác của đơn vị trong assessment.toml: {line}",
            "misnamed_unprintable": " Có phải '{suggestion}'? Biểu đã đến nhưng chưa được tính "
            "cho đến khi sửa {cell} trong tệp thành '{suggestion}'.",
        },
    ),
    FindingType(
        "UNIT_HINTS_LIMITED",
        W,
        "{count} tên đơn vị không có trong danh sách đăng ký: chỉ {limit} tên đầu được so với "
        "các tên đã đăng ký để gợi ý tên gần đúng, {rest} tên còn lại không có gợi ý. Nhiều tên "
        "lạ như vậy thường là tệp của nơi khác hoặc sheet không phải biểu chấm điểm: hãy xem "
        "lại các tệp đã nhận.",
        "More unknown unit names than registry.FUZZY_LIMIT: the rest get no close-name hint.",
    ),
    FindingType(
        "FILE_RESENT",
        W,
        "Tệp giống hệt từng byte tệp '{other}' (gửi lại hoặc tải về hai lần): chỉ tính một lần.",
        "A byte-identical copy of another input file ('Sở Y tế (1).xlsx'); read once.",
    ),
    FindingType(
        "UNIT_DUPLICATE",
        E,
        "Đơn vị '{unit}' đã có bài nộp khác tại {other}.",
        "Two submissions (files or rows) for one unit.",
    ),
    FindingType(
        "UNIT_MISSING",
        E,
        "Đơn vị '{unit}' (khối {group}) chưa nộp biểu chấm điểm.",
        "A registered unit with no submission.",
    ),
    FindingType(
        "UNIT_LEFT_OUT",
        W,
        "Đơn vị '{unit}' (khối {group}) chưa nộp biểu chấm điểm: không đánh giá, được ghi "
        "tên dưới bảng của khối (--allow-missing).",
        "With --allow-missing, a registered unit with no submission, left out of the ranking "
        "and named under its group's table; never blocks, even with --strict.",
    ),
    FindingType(
        "LEGACY_ENCODING",
        W,
        "Văn bản '{text}' được gõ bằng bảng mã cũ {encoding}; có lẽ là '{intended}'. "
        "Hãy chuyển sang Unicode.",
        "Text typed in a legacy Vietnamese encoding (TCVN3/VNI).",
    ),
    FindingType(
        "FORM_WRONG_YEAR",
        E,
        "Biểu ghi năm đánh giá {stated} (ô {cell}), nhưng đợt đánh giá này là năm {year}: "
        "có lẽ đơn vị đã dùng biểu mẫu hoặc tệp của năm trước. Hãy chấm điểm trên biểu mẫu "
        "năm {year} và gửi lại.",
        "A score sheet whose year cell names another year: last year's form or file was sent.",
    ),
    FindingType(
        "FORM_CRITERIA_DIFFER",
        E,
        "Các dòng tiêu chí của biểu khác tiêu chí năm {year}: {rows}. Hãy dùng biểu mẫu "
        "năm {year}.",
        "A score sheet whose criterion rows are not this year's (renamed, added or removed "
        "criteria); names each row that differs.",
    ),
    # Scores
    FindingType(
        "SCORE_MISSING", E, "Thiếu điểm tiêu chí '{criterion}'.", "A criterion cell is empty."
    ),
    FindingType(
        "SCORE_NOT_NUMBER",
        E,
        "Điểm tiêu chí '{criterion}' không phải là số: '{value}'{case}.",
        "A criterion cell holds text that is not one unambiguous number in digits 0–9 "
        "(`text`), or digits of another script, named in {scripts} (`digits`).",
        cases={
            "text": "",
            "digits": " ({scripts}, không phải 0–9: hãy gõ lại bằng chữ số 0–9)",
        },
    ),
    FindingType(
        "SCORE_ERROR_CELL",
        E,
        "Ô điểm tiêu chí '{criterion}' chứa lỗi {error} của bảng tính (công thức không tính "
        "được): hãy sửa công thức hoặc nhập điểm, lưu lại rồi gửi.",
        "A criterion cell holds a spreadsheet error value (#DIV/0!, #REF!, #N/A, ...).",
    ),
    FindingType(
        "SCORE_NEGATIVE",
        E,
        "Điểm tiêu chí '{criterion}' là số âm: {value}.",
        "A criterion score below zero.",
    ),
    FindingType(
        "SCORE_BELOW_MIN",
        E,
        "Điểm tiêu chí '{criterion}' là {value}, thấp hơn mức trừ tối đa {min}.",
        "A penalty below the criterion's stated minimum.",
    ),
    FindingType(
        "FORM_WRONG_SET",
        E,
        "Biểu dùng bộ tiêu chí của khối khác ('{found}'), nhưng đơn vị thuộc khối {group}: "
        "hãy chấm điểm trên biểu mẫu của khối {group}.",
        "A score sheet or table whose criteria are another group's set than the unit's.",
    ),
    FindingType(
        "VERIFY_UNIT_UNKNOWN",
        E,
        "{list} ghi đơn vị '{name}' không có trong danh sách đánh giá.{hint}",
        "A row of a verification list names a unit that is not registered (or did not submit), "
        "or a row of a source table (`sources`) a unit that is not registered.",
    ),
    FindingType(
        "VERIFY_ITEM_UNKNOWN",
        E,
        "Danh sách thẩm định ghi tiêu chí '{item}' cho đơn vị '{unit}', nhưng bộ tiêu chí "
        "của khối {group} không có tiêu chí thành phần này.{hint}",
        "A verification row names an indicator that is not a leaf of the unit's criteria set.",
    ),
    FindingType(
        "NOT_APPLICABLE_REFUSED",
        E,
        "Tiêu chí '{criterion}' ghi '{value}' (không áp dụng), nhưng tiêu chí này áp dụng cho "
        "mọi đơn vị: hãy chấm điểm (0 nếu không đạt).",
        "A score cell marked not applicable (scoring.not_applicable_marks) on a criterion "
        "without may_not_apply.",
    ),
    FindingType(
        "FIGURE_MISSING",
        E,
        "Thiếu số liệu '{figure}' (dùng để tính điểm): hãy ghi số liệu vào ô này.",
        "A figure a rule reads (figures) is empty on the form.",
    ),
    FindingType(
        "FIGURE_INVALID",
        E,
        "Số liệu '{figure}' ghi '{value}': {why}. Hãy ghi lại số liệu.",
        "A figure that is not a number, is negative, or (a yes/no figure) not Có/Không.",
    ),
    FindingType(
        "FIGURE_ABOVE_TOTAL",
        E,
        "Số liệu '{figure}' là {value}, lớn hơn '{total}' ({total_value}), nên không tính "
        "được tỷ lệ của tiêu chí '{criterion}': hãy kiểm tra lại hai số liệu.",
        "A ratio's numerator above its denominator (online dossiers above all dossiers).",
    ),
    FindingType(
        "SCORE_RULE_MISMATCH",
        W,
        "Điểm tiêu chí '{criterion}' ghi trong biểu là {stated}, nhưng tính theo số liệu "
        "({working}) là {computed}; reportgen dùng {computed}.",
        "A stated score of a criterion with a rule differs from the one computed from the "
        "unit's figures; the computed one is used.",
    ),
    FindingType(
        "SOURCE_SCORE_MISSING",
        E,
        "Bảng điểm {source} không có {what} của đơn vị '{unit}': hãy bổ sung vào bảng.",
        "A unit with no row (or an empty cell) in the table of a criterion with a `source` "
        "(sources.survey = 'khao-sat.xlsx').",
    ),
    FindingType(
        "SCORE_ABOVE_MAX",
        E,
        "Điểm tiêu chí '{criterion}' là {value}, vượt điểm tối đa {max}.",
        "A criterion score above its maximum.",
    ),
    FindingType(
        "SCORE_TOO_PRECISE",
        E,
        "Điểm tiêu chí '{criterion}' là {value}: quá {decimals} chữ số thập phân.",
        "A score with more decimals than the assessment allows.",
    ),
    FindingType(
        "FORMULA_NO_VALUE",
        E,
        "Ô điểm tiêu chí '{criterion}' là công thức chưa có kết quả (tệp chưa được mở "
        "và lưu lại bằng Excel/LibreOffice): hãy mở tệp, lưu lại rồi gửi.",
        "A formula cell with no stored result: the file was never saved by a spreadsheet program.",
    ),
    FindingType(
        "TOTAL_MISMATCH",
        W,
        "Tổng điểm ghi trong biểu là {stated}, khác tổng các tiêu chí {computed}; "
        "reportgen dùng {computed}.",
        "A stated total that differs from the exact sum of the criteria.",
    ),
    FindingType(
        "SUBTOTAL_MISMATCH",
        W,
        "Điểm tiêu chí '{criterion}' ghi trong biểu là {stated}, khác tổng các tiêu chí thành "
        "phần {computed}; reportgen dùng {computed}.",
        "A parent criterion's stated score on a form differs from the exact sum of its items.",
    ),
    FindingType(
        "GRADE_MISMATCH",
        W,
        "Xếp loại ghi trong biểu là '{stated}', nhưng {total} điểm xếp loại '{computed}'.",
        "A stated grade that differs from the grade bands.",
    ),
    # Evidence (scoring.evidence)
    FindingType(
        "EVIDENCE_MISSING",
        E,
        "Tiêu chí '{criterion}' tự chấm {value} điểm nhưng chưa ghi minh chứng (số, ký hiệu, "
        "ngày, trích yếu văn bản; trang/mục, hoặc đường dẫn) và cũng không có giải trình: điểm "
        "chưa được công nhận. Hãy ghi minh chứng, hoặc giải trình nếu không có, rồi gửi lại.",
        'With scoring.evidence = "required": a score above zero with an empty evidence cell and '
        "an empty explanation, that the Sở has not scored (no verified score for it).",
    ),
    FindingType(
        "EVIDENCE_OUT_OF_PERIOD",
        W,
        "Minh chứng của tiêu chí '{criterion}' ghi ngày {date}, ngoài kỳ đánh giá ({start} – "
        "{end}): hãy xem lại văn bản được dẫn.",
        "A cited document dated outside the assessed period (the year, or scoring.period); the "
        "date as it was read.",
    ),
    # The verification round: answers to the preliminary notices
    FindingType(
        "ANSWER_INVALID",
        E,
        "{case}",
        "A row of a returned answer workbook (Phiếu giải trình) that cannot be applied: a unit "
        "with no valid score sheet (`unit`), an indicator it did not score (`item`), an opinion "
        "other than Thống nhất / Giải trình (`opinion`), a conclusion other than Giữ nguyên / "
        "Chấp nhận (`conclusion`), a second answer (`answered`); {written} is what the cell "
        "holds.",
        cases={
            "unit": "Phiếu giải trình của đơn vị '{written}', đơn vị này không có biểu chấm điểm "
            "hợp lệ trong đợt đánh giá.",
            "item": "Phiếu giải trình ghi tiêu chí '{written}', không phải tiêu chí thành phần "
            "đơn vị đã chấm.",
            "opinion": "Ô ý kiến ghi '{written}': hãy chọn {choices}.",
            "conclusion": "Ô kết luận ghi '{written}': hãy ghi {choices}.",
            "answered": "Tiêu chí '{criterion}' đã được trả lời tại {other}; dòng này không được "
            "tính.",
        },
    ),
    FindingType(
        "EXPLANATION_OPEN",
        E,
        "Đơn vị đã giải trình về tiêu chí '{criterion}' nhưng Hội đồng chưa có kết luận: hãy ghi "
        "'Giữ nguyên' hoặc 'Chấp nhận' vào cột 'Kết luận của Hội đồng' (trên phiếu giải trình "
        "hoặc danh sách thẩm định), hoặc soạn văn bản với --allow-open.",
        "An explanation the council has not concluded on; build refuses (exit 3) unless "
        "--allow-open.",
    ),
    FindingType(
        "EXPLANATION_OPEN_PUBLISHED",
        W,
        "Đơn vị đã giải trình về tiêu chí '{criterion}' nhưng Hội đồng chưa có kết luận: kết quả "
        "dùng điểm thẩm định sơ bộ (--allow-open).",
        "With build --allow-open, an open explanation (in place of EXPLANATION_OPEN): the "
        "verified score is published; never blocks, even with --strict.",
    ),
    FindingType(
        "EXPLANATION_LATE",
        W,
        "Phiếu giải trình {what} {date}, sau hạn trả lời {deadline}.",
        "An answer workbook whose stated date (Ngày trả lời) or recorded arrival (Ngày nhận) is "
        "after verification.deadline; it is still read, the council decides.",
    ),
    # Outputs: about this computer, not the input; never blocks, even with --strict
    FindingType(
        "CHART_NO_FONT",
        W,
        "Máy này không có phông chữ nào trong số {fonts} (có đủ dấu tiếng Việt) nên không vẽ "
        "được biểu đồ PNG của các khối; các tệp kết quả khác vẫn được tạo, biểu đồ vẫn có "
        "trong phu-luc.xlsx. Hãy cài một trong các phông đó (trên Linux: gói fonts-liberation2 "
        "hoặc fonts-dejavu-core) rồi tạo lại.",
        "No serif font with the Vietnamese letters is installed (Times New Roman, Liberation "
        "Serif, DejaVu Serif): the bieu-do-*.png are not drawn (old ones are removed); never "
        "blocks, even with --strict.",
    ),
    # Decision templates (`reportgen template check`, `build --template`): the location is the
    # template file, {name} its name; {where} the tag or paragraph concerned
    FindingType(
        "TEMPLATE_UNREADABLE",
        E,
        "Không dùng được tệp mẫu '{name}': {case}.",
        "The template cannot be opened: missing (`missing`), refused by the system (`os`: "
        "{error} is the system's words), not a regular file (`not_file`: /dev/zero, a FIFO, a "
        "folder), too large (`too_large`, `unpacks_too_large`), not a readable .docx "
        "(`not_docx`: {error} is the reader's words; `no_document`).",
        cases={
            "missing": "không tìm thấy tệp mẫu; hãy kiểm tra lại đường dẫn tới tệp mẫu",
            "os": "không đọc được tệp ({error}); hãy kiểm tra lại đường dẫn và quyền đọc tệp",
            "not_file": "đây không phải là tệp .docx thông thường (thiết bị, ống dẫn hay thư "
            "mục); hãy chọn một tệp Word (.docx)",
            "too_large": "mẫu quá lớn ({size} MB, tối đa {limit} MB); hãy bỏ bớt hình ảnh lớn "
            "trong mẫu rồi lưu lại",
            "unpacks_too_large": "nội dung nén của mẫu giải ra hơn {limit} MB; hãy bỏ bớt hình "
            "ảnh lớn trong mẫu rồi lưu lại",
            "not_docx": "không đọc được mẫu .docx ({error}); hãy mở mẫu bằng Word, lưu lại (Save "
            "As) dạng Word Document (.docx) rồi dùng tệp mới",
            "no_document": "tệp thiếu phần nội dung văn bản (word/document.xml); hãy mở mẫu bằng "
            "Word, lưu lại (Save As) dạng Word Document (.docx) rồi dùng tệp mới",
        },
    ),
    FindingType(
        "TEMPLATE_SPLIT_TAG",
        E,
        "{where}: thẻ {tag!r} bị Word tách thành {runs} đoạn định dạng (run); xóa thẻ rồi gõ lại "
        "liền một lần, không đổi định dạng giữa thẻ",
        "A Jinja tag that Word split across runs: it would not be replaced.",
    ),
    FindingType(
        "TEMPLATE_TAG_AT_SECTION_BREAK",
        E,
        "{where}: thẻ {tag!r} nằm trong đoạn có ngắt phần (section break); docxtpl sẽ xóa cả "
        "ngắt phần — chuyển thẻ sang một đoạn riêng",
        "a {%p %} tag in a paragraph that carries a section break (docxtpl would drop the section)",
    ),
    FindingType(
        "TEMPLATE_BROKEN_TAG",
        E,
        "{where}: thẻ mở {tag!r} không có thẻ đóng trong cùng đoạn",
        "an opening {{ or {% with no closing one in its paragraph",
    ),
    FindingType(
        "TEMPLATE_SYNTAX",
        E,
        "Mẫu '{name}' {case} ({error}): hãy sửa thẻ {{{{ }}}} hoặc {{% %}} đó trong Word (mỗi "
        "{{% if %}}, {{% for %}} cần thẻ đóng {{% endif %}}, {{% endfor %}}), hoặc dùng mẫu đi "
        "kèm reportgen.",
        "A Jinja syntax error, in the paragraph {where} (`parse`: {error} is Jinja's words), or "
        "an error only the trial fill with a sample of every name shows (`trial`).",
        cases={
            "parse": "có lỗi cú pháp Jinja ở đoạn «{where}»",
            "trial": "lỗi khi điền thử",
        },
    ),
    FindingType(
        "TEMPLATE_UNSAFE",
        E,
        "Mẫu '{name}' có {case}, không được phép trong mẫu: hãy bỏ phần đó khỏi mẫu (sửa "
        "trong Word), hoặc dùng mẫu đi kèm reportgen.",
        "The template reaches for internals (`private`: a `_` attribute) or does what cannot "
        "be bounded cheaply: a filter outside the allowed ones (`filter`, `attr` among them; "
        "`data_filter`: named by the data), a sizing string method (`method`), a macro calling "
        "itself (`macro`), include/extends/import (`load`); found by the trial fill: `%` on a "
        "string (`percent`), a huge `**` (`power`) or `*` (`product`), or what Jinja's "
        "sandbox blocks (`blocked`: {error} is its words).",
        cases={
            "private": "lệnh truy cập thuộc tính nội bộ {attr!r}",
            "filter": "bộ lọc {filter!r} (chỉ được dùng các bộ lọc: {allowed})",
            "data_filter": "bộ lọc do dữ liệu quyết định (chỉ được dùng các bộ lọc: {allowed})",
            "method": "lệnh gọi phương thức {method!r} (có thể tạo chuỗi khổng lồ)",
            "macro": "macro {macro!r} tự gọi lại chính nó",
            "load": "thẻ {{% {tag} %}} (mẫu phải tự chứa mọi nội dung)",
            "percent": "phép định dạng chuỗi bằng %",
            "power": "phép lũy thừa quá lớn",
            "product": "phép nhân tạo giá trị quá lớn (giới hạn {limit})",
            "blocked": "thao tác bị chặn khi điền thử ({error})",
        },
    ),
    FindingType(
        "TEMPLATE_TOO_COSTLY",
        E,
        "Điền mẫu '{name}' cần {case}: mẫu có vòng lặp, macro hay phép tính làm ra quá nhiều "
        "nội dung; hãy dùng mẫu đi kèm reportgen hoặc bỏ các vòng lặp lồng nhau.",
        "Checking or filling the template went past its CPU-time (`time`) or memory (`memory`) "
        "limit (`sandbox.CPU_SECONDS`, times each hundred letters of a notice run; "
        "`MEMORY_BYTES`) or its macros nest too deep (`recursion`); {limit} is the limit applied.",
        cases={
            "time": "quá {limit} giây",
            "memory": "quá {limit} MB bộ nhớ",
            "recursion": "gọi lồng nhau quá sâu (macro tự gọi lại chính nó)",
        },
    ),
    FindingType(
        "TEMPLATE_UNKNOWN_NAME",
        E,
        "mẫu dùng tên {name!r} mà reportgen không cung cấp{case}",
        "a name outside the documented context, with the closest valid name (`suggested`: "
        "{suggestion}) or none close enough (`plain`)",
        cases={"plain": "", "suggested": "; có phải là {suggestion!r}?"},
    ),
    FindingType(
        "TEMPLATE_UNUSED",
        W,
        "mẫu không dùng {tag}: {why}",
        "the template does not use a name it needs (a decision: the annex tables; a notice: "
        "the rows of changed indicators)",
    ),
    # Audit of a published annex (`reportgen audit`): "Dòng N" is the Nth unit row of a table
    FindingType(
        "AUDIT_NO_TABLE",
        E,
        "Không tìm thấy bảng kết quả: cần một dòng tiêu đề chứa các tiêu chí ({criteria}).",
        "The published file holds no annex table (no header row naming every criterion).",
    ),
    FindingType(
        "AUDIT_GROUP_MISSING",
        E,
        "Không có bảng kết quả của khối {group}.",
        "The published annex has no table for a group of the assessment.",
    ),
    FindingType(
        "AUDIT_NOT_NUMBER",
        E,
        "Dòng {row}: {unit}, cột '{column}': {value} không phải là số.",
        "A published score, total, STT or rank cell that is empty or not one number.",
    ),
    FindingType(
        "AUDIT_ABOVE_MAX",
        E,
        "Dòng {row}: {unit} có điểm tiêu chí '{criterion}' là {value}, vượt điểm tối đa {max}.",
        "A published criterion score above the criterion's maximum (bonus points included).",
    ),
    FindingType(
        "AUDIT_BELOW_MIN",
        E,
        "Dòng {row}: {unit} có điểm tiêu chí '{criterion}' là {value}, thấp hơn mức thấp nhất "
        "{min}.",
        "A published criterion score below its lowest value (0, or the largest penalty).",
    ),
    FindingType(
        "AUDIT_TOTAL_WRONG",
        E,
        "Dòng {row}: {unit} ghi tổng điểm {stated}, nhưng tổng các tiêu chí là {computed}.",
        "A published total (or a parent criterion's score) that is not the exact sum of the "
        "published scores it is made of.",
    ),
    FindingType(
        "AUDIT_INDEX_WRONG",
        E,
        "Dòng {row}: {unit} ghi chỉ số {stated}, nhưng tính lại từ điểm các tiêu chí được "
        "{computed}.",
        "A published index (in its column, or printed beside the rank) that differs from the "
        "index recomputed from the published scores, at the digits it was printed with.",
    ),
    FindingType(
        "AUDIT_GRADE_WRONG",
        E,
        "Dòng {row}: {unit} ghi xếp loại '{stated}', nhưng {total} điểm xếp loại '{computed}'.",
        "A published grade that does not match the grade bands for the recomputed total.",
    ),
    FindingType(
        "AUDIT_ORDER",
        E,
        "Dòng {row}: {unit} ({value}) đứng sau {above} ({above_value}), {basis} thấp hơn.",
        "A row listed below a row with a lower (recomputed) total, or index when ranked by it.",
    ),
    FindingType(
        "AUDIT_STT",
        E,
        "Dòng {row}: {unit} mang STT {stt}{detail}.",
        "STT numbering with a gap, a repeat, or a number out of sequence.",
    ),
    FindingType(
        "AUDIT_RANK",
        E,
        "Dòng {row}: {unit} ({value}) ghi xếp hạng {stated}, nhưng theo {basis} xếp hạng "
        "{computed}.",
        "A published rank that differs from the shared rank (1, 2, 2, 4) of the recomputed "
        "totals or indices, judged against the table as published (a missing row is not "
        "counted again on every row below it).",
    ),
    FindingType(
        "AUDIT_RANK_VALUE",
        E,
        "Dòng {row}: {unit} ghi '{stated}' ở cột xếp hạng, nhưng cột chỉ số của dòng này ghi "
        "{index}.",
        "The value printed beside a rank ('01 (0,999)') differs from the row's index column.",
    ),
    FindingType(
        "AUDIT_NOT_RANKED",
        E,
        "Dòng {row}: {unit} không xếp hạng ({reason}), nhưng bảng ghi xếp hạng {stated}.",
        "A unit assessed but not ranked (`not_ranked`) given a rank in the published table.",
    ),
    FindingType(
        "AUDIT_NOT_ASSESSED",
        E,
        "Dòng {row}: {unit} không đánh giá năm nay ({reason}), nhưng có trong bảng kết quả.",
        "A unit not assessed this year (`not_assessed`) listed in the published table.",
    ),
    FindingType(
        "AUDIT_NOT_CHECKED",
        W,
        "Không đối chiếu được {check}: phụ lục không có cột {check}.",
        "A kind of check audit could not make because no table has the column (total, grade, "
        "rank); the summary says what was compared.",
    ),
    FindingType(
        "AUDIT_COLUMN_UNKNOWN",
        W,
        "{table}, cột {letter} '{heading}': không biết cột này ghi gì nên chưa đối chiếu. Nếu là "
        'thứ hạng, ghi vào assessment.toml: [audit] columns = {{ "{example}" = "rank" }} '
        '(hoặc "total", "index", "grade", "number", "name", "self_total"; "ignore" để bỏ qua).',
        "A column of a published table whose heading audit does not know: named with its "
        "letter; the audit is then not complete (exit 5) until `[audit] columns` names it.",
    ),
    FindingType(
        "AUDIT_DUPLICATE",
        E,
        "Dòng {row}: {unit} đã có ở dòng {other}.",
        "A unit listed twice in one published table.",
    ),
    FindingType(
        "AUDIT_MISSING",
        E,
        "Đơn vị '{unit}' (khối {group}) không có trong bảng kết quả{place}.",
        "A registered unit that the published annex does not list; where the published ranks "
        "or STT leave a gap, the finding says where it stood.",
    ),
    FindingType(
        "AUDIT_WRONG_GROUP",
        E,
        "Dòng {row}: {unit} thuộc khối {group}, không thuộc bảng của khối {table_group}.",
        "A unit listed in the table of another group.",
    ),
]
CATALOG: dict[str, FindingType] = {t.code: t for t in _TYPES}


def message(code: str, unit: str | None = None, **params: object) -> str:
    """The catalogue's words for `code`, filled from `params` (and `unit`)."""
    return CATALOG[code].words(unit, **params)


def finding(code: str, location: Location, unit: str | None = None, **params: object) -> Finding:
    """Make a finding of a catalogued code, its message filled from `params` (and `unit`)."""
    kind = CATALOG[code]
    return Finding(code, kind.severity, kind.words(unit, **params), location, unit, params)
