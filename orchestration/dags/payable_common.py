"""Shared settings of the Payable AI DAGs: where the jar, the lakehouse and the chain are.

Everything comes from Airflow Variables (and the `spark_default` connection), never from code:

- ``payable_jar``: the cluster jar (``mvn -Pcluster package`` builds ``cli/target/payable-cluster.jar``)
- ``payable_lakehouse``: lakehouse URI (a path or ``s3a://bucket/prefix``)
- ``payable_landing_submissions``, ``payable_landing_inferences``: landing zones
- ``payable_models``, ``payable_distributions``, ``payable_reports``: artifact roots (reports: governance's pages)
- ``payable_claim_site``: the folder the contributors' claim page is written to (served by a web server)
- ``payable_rpc_url``, ``payable_chain_id``, ``payable_distributor``: the L2 and the distributor
- ``payable_treasury``: the protocol treasury account
- ``payable_funding_account`` (optional): the account that funds the claims, having approved the updater to move
  its tokens; each proposal takes exactly the shortfall from it. Unset, a shortfall fails the proposal, naming the amount.
- ``payable_keystore``: the updater's keystore file that proposes (and accepts) roots (its password is never a Variable)
- ``payable_vacuum_hours`` (optional, default 720): how long vacuumed tables keep old files
- ``payable_driver_class_path`` (optional): extra driver classpath, for a thin jar run locally

Ingest tasks run in the ``payable_ingest`` pool, which must exist with one slot
(``payable airflow pool payable_ingest --slots 1``): ingestion allows one writer per lakehouse, and
both the hourly ingest and the nightly run ingest inference logs.

The signing key is never a Variable: the Spark workers read it from a keystore whose password is in
their environment.
"""
from datetime import timedelta

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN_CLASS = "ai.payable.cli.PayableMain"
INGEST_POOL = "payable_ingest"

DEFAULT_ARGS = {
    "owner": "data-engineering",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=2),
}


def payable(task_id: str, *args: str, doc_md: str, **kwargs) -> SparkSubmitOperator:
    """A task that runs ``payable ARGS`` through spark-submit; the CLI does the work."""
    return SparkSubmitOperator(
        task_id=task_id,
        application="{{ var.value.payable_jar }}",
        java_class=MAIN_CLASS,
        conn_id="spark_default",
        application_args=list(args),
        driver_class_path="{{ var.value.get('payable_driver_class_path', '') }}",
        env_vars={"PAYABLE_LAKEHOUSE": "{{ var.value.payable_lakehouse }}"},
        name=f"payable-{task_id}",
        doc_md=doc_md,
        **kwargs,
    )
