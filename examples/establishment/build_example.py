"""Build ``inventaire-chu-exemple.xlsx``: the filled inventory of the fictitious "CHU Exemple".

The establishment, its departments, contact persons, committee references and every amount below are FICTITIOUS
(realistic, not real): the file shows how an inventory is filled in and what ``evalgraph import inventory`` and
``evalgraph readiness`` make of it, deliberate faults included (see README.md, "Deliberate faults"). The technologies
named are those of the demo catalogue (catalogue/*.ttl), plus four invented products that the catalogue does not
know (GestLits, SepsiScore, DictaVox, VisuDICOM — fictitious names and manufacturers).

The workbook is the template of ``evalgraph template inventory`` (written by ``evalgraph.establishments.inventory.write_template``
from a throw-away store), with the example row 2 of both sheets replaced by the rows of rows.yaml. Usage::

    python examples/establishment/build_example.py [-o OUTPUT.xlsx]

Running it again gives a workbook with the same cell values (only the file's timestamps differ).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "inventaire-chu-exemple.xlsx"
ESTABLISHMENT = "CHU Exemple"

# The rows are data: rows.yaml (inventory and economics, each row with its row number and, for the deliberately
# faulty ones, its "fault").
ROWS = yaml.safe_load((HERE / "rows.yaml").read_text(encoding="utf-8"))
INVENTORY: list[dict[str, object]] = ROWS["inventory"]
ECONOMICS: list[dict[str, object]] = ROWS["economics"]


def _template(output: Path) -> None:
    """The empty template, as ``evalgraph template inventory`` writes it, from a throw-away store."""
    from evalgraph.establishments.inventory import write_template
    from evalgraph.store import kb
    from evalgraph.store.oxigraph import open_store

    with tempfile.TemporaryDirectory(prefix="evalgraph-example-") as directory:
        store = open_store(Path(directory) / "store")
        try:
            kb.ensure_loaded(store)
            write_template(store, output, "xlsx")
        finally:
            store.close()


def _fill(sheet, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    """Write ``rows`` from row 2 on, in the columns of the sheet's header (matched by column key)."""
    from openpyxl.styles import Font

    from evalgraph.establishments.inventory import forms

    by_header = {c.header: c.key for form in forms().values() for c in form.columns}
    keys = {index: by_header[cell.value] for index, cell in enumerate(sheet[1], 1) if cell.value in by_header}
    for number, values in enumerate(rows, 2):
        for index, key in keys.items():
            cell = sheet.cell(row=number, column=index)
            cell.value = values.get(key)  # (sheet.cell(value=None) would keep the example row's value)
            cell.font = Font()  # row 2 had the example row's grey italics


def build(output: Path = OUTPUT, inventory: list[dict[str, object]] | None = None,
          economics: list[dict[str, object]] | None = None) -> Path:
    """Write the example inventory to ``output`` and return it; other rows than INVENTORY and ECONOMICS may be
    given (the tests build small variants this way)."""
    from openpyxl import load_workbook

    from evalgraph.establishments.inventory import ECONOMICS_SHEET, INVENTORY_SHEET

    _template(output)
    book = load_workbook(output)
    _fill(book[INVENTORY_SHEET], INVENTORY if inventory is None else inventory)
    _fill(book[ECONOMICS_SHEET], ECONOMICS if economics is None else economics)
    book.active = book.sheetnames.index(INVENTORY_SHEET)
    book.save(output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"file to write (default: {OUTPUT.name})")
    print(build(parser.parse_args().output))


if __name__ == "__main__":
    main()
