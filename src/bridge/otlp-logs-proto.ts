import protobuf from 'protobufjs';

/**
 * The OTLP logs messages this bridge reads and writes, in protobuf IDL, as published in
 * opentelemetry-proto (v1.x, `opentelemetry/proto/{common,resource,logs,collector/logs}/v1/*.proto`)
 * plus `google.rpc.Status` for error bodies (OTLP/HTTP spec, "Failures"). Decoding is done by
 * protobufjs, a maintained registry package: `@opentelemetry/otlp-transformer` no longer ships a
 * generated root and decodes responses only, and no maintained registry package ships these
 * definitions. Fields the bridge ignores (entity refs, schema URLs) are left out; protobuf skips them.
 */
const OTLP_LOGS_PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message Status { int32 code = 1; string message = 2; }
`;

interface OtlpTypes {
  request: protobuf.Type;
  response: protobuf.Type;
  status: protobuf.Type;
}

let types: OtlpTypes | undefined;

/** Parses the schema on first use only, so importing the bridge costs nothing until it serves. */
function otlpTypes(): OtlpTypes {
  if (types === undefined) {
    const { root } = protobuf.parse(OTLP_LOGS_PROTO, { keepCase: false });
    types = {
      request: root.lookupType('opentelemetry.proto.ExportLogsServiceRequest'),
      response: root.lookupType('opentelemetry.proto.ExportLogsServiceResponse'),
      status: root.lookupType('opentelemetry.proto.Status'),
    };
  }
  return types;
}

/**
 * Decodes an ExportLogsServiceRequest into protobufjs message objects. They have the camelCase field
 * names of the OTLP JSON encoding, with differences the converter handles: ids and `bytesValue` are
 * bytes, 64-bit integers are `Long` objects, and each AnyValue names its set member in `value`. The
 * objects are read directly rather than through `toObject()`, which would copy every field once more.
 * Throws on malformed bytes.
 */
export function decodeProtobufLogsRequest(body: Uint8Array): unknown {
  return otlpTypes().request.decode(body);
}

/** Encodes an ExportLogsServiceResponse; without a partial success, the empty message (zero bytes). */
export function encodeProtobufLogsResponse(partialSuccess?: {
  rejectedLogRecords: number;
  errorMessage: string;
}): Uint8Array {
  const { response } = otlpTypes();
  return response
    .encode(response.fromObject(partialSuccess === undefined ? {} : { partialSuccess }))
    .finish();
}

/** Encodes a google.rpc.Status, the body OTLP/HTTP prescribes for 4xx and 5xx responses. */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  const { status } = otlpTypes();
  return status.encode(status.fromObject({ code, message })).finish();
}
