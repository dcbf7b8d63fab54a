/**
 * The /healthz prober of the bridge bench, in a process of its own, as a kubelet or load balancer probes
 * from outside: asks the URL given as its argument in turn (a request, its answer, 10 ms, the next) from
 * the moment it starts until the parent sends `stop`, then replies with every answer's latency and
 * exits. Its own event loop does nothing else, so the latencies are the bridge's, not those of the
 * process sending the load (which also hosts the emulator the bridge exports to).
 */
export interface ProberReply {
  type: 'probed';
  latencies: number[];
}

const PROBE_INTERVAL_MILLIS = 10;

async function probe(url: string): Promise<void> {
  let stopped = false;
  process.once('message', () => (stopped = true));
  const latencies: number[] = [];
  // The first answer tells the parent the prober is up; the load starts after it.
  while (!stopped) {
    const start = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    latencies.push(performance.now() - start);
    if (latencies.length === 1) process.send!({ type: 'probing' });
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MILLIS));
  }
  const reply: ProberReply = { type: 'probed', latencies: latencies.slice(1) };
  process.send!(reply, () => process.exit(0));
}

await probe(process.argv[2]!);
