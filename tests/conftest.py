import os

# GUI tests run without a display, on CI and on a developer's machine alike.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
