"""Daily, for the previous UTC day: ingest logs → attribute → build the distribution → propose the root."""
from datetime import datetime

from airflow.sdk import DAG
from payable_common import DEFAULT_ARGS, INGEST_POOL, payable

# The logical date of a daily run is the start of the day it covers: that day is the epoch.
EPOCH = "{{ ds }}"
CHAIN = ["--rpc", "{{ var.value.payable_rpc_url }}", "--chain-id", "{{ var.value.payable_chain_id }}",
         "--distributor", "{{ var.value.payable_distributor }}"]

with DAG(
    dag_id="nightly_rewards",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["payable", "rewards"],
    doc_md="""
Pays contributors for one UTC day (the run's logical date). Every step is idempotent per epoch:
ingestion skips what it has, attribution replaces the epoch's rows, the distribution rebuilds the
same root, and proposing reads the chain first (the same root is never sent twice). Retries and
backfills are therefore safe.
""",
) as dag:
    ingest = payable(
        "ingest_inferences", "ingest", "inferences", "--landing", "{{ var.value.payable_landing_inferences }}",
        doc_md="Last call for the day's inference logs.",
        pool=INGEST_POOL,
    )
    attribute = payable(
        "attribute", "attribute", "--epoch", EPOCH, "--treasury", "{{ var.value.payable_treasury }}",
        doc_md="Scores every answer of the epoch and splits its fee into `epoch_rewards`.",
    )
    build = payable(
        "build_distribution", "rewards", "build", "--epoch", EPOCH, "--artifacts", "{{ var.value.payable_distributions }}",
        doc_md="Cumulative balances, Merkle tree and proofs; checked against the previous epoch.",
    )
    propose = payable(
        "propose_root", "rewards", "propose", "--epoch", EPOCH, *CHAIN, "--keystore", "{{ var.value.payable_keystore }}",
        doc_md="Proposes the root on-chain behind the timelock governance reviews.",
    )
    ingest >> attribute >> build >> propose
