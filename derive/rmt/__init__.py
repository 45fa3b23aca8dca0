"""Random-matrix and free-probability primitives: spectral means, and spectral laws as algebraic
curves with their transforms, free convolutions and Stieltjes branch; laws that are not algebraic
(power laws, densities, eigenvalues: :mod:`.continuum`; the discrete power law ``k^-alpha``,
k = 1..P, and its continuum integrals: :mod:`.powerlaw`), their free sums by subordination
(:mod:`.subordination`) and their free product with Marchenko-Pastur (:mod:`.silverstein`).

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
from .continuum import Affine, ContinuumLaw, DensityLaw, Eigenvalues, PowerLaw, QuantileLaw, joint_mean
from .powerlaw import PowerLawSpectrum
from .silverstein import MarchenkoPasturProduct, alignment_means, task_resolvent
from .subordination import FreeAdditive
from .spectral import SpectralMean, UniformMean
from . import given  # spectral means over given spectra, plugged into derive.lower

__all__ = ["Affine", "Atom", "ContinuumLaw", "DensityLaw", "Eigenvalues", "FreeAdditive", "FreeProduct", "FreeSum", "Inverse", "Law", "MarchenkoPastur", "MarchenkoPasturProduct",
           "PowerLaw", "PowerLawSpectrum", "QuantileLaw", "Scale", "Semicircle", "Shift",
           "SpectralMean", "UniformMean", "Spectrum", "atom", "free_product", "free_sum", "inverse", "marchenko_pastur", "scaled",
           "semicircle", "shifted", "spectrum", "alignment_means", "joint_mean", "task_resolvent"]
