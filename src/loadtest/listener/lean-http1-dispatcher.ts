/**
 * A lean undici `Dispatcher` over ONE plain HTTP/1.1 keep-alive connection, for load tests
 * that simulate thousands of listeners from one process: it costs about a third of the CPU
 * per request of undici's `Client` (measured here: ~28 µs against ~80-110 µs per small GET),
 * which decides how many LL-HLS listeners (4 requests a second each) a 2-core machine can
 * simulate next to the servers under test.
 *
 * Deliberately small: requests with no body or a body given whole (a string or bytes: the
 * JSON of a ticket request), responses framed by Content-Length, chunked encoding or
 * connection close; one request at a time, the rest queued (no pipelining); reconnects after
 * the server closes. A failed connection fails the request with the socket's own error code
 * (ECONNREFUSED, ECONNRESET, ETIMEDOUT...), as undici reports them. Everything else (streamed
 * bodies, upgrades, TLS) belongs to `Client`.
 */
import { connect, type Socket } from "node:net";
import { Dispatcher } from "undici";

type Handler = Dispatcher.DispatchHandler;
type Headers = Record<string, string | string[]>;

class Controller implements Dispatcher.DispatchController {
  #aborted = false;
  #reason: Error | null = null;
  constructor(private readonly onAbort: (controller: Controller, reason: Error) => void) {}
  get aborted(): boolean {
    return this.#aborted;
  }
  get paused(): boolean {
    return false;
  }
  get reason(): Error | null {
    return this.#reason;
  }
  abort(reason: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason ?? new Error("aborted");
    this.onAbort(this, this.#reason);
  }
  // Bodies here are a few kilobytes: back-pressure is not worth its cost.
  pause(): void {}
  resume(): void {}
}

interface Exchange {
  readonly request: string | Buffer;
  readonly head: boolean;
  readonly handler: Handler;
  readonly controller: Controller;
  done: boolean;
}

type Framing =
  | { kind: "length"; remaining: number }
  | { kind: "chunked"; remaining: number; trailer: boolean }
  | { kind: "close" }
  | { kind: "none" };

/** Adapts a handler written for undici's older callbacks (what `request()` passes). */
function modern(handler: Handler): Handler {
  if (handler.onResponseStart || !handler.onHeaders) return handler;
  return {
    onRequestStart: (controller) =>
      handler.onConnect?.((err) => controller.abort(err ?? new Error("aborted"))),
    onResponseStart: (_controller, status, headers, statusText) => {
      const raw: Buffer[] = [];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value ?? ""])
          raw.push(Buffer.from(name), Buffer.from(v));
      }
      handler.onHeaders?.(status, raw, () => {}, statusText ?? "");
    },
    onResponseData: (_controller, chunk) => {
      handler.onData?.(chunk);
    },
    onResponseEnd: () => handler.onComplete?.([]),
    onResponseError: (_controller, error) => handler.onError?.(error),
  };
}

/** Fails a request this dispatcher (or a lean agent) will not send; `dispatch`'s false. */
export function refuse(handler: Handler, reason: string): false {
  const h = modern(handler);
  const controller = new Controller(() => {});
  queueMicrotask(() => h.onResponseError?.(controller, new Error(reason)));
  return false;
}

export class LeanHttp1Dispatcher extends Dispatcher {
  readonly #host: string;
  readonly #port: number;
  readonly #hostHeader: string;
  readonly #timeoutMs: number;
  readonly #localAddress: string | undefined;
  #socket: Socket | undefined;
  /** Why the current socket failed, for the request it fails. */
  #socketError: Error | undefined;
  #queue: Exchange[] = [];
  #current: Exchange | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #framing: Framing | undefined;
  #keepAlive = true;
  #closed = false;

  /**
   * `origin`: http://host:port. `timeoutMs`: an answer silent that long fails (30 s).
   * `localAddress`: the source address of the connection (one loopback address per client).
   */
  constructor(origin: string, options: { timeoutMs?: number; localAddress?: string } = {}) {
    super();
    const url = new URL(origin);
    if (url.protocol !== "http:") throw new TypeError("LeanHttp1Dispatcher speaks plain http only");
    this.#host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    this.#port = Number(url.port || 80);
    this.#hostHeader = url.host;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#localAddress = options.localAddress;
  }

  /** Requests in flight or queued on this connection. */
  get load(): number {
    return this.#queue.length + (this.#current ? 1 : 0);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const h = modern(handler);
    const controller = new Controller((c, reason) => this.#abort(c, reason));
    const method = options.method ?? "GET";
    const body = bodyBytes(options.body);
    if (this.#closed || body === undefined) {
      return refuse(
        handler,
        this.#closed
          ? "the dispatcher is closed"
          : "LeanHttp1Dispatcher sends bodies given whole (string or bytes) only",
      );
    }
    let head = `${method} ${options.path} HTTP/1.1\r\nhost: ${this.#hostHeader}\r\n`;
    let hasLength = false;
    for (const [name, value] of headerEntries(options.headers)) {
      head += `${name}: ${value}\r\n`;
      if (name.toLowerCase() === "content-length") hasLength = true;
    }
    if (body && !hasLength) head += `content-length: ${body.length}\r\n`;
    this.#queue.push({
      request: body ? Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), body]) : `${head}\r\n`,
      head: method === "HEAD",
      handler: h,
      controller,
      done: false,
    });
    this.#next();
    return true;
  }

  // biome-ignore lint/suspicious/noExplicitAny: undici's overloads (callback or promise)
  override close(callback?: () => void): any {
    this.#closed = true;
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (this.#current || this.#queue.length > 0) setTimeout(check, 10);
        else {
          this.#socket?.destroy();
          resolve();
        }
      };
      check();
    });
    if (callback) void done.then(callback);
    else return done;
  }

  // biome-ignore lint/suspicious/noExplicitAny: undici's overloads (callback or promise)
  override destroy(...args: unknown[]): any {
    const callback = args.find((a): a is () => void => typeof a === "function");
    const error = args.find((a): a is Error => a instanceof Error) ?? new Error("destroyed");
    this.#closed = true;
    const pending = [...(this.#current ? [this.#current] : []), ...this.#queue];
    this.#current = undefined;
    this.#queue = [];
    this.#socket?.destroy();
    this.#socket = undefined;
    for (const exchange of pending) this.#fail(exchange, error);
    if (callback) queueMicrotask(callback);
    else return Promise.resolve();
  }

  #next(): void {
    if (this.#current) return;
    const exchange = this.#queue.shift();
    if (!exchange) return;
    this.#current = exchange;
    exchange.handler.onRequestStart?.(exchange.controller, {});
    if (exchange.controller.aborted) return;
    const socket = this.#socket ?? this.#connect();
    this.#buffer = Buffer.alloc(0);
    this.#framing = undefined;
    socket.write(exchange.request);
  }

  #connect(): Socket {
    const socket = connect({
      host: this.#host,
      port: this.#port,
      ...(this.#localAddress ? { localAddress: this.#localAddress } : {}),
    });
    this.#socketError = undefined;
    socket.setNoDelay(true);
    socket.setTimeout(this.#timeoutMs);
    socket.on("data", (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on("timeout", () =>
      socket.destroy(
        Object.assign(new Error("timed out waiting for the server"), { code: "ETIMEDOUT" }),
      ),
    );
    socket.on("error", (error) => {
      if (this.#socket === socket) this.#socketError = error;
    });
    socket.on("close", () => this.#onClose(socket));
    this.#socket = socket;
    return socket;
  }

  #onClose(socket: Socket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    const exchange = this.#current;
    if (!exchange) return;
    if (this.#framing?.kind === "close") {
      this.#finish(exchange);
      return;
    }
    this.#current = undefined;
    const error =
      this.#socketError ??
      Object.assign(new Error("the connection closed before the response ended"), {
        code: "ECONNRESET",
      });
    this.#fail(exchange, error);
    this.#next();
  }

  #abort(controller: Controller, reason: Error): void {
    const queued = this.#queue.findIndex((e) => e.controller === controller);
    if (queued >= 0) {
      const [exchange] = this.#queue.splice(queued, 1);
      if (exchange) this.#fail(exchange, reason);
      return;
    }
    const exchange = this.#current;
    if (exchange?.controller !== controller) return;
    // Mid-response: the connection cannot be reused.
    this.#current = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.destroy();
    this.#fail(exchange, reason);
    this.#next();
  }

  #fail(exchange: Exchange, error: Error): void {
    if (exchange.done) return;
    exchange.done = true;
    exchange.handler.onResponseError?.(exchange.controller, error);
  }

  #finish(exchange: Exchange): void {
    if (exchange.done) return;
    exchange.done = true;
    this.#current = undefined;
    if (!this.#keepAlive) {
      this.#socket?.destroy();
      this.#socket = undefined;
    }
    exchange.handler.onResponseEnd?.(exchange.controller, {});
    this.#next();
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket) return;
    const exchange = this.#current;
    if (!exchange) {
      socket.destroy(); // bytes nobody asked for
      return;
    }
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      if (!this.#framing && !this.#readHead(exchange)) return;
      this.#readBody(exchange);
    } catch (error) {
      this.#current = undefined;
      this.#socket = undefined;
      socket.destroy();
      this.#fail(exchange, error as Error);
      this.#next();
    }
  }

  /** Parses the status line and headers; false until they have all arrived. */
  #readHead(exchange: Exchange): boolean {
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.#buffer.length > 65_536) throw new Error("response head too large");
      return false;
    }
    const lines = this.#buffer.toString("latin1", 0, end).split("\r\n");
    this.#buffer = this.#buffer.subarray(end + 4);
    const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? "");
    if (!status) throw new Error(`not an HTTP/1.x response: ${lines[0]}`);
    const code = Number(status[1]);
    if (code >= 100 && code < 200) return this.#readHead(exchange); // interim: skip
    const headers: Headers = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const existing = headers[name];
      headers[name] =
        existing === undefined
          ? value
          : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const connection = String(headers.connection ?? "").toLowerCase();
    this.#keepAlive = !connection.includes("close");
    const length = headers["content-length"];
    const chunked = String(headers["transfer-encoding"] ?? "")
      .toLowerCase()
      .includes("chunked");
    this.#framing =
      exchange.head || code === 204 || code === 304
        ? { kind: "none" }
        : chunked
          ? { kind: "chunked", remaining: -1, trailer: false }
          : length !== undefined
            ? { kind: "length", remaining: Number(length) }
            : { kind: "close" };
    if (this.#framing.kind === "close") this.#keepAlive = false;
    exchange.handler.onResponseStart?.(exchange.controller, code, headers, status[2] ?? "");
    return !exchange.controller.aborted;
  }

  #readBody(exchange: Exchange): void {
    const framing = this.#framing;
    const deliver = (bytes: Buffer) => {
      if (bytes.length > 0) exchange.handler.onResponseData?.(exchange.controller, bytes);
    };
    if (!framing || framing.kind === "none") {
      this.#finish(exchange);
      return;
    }
    if (framing.kind === "close") {
      deliver(this.#buffer);
      this.#buffer = Buffer.alloc(0);
      return;
    }
    if (framing.kind === "length") {
      const take = Math.min(framing.remaining, this.#buffer.length);
      deliver(this.#buffer.subarray(0, take));
      this.#buffer = this.#buffer.subarray(take);
      framing.remaining -= take;
      if (framing.remaining === 0) this.#finish(exchange);
      return;
    }
    // Chunked: size line, data, CRLF ... then a zero size, optional trailers, CRLF.
    while (!exchange.done && !exchange.controller.aborted) {
      if (framing.trailer) {
        const end = this.#buffer.indexOf("\r\n");
        if (end < 0) return;
        this.#buffer = this.#buffer.subarray(end + 2);
        if (end === 0) {
          this.#finish(exchange);
          return;
        }
        continue;
      }
      if (framing.remaining < 0) {
        const end = this.#buffer.indexOf("\r\n");
        if (end < 0) return;
        const size = Number.parseInt(
          this.#buffer.toString("latin1", 0, end).split(";")[0] ?? "",
          16,
        );
        if (!Number.isFinite(size)) throw new Error("bad chunk size");
        this.#buffer = this.#buffer.subarray(end + 2);
        if (size === 0) framing.trailer = true;
        else framing.remaining = size;
        continue;
      }
      if (framing.remaining > 0) {
        const take = Math.min(framing.remaining, this.#buffer.length);
        if (take === 0) return;
        deliver(this.#buffer.subarray(0, take));
        this.#buffer = this.#buffer.subarray(take);
        framing.remaining -= take;
      }
      if (framing.remaining === 0) {
        if (this.#buffer.length < 2) return;
        this.#buffer = this.#buffer.subarray(2);
        framing.remaining = -1;
      }
    }
  }
}

/** A request body as bytes: none (null), or undefined for a kind this dispatcher cannot send. */
function bodyBytes(body: Dispatcher.DispatchOptions["body"]): Buffer | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

function headerEntries(headers: Dispatcher.DispatchOptions["headers"]): [string, string][] {
  if (!headers) return [];
  const out: [string, string][] = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      out.push([String(headers[i]), String(headers[i + 1])]);
    return out;
  }
  const entries =
    Symbol.iterator in Object(headers)
      ? (headers as Iterable<[string, string | string[] | undefined]>)
      : Object.entries(headers as Record<string, string | string[] | undefined>);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (/[\r\n]/.test(name) || /[\r\n]/.test(v)) throw new TypeError("invalid header");
      out.push([name, v]);
    }
  }
  return out;
}
