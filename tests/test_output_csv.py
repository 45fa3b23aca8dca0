"""The one CSV formatter of ``derive eval`` (``derive.output.csv_text``): every number is written
as ``repr`` writes the double, byte for byte, whether the column repeats values (a product grid:
formatted once per distinct value) or not, and a complex column is two."""

import numpy as np

from derive.output import csv_text, float_texts

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -2.2250738585072014e-308, 1e16, 1e15, 0.1, 1 / 3,
           123456789012345678.0, 1e-5, 1e-4, -1.5]


def reference(names, columns):
    """The per-value loop ``derive eval`` used before (commit 3002708)."""
    header, rows = [], [[] for _ in range(len(columns[0]))]
    for name, column in zip(names, columns):
        complex_column = np.iscomplexobj(column)
        header += [f"re_{name}", f"im_{name}"] if complex_column else [str(name)]
        for row, value in zip(rows, column):
            row += [repr(float(value.real)), repr(float(value.imag))] if complex_column else [repr(float(value))]
    return ",".join(header) + "\n" + "".join(",".join(row) + "\n" for row in rows)


def test_float_texts_is_repr_for_repeated_and_distinct_values():
    rng = np.random.default_rng(7)
    distinct = np.concatenate([SPECIAL, rng.standard_normal(200) * 10.0 ** rng.integers(-300, 300, 200)])
    repeated = rng.choice(distinct[:20], 500)  # few distinct values: the path formatting each once
    for values in (distinct, repeated, distinct[:5]):
        assert float_texts(values) == [repr(float(x)) for x in values]
    assert float_texts(np.array([0.0, -0.0] * 50)) == ["0.0", "-0.0"] * 50  # equal values, two texts


def test_csv_text_matches_the_per_value_loop_real_and_complex():
    rng = np.random.default_rng(11)
    n = 300
    grid = rng.choice(SPECIAL, n)
    z = rng.choice([1.0, 2.5], n) + 1j * rng.choice([-0.0, 0.5, 1e-300], n)
    result = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    for names, columns in ((["x", "z", "m"], [grid, z, result]), (["x", "f"], [grid, result.real])):
        text = csv_text(names, columns)
        assert text == reference(names, columns)
    assert csv_text(["x", "m"], [grid, result]).splitlines()[0] == "x,re_m,im_m"


def test_csv_text_of_one_point_and_of_none():
    assert csv_text(["f"], [np.array([0.5])]) == "f\n0.5\n"
    assert csv_text(["a", "f"], [np.array([]), np.array([])]) == "a,f\n"
