"""Random-matrix and free-probability primitives: spectral means, and spectral laws as algebraic
curves with their transforms, free convolutions and Stieltjes branch.

A law's operation is its class (:mod:`derive.rmt.law`); the lower-case names are the same classes."""

from .law import (
           Atom,
           FreeProduct,
           FreeSum,
           Inverse,
           Law,
           MarchenkoPastur,
           Scale,
           Semicircle,
           Shift,
           Spectrum,
           atom,
           free_product,
           free_sum,
           inverse,
           marchenko_pastur,
           scaled,
           semicircle,
           shifted,
           spectrum,
)
from .spectral import SpectralMean

__all__ = ["Atom", "FreeProduct", "FreeSum", "Inverse", "Law", "MarchenkoPastur", "Scale", "Semicircle", "Shift",
           "SpectralMean", "Spectrum", "atom", "free_product", "free_sum", "inverse", "marchenko_pastur", "scaled",
           "semicircle", "shifted", "spectrum"]
