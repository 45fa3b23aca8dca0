"""The shipped derivations, one module per paper or topic.

Each module defines ``derivation`` (a :class:`derive.Derivation`).  ``REGISTRY`` maps the name
used on the command line to the module; modules are imported only when asked for.
"""

REGISTRY = {
    "marchenko-pastur": "derivations.marchenko_pastur",
    "lu2025": "derivations.lu2025_linear_attention",
    "letey2025": "derivations.letey2025_alignment",
    "takanami2025": "derivations.takanami2025_low_rank",
}
