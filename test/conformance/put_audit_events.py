"""Runs PutAuditEvents scenarios against an endpoint with botocore, a client nobody in this project wrote.

Usage: python3 put_audit_events.py <endpoint-url> <scenarios.json>
Each scenario: {"name", "channelArn", "externalId"?, "auditEvents", "accessKeyId"?, "secretAccessKey"?}.
Prints one JSON document: a list of {"name", "ok": <response>} or {"name", "error": {...}} in order.
Credentials default to the AWS_* environment; retries are off so every answer is seen as sent.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def run(endpoint, scenario):
    kwargs = {}
    if "accessKeyId" in scenario:
        kwargs["aws_access_key_id"] = scenario["accessKeyId"]
        kwargs["aws_secret_access_key"] = scenario["secretAccessKey"]
    client = boto3.client(
        "cloudtrail-data",
        endpoint_url=endpoint,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        **kwargs,
    )
    params = {"channelArn": scenario["channelArn"], "auditEvents": scenario["auditEvents"]}
    if "externalId" in scenario:
        params["externalId"] = scenario["externalId"]
    try:
        response = client.put_audit_events(**params)
        response.pop("ResponseMetadata", None)
        return {"name": scenario["name"], "ok": response}
    except ClientError as error:
        return {
            "name": scenario["name"],
            "error": {
                "code": error.response["Error"]["Code"],
                "message": error.response["Error"].get("Message", ""),
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "requestId": error.response["ResponseMetadata"].get("RequestId", ""),
                # The modelled exception class botocore picked, e.g. ChannelNotFound.
                "exceptionClass": type(error).__name__,
            },
        }


def main():
    endpoint, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        scenarios = json.load(handle)
    print(json.dumps([run(endpoint, scenario) for scenario in scenarios]))


if __name__ == "__main__":
    main()
