"""Random-matrix and free-probability primitives: spectral means, and spectral laws as algebraic
curves with their transforms, free convolutions and Stieltjes branch."""

from .law import (
           Law,
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

__all__ = ["Law", "SpectralMean", "atom", "free_product", "free_sum", "inverse", "marchenko_pastur", "scaled",
           "semicircle", "shifted", "spectrum"]
