"""docs/notebooks/theorist-loop.ipynb executes as written: the loop a theorist lives in (load,
read a step, check a step of one's own, evaluate a checked quantity over a grid, plot), with its
plot in the executed output.

The notebook carries its own assertions (the checker's verdicts on a true and a false step, the
grid's shape and positivity, the double-descent peak); a cell that raises fails this test.
"""

from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.long
def test_the_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "theorist-loop.ipynb", as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    texts = [output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
             for output in cell.outputs]
    assert any("curve-wrong-sign" in text and "failed" in text for text in texts)
    # The plot is shown, not drawn off screen: the executed notebook carries it as an image (a
    # backend forced to Agg once left none).
    images = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if "image/png" in output.get("data", {})]
    assert images, "the notebook's plot is not in its executed output"
