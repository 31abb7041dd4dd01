# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from lib.dxtr import DXTR, DXTR_CTL  # noqa: E402
from lib.netns import Lab  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if os.geteuid() != 0:
        skip = pytest.mark.skip(reason="integration tests need root (network namespaces)")
        for item in items:
            item.add_marker(skip)
    for exe in (DXTR, DXTR_CTL):
        if not os.access(exe, os.X_OK):
            raise pytest.UsageError(f"{exe} is not built: run ninja -C build first")


@pytest.fixture
def lab(request):
    tag = f"t{os.getpid() % 100000}"
    lab = Lab(tag)
    request.addfinalizer(lab.cleanup)
    return lab


@pytest.fixture(params=[0, 5], ids=["iid0", "iid5"])
def lab2(request, lab, tmp_path):
    """Two sites with dxtr running, in instance 0 and in instance 5."""
    from lib.sites import build
    d = build(lab, tmp_path, request.param)
    yield d
    for k in ("xa", "xb"):
        d[k].stop()
