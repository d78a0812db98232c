import { describe, expect, it } from 'vitest';

import { isWebCrawler } from './web-crawlers.js';

describe('isWebCrawler', () => {
  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.1; +https://openai.com/gptbot',
    'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    'ELB-HealthChecker/2.0',
    'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
    'Twitterbot/1.0',
    'some crawler bot',
    'Slack-ImgProxy 0.19 (+https://api.slack.com/robots)',
  ])('recognizes %s', (userAgent) => {
    expect(isWebCrawler(userAgent)).toBe(true);
  });

  it.each([
    'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36',
    'Slackbot 1.0(+https://api.slack.com/robots)',
    'SentryUptimeBot/1.0 (+http://docs.sentry.io/product/alerts/uptime-monitoring/)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot',
    'Robotics Studio 1.0',
    'APIs-Google (+https://developers.google.com/webmasters/APIs-Google.html)',
  ])('lets %s through', (userAgent) => {
    expect(isWebCrawler(userAgent)).toBe(false);
  });
});
