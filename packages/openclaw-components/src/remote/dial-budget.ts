/**
 * How long a remote step keeps dialling before it gives up, in the
 * provider's own arithmetic. pulumi-command dials through Pulumi's
 * `retry.Until` (sdk/go/common/util/retry/until.go): the first wait is
 * 100 ms, each next one 1.5 times longer, none longer than 5 s; with
 * `dialErrorLimit: L` it dials L + 1 times, so it waits L times
 * (provider/pkg/provider/remote/connection.go). The dials themselves add
 * little when the name does not resolve yet, which is the first boot's case.
 */
const FIRST_WAIT_MS = 100;
const FACTOR = 1.5;
const MAX_WAIT_MS = 5_000;

/** Milliseconds spent waiting between dials before a step with `dialErrorLimit: limit` fails. */
export function dialWaitMs(limit: number): number {
  let total = 0;
  let wait = FIRST_WAIT_MS;
  for (let i = 0; i < limit; i++) {
    total += Math.min(wait, MAX_WAIT_MS);
    wait *= FACTOR;
  }
  return total;
}

/** The smallest `dialErrorLimit` that keeps a step dialling for at least `ms`. */
export function dialLimitFor(ms: number): number {
  let limit = 0;
  while (dialWaitMs(limit) < ms) limit++;
  return limit;
}
