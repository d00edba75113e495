"""Manual: a smoke test of the deployment — prints the payable version on the workers."""
from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="payable_smoke",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["payable", "smoke"],
    doc_md="Runs `payable --version` where tasks run, to check the installation end to end.",
) as dag:
    BashOperator(task_id="version", bash_command="{{ var.value.get('payable_bin', 'payable') }} --version", retries=0,
                 doc_md="Prints the version of the payable CLI the workers see.")
