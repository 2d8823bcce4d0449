#!/usr/bin/env python3
"""Validates the GitHub workflows: the ClusterFuzzLite setup
(.github/workflows/cflite_*.yml and .clusterfuzzlite/project.yaml) and
every other workflow, which must parse; one that shards a black-box sweep
(memharness sweep --shard) is checked as such (check_sweep_workflow).

Each workflow must parse as YAML; every step that uses ClusterFuzzLite's
build_fuzzers or run_fuzzers action may pass only the inputs that action
documents (its action.yml), must pass the ones it requires, and values
with a fixed set (mode, sanitizer, language) must be in that set.  Across
the files: code-change fuzzing on pull requests under address and
undefined, batch fuzzing, corpus pruning and coverage, each with the
storage repository; project.yaml complete and agreeing with them.

Usage: check_workflows.py ROOT            check the tree
       check_workflows.py ROOT --self-test  each planted mistake must fail
"""
import copy
import re
import sys
from pathlib import Path

import yaml

# Inputs documented in google/clusterfuzzlite's actions/*/action.yml
# (build_fuzzers at d57cec8a, run_fuzzers at 16d91778; tag v1).
BUILD_INPUTS = {
    "language", "dry-run", "allowed-broken-targets-percentage", "sanitizer",
    "project-src-path", "bad-build-check", "storage-repo", "storage-repo-branch",
    "storage-repo-branch-coverage", "upload-build", "github-token",
}
RUN_INPUTS = {
    "language", "fuzz-seconds", "dry-run", "sanitizer", "mode", "github-token",
    "storage-repo", "storage-repo-branch", "storage-repo-branch-coverage",
    "report-unreproducible-crashes",
}
RUN_REQUIRED = {"github-token", "fuzz-seconds"}
MODES = {"code-change", "batch", "coverage", "prune"}
SANITIZERS = {"address", "undefined", "memory", "coverage"}
ACTIONS = {
    "google/clusterfuzzlite/actions/build_fuzzers": BUILD_INPUTS,
    "google/clusterfuzzlite/actions/run_fuzzers": RUN_INPUTS,
}
PROJECT_FIELDS = {"homepage", "main_repo", "language", "primary_contact", "sanitizers",
                  "fuzzing_engines"}


def sanitizer_values(value, matrix):
    """The sanitizers a step's value stands for (a matrix expression or one name)."""
    value = str(value)
    if "matrix.sanitizer" in value:
        return list(matrix.get("sanitizer", []))
    return [value]


def check_workflow(name, doc, language, problems, seen):
    if not isinstance(doc, dict) or "jobs" not in doc:
        problems.append(f"{name}: no jobs")
        return
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = doc.get("on", doc.get(True))
    if isinstance(triggers, str):
        triggers = {triggers: None}
    elif isinstance(triggers, list):
        triggers = {t: None for t in triggers}
    elif not isinstance(triggers, dict):
        problems.append(f"{name}: no 'on' triggers")
        triggers = {}
    for job_name, job in (doc.get("jobs") or {}).items():
        matrix = ((job.get("strategy") or {}).get("matrix") or {})
        for step in job.get("steps") or []:
            uses = step.get("uses", "")
            action, _, ref = uses.partition("@")
            if action not in ACTIONS:
                continue
            where = f"{name}: job {job_name}, step '{step.get('name', uses)}'"
            if not ref:
                problems.append(f"{where}: {action} without a version (@v1)")
            inputs = step.get("with") or {}
            for key in inputs:
                if key not in ACTIONS[action]:
                    problems.append(f"{where}: '{key}' is not an input of {action}")
            if inputs.get("language") != language:
                problems.append(f"{where}: language '{inputs.get('language')}', project.yaml says '{language}'")
            sans = sanitizer_values(inputs.get("sanitizer", "address"), matrix)
            for s in sans:
                if s not in SANITIZERS:
                    problems.append(f"{where}: unknown sanitizer '{s}'")
            if action.endswith("run_fuzzers"):
                for key in sorted(RUN_REQUIRED - set(inputs)):
                    problems.append(f"{where}: required input '{key}' missing")
                mode = inputs.get("mode", "code-change")
                if mode not in MODES:
                    problems.append(f"{where}: unknown mode '{mode}'")
                if mode != "code-change" and "storage-repo" not in inputs:
                    problems.append(f"{where}: mode {mode} without storage-repo keeps nothing between runs")
                if mode == "code-change" and "pull_request" not in triggers:
                    problems.append(f"{where}: code-change fuzzing not triggered by pull_request")
                if mode in ("batch", "prune", "coverage") and "schedule" not in triggers:
                    problems.append(f"{where}: {mode} fuzzing not on a schedule")
                if mode == "coverage" and sans != ["coverage"]:
                    problems.append(f"{where}: coverage mode needs sanitizer coverage")
                for s in sans:
                    seen.add((mode, s))


_SHARD = re.compile(r"--shard[ =]\$\{\{\s*matrix\.(\w+)\s*\}\}/(\d+)")


def job_steps(job):
    return [s for s in (job.get("steps") or []) if isinstance(s, dict)]


def check_sweep_workflow(name, doc, problems):
    """A sweep spread over a matrix: every `--shard ${{ matrix.X }}/N` has
    X's values exactly 1..N (a shard missing or doubled is a silent hole in
    the sweep); the job uploads one artifact per shard (its name holds the
    shard, or the shards overwrite each other); a job that needs it
    downloads those artifacts and runs `memharness sweep --merge`.  Returns
    True when the workflow shards a sweep."""
    jobs = doc.get("jobs") or {}
    sharded = False
    for job_name, job in jobs.items():
        runs = "\n".join(str(s.get("run", "")) for s in job_steps(job))
        shards = _SHARD.findall(runs)
        if "--shard" in runs and not shards:
            problems.append(f"{name}: job {job_name}: --shard without '${{{{ matrix.NAME }}}}/N'")
        if not shards:
            continue
        sharded = True
        where = f"{name}: job {job_name}"
        matrix = ((job.get("strategy") or {}).get("matrix") or {})
        uploads = [s for s in job_steps(job)
                   if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
        for key, n in set(shards):
            values = matrix.get(key)
            if not isinstance(values, list) or sorted(map(str, values)) != \
                    sorted(str(i) for i in range(1, int(n) + 1)):
                problems.append(f"{where}: --shard ...{key}/{n} but matrix.{key} is {values!r}, "
                                f"not 1..{n}")
            if not any(f"matrix.{key}" in str((s.get("with") or {}).get("name", ""))
                       for s in uploads):
                problems.append(f"{where}: no actions/upload-artifact step whose name holds "
                                f"matrix.{key} (each shard's directory must be kept apart)")
        merges = [(other, o) for other, o in jobs.items()
                  if job_name in ([o.get("needs")] if isinstance(o.get("needs"), str)
                                  else (o.get("needs") or []))
                  and any("sweep --merge" in str(s.get("run", "")) for s in job_steps(o))]
        if not merges:
            problems.append(f"{where}: no job that needs it runs 'memharness sweep --merge'")
        upload_names = [str((s.get("with") or {}).get("name", "")) for s in uploads]
        for other, o in merges:
            downloads = [s for s in job_steps(o)
                         if str(s.get("uses", "")).startswith("actions/download-artifact@")]
            if not downloads:
                problems.append(f"{name}: job {other} merges without actions/download-artifact")
            for s in downloads:
                pattern = str((s.get("with") or {}).get("pattern", "*"))
                prefix = pattern.split("*", 1)[0]
                if not any(u.startswith(prefix) for u in upload_names):
                    problems.append(f"{name}: job {other}: download pattern '{pattern}' matches "
                                    f"no shard artifact ({', '.join(upload_names)})")
    for job_name, job in jobs.items():
        for s in job_steps(job):
            uses = str(s.get("uses", ""))
            if uses and not uses.startswith("./") and "@" not in uses:
                problems.append(f"{name}: job {job_name}: {uses} without a version (@v4)")
    return sharded


def check(root, docs=None):
    """Returns the list of problems; docs replaces the files (self-test)."""
    root = Path(root)
    problems = []
    if docs is None:
        docs = {}
        paths = [root / ".clusterfuzzlite" / "project.yaml"] + sorted(
            (root / ".github" / "workflows").glob("*.yml"))
        for path in paths:
            try:
                docs[path.name] = yaml.safe_load(path.read_text())
            except (OSError, yaml.YAMLError) as e:
                problems.append(f"{path}: {e}")
    project = docs.get("project.yaml")
    if not isinstance(project, dict):
        return problems + ["project.yaml: missing or not a mapping"]
    for field in sorted(PROJECT_FIELDS - set(project)):
        problems.append(f"project.yaml: field '{field}' missing")
    language = project.get("language")
    if language != "c":
        problems.append(f"project.yaml: language '{language}', the targets are C")
    if "libfuzzer" not in (project.get("fuzzing_engines") or []):
        problems.append("project.yaml: fuzzing_engines lacks libfuzzer")
    seen = set()
    workflows = {n: d for n, d in docs.items() if n.startswith("cflite_")}
    others = {n: d for n, d in docs.items() if n != "project.yaml" and n not in workflows}
    sharded = [n for n, d in sorted(others.items())
               if isinstance(d, dict) and check_sweep_workflow(n, d, problems)]
    if not sharded:
        problems.append(".github/workflows: no workflow shards a sweep (memharness sweep --shard "
                        "${{ matrix.shard }}/N, sweep_shards.yml)")
    if not workflows:
        problems.append(".github/workflows: no cflite_*.yml")
    for name, doc in sorted(workflows.items()):
        check_workflow(name, doc, language, problems, seen)
    for s in project.get("sanitizers") or []:
        if ("batch", s) not in seen:
            problems.append(f"project.yaml lists sanitizer {s}, but no batch fuzzing runs it")
    for need in [("code-change", "address"), ("code-change", "undefined"), ("batch", "address"),
                 ("batch", "undefined"), ("prune", "address"), ("coverage", "coverage")]:
        if need not in seen:
            problems.append(f"no workflow runs mode {need[0]} with sanitizer {need[1]}")
    return problems


def mutants(docs):
    """Planted mistakes, each of which the check must report."""
    def step(d, wf, job, action):
        for s in d[wf]["jobs"][job]["steps"]:
            if action in s.get("uses", ""):
                return s
        raise KeyError(action)

    def rename_input(d):
        s = step(d, "cflite_pr.yml", "pr", "run_fuzzers")
        s["with"]["fuzz-second"] = s["with"].pop("fuzz-seconds")

    def drop_undefined(d):
        d["cflite_pr.yml"]["jobs"]["pr"]["strategy"]["matrix"]["sanitizer"] = ["address"]

    def bad_mode(d):
        step(d, "cflite_cron.yml", "prune", "run_fuzzers")["with"]["mode"] = "minimize"

    def no_storage(d):
        del step(d, "cflite_batch.yml", "batch", "run_fuzzers")["with"]["storage-repo"]

    def no_contact(d):
        del d["project.yaml"]["primary_contact"]

    def wrong_language(d):
        step(d, "cflite_batch.yml", "batch", "build_fuzzers")["with"]["language"] = "c++"

    sweep = "sweep_shards.yml"

    def shard_missing(d):
        d[sweep]["jobs"]["shard"]["strategy"]["matrix"]["shard"] = [1, 2, 3]

    def shard_artifacts_collide(d):
        for s in d[sweep]["jobs"]["shard"]["steps"]:
            if "upload-artifact" in s.get("uses", ""):
                s["with"]["name"] = "sweep-shard"

    def merge_not_after_shards(d):
        del d[sweep]["jobs"]["merge"]["needs"]

    def merge_downloads_nothing(d):
        for s in d[sweep]["jobs"]["merge"]["steps"]:
            if "download-artifact" in s.get("uses", ""):
                s["with"]["pattern"] = "shard-*"

    def no_merge(d):
        for s in d[sweep]["jobs"]["merge"]["steps"]:
            if "run" in s:
                s["run"] = s["run"].replace("sweep --merge", "sweep")

    return [rename_input, drop_undefined, bad_mode, no_storage, no_contact, wrong_language,
            shard_missing, shard_artifacts_collide, merge_not_after_shards,
            merge_downloads_nothing, no_merge]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    problems = check(root)
    if "--self-test" not in sys.argv[2:]:
        for p in problems:
            print(f"workflows: {p}", file=sys.stderr)
        if problems:
            return 1
        print("workflows: ClusterFuzzLite's, project.yaml and the sharded sweep's valid")
        return 0
    if problems:
        print("check_workflows self-test: the tree itself fails:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    docs = {}
    for path in [Path(root) / ".clusterfuzzlite" / "project.yaml"] + sorted(
            (Path(root) / ".github" / "workflows").glob("*.yml")):
        docs[path.name] = yaml.safe_load(path.read_text())
    status = 0
    for mutate in mutants(docs):
        d = copy.deepcopy(docs)
        mutate(d)
        found = check(root, d)
        if not found:
            print(f"check_workflows self-test: planted mistake '{mutate.__name__}' passed", file=sys.stderr)
            status = 1
        else:
            print(f"check_workflows self-test: {mutate.__name__}: {found[0]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
