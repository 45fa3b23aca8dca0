"""The shipped derivations, one module per paper or topic.

Each module defines ``paper`` (a :class:`derive.registry.Paper`: its title and the function that
builds its derivation) and registers it under the entry-point group ``derive.papers`` in
``pyproject.toml``; ``derive`` finds it there, so that a package outside this repository can ship
a paper the same way.  Nothing is built at import: a derivation is built the first time it is
asked for, once per process.
"""
