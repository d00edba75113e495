"""Manual: train one model from a spec file, register it and, for an adapter, audit its training records."""
from datetime import datetime

from airflow.sdk import DAG, Param
from payable_common import DEFAULT_ARGS, payable

with DAG(
    dag_id="model_training",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={**DEFAULT_ARGS, "retries": 1},
    params={"spec": Param("training/specs/student.yaml", type="string", description="Training spec (YAML) on the Spark driver")},
    tags=["payable", "training"],
    doc_md="""
Trains the model a spec describes (teacher, distilled student or LoRA adapter) and registers it in
`models` with its lineage. The same spec on the same records gives the same model id, so a retry
replaces rather than duplicates. For an adapter, `audit` then scores each training record's
self-influence into `training_audit` and lists the records a curator should read.
""",
) as dag:
    train = payable(
        "train", "train", "--spec", "{{ params.spec }}", "--models", "{{ var.value.payable_models }}",
        doc_md="`payable train --spec …`: progress (step, loss, tokens/s, ETA) is in the task log.",
    )
    audit = payable(
        "audit", "model", "audit", "--spec", "{{ params.spec }}",
        doc_md="`payable model audit --spec …`: flagged training records, with their landing file and line, are in the task log.",
    )
    train >> audit
