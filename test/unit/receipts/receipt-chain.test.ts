// The receipts file and its hash chain: written 0600 and resumed across reopenings; an edited, deleted
// or reordered line is found at the right line. Checking receipts against the Lake is covered in
// test/receipts/verify.test.ts.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RECEIPT_CHAIN_GENESIS,
  receiptContent,
  receiptContentHash,
  type DeliveryReceipt,
} from '../../../src/receipts/delivery-receipt.js';
import { openReceiptFile } from '../../../src/receipts/receipt-file.js';
import { verifyReceiptChain } from '../../../src/receipts/verify-receipt-chain.js';

let dir: string;
let path: string;

function receipt(n: number): Omit<DeliveryReceipt, 'prev'> {
  return {
    id: `id-${n}`,
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    channelArn: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/c1',
    eventDataChecksum: 'a'.repeat(64),
    contentHash: receiptContentHash(receiptContent({ eventName: `E${n}`, UID: `id-${n}` })),
    acceptedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  };
}

async function lines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).trimEnd().split('\n');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-receipts-'));
  path = join(dir, 'nested', 'receipts.jsonl');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('receipts file', () => {
  it('is created 0600 in a 0700 directory under umask 022, and the chain starts at the genesis hash', async () => {
    const previous = process.umask(0o022);
    try {
      const file = openReceiptFile({ path });
      file.append([receipt(1), receipt(2)]);
      file.close();
    } finally {
      process.umask(previous);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    const [first] = await lines();
    expect(JSON.parse(first ?? '{}')).toMatchObject({ id: 'id-1', prev: RECEIPT_CHAIN_GENESIS });
    expect(await verifyReceiptChain(path)).toEqual({ receipts: 2 });
  });

  it('resumes the chain when reopened, so restarts extend one chain', async () => {
    const first = openReceiptFile({ path });
    first.append([receipt(1)]);
    first.close();
    const second = openReceiptFile({ path, fsync: 'never' });
    second.append([receipt(2), receipt(3)]);
    second.close();
    expect(await verifyReceiptChain(path)).toEqual({ receipts: 3 });
  });
});

describe('verifyReceiptChain', () => {
  beforeEach(() => {
    const file = openReceiptFile({ path });
    file.append([1, 2, 3, 4].map(receipt));
    file.close();
  });

  it('finds an edited line at the link after it', async () => {
    const all = await lines();
    all[1] = (all[1] ?? '').replace('"id-2"', '"id-9"');
    await writeFile(path, `${all.join('\n')}\n`);
    expect((await verifyReceiptChain(path)).broken?.line).toBe(3);
  });

  it('finds a deleted line at the line that followed it', async () => {
    const all = await lines();
    all.splice(2, 1);
    await writeFile(path, `${all.join('\n')}\n`);
    expect((await verifyReceiptChain(path)).broken?.line).toBe(3);
  });

  it('finds a deleted first line', async () => {
    const all = await lines();
    await writeFile(path, `${all.slice(1).join('\n')}\n`);
    expect((await verifyReceiptChain(path)).broken).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/first/),
    });
  });

  it('finds reordered lines', async () => {
    const all = await lines();
    await writeFile(path, `${[all[0], all[2], all[1], all[3]].join('\n')}\n`);
    expect((await verifyReceiptChain(path)).broken?.line).toBe(2);
  });

  it('reports a line that is not a receipt', async () => {
    const all = await lines();
    all[3] = '{"id":"x"}';
    await writeFile(path, `${all.join('\n')}\n`);
    expect((await verifyReceiptChain(path)).broken).toMatchObject({
      line: 4,
      reason: expect.stringMatching(/eventID/),
    });
  });
});
