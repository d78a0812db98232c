/** A legacy-browser sub-filter as the page lists it. */
export interface SubfilterLabel {
  id: string;
  browser: string;
  versions: string;
}

/** The current sub-filters, always listed. */
export const CURRENT_SUBFILTERS: SubfilterLabel[] = [
  { id: 'chrome', browser: 'Chrome', versions: '110 and older' },
  { id: 'edge', browser: 'Edge', versions: '110 and older' },
  { id: 'firefox', browser: 'Firefox', versions: '110 and older' },
  { id: 'ie', browser: 'Internet Explorer', versions: 'all versions (11 and older)' },
  { id: 'opera', browser: 'Opera', versions: '99 and older' },
  { id: 'opera_mini', browser: 'Opera Mini', versions: '34 and older' },
  { id: 'safari', browser: 'Safari', versions: '15 and older' },
  { id: 'android', browser: 'Android browser', versions: '3 and older' },
];

/** Older sub-filters Sentry still accepts; the page lists them only while one is on. */
export const DEPRECATED_SUBFILTERS: SubfilterLabel[] = [
  { id: 'ie_pre_9', browser: 'Internet Explorer', versions: '8 and older' },
  { id: 'ie9', browser: 'Internet Explorer', versions: '9' },
  { id: 'ie10', browser: 'Internet Explorer', versions: '10' },
  { id: 'ie11', browser: 'Internet Explorer', versions: '11' },
  { id: 'opera_pre_15', browser: 'Opera', versions: '14 and older' },
  { id: 'opera_mini_pre_8', browser: 'Opera Mini', versions: '7 and older' },
  { id: 'android_pre_4', browser: 'Android browser', versions: '3 and older' },
  { id: 'safari_pre_6', browser: 'Safari', versions: '5 and older' },
  { id: 'edge_pre_79', browser: 'Edge (EdgeHTML)', versions: '18 and older' },
];

/** The versions the `default` set drops, shown while the filter is on as a whole. */
export const DEFAULT_SET_DESCRIPTION =
  'Internet Explorer 9 and older, Safari 5 and older, Opera 14 and older, Opera Mini 7 and older, Android browser 3 and older';
