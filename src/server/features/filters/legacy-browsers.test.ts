import { describe, expect, it } from 'vitest';

import { parseBrowserFamily } from './browser-family.js';
import { isLegacyBrowser, type LegacyBrowserOption } from './legacy-browsers.js';

const UA = {
  ie8: 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0)',
  ie9: 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 7.1; Trident/5.0)',
  ieMobile9:
    'Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; NOKIA; Lumia 710)',
  ie10: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)',
  ie11: 'Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko',
  edge18:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.18363',
  edge120:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
  chrome41:
    'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36',
  chrome124:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeMobile90:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.91 Mobile Safari/537.36',
  headlessChrome90:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/90.0.0.0 Safari/537.36',
  firefox100: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:100.0) Gecko/20100101 Firefox/100.0',
  firefox125: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safari5:
    'Mozilla/5.0 (Macintosh; U; Intel Mac OS X 1063; tr-DE) AppleWebKit/533.16 (KHTML like Gecko) Version/5.0 Safari/533.16',
  safari15:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Safari/605.1.15',
  safari17:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  mobileSafari9:
    'Mozilla/5.0 (iPad; CPU OS 9_3_5 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13G36 Safari/601.1',
  opera12: 'Opera/9.80 (X11; Linux i686; Ubuntu/14.10) Presto/2.12.388 Version/12.16',
  opera14:
    'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453.12 Safari/537.36 OPR/14.0.1116.4',
  operaMini7:
    'Opera/9.80 (J2ME/MIDP; Opera Mini/7.0.32796/59.323; U; fr) Presto/2.12.423 Version/12.16',
  android3:
    'Mozilla/5.0 (Linux; U; Android 3.2; nl-nl; GT-P6800 Build/HTJ85B) AppleWebKit/534.13 (KHTML, like Gecko) Version/4.0 Safari/534.13',
  android4:
    'Mozilla/5.0 (Linux; U; Android 4.1.1; en-gb; Build/KLP) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30',
};

describe('parseBrowserFamily', () => {
  it.each([
    [UA.ie8, 'IE', 8],
    [UA.ieMobile9, 'IE Mobile', 9],
    [UA.ie11, 'IE', 11],
    [UA.edge18, 'Edge', 18],
    [UA.edge120, 'Edge', 120],
    [UA.chrome41, 'Chrome', 41],
    [UA.chromeMobile90, 'Chrome Mobile', 90],
    [UA.headlessChrome90, 'HeadlessChrome', 90],
    [UA.firefox100, 'Firefox', 100],
    [UA.safari5, 'Safari', 5],
    [UA.mobileSafari9, 'Mobile Safari', 9],
    [UA.opera12, 'Opera', 12],
    [UA.opera14, 'Opera', 14],
    [UA.operaMini7, 'Opera Mini', 7],
    [UA.android3, 'Android', 3],
    [UA.android4, 'Android', 4],
  ])('reads %s as %s %d', (userAgent, family, major) => {
    expect(parseBrowserFamily(userAgent)).toEqual({ family, major });
  });

  it('names an unknown agent Other', () => {
    expect(parseBrowserFamily('curl/8.5.0')).toEqual({ family: 'Other', major: undefined });
  });
});

describe('isLegacyBrowser', () => {
  const drops = (userAgent: string, options: LegacyBrowserOption[]) =>
    isLegacyBrowser(userAgent, options);

  it.each([
    ['ie', UA.ie11],
    ['ie', UA.ieMobile9],
    ['edge', UA.edge18],
    ['chrome', UA.chrome41],
    ['firefox', UA.firefox100],
    ['safari', UA.safari15],
    ['opera', UA.opera14],
    ['opera_mini', UA.operaMini7],
    ['android', UA.android3],
    ['edge_pre_79', UA.edge18],
    ['ie_pre_9', UA.ie8],
    ['ie9', UA.ie9],
    ['ie10', UA.ie10],
    ['ie11', UA.ie11],
    ['opera_pre_15', UA.opera12],
    ['opera_mini_pre_8', UA.operaMini7],
    ['android_pre_4', UA.android3],
    ['safari_pre_6', UA.safari5],
  ] as [LegacyBrowserOption, string][])('%s drops %s', (option, userAgent) => {
    expect(drops(userAgent, [option])).toBe(true);
  });

  it.each([
    ['edge', UA.edge120],
    ['chrome', UA.chrome124],
    ['chrome', UA.chromeMobile90],
    ['chrome', UA.headlessChrome90],
    ['firefox', UA.firefox125],
    ['safari', UA.safari17],
    ['safari', UA.mobileSafari9],
    ['android', UA.android4],
    ['edge_pre_79', UA.edge120],
    ['ie_pre_9', UA.ie9],
    ['ie10', UA.ie11],
    ['opera_pre_15', UA.chrome41],
  ] as [LegacyBrowserOption, string][])('%s keeps %s', (option, userAgent) => {
    expect(drops(userAgent, [option])).toBe(false);
  });

  it('drops with any of several options', () => {
    expect(drops(UA.ie9, ['android_pre_4', 'ie9'])).toBe(true);
  });

  it('keeps everything without options', () => {
    expect(drops(UA.ie8, [])).toBe(false);
  });

  it('applies the default minimums when default is set', () => {
    expect(drops(UA.ie9, ['default'])).toBe(true);
  });

  it('keeps IE 10 under the default minimums', () => {
    expect(drops(UA.ie10, ['default'])).toBe(false);
  });

  it('ignores other options next to default', () => {
    expect(drops(UA.ie10, ['default', 'ie10'])).toBe(false);
  });
});
