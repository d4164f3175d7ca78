"""Feature plugins: one package each, loaded by `bot.app.load_plugins`."""
