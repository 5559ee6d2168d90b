"""State machine versions and aliases through boto3: publishing on create
and update, PublishStateMachineVersion, executions by a version's or an
alias's ARN, the lists, and the modeled exceptions of the refusals."""

import json

import botocore.exceptions

from common import ROLE, client, report, wait_closed

result = {}
sfn = client()


def definition(value):
    return json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": value, "End": True}}}
    )


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as error:
        return {
            "class": type(error).__name__,
            "code": error.response["Error"]["Code"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    raise AssertionError(f"{call.__name__} raised nothing")


created = sfn.create_state_machine(
    name="versioned",
    definition=definition("one"),
    roleArn=ROLE,
    publish=True,
    versionDescription="first",
)
arn = created["stateMachineArn"]
result["created_version"] = created["stateMachineVersionArn"]
updated = sfn.update_state_machine(
    stateMachineArn=arn, definition=definition("two"), publish=True, versionDescription="second"
)
result["updated_version"] = updated["stateMachineVersionArn"]
result["republished"] = sfn.publish_state_machine_version(
    stateMachineArn=arn, revisionId=updated["revisionId"]
)["stateMachineVersionArn"]
described = sfn.describe_state_machine(stateMachineArn=f"{arn}:1")
result["v1"] = {
    "arn": described["stateMachineArn"],
    "definition": json.loads(described["definition"]),
    "description": described.get("description"),
}
result["versions"] = [
    item["stateMachineVersionArn"]
    for item in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
]
page = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=1)
result["versions_page"] = {
    "count": len(page["stateMachineVersions"]),
    "more": "nextToken" in page,
}

alias = sfn.create_state_machine_alias(
    name="PROD",
    description="half and half",
    routingConfiguration=[
        {"stateMachineVersionArn": f"{arn}:1", "weight": 50},
        {"stateMachineVersionArn": f"{arn}:2", "weight": 50},
    ],
)
alias_arn = alias["stateMachineAliasArn"]
result["alias_arn"] = alias_arn
result["alias_created"] = type(alias["creationDate"]).__name__
described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
result["alias"] = {
    "name": described["name"],
    "description": described["description"],
    "routing": described["routingConfiguration"],
}
sfn.update_state_machine_alias(
    stateMachineAliasArn=alias_arn,
    routingConfiguration=[{"stateMachineVersionArn": f"{arn}:1", "weight": 100}],
)
started = sfn.start_execution(stateMachineArn=alias_arn)
done = wait_closed(sfn, started["executionArn"])
result["by_alias"] = {
    "output": done.get("output"),
    "stateMachineArn": done["stateMachineArn"],
    "stateMachineVersionArn": done.get("stateMachineVersionArn"),
    "stateMachineAliasArn": done.get("stateMachineAliasArn"),
}
started = sfn.start_execution(stateMachineArn=f"{arn}:2")
done = wait_closed(sfn, started["executionArn"])
result["by_version"] = {
    "output": done.get("output"),
    "stateMachineVersionArn": done.get("stateMachineVersionArn"),
    "stateMachineAliasArn": done.get("stateMachineAliasArn"),
}
listed = sfn.list_executions(stateMachineArn=alias_arn)["executions"]
result["listed_by_alias"] = [
    {key: item.get(key) for key in ("stateMachineVersionArn", "stateMachineAliasArn")}
    for item in listed
]
result["aliases"] = [
    item["stateMachineAliasArn"]
    for item in sfn.list_state_machine_aliases(stateMachineArn=f"{arn}:1")["stateMachineAliases"]
]

result["errors"] = {
    "referenced": error_of(sfn.delete_state_machine_version, stateMachineVersionArn=f"{arn}:1"),
    "stale": error_of(sfn.publish_state_machine_version, stateMachineArn=arn, revisionId="INITIAL"),
    "weights": error_of(
        sfn.create_state_machine_alias,
        name="BAD",
        routingConfiguration=[
            {"stateMachineVersionArn": f"{arn}:1", "weight": 60},
            {"stateMachineVersionArn": f"{arn}:2", "weight": 60},
        ],
    ),
    "three": error_of(
        sfn.create_state_machine_alias,
        name="BAD",
        routingConfiguration=[
            {"stateMachineVersionArn": f"{arn}:1", "weight": 30},
            {"stateMachineVersionArn": f"{arn}:2", "weight": 30},
            {"stateMachineVersionArn": f"{arn}:3", "weight": 40},
        ],
    ),
    "no_version": error_of(
        sfn.create_state_machine_alias,
        name="BAD",
        routingConfiguration=[{"stateMachineVersionArn": f"{arn}:9", "weight": 100}],
    ),
    "conflict": error_of(
        sfn.create_state_machine_alias,
        name="PROD",
        routingConfiguration=[{"stateMachineVersionArn": f"{arn}:2", "weight": 100}],
    ),
    "no_alias": error_of(sfn.describe_state_machine_alias, stateMachineAliasArn=f"{arn}:NONE"),
    "long_description": error_of(
        sfn.publish_state_machine_version, stateMachineArn=arn, description="d" * 257
    ),
    "description_alone": error_of(
        sfn.update_state_machine, stateMachineArn=arn, roleArn=ROLE, versionDescription="v"
    ),
}

sfn.delete_state_machine_alias(stateMachineAliasArn=alias_arn)
sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
result["after_delete"] = [
    item["stateMachineVersionArn"]
    for item in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
]
report(result)
