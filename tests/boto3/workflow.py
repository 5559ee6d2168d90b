"""An activity workflow run end to end through boto3: activities, a state
machine whose Task retries and catches, a worker loop that polls, beats
and answers, executions described until closed, histories and lists read
with boto3's paginators, and an execution stopped."""

import datetime
import json
import threading

from common import ROLE, client, report, wait_closed

sfn = client()

activity = sfn.create_activity(name="render", tags=[{"key": "team", "value": "video"}])
activity_arn = activity["activityArn"]
assert isinstance(activity["creationDate"], datetime.datetime), activity
assert sfn.describe_activity(activityArn=activity_arn)["name"] == "render"

definition = {
    "StartAt": "Render",
    "States": {
        "Render": {
            "Type": "Task",
            "Resource": activity_arn,
            "TimeoutSeconds": 30,
            "HeartbeatSeconds": 10,
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Recover"}],
            "End": True,
        },
        "Recover": {"Type": "Pass", "Result": "recovered", "ResultPath": "$.recovery", "End": True},
    },
}
machine = sfn.create_state_machine(
    name="renderer", definition=json.dumps(definition), roleArn=ROLE, type="STANDARD"
)
machine_arn = machine["stateMachineArn"]
described_machine = sfn.describe_state_machine(stateMachineArn=machine_arn)
assert json.loads(described_machine["definition"]) == definition, described_machine
assert described_machine["type"] == "STANDARD" and described_machine["status"] == "ACTIVE"

# The worker: polls until told to stop; fails "flaky" inputs once, fails
# "broken" ones for good, and succeeds otherwise, beating before it answers.
stop = threading.Event()
attempts = {}
served = []


def work():
    worker = client()
    while not stop.is_set():
        task = worker.get_activity_task(activityArn=activity_arn, workerName="boto3-worker")
        token = task.get("taskToken")
        if not token:
            continue
        job = json.loads(task["input"])
        attempts[job["name"]] = attempts.get(job["name"], 0) + 1
        served.append(job["name"])
        worker.send_task_heartbeat(taskToken=token)
        if job["mode"] == "flaky" and attempts[job["name"]] == 1:
            worker.send_task_failure(taskToken=token, error="Flaky", cause="first try")
        elif job["mode"] == "broken":
            worker.send_task_failure(taskToken=token, error="Broken", cause="cannot render")
        else:
            output = {"rendered": job["name"], "attempts": attempts[job["name"]]}
            worker.send_task_success(taskToken=token, output=json.dumps(output))


thread = threading.Thread(target=work)
thread.start()
try:
    executions = {}
    for name, mode in [("plain", "ok"), ("flaky", "flaky"), ("broken", "broken")]:
        started = sfn.start_execution(
            stateMachineArn=machine_arn, name=name, input=json.dumps({"name": name, "mode": mode})
        )
        assert isinstance(started["startDate"], datetime.datetime), started
        executions[name] = started["executionArn"]
    closed = {}
    for name, arn in executions.items():
        done = wait_closed(sfn, arn)
        assert done["stopDate"] >= done["startDate"], done
        closed[name] = {
            "status": done["status"],
            "output": json.loads(done["output"]) if "output" in done else None,
        }
finally:
    stop.set()
    thread.join()

# Histories, page by page, forwards and backwards.
paginator = sfn.get_paginator("get_execution_history")
histories = {}
for name, arn in executions.items():
    pages = list(paginator.paginate(executionArn=arn, PaginationConfig={"PageSize": 2}))
    assert all(len(page["events"]) <= 2 for page in pages), pages
    events = [event for page in pages for event in page["events"]]
    assert [event["id"] for event in events] == list(range(1, len(events) + 1)), events
    assert all(isinstance(event["timestamp"], datetime.datetime) for event in events)
    histories[name] = [event["type"] for event in events]
flaky_events = [
    event
    for page in paginator.paginate(executionArn=executions["flaky"], reverseOrder=True, PaginationConfig={"PageSize": 3})
    for event in page["events"]
]
failed_event = next(event for event in flaky_events if event["type"] == "ActivityFailed")
started_event = next(event for event in flaky_events if event["type"] == "ActivityStarted")

# A second machine whose execution waits, stopped.
waiting = sfn.create_state_machine(
    name="waiter",
    definition=json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 600, "End": True}}}),
    roleArn=ROLE,
)
waiting_arn = sfn.start_execution(stateMachineArn=waiting["stateMachineArn"], name="waits")["executionArn"]
stopped = sfn.stop_execution(executionArn=waiting_arn, error="Cancelled", cause="by the boto3 test")
aborted = wait_closed(sfn, waiting_arn)

# Lists, with paginators.
listed = [
    item["name"]
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine_arn, PaginationConfig={"PageSize": 1})
    for item in page["executions"]
]
succeeded = [
    item["name"]
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine_arn, statusFilter="SUCCEEDED")
    for item in page["executions"]
]
machines = [
    item["name"]
    for page in sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 1})
    for item in page["stateMachines"]
]
activities = [item["name"] for item in sfn.list_activities()["activities"]]

sfn.delete_state_machine(stateMachineArn=waiting["stateMachineArn"])

report({
    "closed": closed,
    "histories": histories,
    "served": sorted(served),
    "flaky_failure": failed_event["activityFailedEventDetails"],
    "flaky_worker": started_event["activityStartedEventDetails"],
    "stopped_has_date": isinstance(stopped["stopDate"], datetime.datetime),
    "aborted": {key: aborted.get(key) for key in ["status", "error", "cause"]},
    "listed": listed,
    "succeeded": sorted(succeeded),
    "machines": machines,
    "activities": activities,
})
