// Bounded capacity, for the overloaded fault: ONE request in service at a time (a single
// worker), each taking a service time, behind a bounded FIFO queue. Waiting is real queueing,
// so a burst of handshakes makes later health checks wait past the backend's 0.3 s deadline,
// while one or two in flight never do. Service time is spent on a timer, not the CPU: the
// twin must not load the shared machine it is measured on.

export interface CapacityOptions {
  /** Service time of one request, in ms (drawn per request). */
  serviceMs: () => number;
  /** Requests waiting beyond this are turned away at once (the caller answers 503). */
  queueLimit: number;
}

/** served: your turn came and the service time passed; full: turned away; gone: the caller left while queued. */
export type Admission = 'served' | 'full' | 'gone';

export interface SingleFlight {
  /** Waits for a turn and the service time; `gone()` is asked when the turn comes (a client that hung up is skipped). */
  serve(gone: () => boolean): Promise<Admission>;
  /** Requests queued or in service now. */
  load(): number;
  close(): void;
}

interface Waiting {
  gone: () => boolean;
  resolve: (admission: Admission) => void;
}

export function createSingleFlight(opts: CapacityOptions): SingleFlight {
  const queue: Waiting[] = [];
  let busy = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const next = () => {
    if (busy || closed) return;
    const job = queue.shift();
    if (!job) return;
    if (job.gone()) {
      job.resolve('gone');
      return next();
    }
    busy = true;
    timer = setTimeout(() => {
      busy = false;
      job.resolve('served');
      next();
    }, opts.serviceMs());
  };

  return {
    serve(gone) {
      if (closed || queue.length >= opts.queueLimit) return Promise.resolve('full');
      return new Promise<Admission>((resolve) => {
        queue.push({ gone, resolve });
        next();
      });
    },
    load: () => queue.length + (busy ? 1 : 0),
    close() {
      closed = true;
      clearTimeout(timer);
      for (const job of queue.splice(0)) job.resolve('gone');
    },
  };
}

/** The overloaded auth service's worker: 25–40 ms per request, 64 waiting at most. */
/**
 * One worker, 25–40 ms a validation, at most 7 waiting (what uvicorn's --limit-concurrency does:
 * the rest get 503 at once). Only /auth/validate is limited: one handshake holds one validation,
 * so up to 8 in flight never overflow (the suite's own config checks from two workers neither),
 * ten and more do. The limit, not a deadline, decides: a CPU stall on a loaded runner cannot fake
 * a refusal one at a time.
 */
export const OVERLOADED_CAPACITY: CapacityOptions = { serviceMs: () => 25 + Math.random() * 15, queueLimit: 7 };
