// The emulator in a test or a script: start it on a free port, point the exporter at it, and look at
// what it stored, or query it with SQL as you would CloudTrail Lake.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';
import { startEmulator } from 'otel-cloudtrail-lake/emulator';

const emulator = await startEmulator({ port: 0 }); // in memory; add dataDir to keep events

const exporter = new CloudTrailLakeLogExporter({
  channelArn: emulator.channelArn,
  endpoint: emulator.url,
  // The emulator accepts any well-formed signature unless you configure credentials for it.
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  defaults: { userIdentityType: 'Customer', eventSource: 'shop.example.com' },
});
const provider = new LoggerProvider({ processors: [new CloudTrailLakeLogRecordProcessor({ exporter })] });
provider.getLogger('shop').emit({
  attributes: { 'audit.event_name': 'Login', 'user.id': 'alice', 'client.address': '203.0.113.10' },
});
await provider.shutdown();

console.log(emulator.events().map((event) => event.eventData['eventName'])); // [ 'Login' ]
console.log(
  await emulator.query(
    `SELECT eventData.userIdentity.principalId AS principal, eventData.sourceIPAddress AS ip FROM ${emulator.eventDataStoreId}`,
  ),
); // [ { principal: 'alice', ip: '203.0.113.10' } ]
await emulator.close();
