"""The report package: reads what the tools and the suites wrote in
structured form (Meson's test logs, metrics.jsonl, ...) for make check's
console table and the report page.  Each figure is read in one place."""
