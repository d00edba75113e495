"""Manual: a smoke test of the deployment — `payable --version` through spark-submit, as every task runs."""
from datetime import datetime

from airflow.sdk import DAG, Param
from payable_common import payable

with DAG(
    dag_id="payable_smoke",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    params={"command": Param("--version", type="string", description="Arguments of `payable` (one word), --version by default")},
    tags=["payable", "smoke"],
    doc_md="Runs `payable --version` (or the `command` param) through the same SparkSubmitOperator path as the real tasks, to check the installation end to end.",
) as dag:
    payable("version", "{{ params.command }}", doc_md="Runs the payable CLI as spark-submit runs it.", retries=0)
