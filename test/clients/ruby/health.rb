# Sends release health with the real sentry-ruby SDK: Debian's ruby-sentry-ruby 5.3.0.
#
# Usage: ruby health.rb <dsn>
# Tracks three sessions with Sentry.with_session_tracking, one of them with a captured
# exception, and flushes the aggregated sessions (a `sessions` envelope item).
# Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log on stderr).
require 'logger'
require 'sentry-ruby'

dsn = ARGV[0]
if dsn.nil? || dsn.empty?
  warn 'Usage: ruby health.rb <dsn>'
  exit 2
end

Sentry.init do |config|
  config.dsn = dsn
  config.release = ENV.fetch('SENTRY_RELEASE', 'picket-ruby-health@1.0.0')
  config.environment = ENV.fetch('SENTRY_ENVIRONMENT', 'live-test')
  # Sends synchronously, so every envelope is out before the process ends.
  config.background_worker_threads = 0
  config.debug = ENV['SENTRY_DEBUG'] == '1'
  config.logger = Logger.new($stderr)
  config.logger.level = ENV['SENTRY_DEBUG'] == '1' ? Logger::DEBUG : Logger::WARN
end

def load_config = {}.fetch(:missing)

Sentry.with_session_tracking do
  load_config
rescue KeyError => e
  Sentry.capture_exception(e)
end
2.times { Sentry.with_session_tracking { nil } }

# 5.3.0 flushes aggregated sessions only every 60 s and drops them on exit, so flush by hand.
Sentry.session_flusher&.flush
Sentry.close if Sentry.respond_to?(:close)
puts 'sent'
