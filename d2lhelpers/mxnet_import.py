"""A lazy, quiet import of MXNet.

MXNet 1.9.1 touches numpy aliases deprecated since numpy 1.20 when it is
imported; the strict book build would report those warnings. Helpers that need
MXNet call :func:`quiet_import_mxnet` before their own ``from mxnet import ...``,
so the numpy-only helpers keep working where MXNet is missing.
"""
from __future__ import annotations

import warnings


def quiet_import_mxnet() -> None:
    """Import MXNet (once) without the DeprecationWarnings it raises about numpy
    aliases; MXNet is imported lazily so that the data helpers work without it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import mxnet  # noqa: F401
