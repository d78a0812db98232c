# Sends errors with Debian's sentry-ruby 5.3.0 to a server that limits the DSN key to one error
# per short window. Steps: an error (accepted), an error (rejected with 429), an error that the SDK
# must drop itself, then, once the limit has expired and 30 s have passed since the SDK started,
# a last error. sentry-ruby 5.3 sends its client report only inside an event envelope and at
# most every 30 s (Sentry::Transport::CLIENT_REPORT_INTERVAL), so the last error carries it.
#
# Usage: ruby ratelimit_app.rb <dsn>   Optional: SENTRY_DEBUG=1 (the SDK's own log).
# Prints {"sent":4,"waited":<seconds>} on stdout when done.
require 'json'
require 'logger'
require 'sentry-ruby'

MAX_WAIT_SECONDS = 90
CLIENT_REPORT_INTERVAL = 30

dsn = ARGV[0]
abort('Missing DSN: pass it as the first argument.') if dsn.nil? || dsn.empty?

started = Time.now
Sentry.init do |config|
  config.dsn = dsn
  config.release = 'picket-ratelimit@1.0.0'
  config.background_worker_threads = 0 # send synchronously, in order
  config.debug = ENV['SENTRY_DEBUG'] == '1'
  config.logger = Logger.new($stderr)
end

def capture(message)
  raise message
rescue RuntimeError => e
  Sentry.capture_exception(e)
end

capture('first error (accepted)')
capture('second error (rejected with 429)')
capture('third error (dropped by the SDK)')

# Waits until the SDK's own rate limits have expired and the client report may be sent.
transport = Sentry.get_current_client.transport
loop do
  limits_over = transport.rate_limits.values.all? { |until_time| until_time <= Time.now }
  break if limits_over && Time.now - started > CLIENT_REPORT_INTERVAL + 1
  abort('The rate limit did not expire in time') if Time.now - started > MAX_WAIT_SECONDS

  sleep 0.5
end

capture('fourth error (accepted, carries the client report)')
puts JSON.generate({ sent: 4, waited: (Time.now - started).round })
