"""datatrove's Gopher filters and MinHash deduplication over a JSONL corpus, for the side-by-side
comparison in benchmarks/run datatrove. Prints one JSON line of timings; writes the ids each step
removed (with its reason or MinHash cluster) under --work.

Usage: run_datatrove.py --corpus DIR --work DIR [--workers 2] [--min-stop-words 1]
"""
import argparse
import json
import shutil
import time
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def quality(corpus: str, work: Path, workers: int, min_stop_words: int) -> float:
    start = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(corpus, glob_pattern="*.jsonl"),
            # Matched to a DataNet's defaults: length is TOO_SHORT / TOO_LONG there, not a Gopher rule.
            GopherQualityFilter(min_doc_words=None, max_doc_words=None, min_stop_words=min_stop_words,
                                exclusion_writer=JsonlWriter(str(work / "quality-removed"), compression=None)),
            GopherRepetitionFilter(exclusion_writer=JsonlWriter(str(work / "repetition-removed"), compression=None)),
        ],
        tasks=workers, workers=workers, logging_dir=str(work / "logs-quality"),
    ).run()
    return time.perf_counter() - start


def dedup(corpus: str, work: Path, workers: int) -> float:
    config = MinhashConfig()  # datatrove's defaults: word 5-grams, 14 buckets of 8 hashes
    start = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[JsonlReader(corpus, glob_pattern="*.jsonl"), MinhashDedupSignature(output_folder=str(work / "signatures"), config=config)],
        tasks=workers, workers=workers, logging_dir=str(work / "logs-sig"),
    ).run()
    LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"), config=config)],
        tasks=config.num_buckets, workers=workers, logging_dir=str(work / "logs-buckets"),
    ).run()
    LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"), config=config, save_cluster_id=True)],
        tasks=1, workers=1, logging_dir=str(work / "logs-cluster"),
    ).run()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(corpus, glob_pattern="*.jsonl"),
            MinhashDedupFilter(input_folder=str(work / "remove_ids"), load_cluster_ids=True,
                               exclusion_writer=JsonlWriter(str(work / "dedup-removed"), compression=None)),
            JsonlWriter(str(work / "dedup-kept"), compression=None),
        ],
        tasks=workers, workers=workers, logging_dir=str(work / "logs-filter"),
    ).run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-stop-words", type=int, default=1)
    args = parser.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    q = quality(args.corpus, work, args.workers, args.min_stop_words)
    d = dedup(args.corpus, work, args.workers)
    print(json.dumps({"quality_s": q, "dedup_s": d}))


if __name__ == "__main__":
    main()
