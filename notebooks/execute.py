"""Executes notebooks headless, one after another, and says how each went.

A failing cell does not stop the run: the notebook is saved as far as it got (HTML and .ipynb, the
error in place), the next notebook runs, and a summary at the end names each failure with the
exception's own message and the cell it came from. Exits 1 when any notebook failed.

    python notebooks/execute.py --out build/notebooks notebooks/*.ipynb
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:100]
    return "(empty cell)"


def failed_cell(nb):
    """The first cell with an error output, as (execution order number, source line, ename, evalue)."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index + 1, first_line(cell.get("source", "")), output.get("ename", "Error"), output.get("evalue", "")
    return None


def execute(path, out_dir, timeout):
    """Runs one notebook; returns None on success or a one-paragraph description of the failure."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=nb.metadata.get("kernelspec", {}).get("name", "java"),
                            resources={"metadata": {"path": str(path.parent)}})
    problem = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        cell = failed_cell(nb)
        if cell is not None:
            number, line, ename, evalue = cell
            problem = f"cell {number} ({line}): {ename}: {evalue}".rstrip(": ")
        else:
            # A timeout or a dead kernel leaves no error output; the exception's first line says which.
            problem = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    except Exception as e:  # a kernel that does not start, a missing kernelspec
        problem = f"{type(e).__name__}: {e}"
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / path.name)
    body, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / (path.stem + ".html")).write_text(body, encoding="utf-8")
    return problem


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed .ipynb and .html files")
    parser.add_argument("--timeout", type=int, default=900, help="seconds one cell may run (default 900)")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)

    results = []
    for path in args.notebooks:
        print(f"running {path.name} ...", flush=True)
        start = time.monotonic()
        problem = execute(path, args.out, args.timeout)
        seconds = time.monotonic() - start
        results.append((path.name, problem, seconds))
        print(f"  {'ok' if problem is None else 'FAILED'} in {seconds:.0f} s" + ("" if problem is None else f": {problem}"), flush=True)

    failed = [r for r in results if r[1] is not None]
    print()
    print(f"{len(results) - len(failed)} of {len(results)} notebooks ran; executed copies in {args.out}/")
    for name, problem, _ in failed:
        print(f"  FAILED {name}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
