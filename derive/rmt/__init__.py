"""Random-matrix and free-probability primitives (spectral means; more to come)."""

from .spectral import SpectralMean

__all__ = ["SpectralMean"]
