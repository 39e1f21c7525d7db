"""Run invoice2data over files and print its fields and times as JSON.

This script runs in the bench's own virtualenv (``var/bench-venv``), where
invoice2data is installed with its bundled templates, never in Fiat's. It
imports nothing from Fiat. Usage::

    var/bench-venv/bin/python invoice2data_runner.py INPUT_MODULE < paths.json

``paths.json`` is a JSON list of file paths. The output is a JSON object from
each path to ``{"fields": {...}, "ms": time}``: the fields invoice2data
extracted (dates as ISO strings, amounts as strings, ``{}`` when no template
matched) and the wall time of its ``extract_data`` call in milliseconds, which
includes running pdftotext. Each file is read once, because invoice2data
caches the text of a file within one process.
"""

import json
import logging
import sys
import time
from datetime import date, datetime

from invoice2data import extract_data
from invoice2data.extract.loader import read_templates


def _jsonable(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, list | dict):
        return None
    return value


def main() -> None:
    logging.disable(logging.CRITICAL)
    input_module = sys.argv[1]
    paths = json.load(sys.stdin)
    templates = read_templates()
    output = {}
    for path in paths:
        started = time.perf_counter()
        try:
            fields = extract_data(path, templates=templates, input_module=input_module)
        except Exception as error:
            # A crash of invoice2data on a file counts as nothing read.
            fields = {"error": f"{type(error).__name__}: {error}"}
        elapsed = (time.perf_counter() - started) * 1000
        fields = {key: _jsonable(value) for key, value in (fields or {}).items()}
        output[path] = {"fields": fields, "ms": elapsed}
    json.dump(output, sys.stdout)


main()
