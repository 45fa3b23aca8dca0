"""The checker's trusted kernel: the few procedures whose answers count as proof.

Everything else in :mod:`derive.check` (sympy's ``simplify``, ``integrate``, ``limit``,
``series``, ``solve``, the samplers, the root followers) only *proposes*: a step is verified
when one of these procedures confirms it, and refuted when a certified evaluation excludes the
claim.  ``docs/checking.md`` ("The kernel") says what each decides and what it does not.

- :mod:`.exact`: exact algebra.  Rational normal forms over the rationals with FLINT's
  multivariate polynomials: an expression that is the zero rational function of its generators
  is 0 wherever it is defined.
- :mod:`.real`: real-algebraic decisions.  Whether polynomial sign conditions imply another, by
  Z3's complete procedure for nonlinear real arithmetic.
- :mod:`.balls`: certified ball arithmetic (Arb): enclosures of elementary and special
  functions, integrals (through kinks and poles, with parameters), finite sums and products, at
  a precision that follows the scale of the point.
- :mod:`.sums`: infinite sums in balls, the tail bounded by a ratio test that :mod:`.real`
  proves for every index past the terms summed.
- :mod:`.distributions`: Dirac deltas under an integral, by the sifting rule at simple roots
  that Arb isolates strictly inside the interval.
- :mod:`.evidence`: sampled evidence from certified enclosures, the one procedure that decides
  a transcendental identity: certified counterexamples, and zero-compatible enclosures at many
  admissible points.
"""
