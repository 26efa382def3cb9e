"""Session-wide test settings: Qt offscreen, hypothesis profile for CI."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings

# The default is derandomized: each property test tries the same examples on every run, so a
# clean checkout's `make test` passes or fails the same way each time (schemathesis and the sync
# state machine found new cases run after run). HYPOTHESIS_PROFILE=explore tries new ones.
settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=100,
    derandomize=True,
)
settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
