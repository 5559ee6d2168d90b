"""Test cases of a mock configuration through boto3, as Step Functions Local
runs them: `sfini local serve --mock-config examples/mocks/MockConfigFile.json`,
a StartExecution on `<stateMachineArn>#<TestCase>`; and, with no test case,
a `.waitForTaskToken` task that nothing serves waits for its token, which
SendTaskSuccess answers with the token read from the task's scheduled
parameters."""

import json
import os
import time

from common import ROLE, client, report, wait_closed

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "mocks")

sfn = client()
with open(os.path.join(EXAMPLES, "orders.asl.json")) as file:
    definition = file.read()
arn = sfn.create_state_machine(name="orders", definition=definition, roleArn=ROLE)["stateMachineArn"]
result = {"closed": {}, "histories": {}}

for case in ["HappyPath", "Duplicate", "Rejected"]:
    started = sfn.start_execution(
        stateMachineArn=f"{arn}#{case}", name=case.lower(), input=json.dumps({"id": "o-1"})
    )
    closed = wait_closed(sfn, started["executionArn"], seconds=60)
    result["closed"][case] = {
        "status": closed["status"],
        "machine": closed["stateMachineArn"] == arn,
        "output": json.loads(closed["output"]) if "output" in closed else None,
        "error": closed.get("error"),
        "cause": closed.get("cause"),
    }
    events = sfn.get_execution_history(executionArn=started["executionArn"], maxResults=1000)["events"]
    result["histories"][case] = [event["type"] for event in events]

try:
    sfn.start_execution(stateMachineArn=f"{arn}#Nope")
except sfn.exceptions.ClientError as error:
    result["unknown_case"] = {
        "code": error.response["Error"]["Code"],
        "message": error.response["Error"]["Message"],
    }

# A test case that leaves the approval unmocked: nothing serves SQS here,
# so the task waits for its token, which a person sends.
started = sfn.start_execution(
    stateMachineArn=f"{arn}#ApproveByHand", name="by-hand", input=json.dumps({"id": "o-2"})
)
token = None
deadline = time.monotonic() + 30
while token is None:
    events = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    for event in events:
        details = event.get("taskScheduledEventDetails")
        if details and details["resource"] == "sendMessage.waitForTaskToken":
            token = json.loads(details["parameters"])["MessageBody"]["token"]
    if token is None:
        if time.monotonic() > deadline:
            raise AssertionError("the approval was never scheduled")
        time.sleep(0.05)
time.sleep(0.2)
result["by_hand"] = {"waiting": sfn.describe_execution(executionArn=started["executionArn"])["status"]}
sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True, "by": "boto3"}))
closed = wait_closed(sfn, started["executionArn"])
result["by_hand"]["status"] = closed["status"]
result["by_hand"]["output"] = json.loads(closed["output"])
result["by_hand"]["history"] = [
    event["type"]
    for event in sfn.get_execution_history(executionArn=started["executionArn"], maxResults=1000)["events"]
]
report(result)
