"""The shipped derivations, one module per paper or topic.

Each module defines ``paper`` (a :class:`derive.registry.Paper`: its title, the function that
builds its derivation, and its model, figures and parameter domain) and registers it under the
entry-point group ``derive.papers`` in ``pyproject.toml``; ``derive`` finds it there, so that a
package outside this repository can ship a paper the same way.  Nothing is built at import: a
derivation is built the first time it is asked for, once per process.  Model code two papers
share lives here too, once: ``linear_attention`` for ``lu2025`` and ``takanami2025``.
"""
