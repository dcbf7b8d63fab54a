/**
 * The receipts file: JSONL, appended in order, created 0600 in a 0700 directory (receipts name the
 * events of an audit trail), forced to disk with the same choices as the spool. On open it resumes the
 * chain from the file's last line, so restarts extend one chain.
 */
import {
  closeSync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { RECEIPT_CHAIN_GENESIS, chainReceipt, sha256Hex, type DeliveryReceipt } from './delivery-receipt.js';

/** When receipt writes reach the disk: each batch (`'always'`) or when the OS decides (`'never'`). */
export type ReceiptFsyncPolicy = 'always' | 'never';

export interface ReceiptFileOptions {
  /** The JSONL file; created if missing, appended to otherwise. */
  path: string;
  /** @default 'always' */
  fsync?: ReceiptFsyncPolicy;
}

export interface ReceiptFile {
  /** Appends one line per receipt, in order, and forces them to disk per the policy. */
  append(receipts: ReadonlyArray<Omit<DeliveryReceipt, 'prev'>>): void;
  /** Lines written by this process. */
  readonly written: number;
  close(): void;
}

/** Longest line read back when resuming the chain, in bytes; a receipt line is far shorter. */
const MAX_RECEIPT_LINE_BYTES = 64 * 1024;

/** The hash of the file's last complete line, or the genesis hash for an empty file. */
function lastLineHash(fd: number): string {
  const size = fstatSync(fd).size;
  if (size === 0) return RECEIPT_CHAIN_GENESIS;
  const length = Math.min(size, MAX_RECEIPT_LINE_BYTES);
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, size - length);
  const text = buffer.toString('utf8').replace(/\n$/, '');
  const line = text.slice(text.lastIndexOf('\n') + 1);
  return sha256Hex(line);
}

export function openReceiptFile(options: ReceiptFileOptions): ReceiptFile {
  const fsync = options.fsync ?? 'always';
  if (fsync !== 'always' && fsync !== 'never') {
    throw new ConfigError(
      'receipts.fsync',
      `Expected \`receipts.fsync\` to be 'always' or 'never', got ${JSON.stringify(fsync)}`,
    );
  }
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  // O_APPEND with mode 0600: the mode applies when the file is created, whatever the umask.
  const fd = openSync(options.path, 'a+', 0o600);
  fchmodSync(fd, 0o600); // a file that already existed keeps no wider mode either
  let prev = lastLineHash(fd);
  let written = 0;
  return {
    append(receipts) {
      if (receipts.length === 0) return;
      const lines: string[] = [];
      for (const receipt of receipts) {
        const chained = chainReceipt(receipt, prev);
        lines.push(chained.line);
        prev = chained.hash;
      }
      writeSync(fd, `${lines.join('\n')}\n`);
      if (fsync === 'always') fdatasyncSync(fd);
      written += receipts.length;
    },
    get written() {
      return written;
    },
    close() {
      closeSync(fd);
    },
  };
}
