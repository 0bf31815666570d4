"""The server-rendered web UI: the content calendar, the composer, accounts, campaigns and settings pages.

The top of the layering: its views may call any domain app's services and selectors; no domain app
imports `web`. Pages stay thin: parse a form, call one service, render or redirect.
"""
