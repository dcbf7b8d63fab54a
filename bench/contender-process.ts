/**
 * One contender of the side-by-side benchmark in its own process, so its CPU time and peak RSS are its
 * own. The job comes as JSON in argv[2]; the answer goes back as a `result` message. Jobs that measure
 * against a server first send `warmed` and wait for `go`, so the parent can zero the server's counters.
 */
import { childMain, toParent } from './bench-child.js';
import { runEmitCostJob, type EmitCostJob } from './contenders/emit-cost-job.js';
import { runFloorJob, type FloorJob } from './contenders/floor-job.js';
import { runNaiveJob, type NaiveJob } from './contenders/naive-job.js';
import { runPipelineJob, runSweepJob, type PipelineJob, type SweepJob } from './contenders/pipeline-job.js';
import { runStallJob, type StallJob } from './contenders/stall-job.js';

export type ContenderJob = PipelineJob | SweepJob | NaiveJob | FloorJob | EmitCostJob | StallJob;

async function run(job: ContenderJob): Promise<unknown> {
  switch (job.kind) {
    case 'pipeline':
      return runPipelineJob(job);
    case 'sweep':
      return runSweepJob(job);
    case 'naive':
      return runNaiveJob(job);
    case 'floor':
      return runFloorJob(job);
    case 'emit-cost':
      return runEmitCostJob(job);
    case 'stall':
      return runStallJob(job);
  }
}

childMain(async () => {
  const job = JSON.parse(process.argv[2]!) as ContenderJob;
  const result = await run(job);
  toParent({ type: 'result', result });
  // Let the IPC message leave, then exit (a normal exit also writes a --cpu-prof profile).
  setTimeout(() => process.exit(0), 50);
});
