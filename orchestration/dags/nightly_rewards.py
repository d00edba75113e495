"""Daily, for the previous UTC day: accept yesterday's root → ingest logs → attribute → build → report → propose."""
from datetime import datetime

from airflow.sdk import DAG, CronDataIntervalTimetable
from payable_common import DEFAULT_ARGS, INGEST_POOL, payable

# The epoch is the UTC day the run covers: its data interval, which has ended when the run starts.
# A plain "@daily" would be a CronTriggerTimetable in Airflow 3, whose midnight run covers the day
# that is only beginning; a data-interval timetable makes the run of 1 December pay 30 November.
EPOCH = "{{ data_interval_start | ds }}"
CHAIN = ["--rpc", "{{ var.value.payable_rpc_url }}", "--chain-id", "{{ var.value.payable_chain_id }}",
         "--distributor", "{{ var.value.payable_distributor }}"]

with DAG(
    dag_id="nightly_rewards",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["payable", "rewards"],
    doc_md="""
Pays contributors for one UTC day: the run's data interval, the day that ended when the run
started (a manual run triggered at a logical date pays the day before it; `payable airflow backfill
nightly_rewards --from DAY --to DAY` pays DAY again). It first accepts the root the previous
run proposed, once its timelock has passed and governance has not revoked it (the distributor's
timelock is checked at deployment to end an hour before this run), so a pending root is never left
behind or replaced. The governance report of the new root is written before it is proposed.

Every step is idempotent per epoch: accepting sends nothing when no root is pending, ingestion
skips what it has, attribution replaces the epoch's rows, the distribution rebuilds the same root,
and proposing reads the chain first (the same root is never sent twice). Retries and backfills are
therefore safe.
""",
) as dag:
    accept = payable(
        "accept_previous", "rewards", "accept", *CHAIN, "--keystore", "{{ var.value.payable_keystore }}",
        doc_md="Makes the previous night's root claimable if its timelock has passed and nobody revoked it; "
               "fails (to be looked at) while the guardian has paused the distributor.",
    )
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
        "build_distribution", "rewards", "build", "--epoch", EPOCH, "--artifacts", "{{ var.value.payable_distributions }}", *CHAIN,
        doc_md="Cumulative balances, Merkle tree and proofs, bound to the distributor; checked against the previous epoch.",
    )
    report = payable(
        "report", "report", "--epoch", EPOCH, "--out", "{{ var.value.payable_reports }}", *CHAIN,
        doc_md="The governance report of the distribution, written before its root is proposed.",
    )
    propose = payable(
        "propose_root", "rewards", "propose", "--epoch", EPOCH, *CHAIN, "--keystore", "{{ var.value.payable_keystore }}",
        # An empty value (the Variable unset) tops up nothing: the proposal then refuses a shortfall, naming it.
        "--top-up-from={{ var.value.get('payable_funding_account', '') }}",
        doc_md="Proposes the root on-chain behind the timelock governance reviews. With `payable_funding_account` set, it first "
               "moves exactly the tokens the new root makes claimable beyond what the distributor holds from that account (which "
               "approved the updater); without it, a shortfall fails the task, naming the amount to send.",
    )
    claim_site = payable(
        "publish_claim_site", "rewards", "site", "--accepted", *CHAIN, "--out", "{{ var.value.payable_claim_site }}",
        doc_md="Writes the contributors' claim page of the root just accepted (the folder is replaced as a whole) for the web "
               "server or bucket that hosts it; nothing when no root is accepted yet.",
    )
    accept >> claim_site
    accept >> ingest >> attribute >> build >> report >> propose
