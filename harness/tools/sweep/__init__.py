"""memharness sweep: runs an unmodified, dynamically linked program under the
preloaded seam (libmemharness-preload.so) with each counted allocation
failing in turn, classifies every run and reports each distinct finding once
(SPEC of issue 21, sections 2-4).

Modules, one job each:
  points      modes, fault specs and shard/job arithmetic
  server      the fork-server client (one started program = one job)
  execpoint   the exec-per-point fallback (--no-fork-server, `noserver`)
  record      reads one run's record (JSON Lines) and output files
  classify    the classification rules, one named function each
  symbols     symbolises distinct frames (addr2line with debug info, else
              dladdr's name within its size, else OBJECT+0xSTART)
  elfinfo     an object's .dynsym sizes and .eh_frame_hdr function starts
  dedup       finding keys and the grouping of points into findings
  suppress    the --suppressions file
  state       state.jsonl: one line per finished point, resume
  scheduler   dispatches points to the free job, stop conditions
  model       builds sweep.json's model from runs; merges shard models
  outputs     sweep.json, junit.xml, index.html, console lines
  cli         the command line
"""
