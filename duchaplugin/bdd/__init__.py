"""The Gherkin step library every pack's features use, shipped as a pytest plugin.

Sentences are Chinese and general, and tables use the glossary's Chinese labels and Chinese values
(``20个工作日``、``2025年10月9日``、``是``), so that a 督查室 reviewer reads — and writes — a scenario
without code. ``duchaplugin.bdd.steps`` holds the sentences; ``duchaplugin.bdd.values`` reads the
values. The sentences are listed in ``features/README.md``.
"""
