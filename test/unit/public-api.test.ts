// The exported names of every entry point, pinned: adding or removing a public name must be a deliberate
// change to this list. Type-only exports leave no runtime name; they are pinned by the type checker
// through the examples and the README, which import them by name.
import { describe, expect, it } from 'vitest';
import * as bridge from '../../src/bridge/index.js';
import * as core from '../../src/core/index.js';
import * as emulator from '../../src/emulator/index.js';
import * as root from '../../src/index.js';

const sorted = (module: object): string[] => Object.keys(module).sort();

describe('public API', () => {
  it('exports from the root only what an application wires up', () => {
    expect(sorted(root)).toEqual([
      'AUDIT_ATTRIBUTES',
      'AuditFilterLogRecordProcessor',
      'ChannelError',
      'CloudTrailLakeError',
      'CloudTrailLakeLogExporter',
      'CloudTrailLakeLogRecordProcessor',
      'ConfigError',
      'DEFAULTS',
      'ENV_VARS',
      'ERROR_CODES',
      'EventTooLargeError',
      'MappingError',
      'NetworkError',
      'REDACTED_VALUE',
      'RedactingLogRecordProcessor',
      'RejectedByServiceError',
      'RoutingError',
      'ServiceError',
      'TimeoutError',
      'ValidationError',
      'createFileSpool',
      'createMemorySpool',
    ]);
  });

  it('exports the pure building blocks from ./core', () => {
    expect(sorted(core)).toEqual([
      'AUDIT_ATTRIBUTE_PREFIX',
      'AUDIT_ID_ATTRIBUTE',
      'CHANNEL_ATTRIBUTE',
      'EVENT_DATA_OBJECT_MAX_BYTES',
      'EVENT_DATA_STRING_MAX_CHARS',
      'METRIC_NAMES',
      'PUT_AUDIT_EVENTS_MAX_EVENTS',
      'PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND',
      'PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES',
      'createRedactor',
      'eventDataChecksum',
      'eventFromEventData',
      'isValidAccountId',
      'isValidEventTime',
      'isValidIpAddress',
      'prepareAuditEvents',
      'redact',
      'requestBody',
      'requestBodyBytes',
      'splitIntoRequests',
      'validateEventData',
    ]);
  });

  it('exports no CLI plumbing from ./emulator and ./bridge', () => {
    expect(sorted(emulator)).toEqual(['AWS_ERROR_STATUS', 'EMULATOR_DEFAULTS', 'startEmulator']);
    expect(sorted(bridge)).toEqual([
      'BRIDGE_CLIENT_KEY',
      'BRIDGE_ENV',
      'INTAKE_REJECTION_CODES',
      'PIN_REJECTION_CODES',
      'createProcessorSink',
      'loadBridgeConfigFile',
      'parseBridgeClients',
      'resolveBridgeOptions',
      'startBridge',
    ]);
  });

  it('gives the exporter and the processor one way to read their counters: `stats`', () => {
    for (const type of [root.CloudTrailLakeLogExporter, root.CloudTrailLakeLogRecordProcessor]) {
      const names = Object.getOwnPropertyNames(type.prototype);
      expect(names).toContain('stats');
      expect(names).not.toContain('getStats');
    }
  });
});
