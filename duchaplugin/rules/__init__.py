"""Built-in rule packs: ``cn`` (政府督查工作条例), ``cn-yn`` (云政办函〔2018〕49号), ``cn-xj-hutubi`` (呼县政办〔2023〕38号)."""
