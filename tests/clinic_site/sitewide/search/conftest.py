"""Search tests start with an empty vocabulary cache in this process."""

import pytest

from clinic_site.sitewide.search import vocabulary


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    vocabulary.clear()
    yield
    vocabulary.clear()
