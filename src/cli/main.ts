#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
// A command stopped by a signal has printed its summary; a read still pending on stdin must not keep
// the process waiting for input nobody will type.
if (code > 128) process.exit(code);
