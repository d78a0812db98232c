// Sends one trace (a server span with a database child span) and two logs in that trace to an
// OTLP/HTTP endpoint with the real OpenTelemetry JavaScript exporters, then prints the ids as
// JSON: {"traceId":"<32 hex>","rootSpanId":"<16 hex>","childSpanId":"<16 hex>"}.
//
// Usage: node otlp-app.mjs <traces url> <logs url> <sentry public key> <json|protobuf>
// The exporters post to the URLs as given, with `x-sentry-auth: sentry sentry_key=<key>`.
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

const [tracesUrl, logsUrl, publicKey, format] = process.argv.slice(2);
if (!tracesUrl || !logsUrl || !publicKey || !['json', 'protobuf'].includes(format)) {
  console.error('Usage: node otlp-app.mjs <traces url> <logs url> <public key> <json|protobuf>');
  process.exit(2);
}

diag.setLogger(
  { error: (...args) => console.error(...args), warn: (...args) => console.error(...args) },
  DiagLogLevel.WARN,
);

const headers = { 'x-sentry-auth': `sentry sentry_key=${publicKey}` };
const resource = resourceFromAttributes({
  'service.name': 'otlp-client',
  'service.version': '4.5.6',
  'deployment.environment.name': 'otel-test',
});

// Spans and logs are first collected in memory, then exported in one call each, so that the
// script can report whether the server accepted them.
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  resource,
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const logs = new InMemoryLogRecordExporter();
const loggerProvider = new LoggerProvider({
  resource,
  processors: [new SimpleLogRecordProcessor({ exporter: logs })],
});

const tracer = tracerProvider.getTracer('picket-otlp-test', '1.0.0');
const logger = loggerProvider.getLogger('picket-otlp-test', '1.0.0');

const root = tracer.startSpan('GET /cart', {
  kind: SpanKind.SERVER,
  attributes: { 'http.request.method': 'GET', 'url.path': '/cart', 'cart.items': 3 },
});
const rootContext = trace.setSpan(context.active(), root);
const child = tracer.startSpan(
  'SELECT carts',
  { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
  rootContext,
);
const childContext = trace.setSpan(rootContext, child);

logger.emit({
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  body: `cart loaded over ${format}`,
  attributes: { 'cart.id': 'c-9' },
  context: rootContext,
});
logger.emit({
  severityNumber: SeverityNumber.ERROR,
  severityText: 'ERROR',
  body: `cart query failed over ${format}`,
  attributes: { 'db.statement': 'SELECT * FROM carts' },
  context: childContext,
});

child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
child.end();
root.end();

const traceExporter =
  format === 'json'
    ? new JsonTraceExporter({ url: tracesUrl, headers })
    : new ProtobufTraceExporter({ url: tracesUrl, headers });
const logExporter =
  format === 'json'
    ? new JsonLogExporter({ url: logsUrl, headers })
    : new ProtobufLogExporter({ url: logsUrl, headers });

function exportAll(exporter, items) {
  return new Promise((resolve) => exporter.export(items, resolve));
}

const traceResult = await exportAll(traceExporter, spans.getFinishedSpans());
const logResult = await exportAll(logExporter, logs.getFinishedLogRecords());
for (const [name, result] of [
  ['traces', traceResult],
  ['logs', logResult],
]) {
  if (result.code !== 0) {
    console.error(`Exporting ${name} failed: ${result.error?.message ?? result.code}`);
    process.exit(1);
  }
}

await Promise.all([traceExporter.shutdown(), logExporter.shutdown()]);
console.log(
  JSON.stringify({
    traceId: root.spanContext().traceId,
    rootSpanId: root.spanContext().spanId,
    childSpanId: child.spanContext().spanId,
  }),
);
process.exit(0);
