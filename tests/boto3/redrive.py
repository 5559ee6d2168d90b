"""RedriveExecution through boto3: a failed and an aborted execution are
redriven, DescribeExecution, GetExecutionHistory and ListExecutions show
it, and what may not be redriven raises the modelled exception."""

import json

import botocore.exceptions

from common import ROLE, client, report, wait_closed

sfn = client()
result = {}


def machine(name, states, start):
    definition = {"StartAt": start, "States": states}
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as error:
        return {"class": type(error).__name__, "code": error.response["Error"]["Code"]}
    raise AssertionError(f"{call.__name__} raised nothing")


# A Fail state fails again when redriven: the history goes on.
failing = machine(
    "failing",
    {
        "prepare": {"Type": "Pass", "Next": "fail"},
        "fail": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"},
    },
    "prepare",
)
failed = sfn.start_execution(stateMachineArn=failing, name="failed", input='{"n": 1}')["executionArn"]
before = wait_closed(sfn, failed)
result["before"] = {key: before.get(key) for key in ("status", "redriveStatus", "redriveCount")}
redriven = sfn.redrive_execution(executionArn=failed, clientToken="token-1")
result["redrive_date"] = type(redriven["redriveDate"]).__name__
after = wait_closed(sfn, failed)
result["after"] = {
    "status": after["status"],
    "redriveCount": after["redriveCount"],
    "redriveDate": type(after.get("redriveDate")).__name__,
    "redriveStatus": after["redriveStatus"],
}
history = sfn.get_execution_history(executionArn=failed)["events"]
result["history"] = [[e["id"], e["previousEventId"], e["type"]] for e in history]
result["redriven_details"] = [
    e["executionRedrivenEventDetails"] for e in history if e["type"] == "ExecutionRedriven"
]

# An aborted Wait is redriven and runs again.
waiting = machine("waiting", {"w": {"Type": "Wait", "Seconds": 3600, "End": True}}, "w")
running = sfn.start_execution(stateMachineArn=waiting, name="running")["executionArn"]
result["running"] = error_of(sfn.redrive_execution, executionArn=running)
sfn.stop_execution(executionArn=running)
wait_closed(sfn, running)
sfn.redrive_execution(executionArn=running)
result["redriven_status"] = sfn.describe_execution(executionArn=running)["status"]
untouched = sfn.start_execution(stateMachineArn=waiting, name="untouched")["executionArn"]
result["listed"] = {
    kind: sorted(
        e["name"]
        for e in sfn.list_executions(stateMachineArn=waiting, redriveFilter=kind)["executions"]
    )
    for kind in ("REDRIVEN", "NOT_REDRIVEN")
}
result["listed_count"] = [
    e.get("redriveCount")
    for e in sfn.list_executions(stateMachineArn=waiting, redriveFilter="REDRIVEN")["executions"]
]
sfn.stop_execution(executionArn=running)
sfn.stop_execution(executionArn=untouched)

# A succeeded execution is not redriven.
passing = machine("passing", {"p": {"Type": "Pass", "End": True}}, "p")
succeeded = sfn.start_execution(stateMachineArn=passing, name="done")["executionArn"]
wait_closed(sfn, succeeded)
result["succeeded"] = error_of(sfn.redrive_execution, executionArn=succeeded)

report(result)
