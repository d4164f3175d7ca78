"""党建学习助手 — the core of a NoneBot2 study assistant for company Party branches.

`python -m bot` runs it; see `bot.cli`. This package stays light on import:
NoneBot is initialised by `bot.app.setup`, never as a side effect of importing `bot`.
"""

__version__ = "0.1.0"
