"""The checker: decides whether each step follows, and records how (see :mod:`.runner`)."""

from .result import ACCEPTED, DEFINITION, FAILED, UNVERIFIED, VERIFIED, CheckResult, summary, table, to_json
from .runner import check_derivation, check_step

__all__ = ["ACCEPTED", "DEFINITION", "FAILED", "UNVERIFIED", "VERIFIED", "CheckResult", "summary",
           "table", "to_json", "check_derivation", "check_step"]
