"""Every DAG of orchestration/dags, loaded the way Airflow's dag processor loads it (a DagBag).

As Airflow's own example-DAG tests do: no import errors, and nothing at parse time reads a
Variable, a connection or the metadata database (the processor parses every file every few
seconds; a DAG that does is slow and breaks when the database is busy). Then the schedules,
pools, retries and Variables each DAG uses are the ones ``payable_common`` and the README document.

Run by ``make test`` (``.venv/bin/python -m pytest orchestration/tests``).
"""
import os
import pathlib
import re
import tempfile

import pytest

DAGS_FOLDER = pathlib.Path(__file__).resolve().parents[1] / "dags"
MAIN_CLASS = "ai.payable.cli.PayableMain"


@pytest.fixture(scope="module")
def bag():
    home = tempfile.mkdtemp(prefix="airflow-home-")
    os.environ.update({
        "AIRFLOW_HOME": home,
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    })
    # The dag processor puts the DAGs folder on sys.path (our DAGs share payable_common).
    import sys
    sys.path.insert(0, str(DAGS_FOLDER))

    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import BaseHook, Variable

    def refuse(what):
        def call(*args, **kwargs):
            raise AssertionError(f"a DAG reads {what} at parse time: {args}")
        return call

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Variable, "get", refuse("a Variable"))
        patch.setattr(BaseHook, "get_connection", refuse("a connection"))
        loaded = DagBag(dag_folder=str(DAGS_FOLDER))
    # SQLite is Airflow's default database: touching it at parse time would have created the file.
    assert not (pathlib.Path(home) / "airflow.db").exists(), "parsing the DAGs opened the metadata database"
    return loaded


def test_every_dag_imports_without_errors(bag):
    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == ["datanet_ingest", "lakehouse_maintenance", "model_training", "nightly_rewards", "payable_smoke"]


@pytest.mark.parametrize("dag_id, schedule", [
    ("datanet_ingest", "@hourly"),
    ("lakehouse_maintenance", "@daily"),
    ("model_training", None),
    ("payable_smoke", None),
])
def test_schedules_are_as_documented_and_never_catch_up(bag, dag_id, schedule):
    dag = bag.dags[dag_id]
    assert dag.schedule == schedule
    assert dag.catchup is False, "a new deployment must not replay every day since start_date"


def test_the_nightly_pays_the_day_its_data_interval_covers(bag):
    from airflow.sdk import CronDataIntervalTimetable
    nightly = bag.dags["nightly_rewards"]
    # Not a bare "@daily": Airflow 3 makes that a CronTriggerTimetable, whose midnight run covers the day just beginning.
    assert isinstance(nightly.timetable, CronDataIntervalTimetable)
    assert nightly.timetable.expression == "0 0 * * *" and str(nightly.timetable.timezone) == "UTC"
    assert nightly.catchup is False
    epochs = {arg for t in nightly.tasks for i, arg in enumerate(t.application_args) if t.application_args[i - 1] == "--epoch"}
    assert epochs == {"{{ data_interval_start | ds }}"}


def test_one_lakehouse_writer_per_dag_and_ingest_tasks_share_one_pool(bag):
    for dag_id in ("datanet_ingest", "nightly_rewards", "lakehouse_maintenance"):
        assert bag.dags[dag_id].max_active_runs == 1, dag_id
    ingest_tasks = {(d.dag_id, t.task_id) for d in bag.dags.values() for t in d.tasks if t.pool == "payable_ingest"}
    assert ingest_tasks == {("datanet_ingest", "ingest_submissions"), ("datanet_ingest", "ingest_inferences"),
                            ("nightly_rewards", "ingest_inferences")}
    for dag_id, task_id in ingest_tasks:
        assert bag.dags[dag_id].get_task(task_id).application_args[0] == "ingest"


def test_nightly_order_and_retries(bag):
    nightly = bag.dags["nightly_rewards"]
    chain = ["accept_previous", "ingest_inferences", "attribute", "build_distribution", "report", "propose_root"]
    for upstream, downstream in zip(chain[1:], chain[2:]):
        assert nightly.get_task(upstream).downstream_task_ids == {downstream}
    # The claim page of the root just accepted is published beside the night's own work.
    assert nightly.get_task("accept_previous").downstream_task_ids == {"ingest_inferences", "publish_claim_site"}
    assert nightly.get_task("publish_claim_site").application_args[:3] == ["rewards", "site", "--accepted"]
    assert {t.task_id: t.retries for t in nightly.tasks} == dict.fromkeys(chain + ["publish_claim_site"], 3)
    assert {t.task_id: t.retries for t in bag.dags["model_training"].tasks} == {"train": 1, "audit": 1}
    assert bag.dags["payable_smoke"].get_task("version").retries == 0


def test_every_task_runs_the_cli_with_documented_variables_only(bag):
    import payable_common
    documented = set(re.findall(r"``(payable_[a-z_]+)``", payable_common.__doc__))
    used = set()
    for dag in bag.dags.values():
        for task in dag.tasks:
            assert task._java_class == MAIN_CLASS, (dag.dag_id, task.task_id)
            templated = " ".join(task.application_args) + " " + " ".join(task.env_vars.values())
            used |= set(re.findall(r"var\.value\.(?:get\(')?(payable_[a-z_]+)", templated))
    assert used, "the DAGs read their settings from Variables"
    assert used <= documented, f"Variables used but not documented in payable_common: {sorted(used - documented)}"
