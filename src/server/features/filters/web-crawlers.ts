/**
 * User-agent fragments of crawlers, uptime checkers and AI fetchers, as Relay's web-crawler
 * filter lists them (case is ignored). `bot` and `spider` count only as a word ending in `/`,
 * white space, `)`, `;` or the end of the text, so "Robotics" does not match.
 */
const CRAWLER_FRAGMENTS = [
  'Mediapartners-Google',
  'AdsBot-Google',
  'Googlebot',
  'FeedFetcher-Google',
  'Storebot-Google',
  'BingBot',
  'BingPreview',
  'Baiduspider',
  'Slurp',
  'Sogou',
  'facebook',
  'meta-',
  'ia_archiver',
  String.raw`bots?(?:[/\s);]|$)`,
  String.raw`spider(?:[/\s);]|$)`,
  'Slack',
  String.raw`Calypso\sAppCrawler`,
  'pingdom',
  'lyticsbot',
  String.raw`AWS\sSecurity\sScanner`,
  String.raw`HubSpot\sCrawler`,
  'Bytespider',
  String.raw`Better\sUptime`,
  'Cloudflare-Healthchecks',
  'GTmetrix',
  'BrightEdgeOnCrawl',
  'ELB-HealthChecker',
  'naver.me/spd',
  'ClaudeBot',
  'CCBot',
  'OAI-SearchBot',
  'GPTBot',
  'PerplexityBot',
  'Applebot',
  'DuckDuckBot',
];

/** Agents that match a fragment above but act for a person or for Sentry itself. */
const ALLOWED_FRAGMENTS = [String.raw`Slackbot\s1\.\d+`, 'SentryUptimeBot', 'ChatGPT-User'];

const CRAWLER_PATTERN = new RegExp(CRAWLER_FRAGMENTS.join('|'), 'i');
const ALLOWED_PATTERN = new RegExp(ALLOWED_FRAGMENTS.join('|'), 'i');

export function isWebCrawler(userAgent: string): boolean {
  return CRAWLER_PATTERN.test(userAgent) && !ALLOWED_PATTERN.test(userAgent);
}
