"""The report text a gold document annotates: the text its record carries, else the file
`<doc_id>.txt` under raw folders (found by its exact name, never by a glob pattern)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from casex.io.doc_ids import checked_doc_id
from casex.io.errors import ReportError
from casex.io.readers import read_report
from casex.io.records import load_records


class ReportText(NamedTuple):
    text: str
    sha256: str  # the record's sha256, or that of the text file's bytes
    origin: str  # the record or text file it came from, for messages


class ReportTexts:
    """Report texts by doc_id from a folder of records (when it exists) and raw folders."""

    def __init__(self, records_dir: Path | None, raw_dirs: list[Path]) -> None:
        self.records_dir = records_dir
        found = records_dir is not None and records_dir.is_dir()
        records, self.failures = load_records(records_dir) if found else ([], [])
        self.records = {record["doc_id"]: record for record in records}
        self.raw_dirs = raw_dirs
        self._text_files: dict[str, Path] | None = None

    def text(self, doc_id: str) -> ReportText:
        """The text of `doc_id`; LookupError says where it was looked for."""
        checked_doc_id(doc_id)
        record = self.records.get(doc_id)
        if record is not None:
            return ReportText(record["text"], record["sha256"], f"record {doc_id}.json")
        path = self.text_files().get(f"{doc_id}.txt")
        if path is None:
            where = [f"no record {doc_id}.json in {self.records_dir}"] if self.records_dir else []
            where.append(f"no {doc_id}.txt under {', '.join(map(str, self.raw_dirs)) or '--raw'}")
            raise LookupError("; ".join(where))
        try:
            report = read_report(path)
        except (OSError, ReportError) as error:
            reason = getattr(error, "strerror", None) or error
            raise LookupError(f"cannot read {path}: {reason}") from None
        return ReportText(report.text, report.sha256, str(path))

    def text_files(self) -> dict[str, Path]:
        """File name -> path of every .txt file under the raw folders (the first one wins)."""
        if self._text_files is None:
            self._text_files = {}
            for folder in self.raw_dirs:
                for path in sorted(folder.rglob("*.txt")):
                    self._text_files.setdefault(path.name, path)
        return self._text_files
