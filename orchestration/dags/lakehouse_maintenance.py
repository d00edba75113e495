"""Daily: compact the Delta tables hourly ingestion fragments, and vacuum what no version needs."""
from datetime import datetime

from airflow.sdk import DAG, Param
from payable_common import DEFAULT_ARGS, payable

with DAG(
    dag_id="lakehouse_maintenance",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={"tables": Param("all", type="string", description="Comma-separated tables to maintain, or all")},
    tags=["payable", "maintenance"],
    doc_md="""
Compacts every table's small files (`OPTIMIZE`), then deletes files no table version within
`payable_vacuum_hours` (default 720 = 30 days) still references. Rows never change, so a retry or a
backfill is harmless. Models pin the `records` version they read: keep the retention at least as long
as training runs must stay reproducible.
""",
) as dag:
    payable(
        "maintain", "lakehouse", "maintain", "--tables", "{{ params.tables }}", "--vacuum-hours", "{{ var.value.get('payable_vacuum_hours', '720') }}",
        doc_md="`payable lakehouse maintain`: files before and after, per table, are in the task log.",
    )
