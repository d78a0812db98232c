# Sends one exception and one transaction with child spans with Debian's sentry-ruby 5.3.0, then
# prints the ids the test looks up as JSON on the last line:
#   {"exception":"<32 hex>","traceId":"<32 hex>","rootSpanId":"<16 hex>","errorEventId":"<32 hex>"}
#
# Usage: ruby app.rb <dsn>   (or set SENTRY_DSN)
# Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log).
require 'json'
require 'logger'
require 'sentry-ruby'

dsn = ARGV[0] || ENV['SENTRY_DSN']
if dsn.nil? || dsn.empty?
  warn 'Missing DSN: pass it as the first argument or set SENTRY_DSN.'
  exit 2
end

Sentry.init do |config|
  config.dsn = dsn
  config.release = ENV.fetch('SENTRY_RELEASE', 'picket-ruby-client@1.0.0')
  config.environment = ENV.fetch('SENTRY_ENVIRONMENT', 'live-test')
  config.traces_sample_rate = 1.0
  # Events are sent from the calling thread, so they are all out when the script ends.
  config.background_worker_threads = 0
  config.debug = ENV['SENTRY_DEBUG'] == '1'
  config.logger = Logger.new($stderr)
end

# The exception is raised three calls below load_invoice, so the stack trace has three in-app
# frames with known method names.
def load_invoice(invoice_id) = price_invoice({ id: invoice_id, lines: [] })
def price_invoice(invoice) = average_line(invoice[:lines])
def average_line(lines) = lines.sum / lines.size

exception_event = begin
  load_invoice('inv-7')
rescue ZeroDivisionError => e
  Sentry.capture_exception(e)
end

transaction = Sentry.start_transaction(name: 'process-order', op: 'task')
Sentry.get_current_scope.set_span(transaction)
transaction.with_child_span(op: 'db.query', description: 'SELECT * FROM orders') { sleep 0.02 }
transaction.with_child_span(op: 'template.render', description: 'render receipt') do |render|
  render.with_child_span(op: 'file.read', description: 'load template') { sleep 0.005 }
end
error_event = begin
  load_invoice('inv-8')
rescue ZeroDivisionError => e
  Sentry.capture_exception(e)
end
transaction.finish

if exception_event.nil? || error_event.nil?
  warn 'The SDK dropped an event before sending it (no event returned).'
  exit 1
end

puts JSON.generate(
  exception: exception_event.event_id,
  traceId: transaction.trace_id,
  rootSpanId: transaction.span_id,
  errorEventId: error_event.event_id
)
