#!/usr/bin/python3
"""Reads an export back with Debian's readers and prints it as one JSON object, for the export tests.

Usage: export_reader.py FILE
  *.xlsx  openpyxl: {"sheets": [{"name", "freeze", "filter", "widths": {"A": w}, "header_bold", "header_fill",
          "rows": [[{"type": "str|int|float|bool|datetime|date|null", "value": ..., "format": ...}, ...], ...]}]}
          (row 1, the header, included; datetimes as ISO text with microseconds)
  *.csv   Python's csv module: {"rows": [[field, ...], ...]}
"""
import csv
import datetime as dt
import json
import sys


def cell_of(cell):
    v = cell.value
    if v is None:
        kind = "null"
    elif isinstance(v, bool):
        kind = "bool"
    elif isinstance(v, int):
        kind = "int"
    elif isinstance(v, float):
        kind = "float"
    elif isinstance(v, dt.datetime):
        kind, v = "datetime", v.isoformat(sep=" ", timespec="microseconds")
    elif isinstance(v, dt.date):
        kind, v = "date", v.isoformat()
    else:
        kind, v = "str", str(v)
    return {"type": kind, "value": v, "format": cell.number_format, "data_type": cell.data_type}


def read_xlsx(path):
    from openpyxl import load_workbook
    wb = load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        header = ws[1]
        sheets.append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "header_bold": all(c.font.b for c in header),
            "header_fill": all(c.fill.fill_type == "solid" for c in header),
            "rows": [[cell_of(c) for c in row] for row in ws.iter_rows()],
        })
    return {"sheets": sheets}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return {"rows": list(csv.reader(fh))}


def main():
    path = sys.argv[1]
    out = read_xlsx(path) if path.endswith(".xlsx") else read_csv(path)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
