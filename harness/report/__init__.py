"""The report package: reads what the tools, the wrappers and the suites
wrote in structured form, builds one model of a make check run, and renders
it.  Nothing here reads a program's console text.

Readers:   testlog (Meson's JSON test log), runs (one wrapped run's report
           directory), criterion (Criterion's JSON), valgrind (Memcheck XML),
           sanitizer (ASan/LSan/UBSan/TSan log files), progress (the call
           guard's files), jsonl (metrics.jsonl, findings.jsonl,
           verdict.jsonl).
Model:     model (verdicts and every count, computed once).
Renderers: console (make check's table and closing line), html, junit,
           and summary.json (harness/tools/summarize.py --reports)."""
