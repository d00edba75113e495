"""Hourly: ingest new DataNet submissions and inference logs."""
from datetime import datetime

from airflow.sdk import DAG
from payable_common import DEFAULT_ARGS, INGEST_POOL, payable

with DAG(
    dag_id="datanet_ingest",
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one ingest writer per lakehouse
    default_args=DEFAULT_ARGS,
    tags=["payable", "ingestion"],
    doc_md="""
Ingests what arrived in the landing zones since the last run. Files already ingested (same path and
checksum) are skipped and an interrupted run is rolled back first, so retries are always safe.
Rejected lines land in `quarantine` with reason codes. The DataNets' retrieval indexes are then
rebuilt for the new records, so the gateway's answers can draw on them.
""",
) as dag:
    submissions = payable(
        "ingest_submissions", "ingest", "submissions", "--landing", "{{ var.value.payable_landing_submissions }}",
        doc_md="Validates signed submissions into `records` (signatures, licences, PII, quality, duplicates).",
        pool=INGEST_POOL,
    )
    inferences = payable(
        "ingest_inferences", "ingest", "inferences", "--landing", "{{ var.value.payable_landing_inferences }}",
        doc_md="Validates inference logs into `inferences`; an inference id is paid once.",
        pool=INGEST_POOL,
    )
    index = payable(
        "index_records", "index", "build", "--models", "{{ var.value.payable_models }}",
        doc_md="Indexes each DataNet's records (BM25) at their new version for retrieval at answer time; a version already indexed is skipped.",
    )
    submissions >> [inferences, index]
