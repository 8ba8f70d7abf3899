// The part of autocannon's API the bench uses (autocannon ships no types).
declare module "autocannon" {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      amount?: number;
      timeout?: number;
      sampleInt?: number;
      /** Send over this Unix socket instead of TCP (the url still gives path and Host). */
      socketPath?: string;
      requests?: Array<{ setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }>;
    }
    interface Histogram {
      p50: number;
      p99: number;
      average: number;
    }
    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      "2xx": number;
      non2xx: number;
      requests: Histogram & { total: number };
      latency: Histogram;
    }
  }
  function autocannon(options: autocannon.Options, callback: (err: Error | null, result: autocannon.Result) => void): unknown;
  export default autocannon;
}
